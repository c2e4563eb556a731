/**
 * The summary's pass over the answers (decision 060), kept between requests (decision 064).
 *
 * The pass tallies the questionnaire's answers by question, breakdown group and what was
 * answered: a few hundred additive rows however many answers. Each process keeps, per database
 * handle, commune, consultation and breakdown, the rows of the answers that were **settled** when
 * it last counted them: written by a transaction older than every one still running then (their
 * `xmin` precedes the snapshot's `xmin`), so no answer counted later can be older than them. The
 * next request counts only the answers that were not settled then, and adds them.
 *
 * What decides whether the kept rows still hold is read from the database in the same statement
 * (so another process writing is seen, as is a write by any path): a settled row can only go
 * away, never come back (a row changed by anyone is a new row version, with a new `xmin`), so
 * the kept rows hold when as many settled answers are there as were counted, no answer written
 * since belongs to a response that has settled ones (its breakdown group could have changed),
 * and the themes and their tags are as they were (as many settled, and the same row versions of
 * the others). Anything else
 * (a text hidden or restored, a tag, a theme retired, a response removed, a paper form corrected)
 * makes the pass count everything again.
 */
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "#db/client";
import { communeKey } from "~/platform/commune.server";

/** Group key of those who preferred not to say (or chose "Other") on the breakdown question. */
export const PREFER_NOT_GROUP = "prefer_not";
export const OTHER_GROUP = "other";

/**
 * One row of the pass: how many answers (`n`) of a question, in a breakdown group, were given
 * alike. Arrays travel as PostgreSQL's text form (`{…}`), the same for equal arrays.
 */
export interface PassRow {
  question_id: string;
  grp: string | null;
  option_ids: string | null;
  number: number | null;
  prefer_not: boolean;
  has_text: boolean;
  hidden: boolean;
  themes: string | null;
  n: number;
}

type Counted = PassRow & {
  kind: "row" | "check";
  settled: boolean | null;
  horizon: string | null;
  kept: number | null;
  since: number | null;
  touched: number | null;
  marks: number | null;
  marks_new: string | null;
  marks_now: number | null;
  marks_now_new: string | null;
};

/** What a process keeps of a pass: the settled answers' rows, and how to tell they still hold. */
interface Kept {
  /** The snapshot's `xmin` (xid8) the answers counted were settled by. */
  horizon: bigint;
  /** How many settled answers the rows count. */
  answers: number;
  /** How many of the consultation's themes and tags were settled, and which others there were (row versions). */
  marks: number;
  marksNew: string;
  rows: Map<string, PassRow>;
}

/** Per database handle (a transaction's handle keeps nothing past it), then per commune, consultation and breakdown. */
const kept = new WeakMap<object, Map<string, Kept>>();
const KEPT_PER_HANDLE = 200;

/** How many passes of each kind this process made: over every answer, or over those written since (tests read it). */
export const passes = { full: 0, since: 0 };

/** Forgets every kept pass of this handle (the next summary counts everything). */
export function forgetKeptTallies(db: object): void {
  kept.delete(db);
}

export interface PassInput {
  cid: string;
  questionIds: string[];
  by: string | null;
  themed: boolean;
  /** Past this many answers written since the kept rows, counting everything is the cheaper (default SINCE_AT_MOST). */
  sinceAtMost?: number;
}

/**
 * Answers written since are read by id, and their responses' other answers by index: past about
 * this many (a long transaction elsewhere on the server holds the horizon back, or no summary was
 * asked for a while) one pass over every answer costs less.
 */
export const SINCE_AT_MOST = 50_000;

/**
 * The pass's rows for `input`, read with `tx`; what is kept is kept under `owner` (the caller's
 * handle). Counts only what was written since the kept rows when they still hold, else everything.
 */
