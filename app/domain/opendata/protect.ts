/**
 * The one protection step every public figure goes through (decision 061): exact tables in
 * (the staff summary), public rows out (the open-data rows the results page, the CSV, the JSON
 * and the data package all read). The rules, table by table, are in disclosure.ts.
 */
import type { Bilingual } from "../consultations/types";
import { CHANNELS } from "#db/schema";
import type { QuestionSummary, Summary } from "../summary/summary.server";
import { groupRare, groupScale, isSmall, withheldAlone, type Cell, type Part, type Withheld } from "./disclosure";

/** A public row before it is numbered: the open-data CSV's columns. */
export interface ProtectedRow {
  kind: string;
  question_code: string | null;
  question_fr: string | null;
  question_en: string | null;
  option_code: string | null;
  option_fr: string | null;
  option_en: string | null;
  position: number | null;
  count: number | null;
  share: number | null;
  mean: number | null;
  suppressed: boolean;
  /** Why the count is withheld: fewer than k, or all but fewer than k; empty when shown. */
  withheld: Withheld | null;
  text: string | null;
}

export interface Protected {
  rows: ProtectedRow[];
  /** Questions whose free texts may be public: enough of them, and a count that is itself shown. */
  textsOpen: Set<string>;
  /** Per question, themes whose count is shown (their quotes may be public). */
  quotesOpen: Map<string, Set<string>>;
}

/** Names of the answers that are not options, in both languages. */
export const NAMES: Record<string, Bilingual<string>> = {
  other: { fr: "Autre", en: "Other" },
  prefer_not: { fr: "Préfère ne pas répondre", en: "Prefer not to say" },
  web: { fr: "En ligne", en: "Online" },
  offline: { fr: "Hors connexion", en: "Offline" },
  paper: { fr: "Papier", en: "Paper" },
  sms: { fr: "SMS", en: "Text message" },
};

const round = (n: number) => Math.round(n * 10_000) / 10_000;

/** A row with every column empty: each row sets its own. */
export const BLANK: Omit<ProtectedRow, "kind"> = {
  question_code: null,
  question_fr: null,
  question_en: null,
  option_code: null,
  option_fr: null,
  option_en: null,
  position: null,
  count: null,
  share: null,
  mean: null,
  suppressed: false,
  withheld: null,
  text: null,
};

/** A shown count and its share of a shown base. */
const shown = (n: number, base: number) => ({ count: n, share: round(base ? n / base : 0), suppressed: false, withheld: null });
const hidden = (why: Withheld) => ({ count: null, share: null, suppressed: true, withheld: why });

/** What joins the codes of a group's members in `option_code`: no answer code holds it (`75+` does hold a "+"). */
export const GROUP_SEPARATOR = "|";

/** A group's code and labels: its members' codes joined by "|", their names joined by " + ". */
function groupLabels(keys: string[], name: (key: string) => Bilingual<string>) {
  const names = keys.map(name);
  return { option_code: keys.join(GROUP_SEPARATOR), option_fr: names.map((x) => x.fr).join(" + "), option_en: names.map((x) => x.en).join(" + ") };
}

/**
 * The public rows of a summary, with k the smallest count shown. Nothing is shown of a
 * consultation with fewer than k answers but that fact.
 */
export function protectSummary(summary: Summary, k: number): Protected {
  const rows: ProtectedRow[] = [];
  const textsOpen = new Set<string>();
  const quotesOpen = new Map<string, Set<string>>();
  const N = summary.total;
  if (isSmall(N, k)) {
    rows.push({ ...BLANK, kind: "responses", ...hidden("fewer") });
    return { rows, textsOpen, quotesOpen };
  }
  rows.push({ ...BLANK, kind: "responses", count: N });
  const channels: Cell[] = CHANNELS.map((ch) => ({ key: ch, n: summary.byChannel[ch] }));
  for (const part of groupRare(channels, k) ?? [{ keys: channels.map((c) => c.key), n: N }]) {
    const labels = part.keys.length === 1 ? { option_code: part.keys[0], option_fr: null, option_en: null } : groupLabels(part.keys, (key) => NAMES[key]);
    rows.push({ ...BLANK, kind: part.keys.length === 1 ? "channel" : "combined", ...labels, ...shown(part.n, N) });
  }
  for (const q of summary.questions) rows.push(...questionRows(q, k, textsOpen, quotesOpen));
  return { rows, textsOpen, quotesOpen };
}

