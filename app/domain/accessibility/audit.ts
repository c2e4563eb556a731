/**
 * Quorum's RGAA 4.1 assessment, as data: the pages checked (the sample), the result of each of
 * the 106 criteria over that sample, and what the accessibility statement works out from them —
 * the conformance rate the RGAA way (criteria met ÷ criteria that apply) and the status that rate
 * gives. The statement (app/routes/resident/accessibility.tsx) and the footer show what is here;
 * nothing on the page is typed in by hand.
 *
 * A criterion is met only where a check establishes it on every page of the sample: axe-core
 * (tests/e2e/accessibility.spec.ts), a browser test beyond axe (tests/e2e/audit.spec.ts,
 * reflow.spec.ts, staff-errors.spec.ts), or a property of the code every page shares (the layout
 * in app/root.tsx, app/styles/app.css, the page script). A criterion that needs a person's
 * judgement page by page, or was checked on some pages only, counts as not met until it is
 * checked; so does one with a defect found. When a gap is fixed or a criterion checked, change
 * its entry below, say what shows it, and move ASSESSED_ON to that day.
 */
import { DEMO_SLUG } from "~/domain/consultations/demo";
import { urls, type PageLang } from "~/urls";

/** The version of the RGAA the criteria below are those of. */
export const RGAA_VERSION = "4.1";
/** The axe-core the browser tests run (through @axe-core/playwright; its unit test reads node_modules/axe-core). */
export const AXE_VERSION = "4.13.0";
/** The day the statement was first published, and the day the criteria below were assessed (ISO dates). */
export const FIRST_PUBLISHED_ON = "2026-11-28";
export const ASSESSED_ON = "2026-12-06";

// ---- The sample --------------------------------------------------------------------------------

/** A receipt code in the sample's addresses: it stands for the code each resident is given. */
export const SAMPLE_RECEIPT = "XXXX-XXXX";

/** A page of the sample: its name is `accessibility.sample.<key>` in locales/. */
export interface SamplePage {
  key: string;
  address: (lang: PageLang) => string;
}

/**
 * The pages assessed, each in French and in English: every kind of page residents and staff use,
 * a refused form among them. Pages of one consultation are those of the demonstration
 * consultation (the browser tests also use copies of it).
 */
export const SAMPLE: readonly SamplePage[] = [
  { key: "home", address: (l) => urls.home(l) },
  { key: "consultation", address: (l) => urls.consultation(l, DEMO_SLUG) },
  { key: "errors", address: (l) => urls.consultation(l, DEMO_SLUG) },
  { key: "thanks", address: (l) => urls.thanks(l, DEMO_SLUG, SAMPLE_RECEIPT.replace("-", "")) },
  { key: "receipt", address: (l) => urls.receipt(l, SAMPLE_RECEIPT) },
  { key: "results", address: (l) => urls.results(l, DEMO_SLUG) },
  { key: "privacy", address: (l) => urls.privacy(l) },
  { key: "accessibility", address: (l) => urls.accessibility(l) },
  { key: "openData", address: (l) => urls.openData.list(l) },
  { key: "offline", address: (l) => urls.offline(l) },
  { key: "staffLogin", address: (l) => urls.staff.login(l) },
  { key: "staffList", address: (l) => urls.staff.home(l) },
  { key: "builder", address: (l) => urls.staff.questions(l, DEMO_SLUG) },
  { key: "moderation", address: (l) => urls.staff.moderation(l, DEMO_SLUG) },
  { key: "themes", address: (l) => urls.staff.themes(l, DEMO_SLUG) },
  { key: "settings", address: (l) => urls.staff.settings(l) },
  { key: "paper", address: (l) => urls.staff.paper(l, DEMO_SLUG) },
  { key: "codes", address: (l) => urls.staff.codes(l, DEMO_SLUG) },
];

// ---- The criteria ------------------------------------------------------------------------------

/** The RGAA's topics, in its order: topic n holds criteria n.1, n.2…; names under `accessibility.themes.<key>`. */
export const THEMES = [
  "images",
  "frames",
  "colours",
  "multimedia",
  "tables",
  "links",
  "scripts",
  "mandatory",
  "structure",
  "presentation",
  "forms",
  "navigation",
  "consultation",
] as const;
export type Theme = (typeof THEMES)[number];

/** What shows a criterion met: axe-core, a browser test beyond axe, or the code every page shares. */
export type Evidence = "axe" | "browser" | "code";

/** Defects found: each is `accessibility.defects.<key>` (a title and why) in locales/. */
export const DEFECTS = ["staffMenu", "footerLinks", "otherLanguageTitle", "timeZones", "staffRequired", "navigation", "staffSession"] as const;
export type Defect = (typeof DEFECTS)[number];

