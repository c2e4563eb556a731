/**
 * The feedback summary. Every figure carries its base (the number it is a share
 * of), so the page, the print and summary.csv can say what each percentage means:
 *
 * - `answered`: responses that answered the question, "prefer not to say" and
 *   "Other" included. Every row of a question table (options, Other, prefer not,
 *   scale values) is a share of it; single-choice and scale rows add up to 100 %.
 * - a scale's mean: over the answers that gave a value (prefer-not left out).
 * - a ranking: the average position (1 = first) and how many put each item
 *   1st, 2nd, …, over those who ranked the items; never a share.
 * - a breakdown cell: the share of the group's members who answered the question.
 * - who has not been heard: shares of the respondents who placed themselves in a
 *   group (prefer-not and skipped left out, as reference shares such as a census
 *   have no "prefer not to say").
 *
 * - a theme: the share of the question's visible free texts that carry it (a text may carry
 *   several); in a breakdown cell, of the group's visible texts.
 *
 * Aggregation happens in SQL (grouping sets: the whole and each group in one
 * pass); hidden free text never appears here.
 */
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "#db/client";
import { CHANNELS, type Channel } from "#db/schema";
import type { Bilingual, ConsultationView, QuestionKind, QuestionView } from "../consultations/types";
import { listReferenceShares, type ReferenceShare } from "../references/references.server";
import { OTHER_GROUP, passRows, PREFER_NOT_GROUP, type PassRow } from "./tally.server";

/** Reference shares are written by their own module; the summary's callers set them through it. */
export { setReferenceShares } from "../references/references.server";

export const UNDER_REPRESENTED = 0.8;

/** The confidence of the intervals beside each group's share (z for 95 %). */
const Z95 = 1.959964;

/**
 * The Wilson score interval at 95 % of a share `n / base`: where the group's true share may lie,
 * given that only `base` people placed themselves. It stays within 0–1 and holds for small counts
 * (0 of 10 gives 0 %–27.8 %), where the usual ± margin fails.
 */