function questionRows(q: QuestionSummary, k: number, textsOpen: Set<string>, quotesOpen: Map<string, Set<string>>): ProtectedRow[] {
  const base = { ...BLANK, question_code: q.code, question_fr: q.prompt.fr, question_en: q.prompt.en };
  const A = q.answered;
  // How many answered is shown (it says nothing of what they answered); under k, nothing more.
  const out: ProtectedRow[] = [{ ...base, kind: "answered", count: A }];
  if (A === 0 || isSmall(A, k)) return out;
  const optionName = (key: string): Bilingual<string> => q.rows.find((r) => r.key === key && r.kind === "option")?.labels ?? NAMES[key] ?? { fr: key, en: key };
  const rowOf = (key: string) => q.rows.find((r) => r.key === key)!;
  /** Parts of an additive table as rows: one member as itself, several as one "combined" row. */
  const partRows = (
    parts: Part[] | null,
    all: string[],
    single: (key: string, n: number) => ProtectedRow,
    name: (key: string) => Bilingual<string>,
    position: number | null = null,
  ) =>
    (parts ?? [{ keys: all, n: A }]).map((p) =>
      p.keys.length === 1 ? single(p.keys[0], p.n) : { ...base, kind: "combined", ...groupLabels(p.keys, name), position, ...shown(p.n, A) },
    );
  let otherAlone = false;

  if (q.kind === "single") {
    const cells = q.rows.map((r) => ({ key: r.key, n: r.n }));
    const parts = groupRare(cells, k);
    otherAlone = !!parts?.some((p) => p.keys.length === 1 && p.keys[0] === "other" && p.n >= k);
    out.push(
      ...partRows(
        parts,
        cells.map((c) => c.key),
        (key, n) => optionRow(base, rowOf(key), n, A),
        optionName,
      ),
    );
  } else if (q.kind === "multiple") {
    const why = q.rows.map((r) => withheldAlone(r.n, A, k));
    // Everyone who answered ticked at least one box: the cells add up to at least A, which could
    // pin a withheld one (14 answered, 5 + 5 shown: the third, "fewer than 5", is 4). Then only
    // how many answered is shown.
    if (
      !pinnedBySum(
        q.rows.map((r, i) => ({ n: r.n, why: why[i] })),
        A,
        k,
      )
    ) {
      q.rows.forEach((r, i) => {
        out.push({ ...optionRow(base, r, r.n, A), ...(why[i] ? hidden(why[i]!) : {}) });
        if (r.kind === "other" && !why[i] && r.n >= k) otherAlone = true;
      });
    }
  } else if (q.kind === "scale" && q.scale) {
    const preferNot = q.rows.some((r) => r.kind === "prefer_not") ? q.preferNot : null;
    const grouped = groupScale(q.scale.distribution, preferNot, k);
    const all = q.rows.map((r) => r.key);
    const scaleName = (key: string) => (key === "prefer_not" ? NAMES.prefer_not : { fr: key, en: key });
    out.push(...partRows(grouped?.parts ?? null, all, (key, n) => optionRow(base, rowOf(key), n, A), scaleName));
    if (grouped?.fine && q.scale.mean !== null) out.push({ ...base, kind: "mean", mean: round(q.scale.mean) });
  } else if (q.kind === "ranking" && q.ranks) {
    out.push(...rankingRows(q, base, k));
  }

  // Free texts and themes: texts public only when there are at least k of them (and, for a choice
  // question's "Other" texts, when "Other" is shown alone): their number then shows nothing hidden.
  const freeText = q.kind === "short_text" || q.kind === "long_text";
  if (freeText || q.themes.length) {
    const T = q.texts;
    if (isSmall(T, k)) out.push({ ...base, kind: "texts", ...hidden("fewer") });
    else {
      out.push({ ...base, kind: "texts", ...shown(T, A) });
      const open = new Set<string>();
      for (const th of q.themes) {
        // A theme is staff's reading of texts, not anyone's answer: only its small counts are withheld.
        const why = isSmall(th.n, k) ? "fewer" : null;
        out.push({ ...base, kind: "theme", option_code: th.code, option_fr: th.labels.fr, option_en: th.labels.en, ...(why ? hidden(why) : shown(th.n, T)) });
        if (!why && th.n > 0) open.add(th.code);
      }
      quotesOpen.set(q.code, open);
    }
  }
  if (q.texts >= k && (freeText || otherAlone)) textsOpen.add(q.code);
  return out;
}

/**
 * Whether the cells of a multiple choice, which add up to at least who answered (each ticked one
 * box or more), pin a withheld cell: its bounds ("fewer than k": 1 … k − 1; "all but fewer than
 * k": A − k + 1 … A − 1) tightened against that sum.
 */
function pinnedBySum(cells: { n: number; why: Withheld | null }[], A: number, k: number): boolean {
  const hidden = cells.filter((c) => c.why);
  if (!hidden.length) return false;
  const shownSum = cells.filter((c) => !c.why).reduce((s, c) => s + c.n, 0);
  const hi = hidden.map((c) => (c.why === "fewer" ? k - 1 : A - 1));
  const lo = hidden.map((c) => (c.why === "fewer" ? 1 : A - k + 1));
  const need = A - shownSum;
  const hiSum = hi.reduce((s, v) => s + v, 0);
  return hidden.some((_, i) => Math.max(lo[i], need - (hiSum - hi[i])) >= hi[i]);
}

