/**
 * Raw exports: one row per response, one column per question (and per option
 * for multiple choice and ranking), streamed in keyset batches so memory stays
 * flat however many answers there are. Every column is documented in
 * docs/exports.md. No receipt code, participation code or time finer than the
 * day is exported; every day is a day in the municipality's time zone.
 *
 * One rule for cells, in both files: an empty cell is `null` (JSON) or empty (CSV), never
 * `""` in one place and a missing key in another; flags are booleans (`true`/`false` in
 * the CSV); numbers are numbers; no value is an internal one (`__prefer_not`).
 */
import { decimal, delimiterOf, type CsvDialect } from "./spreadsheet";
import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "#db/client";
import type { AsWrittenNote, Lang } from "#db/schema";
import { localDay } from "../consultations/dates";
import type { ConsultationView, QuestionView } from "../consultations/types";
import { OTHER, PREFER_NOT } from "../responses/fields";

export const BATCH = 2000;

export interface Column {
  key: string;
  question?: string;
}

type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

const hasOptionColumns = (q: QuestionView) => q.kind === "multiple" || q.kind === "ranking";
const hasOther = (q: QuestionView) => (q.kind === "single" || q.kind === "multiple") && q.allowOther;

export function exportColumns(c: ConsultationView): Column[] {
  const cols: Column[] = [{ key: "response" }, { key: "day" }, { key: "channel" }, { key: "locale" }, { key: "paper_received_on" }, { key: "as_written" }];
  for (const q of c.questions) {
    cols.push({ key: q.code, question: q.code });
    if (q.kind === "single") cols.push({ key: `${q.code}_label`, question: q.code });
    if (hasOptionColumns(q)) for (const o of q.options) cols.push({ key: `${q.code}.${o.code}`, question: q.code });
    if (hasOther(q)) cols.push({ key: `${q.code}_other`, question: q.code }, { key: `${q.code}_other_hidden`, question: q.code });
    if (q.kind === "short_text" || q.kind === "long_text") cols.push({ key: `${q.code}_hidden`, question: q.code });
    if (q.kind === "short_text" || q.kind === "long_text" || hasOther(q))
      cols.push({ key: `${q.code}_themes`, question: q.code }, { key: `${q.code}_theme_codes`, question: q.code });
  }
  return cols;
}

interface AnswerRow {
  response_id: string;
  question_id: string;
  option_ids: string[] | string | null;
  text: string | null;
  number: number | null;
  prefer_not: boolean;
  hidden: boolean;
  /** Codes of the active themes on the text, `;` between them. */
  themes: string | null;
  /** Their names in the export's language, `; ` between them, in the same order. */
  theme_names: string | null;
}

/** postgres.js returns uuid[] as an array, PGlite sometimes as "{a,b}". */
function ids(value: AnswerRow["option_ids"]): string[] | null {
  if (value === null) return null;
  if (Array.isArray(value)) return value;
  const inner = value.replace(/^\{|\}$/g, "");
  return inner ? inner.split(",") : [];
}

function fill(row: Row, q: QuestionView, a: AnswerRow, lang: Lang) {
  const options = ids(a.option_ids);
  const codeOf = (id: string) => q.options.find((o) => o.id === id)?.code ?? "";
  if (a.prefer_not) {
    row[q.code] = "prefer_not";
    return;
  }
  switch (q.kind) {
    case "single": {
      const chosen = options?.[0];
      row[q.code] = chosen ? codeOf(chosen) : a.text !== null ? "other" : null;
      row[`${q.code}_label`] = chosen ? (q.options.find((o) => o.id === chosen)?.labels[lang] ?? "") : null;
      break;
    }
    case "multiple":
      row[q.code] = [...(options ?? []).map(codeOf), ...(a.text !== null ? ["other"] : [])].join(";");
      for (const o of q.options) row[`${q.code}.${o.code}`] = options?.includes(o.id) ? 1 : 0;
      break;
    case "ranking":
      row[q.code] = (options ?? []).map(codeOf).join(">");
      for (const o of q.options) {
        const at = (options ?? []).indexOf(o.id);
        row[`${q.code}.${o.code}`] = at >= 0 ? at + 1 : null;
      }
      break;
    case "scale":
      row[q.code] = a.number;
      break;
    case "short_text":
    case "long_text":
      row[q.code] = a.text;
      row[`${q.code}_hidden`] = a.hidden;
      break;
  }
  if (hasOther(q) && a.text !== null) {
    row[`${q.code}_other`] = a.text;
    row[`${q.code}_other_hidden`] = a.hidden;
  }
  // The query gives a hidden text no theme: a moderator's decision leaves it out of every theme.
  if (a.text !== null && (q.kind === "short_text" || q.kind === "long_text" || hasOther(q))) {
    row[`${q.code}_themes`] = a.theme_names;
    row[`${q.code}_theme_codes`] = a.themes;
  }
}