export async function passRows(owner: object, tx: DbOrTx, input: PassInput): Promise<PassRow[]> {
  const byHandle = kept.get(owner) ?? kept.set(owner, new Map()).get(owner)!;
  const key = `${communeKey()}|${input.cid}|${input.by ?? ""}|${input.themed}|${input.questionIds.join(",")}`;
  const held = byHandle.get(key);
  if (held) {
    const atMost = input.sinceAtMost ?? SINCE_AT_MOST;
    const counted = await queryRows<Counted>(tx, passSql(input, held.horizon, atMost));
    const check = counted.find((r) => r.kind === "check")!;
    if (
      num(check.since) <= atMost &&
      num(check.kept) === held.answers &&
      num(check.touched) === 0 &&
      num(check.marks) === held.marks &&
      check.marks_new === held.marksNew
    ) {
      passes.since++;
      const rows = counted.filter((r) => r.kind === "row");
      const horizon = BigInt(check.horizon!);
      if (horizon >= held.horizon) {
        const next = new Map(held.rows);
        let answers = held.answers;
        for (const r of rows) if (r.settled) answers += add(next, r);
        byHandle.set(key, { horizon, answers, marks: num(check.marks_now), marksNew: check.marks_now_new ?? "", rows: next });
      }
      const all = new Map(held.rows);
      for (const r of rows) add(all, r);
      return [...all.values()];
    }
    byHandle.delete(key);
  }
  passes.full++;
  const counted = await queryRows<Counted>(tx, passSql(input, null, 0));
  const check = counted.find((r) => r.kind === "check")!;
  const rows = counted.filter((r) => r.kind === "row");
  const settled = new Map<string, PassRow>();
  let answers = 0;
  for (const r of rows) if (r.settled) answers += add(settled, r);
  if (byHandle.size >= KEPT_PER_HANDLE) byHandle.clear();
  byHandle.set(key, { horizon: BigInt(check.horizon!), answers, marks: num(check.marks_now), marksNew: check.marks_now_new ?? "", rows: settled });
  const all = new Map<string, PassRow>();
  for (const r of rows) add(all, r);
  return [...all.values()];
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** Adds a row's count to the row alike in `into`; answers the count added. */
function add(into: Map<string, PassRow>, r: PassRow): number {
  const row: PassRow = {
    question_id: r.question_id,
    grp: r.grp,
    option_ids: r.option_ids,
    number: r.number === null ? null : Number(r.number),
    prefer_not: r.prefer_not,
    has_text: r.has_text,
    hidden: r.hidden,
    themes: r.themes,
    n: num(r.n),
  };
  const k = JSON.stringify([row.question_id, row.grp, row.option_ids, row.number, row.prefer_not, row.has_text, row.hidden, row.themes]);
  const was = into.get(k);
  into.set(k, was ? { ...was, n: was.n + row.n } : row);
  return row.n;
}

/** Each response's group on the breakdown question. */
function groupsOf(by: string, among: SQL | null): SQL {
  return sql`select d.response_id, case when d.prefer_not then ${PREFER_NOT_GROUP}
        when cardinality(d.option_ids) > 0 then d.option_ids[1]::text
        when d.text is not null then ${OTHER_GROUP} end as grp
      from answers d where d.question_id = ${by}${among ? sql` and d.response_id in (${among})` : sql``}`;
}

/** `in (…)` over the questionnaire's question ids (a list that is never empty). */
function inQuestions(ids: string[]): SQL {
  return ids.length
    ? sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )
    : sql`null::uuid`;
}

/** Whether a row version (its `xmin`) was written by a transaction older than every one running at `horizon`. */
const settledBy = (xmin: string, horizon: SQL) => sql`age(${sql.raw(xmin)}) > ${horizon}`;

/**
 * The pass as one statement (one snapshot): the rows, each marked settled or not by this
 * statement's snapshot, then one `check` row: that snapshot's `xmin`, and — against the kept
 * rows' horizon `since`, or this snapshot's when counting everything — how many answers are
 * settled (`kept`), how many were written since (`since`; past `atMost` none of them is read),
 * how many written since belong to a response with settled answers (`touched`), and the
 * consultation's themes and tags: how many are settled (`marks`) and which others there are
 * (`marks_new`, their row versions), against that horizon and against this snapshot's (`marks_now`,
 * `marks_now_new`, kept for the next request).
 *
 * Counting everything reads the answers by question in one pass (decision 060); counting since
 * reads them once for the check and the ids of those written since, then those by key. An answer
 * belongs to a response of the consultation of its question, and a theme to the consultation of
 * the texts it tags: the answers are read by question, the themes by consultation, with no join
 * to the responses.
 */