function optionRow(base: Omit<ProtectedRow, "kind">, r: QuestionSummary["rows"][number], n: number, A: number): ProtectedRow {
  const option = r.kind === "option" ? { option_code: r.key, option_fr: r.labels?.fr ?? null, option_en: r.labels?.en ?? null } : { option_code: r.key };
  return { ...base, kind: r.kind, ...option, ...shown(n, A) };
}

/**
 * A ranking: who put each item first (with prefer-not, a table adding up to those who answered)
 * grouped like any single answer. The whole table of positions and the average ranks only
 * when every one of its cells is 0 or at least k: an average is a sum, and with the firsts and
 * the sums of each position it would give the hidden positions away.
 */
function rankingRows(q: QuestionSummary, base: Omit<ProtectedRow, "kind">, k: number): ProtectedRow[] {
  const ranks = q.ranks!;
  const A = q.answered;
  const preferNot = q.rows.find((r) => r.kind === "prefer_not");
  const item = (code: string) => ranks.find((r) => r.code === code)!;
  const label = (code: string) => {
    const r = item(code);
    return { option_code: code, option_fr: r.labels.fr, option_en: r.labels.en };
  };
  const full = ranks.every((r) => r.positions.every((n) => !isSmall(n, k))) && (!preferNot || !isSmall(preferNot.n, k));
  const out: ProtectedRow[] = [];
  if (full) {
    for (const r of ranks) {
      out.push({ ...base, kind: "rank", ...label(r.code), ...shown(r.ranked, A), share: null, mean: r.meanPosition === null ? null : round(r.meanPosition) });
      r.positions.forEach((n, i) => out.push({ ...base, kind: "rank_position", ...label(r.code), position: i + 1, ...shown(n, r.ranked) }));
    }
    if (preferNot) out.push({ ...base, kind: "prefer_not", option_code: "prefer_not", ...shown(preferNot.n, A) });
    return out;
  }
  const cells: Cell[] = [...ranks.map((r) => ({ key: r.code, n: r.positions[0] ?? 0 })), ...(preferNot ? [{ key: "prefer_not", n: preferNot.n }] : [])];
  const parts = groupRare(cells, k) ?? [{ keys: cells.map((c) => c.key), n: A }];
  for (const p of parts) {
    if (p.keys.length === 1 && p.keys[0] === "prefer_not") out.push({ ...base, kind: "prefer_not", option_code: "prefer_not", ...shown(p.n, A) });
    else if (p.keys.length === 1) out.push({ ...base, kind: "rank_position", ...label(p.keys[0]), position: 1, ...shown(p.n, A) });
    else {
      const name = (key: string) => (key === "prefer_not" ? NAMES.prefer_not : item(key).labels);
      out.push({ ...base, kind: "combined", ...groupLabels(p.keys, name), position: 1, ...shown(p.n, A) });
    }
  }
  return out;
}

/** What residents see differently from staff, per question (decision 061): for the staff summary. */
export interface ResidentDifference {
  code: string;
  /** Groups of answers shown together (their codes: an option's code, "other", "prefer_not", a scale value). */
  grouped: string[][];
  /** Answers whose count reads "fewer than k" or "all but fewer than k". */
  withheld: string[];
  /** Only how many answered is shown. */
  notSplit: boolean;
  /** The scale's average or the ranking's average ranks are not shown. */
  noMean: boolean;
  /** The free texts are not published: fewer than k of them, or their "Other" count is grouped. */
  textsHeld: boolean;
}

/** The differences public rows make to the exact figures of `summary`'s questions. */
export function residentDifferences(summary: Summary, rows: readonly ProtectedRow[], textsOpen: ReadonlySet<string> | null): ResidentDifference[] {
  return summary.questions
    .map((q) => {
      const mine = rows.filter((r) => r.question_code === q.code);
      const combined = mine.filter((r) => r.kind === "combined").map((r) => String(r.option_code).split(GROUP_SEPARATOR));
      const all = q.kind === "ranking" ? q.options.length + (q.rows.some((r) => r.kind === "prefer_not") ? 1 : 0) : q.rows.length;
      const notSplit = q.answered > 0 && (mine.length === 1 || (combined.length === 1 && combined[0].length === all));
      const withheld = mine.filter((r) => r.suppressed && r.kind !== "texts" && r.kind !== "theme").map((r) => String(r.option_code));
      const noMean =
        (q.kind === "scale" && q.scale?.mean != null && !mine.some((r) => r.kind === "mean")) ||
        (q.kind === "ranking" && q.answered > 0 && !mine.some((r) => r.kind === "rank"));
      const textsHeld = textsOpen !== null && q.texts > 0 && !textsOpen.has(q.code);
      return { code: q.code, grouped: notSplit ? [] : combined, withheld, notSplit, noMean, textsHeld };
    })
    .filter((d) => d.grouped.length || d.withheld.length || d.notSplit || d.noMean || d.textsHeld);
}