/** The form's own values for "Other" and "prefer not", as the export's other columns write them. */
const MARK_NAME: Record<string, string> = { [OTHER]: "other", [PREFER_NOT]: "prefer_not" };

/** A paper form recorded as written: `measures:every_box(air;noise;none;footfall) support:unclear(2;prefer_not)`, or empty. */
function asWrittenCell(value: unknown): string | null {
  const notes = (typeof value === "string" ? JSON.parse(value) : value) as Record<string, AsWrittenNote> | null;
  if (!notes) return null;
  return Object.entries(notes)
    .map(([code, note]) => `${code}:${note.rule}(${note.marked.map((m) => MARK_NAME[m] ?? m).join(";")})`)
    .join(" ");
}

/** The `consultation` object of export.json; `exportedAt` is the day in the municipality's time zone. */
export function exportHeader(c: ConsultationView, lang: Lang, now: Date, timeZone: string) {
  return { slug: c.slug, title: c.texts[lang].title, language: lang, status: c.status, exportedAt: localDay(now, timeZone) };
}

/** One response of a batch, as the export reads it. */
interface ResponseRow {
  id: string;
  at: string;
  day: string;
  channel: string;
  locale: string;
  received_on: string | null;
  as_written: unknown;
}

/**
 * Responses in received order, a batch at a time (keyset pagination: no OFFSET, no transaction
 * left open between batches). Each batch is read in a short transaction of its own, without JIT
 * compilation (decision 060): the answers of its responses are fetched response by response,
 * in the order of the `(response_id, question_id)` index (a plain index scan, not a bitmap) — a
 * lateral subquery the planner keeps as it is (`offset 0`), where it would otherwise read every
 * answer of the table for every batch.
 */