function passSql(input: PassInput, since: bigint | null, atMost: number): SQL {
  const { cid, by, themed } = input;
  const now = sql`(select age(xid(pg_snapshot_xmin(pg_current_snapshot()))))`;
  const horizon = since === null ? now : sql`(select age(xid(${since.toString()}::xid8)))`;
  const answersOf = sql`a.question_id in (${inQuestions(input.questionIds)})`;
  const fresh = since === null ? null : sql`select response_id from fresh`;
  const group = by ? sql`g.grp` : sql`null::text`;
  const themes = themed ? sql`case when a.text is not null and not a.hidden then ts.themes end` : sql`null::uuid[]`;
  return sql`with ${
    since === null
      ? sql``
      : sql`s as materialized (
          select count(*) filter (where ${settledBy("a.xmin", horizon)})::int as kept,
            coalesce(array_agg(a.id) filter (where not ${settledBy("a.xmin", horizon)}), '{}') as ids
          from answers a where ${answersOf}),
        fresh as materialized (select a.*, a.xmin as written from answers a
          where a.id = any((select case when cardinality(ids) <= ${atMost} then ids else '{}' end from s)::bigint[])),`
  }
      ${by ? sql`g as (${groupsOf(by, fresh)}),` : sql``}
      ${
        themed
          ? sql`ts as (
          select x.answer_id, array_agg(x.theme_id order by x.theme_id) as themes
          from answer_themes x join themes th on th.id = x.theme_id
          where th.consultation_id = ${cid} and th.retired_at is null${since === null ? sql`` : sql` and x.answer_id in (select id from fresh)`}
          group by x.answer_id),`
          : sql``
      }
      t as materialized (
        select a.question_id, ${group} as grp, a.option_ids, a.number, a.prefer_not, a.text is not null as has_text, a.hidden,
          ${themes} as themes, ${settledBy(since === null ? "a.xmin" : "a.written", now)} as settled, count(*)::int as n
        from ${since === null ? sql`answers` : sql`fresh`} a
          ${by ? sql`left join g on g.response_id = a.response_id` : sql``}
          ${themed ? sql`left join ts on ts.answer_id = a.id` : sql``}
        ${since === null ? sql`where ${answersOf}` : sql``}
        group by 1, 2, 3, 4, 5, 6, 7, 8, 9),
      marks as (
        select x.xmin, x.answer_id || ':' || x.theme_id || ':' || x.xmin as version
        from answer_themes x join themes th on th.id = x.theme_id where th.consultation_id = ${cid}
        union all
        select th.xmin, th.id || ':' || th.xmin from themes th where th.consultation_id = ${cid})
    select 'row' as kind, question_id::text, grp, option_ids::text, number, prefer_not, has_text, hidden, themes::text, settled, n,
      null::text as horizon, null::int as kept, null::int as since, null::int as touched, null::int as marks, null::text as marks_new,
      null::int as marks_now, null::text as marks_now_new
    from t
    union all
    select 'check', null, null, null, null, null, null, null, null, null, null,
      pg_snapshot_xmin(pg_current_snapshot())::text,
      ${since === null ? sql`(select coalesce(sum(n) filter (where settled), 0) from t)::int` : sql`(select kept from s)`},
      ${since === null ? sql`0` : sql`(select cardinality(ids) from s)`},
      ${since === null ? sql`0` : sql`(select count(*) from fresh f join answers o on o.response_id = f.response_id where ${settledBy("o.xmin", horizon)})::int`},
      (select count(*) from marks m where ${settledBy("m.xmin", horizon)})::int,
      (select coalesce(string_agg(m.version, ',' order by m.version), '') from marks m where not ${settledBy("m.xmin", horizon)}),
      (select count(*) from marks m where ${settledBy("m.xmin", now)})::int,
      (select coalesce(string_agg(m.version, ',' order by m.version), '') from marks m where not ${settledBy("m.xmin", now)})`;
}
