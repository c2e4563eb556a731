/**
 * The public URL contract's shapes, in one place: the HTTP server, the page
 * cache, the answer path and the routes all ask here what an address is.
 */
export type PageLang = "fr" | "en";

/** A consultation's address part: lower-case letters and digits in hyphen-separated words. */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export type ResidentPage = { kind: "list"; lang: PageLang } | { kind: "consultation"; lang: PageLang; slug: string };

/**
 * The resident pages that are the same for every visitor but for a form's
 * submission id: `/{lang}` and `/{lang}/consultations/{slug}` (no query string).
 */
export function residentPage(pathname: string): ResidentPage | null {
  const parts = pathname.split("/");
  if (parts[0] !== "" || (parts[1] !== "fr" && parts[1] !== "en")) return null;
  const lang = parts[1];
  if (parts.length === 2) return { kind: "list", lang };
  if (parts.length === 4 && parts[2] === "consultations" && parts[3].length <= 80 && SLUG.test(parts[3])) return { kind: "consultation", lang, slug: parts[3] };
  return null;
}

/** A consultation's public results page, `/{lang}/consultations/{slug}/results`. */
export function resultsPage(pathname: string): { lang: PageLang; slug: string } | null {
  const m = /^\/(fr|en)\/consultations\/([a-z0-9-]{1,80})\/results$/.exec(pathname);
  return m && SLUG.test(m[2]) ? { lang: m[1] as PageLang, slug: m[2] } : null;
}

/**
 * Pages the service worker keeps on the device once visited (and refreshes when visited again):
 * the resident pages, results pages and the privacy page.
 */
export function keptOffline(pathname: string): boolean {
  return residentPage(pathname) !== null || resultsPage(pathname) !== null || /^\/(fr|en)\/(privacy|accessibility)$/.test(pathname);
}

/** Addresses under /open-data/ that name files of their own, never a consultation's slug. */
export const RESERVED_SLUGS = ["catalog"];

/** Where a resident's answer is posted: the consultation page itself. */
export function answerTarget(pathname: string): { lang: PageLang; slug: string } | null {
  const page = residentPage(pathname);
  return page?.kind === "consultation" ? { lang: page.lang, slug: page.slug } : null;
}

export const urls = {
  thanks: (lang: PageLang, slug: string, receipt: string) => `/${lang}/consultations/${slug}/thanks/${receipt}`,
};

/** The language an address is in, for pages sent before any route runs (400, 403, 413…). */
export function langOfPath(pathname: string): PageLang {
  return /^\/en(\/|$)/.test(pathname) ? "en" : "fr";
}

/** Whether a path is in the signed-in staff area (never kept by any cache). */
export function isStaffPath(pathname: string): boolean {
  return /^\/(fr|en)\/staff(\/|\.data$|$)/.test(pathname);
}

/** Path segments that act as secrets or identify one resident: an invitation token, a receipt code. */
const SECRET_SEGMENTS = [
  /^(\/(?:fr|en)\/staff\/invitations\/)[^/]+/,
  /^(\/(?:fr|en)\/staff\/reset\/)[^/]+/,
  /^(\/(?:fr|en)\/notify\/(?:confirm|stop)\/)[^/]+/,
  /^(\/(?:fr|en)\/consultations\/[^/]+\/thanks\/)[^/]+/,
  /^(\/(?:fr|en)\/receipts\/)[^/]+/,
  /^(\/(?:fr|en)\/offline\/answer\/)[^/]+/,
];

/** A path as a log line may carry it: invitation tokens and receipt codes masked. */
export function loggablePath(pathname: string): string {
  for (const pattern of SECRET_SEGMENTS) if (pattern.test(pathname)) return pathname.replace(pattern, "$1…");
  return pathname;
}
