/**
 * The staff list's search and status filter, read from the query string (a GET form that
 * works without JavaScript). What cannot be read is ignored, never an error. Words are
 * matched in the title in either language and in the address, without regard to case or
 * accents ("econom" finds "Économie").
 */
import { CONSULTATION_STATUSES, type ConsultationStatus } from "#db/schema";

export interface StaffListFilter {
  q: string;
  status: ConsultationStatus | "";
}

export function readStaffListFilter(params: URLSearchParams): StaffListFilter {
  const q = (params.get("q") ?? "")
    .replace(/\u0000/g, "")
    .trim()
    .slice(0, 200);
  const status = params.get("status") ?? "";
  return { q, status: (CONSULTATION_STATUSES as readonly string[]).includes(status) ? (status as ConsultationStatus) : "" };
}

const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase("fr");

export function filterStaffList<T extends { slug: string; status: ConsultationStatus; texts: { fr: { title: string }; en: { title: string } } }>(
  list: T[],
  filter: StaffListFilter,
): T[] {
  const words = fold(filter.q).split(/\s+/).filter(Boolean);
  return list.filter((c) => {
    if (filter.status && c.status !== filter.status) return false;
    const haystack = fold(`${c.texts.fr.title} ${c.texts.en.title} ${c.slug}`);
    return words.every((w) => haystack.includes(w));
  });
}