/** Why a criterion with no defect found still counts as not met: `accessibility.unchecked.<key>` in locales/. */
export const UNCHECKED = ["screenReader", "partly", "judgement"] as const;
export type Unchecked = (typeof UNCHECKED)[number];

export type Criterion =
  | { id: string; result: "conformant"; by: Evidence }
  | { id: string; result: "nonConformant"; because: Defect | Unchecked }
  | { id: string; result: "notApplicable" };

const met = (id: string, by: Evidence): Criterion => ({ id, result: "conformant", by });
const notMet = (id: string, because: Defect | Unchecked): Criterion => ({ id, result: "nonConformant", because });
const none = (id: string): Criterion => ({ id, result: "notApplicable" });

/** Every RGAA 4.1 criterion, its result over the whole sample, and why. */
export const CRITERIA: readonly Criterion[] = [
  // 1. Images: the logo (decorative beside the name in the header, alt text on the settings
  // page) and the results' bars (hidden: the figures are written beside them). No CAPTCHA, no
  // image of text but the logo, no figure with a caption.
  met("1.1", "axe"),
  met("1.2", "code"),
  met("1.3", "code"),
  none("1.4"),
  none("1.5"),
  none("1.6"),
  none("1.7"),
  none("1.8"),
  none("1.9"),
  // 2. Frames: none.
  none("2.1"),
  none("2.2"),
  // 3. Colours: contrast by axe on every page; borders, focus ring and controls from one palette
  // (the focus ring measured at 3:1 or more at every stop of the questionnaire).
  notMet("3.1", "judgement"),
  met("3.2", "axe"),
  met("3.3", "code"),
  // 4. Multimedia: no video, sound or other media.
  none("4.1"),
  none("4.2"),
  none("4.3"),
  none("4.4"),
  none("4.5"),
  none("4.6"),
  none("4.7"),
  none("4.8"),
  none("4.9"),
  none("4.10"),
  none("4.11"),
  none("4.12"),
  none("4.13"),
  // 5. Tables: data tables with one row of column headers (th scope), titled by a caption; no
  // complex table and no layout table in the sample.
  none("5.1"),
  none("5.2"),
  none("5.3"),
  met("5.4", "code"),
  met("5.5", "code"),
  met("5.6", "code"),
  met("5.7", "code"),
  none("5.8"),
  // 6. Links.
  notMet("6.1", "judgement"),
  met("6.2", "axe"),
  // 7. Scripts: the page script only adds plain buttons and links, moves focus to a refused
  // form's list of errors, and fills a role="status" notice; no change of context. Every page
  // works without it, so nothing needs an alternative.
  notMet("7.1", "screenReader"),
  none("7.2"),
  met("7.3", "code"),
  met("7.4", "code"),
  met("7.5", "code"),
  // 8. Mandatory elements: React writes the doctype; <html lang> is the page's language, and text
  // in the other language carries its own lang; titles say the page, the consultation and the
  // municipality (app/i18n/title.ts, tests/e2e/staff-errors.spec.ts). No HTML validator was run.
  met("8.1", "code"),
  notMet("8.2", "judgement"),
  met("8.3", "axe"),
  met("8.4", "code"),
  met("8.5", "axe"),
  met("8.6", "code"),
  notMet("8.7", "otherLanguageTitle"),
  met("8.8", "code"),
  notMet("8.9", "judgement"),
  none("8.10"),
  // 9. Structure.
  notMet("9.1", "judgement"),
  notMet("9.2", "staffMenu"),
  notMet("9.3", "footerLinks"),
  met("9.4", "code"),
  // 10. Presentation: one stylesheet, no presentational markup; links underlined in text; one
  // focus style for every control; hidden content is decorative only. Reflow at 320 px is
  // measured on most pages of the sample, text spacing on the staff pages only.
  met("10.1", "code"),
  notMet("10.2", "judgement"),
  notMet("10.3", "judgement"),
  notMet("10.4", "judgement"),
  met("10.5", "code"),
  met("10.6", "code"),
  met("10.7", "browser"),
  met("10.8", "code"),
  notMet("10.9", "judgement"),
  notMet("10.10", "judgement"),
  notMet("10.11", "partly"),
  notMet("10.12", "partly"),
  none("10.13"), // The only content shown on hover is an abbreviation's title, which the browser controls.
  none("10.14"), // No content revealed by CSS on hover or focus; the skip link, shown when focused, is 12.7's.
  // 11. Forms: every field labelled (axe); every group of fields a fieldset with its legend;
  // autocomplete on the account fields that are about the person signing in.
  met("11.1", "axe"),
  notMet("11.2", "judgement"),
  notMet("11.3", "judgement"),
  notMet("11.4", "judgement"),
  notMet("11.5", "judgement"),
  met("11.6", "code"),
  notMet("11.7", "judgement"),
  notMet("11.8", "timeZones"),
  notMet("11.9", "judgement"),
  notMet("11.10", "staffRequired"),
  notMet("11.11", "judgement"),
  notMet("11.12", "judgement"),
  met("11.13", "code"),
  // 12. Navigation: the same header, footer and staff menu on every page; landmarks; no
  // positive tabindex and no reordering by CSS; no key handling of our own; no site map, no
  // site search, no keyboard shortcut.
  notMet("12.1", "navigation"),
  met("12.2", "code"),
  none("12.3"),
  none("12.4"),
  none("12.5"),
  met("12.6", "code"),
  notMet("12.7", "staffMenu"),
  met("12.8", "code"),
  met("12.9", "code"),
  none("12.10"),
  met("12.11", "code"),
  // 13. Consultation: no new window, no office document (downloads are CSV and JSON data), no
  // flashing or moving content, no gesture and no motion; orientation is never locked.
  notMet("13.1", "staffSession"),
  none("13.2"),
  none("13.3"),
  none("13.4"),
  notMet("13.5", "judgement"),
  notMet("13.6", "judgement"),
  none("13.7"),
  none("13.8"),
  met("13.9", "code"),
  none("13.10"),
  met("13.11", "code"),
  none("13.12"),
];

