/**
 * An audit entry as a sentence in the page's language: "official@example.org closed the
 * consultation “Lampadaires intelligents”". One template per action under `auditLog.` in
 * locales; the consultation is named by its title in that language (from the entry itself once
 * it is deleted), themes by their names and questions by their wording (read now, else as the
 * entry kept them), roles and counts in words: never an internal code or id.
 */
import type { TFunction } from "i18next";
import { isKnownAction } from "~/domain/audit/actions";
import type { Bilingual } from "#db/schema";
import type { Lang } from "./i18n";

export interface AuditRow {
  actorEmail: string | null;
  action: string;
  targetType: string;
  targetId: string;
  details: unknown;
  titles: { fr: { title: string }; en: { title: string } } | null;
  /** Names read now for the ids an entry holds (listAudit). */
  names?: { theme: Bilingual<string> | null; into: Bilingual<string> | null; question: Bilingual<string> | null };
}

type Details = Record<string, unknown>;

const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : "");
/** A `{ fr, en }` name kept in an entry's details, in one language. */
const named = (v: unknown, lang: Lang) => (v && typeof v === "object" ? str((v as Record<string, unknown>)[lang]) : "");
/** How many: a number kept in the details, or the length of a list of ids. */
const howMany = (...values: unknown[]) => {
  for (const v of values) {
    if (Array.isArray(v)) return v.length;
    if (typeof v === "number") return v;
  }
  return 0;
};

export function auditSentence(t: TFunction, lang: Lang, row: AuditRow): string {
  const d: Details = row.details && typeof row.details === "object" ? (row.details as Details) : {};
  const kept = d.title && typeof d.title === "object" ? (d.title as Record<string, unknown>) : null;
  // An entry about a consultation keeps its address; a theme's or an answer's id is never shown.
  const title = row.titles?.[lang].title || str(kept?.[lang]) || (row.targetType === "consultation" ? row.targetId : t("auditLog.goneConsultation"));
  const role = (code: unknown) => (str(code) ? t(`staff.roles.${str(code)}`) : "");
  const after = d.after && typeof d.after === "object" ? (d.after as Details) : {};
  const question = row.names?.question?.[lang] || named(d.prompt, lang);
  const params = {
    actor: row.actorEmail ?? t("auditLog.someone"),
    title,
    target: row.targetId,
    code: str(d.code),
    count: howMany(d.count, d.answers, d.moved),
    theme: row.names?.theme?.[lang] || named(d.labels, lang) || named(after.labels, lang) || t("auditLog.goneTheme"),
    into: row.names?.into?.[lang] || named(d.intoLabels, lang) || t("auditLog.goneTheme"),
    question: question || t("auditLog.goneQuestion"),
    from: str(d.from),
    role: role(d.role),
    fromRole: role(d.from),
    toRole: role(d.to),
    action: row.action,
  };
  if (!isKnownAction(row.action)) return t("auditLog.other", params);
  // A free-text answer deleted since (retention, a deleted consultation): said so, without its number.
  if (row.targetType === "answer" && !question) return t(`auditLog.${row.action}Gone`, params);
  return t(`auditLog.${row.action}`, params);
}
