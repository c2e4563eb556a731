/**
 * Every internal address of Quorum, in one place.
 *
 * remix.config.js matches addresses to route modules; this module builds them — `urls.*` — and
 * reads them back where the server needs to know what a path is (`residentPage`, `answerTarget`…).
 * Routes, components, emails, letters, the HTTP server and the service worker all build their
 * links here; the lint refuses a hand-written `/${…}` path anywhere else in app/ and server/.
 *
 * No server-only import: components and the service worker import this module. The worker and
 * the page script import the few builders they need by name (`offlinePath`…), so their bundles
 * carry only those (scripts/build-sw.mjs); everything else reaches for `urls`.
 */
export type PageLang = "fr" | "en";

// ---- Building ---------------------------------------------------------------

/** A query value: `undefined` and `null` leave the parameter out. */
type QueryValue = string | number | null | undefined;
/** A query string's parameters in order, and the fragment (`hash`, without `#`). */
type At<Q extends Record<string, QueryValue> = Record<never, QueryValue>> = Q & { hash?: string };

/** A path segment as it may appear in an address. */
const segment = (value: string) => encodeURIComponent(value);

/** A path with its query string (encoded by URLSearchParams; `first` goes before the options) and fragment. */
function at(path: string, options: Record<string, QueryValue> = {}, first?: URLSearchParams): string {
  const params = new URLSearchParams(first);
  let hash = "";
  for (const [key, value] of Object.entries(options)) {
    if (key === "hash") hash = value ? `#${String(value)}` : "";
    else if (value !== undefined && value !== null) params.append(key, String(value));
  }
  const query = params.toString();
  return `${path}${query ? `?${query}` : ""}${hash}`;
}

/** `/{lang}/offline`: the offline page (precached by the service worker). */
export const offlinePath = (lang: PageLang) => `/${lang}/offline`;
/** `/{lang}/offline/saved`: the page the worker shows for an answer kept on the device. */
export const offlineSavedPath = (lang: PageLang) => `/${lang}/offline/saved`;
/** `/{lang}/receipts/{code}`: whether the answer with that receipt code was counted. */
export const receiptPath = (lang: PageLang, code: string, options?: At) => at(`/${lang}/receipts/${segment(code)}`, options);
/** Files served as they are from public/ (server/static.ts), not by a route. */
export const SERVICE_WORKER_FILE = "/sw.js";
export const PAGE_SCRIPT_FILE = "/quorum.js";

const staffConsultation = (lang: PageLang, slug: string) => `/${lang}/staff/consultations/${segment(slug)}`;