// ---- What the statement works out -------------------------------------------------------------

export interface Conformance {
  conformant: number;
  nonConformant: number;
  notApplicable: number;
  /** Criteria that apply: met or not. */
  applicable: number;
  /** Criteria met ÷ criteria that apply, as a percentage (0–100). */
  rate: number;
}

/** The RGAA's rate: the criteria met over the criteria that apply (a criterion not met on one page of the sample is not met). */
export function conformance(criteria: readonly Criterion[] = CRITERIA): Conformance {
  const count = (result: Criterion["result"]) => criteria.filter((c) => c.result === result).length;
  const conformant = count("conformant");
  const nonConformant = count("nonConformant");
  const applicable = conformant + nonConformant;
  if (applicable === 0) throw new Error("No RGAA criterion applies: there is no rate to give.");
  return { conformant, nonConformant, notApplicable: count("notApplicable"), applicable, rate: (100 * conformant) / applicable };
}

/**
 * The status the RGAA gives a rate: fully conformant when every criterion that applies is met,
 * partially from half of them, not conformant below (or without an assessment).
 */
export type ConformanceStatus = "full" | "partial" | "none";
export function conformanceStatus(rate: number = conformance().rate): ConformanceStatus {
  if (rate >= 100) return "full";
  return rate >= 50 ? "partial" : "none";
}

const themeOf = (id: string): Theme => THEMES[Number(id.split(".")[0]) - 1];

export interface ThemeResults {
  theme: Theme;
  number: number;
  conformant: string[];
  nonConformant: string[];
  notApplicable: string[];
}

/** Each topic's criteria by result, in the RGAA's order. */
export function resultsByTheme(criteria: readonly Criterion[] = CRITERIA): ThemeResults[] {
  return THEMES.map((theme, i) => {
    const own = criteria.filter((c) => themeOf(c.id) === theme);
    const ids = (result: Criterion["result"]) => own.filter((c) => c.result === result).map((c) => c.id);
    return { theme, number: i + 1, conformant: ids("conformant"), nonConformant: ids("nonConformant"), notApplicable: ids("notApplicable") };
  });
}

/** The criteria each reason holds back, in the order of `reasons`; reasons that hold back none are left out. */
function heldBack<K extends string>(reasons: readonly K[], criteria: readonly Criterion[]): { key: K; criteria: string[] }[] {
  return reasons
    .map((key) => ({ key, criteria: criteria.filter((c) => c.result === "nonConformant" && c.because === key).map((c) => c.id) }))
    .filter((r) => r.criteria.length > 0);
}

/** Everything the accessibility statement shows, for a page in `lang`: plain data. */
export function accessibilityStatement(lang: PageLang) {
  return {
    rgaaVersion: RGAA_VERSION,
    axeVersion: AXE_VERSION,
    firstPublishedOn: FIRST_PUBLISHED_ON,
    assessedOn: ASSESSED_ON,
    total: CRITERIA.length,
    conformance: conformance(),
    status: conformanceStatus(),
    themes: resultsByTheme(),
    defects: heldBack(DEFECTS, CRITERIA),
    unchecked: heldBack(UNCHECKED, CRITERIA),
    sample: SAMPLE.map((p) => ({ key: p.key, address: p.address(lang) })),
  };
}

export type AccessibilityStatement = ReturnType<typeof accessibilityStatement>;