export function wilsonInterval(n: number, base: number, z = Z95): { low: number; high: number } | null {
  if (base <= 0) return null;
  const p = n / base;
  const z2 = z * z;
  const centre = (p + z2 / (2 * base)) / (1 + z2 / base);
  const half = (z / (1 + z2 / base)) * Math.sqrt((p * (1 - p)) / base + z2 / (4 * base * base));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export const EXCERPTS = 5;
export { OTHER_GROUP, PREFER_NOT_GROUP } from "./tally.server";

/** A count and the number it is a share of. */
export interface Cell {
  n: number;
  base: number;
  /** n / base, 0 when the base is 0. */
  share: number;
}

/** One row of a question table: an option, "Other", "prefer not to say", or a scale value. */
export interface FigureRow extends Cell {
  kind: "option" | "other" | "prefer_not" | "scale";
  /** Option code, "other", "prefer_not" or the scale value "1"…"5". */
  key: string;
  optionId: string | null;
  /** An option's labels; null for Other, prefer not and scale values (the page names them). */
  labels: Bilingual<string> | null;
  /** The same row within each breakdown group (key → cell); empty without a breakdown. */
  groups: Record<string, Cell>;
}

/** One item of a ranking question. */
export interface RankRow {
  optionId: string;
  code: string;
  labels: Bilingual<string>;
  /** How many ranked it (every ranking ranks every item: the question's answered). */
  ranked: number;
  /** The average position given (1 = first); null when nobody ranked it. */
  meanPosition: number | null;
  /** positions[k] = how many put it at position k + 1. */
  positions: number[];
  /** Each breakdown group's average position and how many of the group ranked it. */
  groups: Record<string, { n: number; meanPosition: number | null }>;
}

/** Kept for open data (app/domain/opendata), which reads these. */
export interface OptionSummary {
  id: string;
  code: string;
  labels: Bilingual<string>;
  count: number;
  /** Share of those who answered the question (0–1). Ranking: everyone ranks every item, so 1 — not a figure to show. */
  share: number;
  /** Ranking: the average rank given (1 = first). */
  meanPosition: number | null;
}

/**
 * A theme on a question's free texts: how many visible texts carry it, as a share of the
 * question's visible texts (`texts`); in each breakdown group, of the group's visible texts.
 * One text may carry several themes, so rows do not add up.
 */
export interface ThemeRow extends Cell {
  themeId: string;
  code: string;
  labels: Bilingual<string>;
  groups: Record<string, Cell>;
  /** Texts a moderator marked as the theme's representative quotes, among this question's. */
  quotes: string[];
}

export interface QuestionSummary {
  id: string;
  code: string;
  kind: QuestionKind;
  demographic: string | null;
  prompt: Bilingual<string>;
  /** A scale's end labels (what 1 and 5 mean); null for other kinds. */
  scaleEnds: { low: Bilingual<string>; high: Bilingual<string> } | null;
  /** Base of every row of the question table. */
  answered: number;
  /** Responses that left the question empty (total − answered). */
  skipped: number;
  preferNot: number;
  other: number;
  /** Options, Other, prefer not, scale values: each a share of `answered`. */
  rows: FigureRow[];
  /** Ranking questions: average positions and distributions; null otherwise. */
  ranks: RankRow[] | null;
  options: OptionSummary[];
  /** Scale: distribution of 1–5 and the mean over the `valued` answers that gave a value. */
  scale: { distribution: number[]; mean: number | null; valued: number; groups: Record<string, { n: number; mean: number | null }> } | null;
  /** Breakdown: how many of each group answered this question (the base of its cells). */
  groupAnswered: Record<string, number>;
  texts: number;
  /** Breakdown: each group's visible texts (the base of its theme cells). */
  groupTexts: Record<string, number>;
  /** Themes of the codebook in use (free-text questions, or any question where one was tagged). */
  themes: ThemeRow[];
  excerpts: string[];
}

export interface Representation {
  questionId: string;
  rows: {
    optionId: string;
    code: string;
    labels: Bilingual<string>;
    count: number;
    /** count / base. */
    share: number;
    reference: number | null;
    ratio: number | null;
    /**
     * Fewer than k people in the group (the municipality's small-count threshold): no verdict is
     * given on it, under-represented or not.
     */
    small: boolean;
    /** Share below UNDER_REPRESENTED × the reference, for a group of at least k people. */
    under: boolean;
    /** The share's 95 % interval (Wilson), over `base`; null when nobody placed themselves. */
    interval: { low: number; high: number } | null;
    /** For a flagged group: whether the whole interval lies below the reference (the gap is more than chance). */
    clear: boolean;
  }[];
  /** Respondents who placed themselves in a group: the base of every share here. */
  base: number;
  /** Left out of the base: preferred not to say, chose "Other", skipped the question. */
  preferNot: number;
  other: number;
  skipped: number;
  /** Whether any reference share is set for this question. */
  hasReference: boolean;
}

export interface BreakdownGroup {
  /** The option id, or PREFER_NOT_GROUP / OTHER_GROUP. */
  key: string;
  code: string;
  labels: Bilingual<string> | null;
  /** Responses in the group. */
  respondents: number;
}

export interface Breakdown {
  by: { id: string; code: string };
  groups: BreakdownGroup[];
  /** Responses that skipped the breakdown question: in no group. */
  ungrouped: number;
}

export interface Summary {
  total: number;
  byChannel: Record<Channel, number>;
  questions: QuestionSummary[];
  representation: Representation[];
  breakdown: Breakdown | null;
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
export const cell = (n: number, base: number): Cell => ({ n, base, share: base ? n / base : 0 });
const SCALE = [1, 2, 3, 4, 5];

/**
 * The summary, in steps: read every count (each query covers the whole and every breakdown
 * group at once), then the totals by channel, each question's table, means, rankings, themes
 * and texts, who has not been heard against the reference shares, and the breakdown's groups.
 * `k` is the municipality's small-count threshold: no verdict on a smaller group (left out: none).
 */
export async function summarize(db: DbOrTx, c: ConsultationView, options: { breakdownBy?: string | null; k?: number } = {}): Promise<Summary> {
  const by = c.questions.find((q) => q.code === options.breakdownBy && q.demographic) ?? null;
  const tallies = await readTallies(db, c, by);
  const { byChannel, total } = tallies;
  // In a fixed order (the groups' keys sorted), whatever order the database returned them in.
  const groupKeys = by ? [...(tallies.totals.get(by.id)?.keys() ?? [])].filter((k) => k !== "").sort() : [];
  const questions = c.questions.map((q) => questionSummary(q, countsOf(q, tallies, by && q.id !== by.id ? groupKeys : []), tallies, total));
  const representation = representationOf(questions, await listReferenceShares(db, c.id), options.k ?? 0);
  const breakdown = by ? breakdownOf(by, questions, groupKeys, tallies) : null;
  return { total, byChannel, questions, representation, breakdown };
}

/**
 * The summary without its breakdown: every figure of the whole is counted with the breakdown's
 * anyway (the same pass, key ""), so this is the summary `summarize` gives without one, with no
 * second count (the staff summary by group compares the whole with what residents see).
 */
export function withoutBreakdown(s: Summary): Summary {
  if (!s.breakdown) return s;
  return {
    ...s,
    breakdown: null,
    questions: s.questions.map((q) => ({
      ...q,
      rows: q.rows.map((r) => ({ ...r, groups: {} })),
      ranks: q.ranks && q.ranks.map((r) => ({ ...r, groups: {} })),
      scale: q.scale && { ...q.scale, groups: {} },
      groupAnswered: {},
      groupTexts: {},
      themes: q.themes.map((t) => ({ ...t, groups: {} })),
    })),
  };
}

// ---- Reading: every count in one pass over the answers, for the whole and every breakdown group at once ----

/** A row counted for the whole (`overall` 1) or for one breakdown group (`grp`). */
interface Keyed {
  question_id: string;
  grp: string | null;
  overall: number;
}
type QuestionRow = Keyed & { answered: number; prefer_not: number; texts: number; others: number; valued: number; mean: number | null };
type OptionRow = Keyed & { option_id: string; pos: number; n: number };
type ScaleRow = Keyed & { value: number; n: number };
type ThemeCountRow = Keyed & { theme_id: string; n: number };
interface CodebookTheme {
  id: string;
  code: string;
  labels: Bilingual<string>;
}

/** The key a row counts under: "" for the whole, the group's key, or null for answers in no group. */
const keyOf = (r: Keyed) => (num(r.overall) === 1 ? "" : r.grp);

function channelCounts(db: DbOrTx, cid: string) {
  return queryRows<{ channel: string; n: number }>(db, sql`select channel, count(*)::int as n from responses where consultation_id = ${cid} group by channel`);
}

/** One row of the single tally: `kind` says which of the four it is. */
type TallyRow = Keyed & {
  kind: "question" | "option" | "scale" | "theme";
  item: string | null;
  pos: number | null;
  n: number;
  prefer_not: number | null;
  texts: number | null;
  others: number | null;
  valued: number | null;
  mean: number | null;
};

/**
 * Every count of the summary, from the pass over the questionnaire's answers (decision 060, kept
 * between requests by decision 064, app/domain/summary/tally.server.ts): the answers tallied by
 * question, breakdown group and what was answered (the answers to choose from in their order, the
 * value, prefer not, a text and whether it is hidden, the themes in use on a visible text), a few
 * hundred rows however many answers. The four figures are grouped from those rows, each for the
 * whole and every group (grouping sets), by PostgreSQL as before, so every figure (the means
 * too: a `numeric` division) is what the pass alone would give, to the last bit:
 *
 * - `question`: how many answered, preferred not to say, wrote a visible text or an "Other",
 *   gave a value, and the mean value (`avg` over the answers: the same numeric division);
 * - `option`: per answer to choose from and position in the answer (a ranking's rank);
 * - `scale`: per scale value;
 * - `theme`: per theme in use, among the visible texts.
 */
function tallyCounts(db: DbOrTx, rows: PassRow[]) {
  return queryRows<TallyRow>(
    db,
    sql`with t as materialized (
          select question_id, grp, option_ids::uuid[] as option_ids, number, prefer_not, has_text, hidden, themes::uuid[] as themes, n
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
            as r(question_id uuid, grp text, option_ids text, number int, prefer_not boolean, has_text boolean, hidden boolean, themes text, n bigint))
        select 'question' as kind, question_id, grp, grouping(grp)::int as overall, null::text as item, null::int as pos, sum(n)::int as n,
          coalesce(sum(n) filter (where prefer_not), 0)::int as prefer_not,
          coalesce(sum(n) filter (where has_text and not hidden), 0)::int as texts,
          coalesce(sum(n) filter (where has_text and option_ids is not null), 0)::int as others,
          coalesce(sum(n) filter (where number is not null), 0)::int as valued,
          (sum(number * n) / sum(n) filter (where number is not null)::numeric)::float8 as mean
        from t group by grouping sets ((question_id), (question_id, grp))
        union all
        select 'option', question_id, grp, grouping(grp)::int, x.option_id::text, x.pos::int, sum(n)::int, null, null, null, null, null
        from t cross join lateral unnest(t.option_ids) with ordinality as x(option_id, pos)
        group by grouping sets ((question_id, x.option_id, x.pos), (question_id, grp, x.option_id, x.pos))
        union all
        select 'scale', question_id, grp, grouping(grp)::int, null, number, sum(n)::int, null, null, null, null, null
        from t where number is not null
        group by grouping sets ((question_id, number), (question_id, grp, number))
        union all
        select 'theme', question_id, grp, grouping(grp)::int, x.theme_id::text, null, sum(n)::int, null, null, null, null, null
        from t cross join lateral unnest(t.themes) as x(theme_id)
        group by grouping sets ((question_id, x.theme_id), (question_id, grp, x.theme_id))`,
  );
}

/**
 * The latest EXCERPTS visible texts of each question that has any, newest first (received
 * time, then the answer's id). A question with many texts finds them among the latest responses:
 * the `window` latest and every other received at the same time as the oldest of them (so none
 * received later is left out), read in the order of the index on received time; a question for
 * which they hold fewer than EXCERPTS of its texts is read in full, as is a question with few.
 */
async function latestTexts(db: DbOrTx, cid: string, textsOf: Map<string, number>, total: number) {
  const out: { question_id: string; text: string }[] = [];
  const withTexts = [...textsOf].filter(([, n]) => n > 0);
  const many = withTexts.filter(([, n]) => n > FEW_TEXTS);
  const rest = withTexts.filter(([, n]) => n <= FEW_TEXTS).map(([id]) => id);
  if (many.length) {
    // Enough responses to hold EXCERPTS texts of the sparsest of them, four times over.
    const window = Math.min(total, Math.ceil((4 * EXCERPTS * total) / Math.min(...many.map(([, n]) => n))));
    // The latest `window` responses by the index's own order, and any received at the same time as the oldest of them.
    const latest = sql`(select id from responses where consultation_id = ${cid} order by received_at desc, id desc limit ${window})
      union
      select id from responses where consultation_id = ${cid} and received_at = (
        select received_at from responses where consultation_id = ${cid} order by received_at desc, id desc offset ${window - 1} limit 1)`;
    const found = await newestTexts(
      db,
      cid,
      many.map(([id]) => id),
      latest,
    );
    for (const [id, n] of many) {
      const mine = found.filter((e) => e.question_id === id);
      if (mine.length >= Math.min(EXCERPTS, n)) out.push(...mine);
      else rest.push(id);
    }
  }
  if (rest.length) out.push(...(await newestTexts(db, cid, rest, null)));
  return out;
}

/** A question with at most this many visible texts has them read all at once for its excerpts. */
const FEW_TEXTS = 2000;

/** The latest EXCERPTS visible texts of `questions`, among the responses `among` selects (ids), or all of the consultation's. */
function newestTexts(db: DbOrTx, cid: string, questions: string[], among: SQL | null) {
  return queryRows<{ question_id: string; text: string }>(
    db,
    sql`select question_id, text from (
          select a.question_id, a.text, row_number() over (partition by a.question_id order by r.received_at desc, a.id desc) as rn
          from ${among ? sql`(${among}) w join responses r on r.id = w.id` : sql`responses r`} join answers a on a.response_id = r.id
          where r.consultation_id = ${cid} and a.question_id in (${sql.join(
            questions.map((id) => sql`${id}::uuid`),
            sql`, `,
          )}) and a.text is not null and not a.hidden
        ) t where rn <= ${EXCERPTS} order by question_id, rn`,
  );
}

/** The themes in use (not retired), in the codebook's order. */
function codebookOf(db: DbOrTx, cid: string) {
  return queryRows<CodebookTheme>(db, sql`select id, code, labels from themes where consultation_id = ${cid} and retired_at is null order by created_at, code`);
}

/** The visible texts marked as quotes of a theme in use, in the order they were tagged. */
function themeQuotes(db: DbOrTx, cid: string) {
  return queryRows<{ question_id: string; theme_id: string; text: string }>(
    db,
    sql`select a.question_id, x.theme_id::text as theme_id, a.text
        from answer_themes x join answers a on a.id = x.answer_id join responses r on r.id = a.response_id
        join themes t on t.id = x.theme_id and t.retired_at is null
        where r.consultation_id = ${cid} and x.quote and a.text is not null and not a.hidden
        order by x.tagged_at, a.id`,
  );
}

type Tallies = Awaited<ReturnType<typeof readTallies>>;

/** Memory for the tally's hash tables: each response's breakdown group (about 100 bytes a response) without spilling to disk. */
const TALLY_MEMORY = "64MB";

/**
 * PostgreSQL processes that read and join the answers beside the one that counts them (decision 068):
 * one, so that a summary takes at most two cores from the residents' answers; none where the
 * server's own setting allows none.
 */
const TALLY_WORKERS = 1;

/**
 * Everything counted, as rows; `totals`: each question's rows by key ("" for the whole, else the group's).
 * Read in one transaction, so that every figure comes from the same answers, with planner
 * settings of its own (decision 060): no JIT compilation (it costs more than the query it would
 * speed up), and the tally grouped by hashing in memory (the planner cannot know that a hundred
 * thousand answers make a few hundred distinct rows, and would sort them all on disk). The answers
 * are read and joined by a second process while the first counts (decision 068): the planner,
 * thinking every answer a group of its own, would not pass them between processes.
 */
async function readTallies(db: DbOrTx, c: ConsultationView, by: QuestionView | null) {
  const cid = c.id;
  return db.transaction(async (tx) => {
    const { byChannel, total } = channelTotals(await channelCounts(tx, cid));
    const codebook = await codebookOf(tx, cid);
    // Set for this transaction only, and given back as they were when the caller's transaction goes on.
    const [was] = await queryRows<{ jit: string; sort: string; mem: string; workers: string; tuple: string; setup: string }>(
      tx,
      sql`select current_setting('jit') as jit, current_setting('enable_sort') as sort, current_setting('work_mem') as mem,
        current_setting('max_parallel_workers_per_gather') as workers, current_setting('parallel_tuple_cost') as tuple,
        current_setting('parallel_setup_cost') as setup`,
    );
    await tx.execute(
      sql`select set_config('jit', 'off', true), set_config('enable_sort', 'off', true), set_config('work_mem', ${TALLY_MEMORY}, true),
        set_config('max_parallel_workers_per_gather', ${String(Math.min(Number(was.workers), TALLY_WORKERS))}, true), set_config('parallel_tuple_cost', '0.001', true),
        set_config('parallel_setup_cost', '0', true)`,
    );
    const pass = await passRows(db, tx, { cid, questionIds: c.questions.map((q) => q.id), by: by?.id ?? null, themed: codebook.length > 0 });
    await tx.execute(
      sql`select set_config('enable_sort', ${was.sort}, true), set_config('work_mem', ${was.mem}, true),
        set_config('max_parallel_workers_per_gather', ${was.workers}, true), set_config('parallel_tuple_cost', ${was.tuple}, true),
        set_config('parallel_setup_cost', ${was.setup}, true)`,
    );
    const rows = await tallyCounts(tx, pass);
    const totals = new Map<string, Map<string, QuestionRow>>();
    const perOption: OptionRow[] = [];
    const perScale: ScaleRow[] = [];
    const perTheme: ThemeCountRow[] = [];
    for (const r of rows) {
      const keyed = { question_id: r.question_id, grp: r.grp, overall: r.overall };
      if (r.kind === "option") perOption.push({ ...keyed, option_id: r.item!, pos: num(r.pos), n: num(r.n) });
      else if (r.kind === "scale") perScale.push({ ...keyed, value: num(r.pos), n: num(r.n) });
      else if (r.kind === "theme") perTheme.push({ ...keyed, theme_id: r.item!, n: num(r.n) });
      else {
        const k = keyOf(r);
        const row: QuestionRow = {
          ...keyed,
          answered: num(r.n),
          prefer_not: num(r.prefer_not),
          texts: num(r.texts),
          others: num(r.others),
          valued: num(r.valued),
          mean: r.mean === null ? null : Number(r.mean),
        };
        if (k !== null) (totals.get(r.question_id) ?? totals.set(r.question_id, new Map()).get(r.question_id)!).set(k, row);
      }
    }
    const textsOf = new Map([...totals].map(([id, byKey]) => [id, num(byKey.get("")?.texts)]));
    const excerpts = await latestTexts(tx, cid, textsOf, total);
    const quotes = codebook.length ? await themeQuotes(tx, cid) : [];
    await tx.execute(sql`select set_config('jit', ${was.jit}, true)`);
    return { byChannel, total, totals, perOption, perScale, excerpts, codebook, perTheme: codebook.length ? perTheme : [], quotes };
  });
}

// ---- Totals and channels ----

function channelTotals(channels: { channel: string; n: number }[]): { byChannel: Summary["byChannel"]; total: number } {
  const byChannel = Object.fromEntries(CHANNELS.map((ch) => [ch, 0])) as Record<Channel, number>;
  for (const ch of channels) byChannel[ch.channel as Channel] = num(ch.n);
  return { byChannel, total: CHANNELS.reduce((sum, ch) => sum + byChannel[ch], 0) };
}

// ---- One question's counts, for the whole (key "") and each breakdown group (its key) ----

type Counts = ReturnType<typeof countsOf>;

function countsOf(q: QuestionView, tallies: Tallies, keys: string[]) {
  const totals = tallies.totals.get(q.id) ?? new Map<string, QuestionRow>();
  const optionRows = tallies.perOption.filter((r) => r.question_id === q.id);
  const themeRows = tallies.perTheme.filter((r) => r.question_id === q.id);
  const sum = (rows: OptionRow[]) => rows.reduce((s, r) => s + num(r.n), 0);
  const optionIn = (optionId: string, k: string) => optionRows.filter((r) => r.option_id === optionId && keyOf(r) === k);
  return {
    /** The breakdown groups this question is shown for: none without a breakdown, and none for the breakdown question. */
    keys,
    total: (k: string) => totals.get(k),
    answeredIn: (k: string) => num(totals.get(k)?.answered),
    textsIn: (k: string) => num(totals.get(k)?.texts),
    meanIn: (k: string) => {
      const m = totals.get(k)?.mean;
      return m === null || m === undefined ? null : Number(m);
    },
    countOf: (optionId: string, k: string, pos?: number) => sum(optionIn(optionId, k).filter((r) => pos === undefined || num(r.pos) === pos)),
    meanPositionOf: (optionId: string, k: string) => {
      const rs = optionIn(optionId, k);
      const n = sum(rs);
      return n ? rs.reduce((s, r) => s + num(r.n) * num(r.pos), 0) / n : null;
    },
    scaleCount: (v: number, k: string) => num(tallies.perScale.find((r) => r.question_id === q.id && num(r.value) === v && keyOf(r) === k)?.n),
    /** Whether any of the question's texts carries a theme in use. */
    tagged: themeRows.length > 0,
    themeCount: (themeId: string, k: string) => num(themeRows.find((r) => r.theme_id === themeId && keyOf(r) === k)?.n),
  };
}

/** A figure for the whole and for each group, each a share of those who answered the question there. */
function groupCells(n: Counts, countIn: (k: string) => number, baseIn: (k: string) => number): Record<string, Cell> {
  return Object.fromEntries(n.keys.map((k) => [k, cell(countIn(k), baseIn(k))]));
}

// ---- Per-question counts and shares ----

/** The question table: its answers to choose from (or scale values), then Other and prefer not when they apply. */
function figureRows(q: QuestionView, n: Counts): FigureRow[] {
  const figure = (
    kind: FigureRow["kind"],
    key: string,
    optionId: string | null,
    labels: Bilingual<string> | null,
    countIn: (k: string) => number,
  ): FigureRow => ({
    kind,
    key,
    optionId,
    labels,
    ...cell(countIn(""), n.answeredIn("")),
    groups: groupCells(n, countIn, n.answeredIn),
  });
  const choice = q.kind === "single" || q.kind === "multiple";
  const rows: FigureRow[] = [];
  if (choice) for (const o of q.options) rows.push(figure("option", o.code, o.id, o.labels, (k) => n.countOf(o.id, k)));
  if (q.kind === "scale") for (const v of SCALE) rows.push(figure("scale", String(v), null, null, (k) => n.scaleCount(v, k)));
  if (choice && (q.allowOther || num(n.total("")?.others))) rows.push(figure("other", "other", null, null, (k) => num(n.total(k)?.others)));
  if (q.kind !== "short_text" && q.kind !== "long_text" && (q.allowPreferNot || num(n.total("")?.prefer_not)))
    rows.push(figure("prefer_not", "prefer_not", null, null, (k) => num(n.total(k)?.prefer_not)));
  return rows;
}

/** Kept for open data: each answer to choose from, its count and share (and a ranking's average position). */
function optionSummaries(q: QuestionView, n: Counts): OptionSummary[] {
  const answered = n.answeredIn("");
  return q.options.map((o) => {
    const count = n.countOf(o.id, "");
    return {
      id: o.id,
      code: o.code,
      labels: o.labels,
      count,
      share: answered ? count / answered : 0,
      meanPosition: q.kind === "ranking" ? n.meanPositionOf(o.id, "") : null,
    };
  });
}

// ---- Scale means ----

function scaleOf(q: QuestionView, n: Counts): QuestionSummary["scale"] {
  if (q.kind !== "scale") return null;
  return {
    distribution: SCALE.map((v) => n.scaleCount(v, "")),
    mean: n.meanIn(""),
    valued: num(n.total("")?.valued),
    groups: Object.fromEntries(n.keys.map((k) => [k, { n: num(n.total(k)?.valued), mean: n.meanIn(k) }])),
  };
}

// ---- Rankings ----

function rankRows(q: QuestionView, n: Counts): RankRow[] | null {
  if (q.kind !== "ranking") return null;
  return q.options.map((o) => ({
    optionId: o.id,
    code: o.code,
    labels: o.labels,
    ranked: n.countOf(o.id, ""),
    meanPosition: n.meanPositionOf(o.id, ""),
    positions: q.options.map((_, i) => n.countOf(o.id, "", i + 1)),
    groups: Object.fromEntries(n.keys.map((k) => [k, { n: n.countOf(o.id, k), meanPosition: n.meanPositionOf(o.id, k) }])),
  }));
}

// ---- Themes and texts ----

/** The codebook's themes on a free-text question (or any question where one was tagged), as shares of its visible texts. */
function themeRows(q: QuestionView, n: Counts, tallies: Tallies): ThemeRow[] {
  const freeText = q.kind === "short_text" || q.kind === "long_text";
  if (!freeText && !n.tagged) return [];
  return tallies.codebook.map((th) => ({
    themeId: th.id,
    code: th.code,
    labels: th.labels,
    ...cell(n.themeCount(th.id, ""), n.textsIn("")),
    groups: groupCells(n, (k) => n.themeCount(th.id, k), n.textsIn),
    quotes: tallies.quotes.filter((x) => x.question_id === q.id && x.theme_id === th.id).map((x) => x.text),
  }));
}

// ---- One question ----

function questionSummary(q: QuestionView, n: Counts, tallies: Tallies, total: number): QuestionSummary {
  const answered = n.answeredIn("");
  return {
    id: q.id,
    code: q.code,
    kind: q.kind,
    demographic: q.demographic,
    prompt: { fr: q.texts.fr.prompt, en: q.texts.en.prompt },
    scaleEnds:
      q.kind === "scale"
        ? { low: { fr: q.texts.fr.scaleLow ?? "", en: q.texts.en.scaleLow ?? "" }, high: { fr: q.texts.fr.scaleHigh ?? "", en: q.texts.en.scaleHigh ?? "" } }
        : null,
    answered,
    skipped: total - answered,
    preferNot: num(n.total("")?.prefer_not),
    other: num(n.total("")?.others),
    rows: figureRows(q, n),
    ranks: rankRows(q, n),
    options: optionSummaries(q, n),
    scale: scaleOf(q, n),
    groupAnswered: Object.fromEntries(n.keys.map((k) => [k, n.answeredIn(k)])),
    texts: n.textsIn(""),
    groupTexts: Object.fromEntries(n.keys.map((k) => [k, n.textsIn(k)])),
    themes: themeRows(q, n, tallies),
    excerpts: tallies.excerpts.filter((e) => e.question_id === q.id).map((e) => e.text),
  };
}

// ---- Who has not been heard ----

/**
 * Each demographic question's groups as shares of those who placed themselves in one, beside the
 * reference shares; groups of fewer than `k` people get no verdict.
 */
function representationOf(questions: QuestionSummary[], refs: ReferenceShare[], k: number): Representation[] {
  return questions
    .filter((q) => q.demographic)
    .map((q) => {
      const options = q.rows.filter((r) => r.kind === "option");
      const base = options.reduce((s, o) => s + o.n, 0);
      return {
        questionId: q.id,
        base,
        preferNot: q.preferNot,
        other: q.other,
        skipped: q.skipped,
        hasReference: options.some((o) => refs.some((r) => r.optionId === o.optionId)),
        rows: options.map((o) => representationRow(o, base, refs, k)),
      };
    });
}

/**
 * The verdict on a group of `n` among `base` against a reference share. A group of fewer than k
 * gets one only when even the top of its 95 % interval lies below the reference (3 people out of
 * 1,000 against 20 %): then the base, not the group, makes it sure.
 */
export function verdictOf(n: number, base: number, reference: number | null, k: number) {
  const share = base ? n / base : 0;
  const ratio = reference ? share / reference : null;
  const interval = wilsonInterval(n, base);
  const small = n < k && !(interval !== null && reference !== null && interval.high < reference);
  const under = !small && ratio !== null && ratio < UNDER_REPRESENTED;
  const clear = under && interval !== null && reference !== null && interval.high < reference;
  return { small, under, interval, clear };
}

function representationRow(o: FigureRow, base: number, refs: ReferenceShare[], k: number): Representation["rows"][number] {
  const ref = refs.find((r) => r.optionId === o.optionId);
  const reference = ref ? Number(ref.percent) / 100 : null;
  const share = base ? o.n / base : 0;
  const ratio = reference ? share / reference : null;
  const { small, under, interval, clear } = verdictOf(o.n, base, reference, k);
  return { optionId: o.optionId!, code: o.key, labels: o.labels!, count: o.n, share, reference, ratio, small, under, interval, clear };
}

// ---- Breakdowns ----

/** The breakdown question's groups (its answers, then Other and prefer not when anyone is in them), every cell filled. */
function breakdownOf(by: QuestionView, questions: QuestionSummary[], groupKeys: string[], tallies: Tallies): Breakdown {
  const own = questions.find((q) => q.id === by.id)!;
  const order = [...by.options.map((o) => o.id), OTHER_GROUP, PREFER_NOT_GROUP];
  const groups: BreakdownGroup[] = order
    .filter((k) => by.options.some((o) => o.id === k) || groupKeys.includes(k))
    .map((k) => {
      const o = by.options.find((x) => x.id === k);
      return { key: k, code: o ? o.code : k, labels: o ? o.labels : null, respondents: num(tallies.totals.get(by.id)?.get(k)?.answered) };
    });
  for (const q of questions) if (q.id !== by.id) fillEmptyGroups(q, groups);
  return { by: { id: by.id, code: by.code }, groups, ungrouped: own.skipped };
}

/** Option groups nobody is in still get (empty) cells. */
function fillEmptyGroups(q: QuestionSummary, groups: BreakdownGroup[]): void {
  for (const g of groups) q.groupAnswered[g.key] ??= 0;
  for (const g of groups) q.groupTexts[g.key] ??= 0;
  for (const r of q.themes) for (const g of groups) r.groups[g.key] ??= cell(0, 0);
  for (const r of q.rows) for (const g of groups) r.groups[g.key] ??= cell(0, 0);
  for (const r of q.ranks ?? []) for (const g of groups) r.groups[g.key] ??= { n: 0, meanPosition: null };
  if (q.scale) for (const g of groups) q.scale.groups[g.key] ??= { n: 0, mean: null };
}