/** One builder per address in remix.config.js (tests/unit/urls.test.ts holds the two together). */
export const urls = {
  /** `/`: sends the browser on to `/fr` or `/en`. */
  languageChoice: () => "/",
  healthz: () => "/healthz",
  /** Where SMS providers post the messages residents send (decision 066). */
  sms: { twilio: () => "/sms/twilio", gateway: () => "/sms/gateway" },
  /** The municipality's logo, `file` as `{digest}.{png|jpg|webp}`. */
  logo: (file: string) => `/logo/${segment(file)}`,

  // Residents.
  home: (lang: PageLang) => `/${lang}`,
  consultation: (lang: PageLang, slug: string) => `/${lang}/consultations/${segment(slug)}`,
  thanks: (lang: PageLang, slug: string, receipt: string, options?: At) => at(`/${lang}/consultations/${segment(slug)}/thanks/${segment(receipt)}`, options),
  results: (lang: PageLang, slug: string) => `/${lang}/consultations/${segment(slug)}/results`,
  notify: (lang: PageLang, slug: string, options?: At<{ asked?: 1 }>) => at(`/${lang}/consultations/${segment(slug)}/notify`, options),
  /** A consultation's short address, printed on letters and in their QR code. */
  short: (lang: PageLang, short: string) => `/${lang}/c/${segment(short)}`,
  receipts: (lang: PageLang, options?: At) => at(`/${lang}/receipts`, options),
  receipt: receiptPath,
  notifyConfirm: (lang: PageLang, token: string) => `/${lang}/notify/confirm/${segment(token)}`,
  notifyStop: (lang: PageLang, token: string) => `/${lang}/notify/stop/${segment(token)}`,
  offline: offlinePath,
  offlineSaved: offlineSavedPath,
  manifest: (lang: PageLang) => `/${lang}/manifest.webmanifest`,
  privacy: (lang: PageLang, options?: At) => at(`/${lang}/privacy`, options),
  accessibility: (lang: PageLang) => `/${lang}/accessibility`,

  openData: {
    /** The list of published datasets, for people. */
    list: (lang: PageLang) => `/${lang}/open-data`,
    csv: (slug: string) => `/open-data/${segment(slug)}.csv`,
    json: (slug: string) => `/open-data/${segment(slug)}.json`,
    datapackage: (slug: string) => `/open-data/${segment(slug)}/datapackage.json`,
    catalog: () => "/open-data/catalog.json",
  },

  staff: {
    home: (lang: PageLang, options?: At<{ done?: string }>) => at(`/${lang}/staff`, options),
    /** Sign-in; `next` is where to go after (checked by app/auth/next.ts). */
    login: (lang: PageLang, options?: At<{ next?: string }>) => at(`/${lang}/staff/login`, options),
    logout: (lang: PageLang) => `/${lang}/staff/logout`,
    forgot: (lang: PageLang, options?: At<{ sent?: 1 }>) => at(`/${lang}/staff/forgot`, options),
    reset: (lang: PageLang, token: string, options?: At) => at(`/${lang}/staff/reset/${segment(token)}`, options),
    invitation: (lang: PageLang, token: string, options?: At) => at(`/${lang}/staff/invitations/${segment(token)}`, options),
    password: (lang: PageLang, options?: At<{ done?: string }>) => at(`/${lang}/staff/password`, options),

    settings: (lang: PageLang, options?: At<{ done?: string }>) => at(`/${lang}/staff/settings`, options),
    users: (lang: PageLang, options?: At<{ done?: string }>) => at(`/${lang}/staff/users`, options),
    mail: (lang: PageLang, options?: At<{ done?: string }>) => at(`/${lang}/staff/mail`, options),
    audit: (lang: PageLang) => `/${lang}/staff/audit`,
    /** The audit log as CSV, for the same filter as the page (its query string) and spreadsheet format. */
    auditCsv: (lang: PageLang, filter?: URLSearchParams, options?: At<{ format?: "fr" }>) => at(`/${lang}/staff/audit.csv`, options, filter),

    newConsultation: (lang: PageLang, options?: At) => at(`/${lang}/staff/consultations/new`, options),
    consultation: (lang: PageLang, slug: string, options?: At<{ done?: string }>) => at(staffConsultation(lang, slug), options),
    edit: (lang: PageLang, slug: string, options?: At) => at(`${staffConsultation(lang, slug)}/edit`, options),
    /** What opening, closing or reopening will do, and the button that does it. */
    confirm: (lang: PageLang, slug: string, options?: At<{ intent?: string }>) => at(`${staffConsultation(lang, slug)}/confirm`, options),
    delete: (lang: PageLang, slug: string, options?: At) => at(`${staffConsultation(lang, slug)}/delete`, options),
    duplicate: (lang: PageLang, slug: string, options?: At) => at(`${staffConsultation(lang, slug)}/duplicate`, options),
    preview: (lang: PageLang, slug: string, options?: At<{ as?: PageLang }>) => at(`${staffConsultation(lang, slug)}/preview`, options),
    outcome: (lang: PageLang, slug: string, options?: At<{ done?: string }>) => at(`${staffConsultation(lang, slug)}/outcome`, options),
    /** The blank questionnaire to print. */
    questionnaire: (lang: PageLang, slug: string, options?: At<{ as?: PageLang; paper?: string }>) =>
      at(`${staffConsultation(lang, slug)}/questionnaire`, options),
    questions: (lang: PageLang, slug: string, options?: At<{ edit?: string; done?: string; q?: string }>) =>
      at(`${staffConsultation(lang, slug)}/questions`, options),
    references: (lang: PageLang, slug: string, options?: At<{ done?: string }>) => at(`${staffConsultation(lang, slug)}/references`, options),
    codes: (lang: PageLang, slug: string, options?: At<{ cancelled?: number }>) => at(`${staffConsultation(lang, slug)}/codes`, options),
    codesBatch: (lang: PageLang, slug: string, batch: string, options?: At<{ made?: 1 }>) =>
      at(`${staffConsultation(lang, slug)}/codes/${segment(batch)}`, options),
    paper: (lang: PageLang, slug: string, options?: At<{ as?: PageLang; done?: string }>) => at(`${staffConsultation(lang, slug)}/paper`, options),
    /** The consultation by SMS: its keyword, what it costs a resident, and the conversation to try. */
    sms: (lang: PageLang, slug: string, options?: At<{ done?: string }>) => at(`${staffConsultation(lang, slug)}/sms`, options),
    summary: (lang: PageLang, slug: string, options?: At<{ breakdown?: string }>) => at(`${staffConsultation(lang, slug)}/summary`, options),
    /** The summary's print stylesheet; `at` (when the figures were taken) goes into its running header. */
    summaryCss: (lang: PageLang, slug: string, options?: At<{ at?: string }>) => at(`${staffConsultation(lang, slug)}/summary.css`, options),
    summaryCsv: (lang: PageLang, slug: string, options?: At<{ breakdown?: string; format?: "fr" }>) =>
      at(`${staffConsultation(lang, slug)}/summary.csv`, options),
    moderation: (lang: PageLang, slug: string, options?: At<{ state?: string; question?: string; page?: number; at?: string; done?: string }>) =>
      at(`${staffConsultation(lang, slug)}/moderation`, options),
    themes: (lang: PageLang, slug: string, options?: At<{ theme?: string; question?: string; q?: string; page?: number; at?: string; done?: string }>) =>
      at(`${staffConsultation(lang, slug)}/themes`, options),
    exportCsv: (lang: PageLang, slug: string, options?: At<{ format?: "fr" }>) => at(`${staffConsultation(lang, slug)}/export.csv`, options),
    exportJson: (lang: PageLang, slug: string) => `${staffConsultation(lang, slug)}/export.json`,
  },

  /** Files served as they are from public/ (server/static.ts), not by a route. */
  files: {
    serviceWorker: SERVICE_WORKER_FILE,
    pageScript: PAGE_SCRIPT_FILE,
    favicon: "/favicon.svg",
    icon: (name: "icon-192.png" | "icon-512.png" | "maskable-512.png") => `/icons/${name}`,
  },
};

/** The same path in the other language: /fr/x → /en/x. Paths without a language get one. */
export function swapLangInPath(pathWithQuery: string, to: PageLang): string {
  const match = /^\/(fr|en)(?=\/|\?|$)/.exec(pathWithQuery);
  if (match) return `/${to}${pathWithQuery.slice(match[0].length)}`;
  return urls.home(to);
}

// ---- Reading ----------------------------------------------------------------

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