export async function* exportRows(db: Db, c: ConsultationView, lang: Lang, timeZone: string, batch = BATCH): AsyncGenerator<Row> {
  const byId = new Map(c.questions.map((q) => [q.id, q]));
  let after: { at: string; id: string } | null = null;
  let n = 0;
  for (;;) {
    const cursor: { at: string; id: string } | null = after;
    const { responses, answerRows }: { responses: ResponseRow[]; answerRows: AnswerRow[] } = await db.transaction(
      async (tx): Promise<{ responses: ResponseRow[]; answerRows: AnswerRow[] }> => {
        await tx.execute(sql`select set_config('jit', 'off', true)`);
        const rs = await queryRows<ResponseRow>(
          tx,
          sql`select id, received_at::text as at, to_char(received_at at time zone ${timeZone}, 'YYYY-MM-DD') as day, channel, locale,
            paper_received_on::text as received_on, as_written
          from responses
          where consultation_id = ${c.id}
          ${cursor ? sql`and (received_at, id) > (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : sql``}
          order by consultation_id, received_at, id -- the index's own order: an ordered scan, never a sort
          limit ${batch}`,
        );
        if (rs.length === 0) return { responses: rs, answerRows: [] };
        const answerRows = await queryRows<AnswerRow>(
          tx,
          sql`select a.* from unnest(${`{${rs.map((r) => r.id).join(",")}}`}::uuid[]) as b(id)
          cross join lateral (
            select response_id, question_id, option_ids, text, number, prefer_not, hidden,
              case when text is not null and not hidden then (select string_agg(t.code, ';' order by t.created_at, t.code)
                from answer_themes x join themes t on t.id = x.theme_id where x.answer_id = answers.id and t.retired_at is null) end as themes,
              case when text is not null and not hidden then (select string_agg(t.labels->>${lang}::text, '; ' order by t.created_at, t.code)
                from answer_themes x join themes t on t.id = x.theme_id where x.answer_id = answers.id and t.retired_at is null) end as theme_names
            from answers where response_id = b.id order by question_id offset 0) a`,
        );
        return { responses: rs, answerRows };
      },
    );
    if (responses.length === 0) return;
    const perResponse = new Map<string, AnswerRow[]>();
    for (const a of answerRows) {
      const list = perResponse.get(a.response_id);
      if (list) list.push(a);
      else perResponse.set(a.response_id, [a]);
    }
    for (const r of responses) {
      const row: Row = {
        response: ++n,
        day: r.day,
        channel: r.channel,
        locale: r.locale,
        paper_received_on: r.received_on,
        as_written: asWrittenCell(r.as_written),
      };
      for (const a of perResponse.get(r.id) ?? []) {
        const q = byId.get(a.question_id);
        if (q) fill(row, q, a, lang);
      }
      yield row;
    }
    const last: ResponseRow = responses[responses.length - 1];
    after = { at: last.at, id: last.id };
  }
}

/**
 * A cell a spreadsheet would run as a formula gets a leading apostrophe, as OWASP advises; the
 * text itself is kept. Formula starters are =, +, -, @, tab, CR and LF, and every character
 * that compatibility normalisation makes one of them (fullwidth ＝ ＋ － ＠, small ﹦ ﹢ ﹣ ﹫),
 * since some spreadsheets read those as their ASCII forms; and the minus sign −.
 */
export function neutralise<T extends Cell>(value: T): T | string {
  if (typeof value === "string" && FORMULA_START.test(value.slice(0, 1).normalize("NFKC"))) return `'${value}`;
  return value;
}
const FORMULA_START = /^[=+\-@\t\r\n\u2212]/;

/** A cell as the CSV writes it: empty for null, `true`/`false` for a flag, a number in the dialect's notation. */
function csvValue(value: Cell, dialect: CsvDialect): Cell {
  if (typeof value === "boolean") return value ? "true" : "false";
  return decimal(value, dialect);
}

/** RFC 4180 CSV, UTF-8 with a byte-order mark, as a Node stream. */
export function csvStream(columns: Column[], rows: AsyncIterable<Row>, dialect: CsvDialect = "standard"): Readable {
  const keys = columns.map((c) => c.key);
  const delimiter = delimiterOf(dialect);
  const stringifier = stringify({
    header: true,
    columns: keys,
    bom: true,
    record_delimiter: "\r\n",
    delimiter,
    quoted_match: dialect === "fr" ? /[\r\n";]/ : /[\r\n",]/,
  });
  const source = Readable.from(
    (async function* () {
      for await (const row of rows) {
        const safe: Row = {};
        for (const k of keys) safe[k] = neutralise(csvValue(row[k] ?? null, dialect));
        yield safe;
      }
    })(),
  );
  source.on("error", (e) => stringifier.destroy(e));
  return source.pipe(stringifier);
}

/**
 * The same rows as JSON, streamed: `{ "consultation": …, "columns": […], "responses": [ … ] }`.
 * Every response has every column, in the columns' order: `null` where the CSV cell is empty.
 */
export function jsonStream(meta: Record<string, unknown>, columns: Column[], rows: AsyncIterable<Row>): Readable {
  const keys = columns.map((c) => c.key);
  return Readable.from(
    (async function* () {
      yield `{"consultation":${JSON.stringify(meta)},"columns":${JSON.stringify(keys)},"responses":[`;
      let first = true;
      for await (const row of rows) {
        yield `${first ? "" : ","}\n${JSON.stringify(Object.fromEntries(keys.map((k) => [k, row[k] === "" ? null : (row[k] ?? null)])))}`;
        first = false;
      }
      yield "\n]}\n";
    })(),
  );
}
