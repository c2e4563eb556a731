/**
 * summary.csv: every figure of the staff summary, with the base it is a share
 * of, in both languages side by side. Its own writer (not open data's): the
 * columns are documented in docs/exports.md, "Summary figures".
 */
import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { neutralise } from "../exports/raw.server";
import { decimal, delimiterOf, type CsvDialect } from "../exports/spreadsheet";
import type { Bilingual } from "../consultations/types";
import { CHANNELS } from "#db/schema";
import type { Cell, Summary } from "./summary.server";

export const SUMMARY_COLUMNS = [
  "kind",
  "question_code",
  "question_fr",
  "question_en",
  "item",
  "item_fr",
  "item_en",
  "position",
  "group_by",
  "group",
  "group_fr",
  "group_en",
  "count",
  "base",
  "share",
  "mean",
  "reference",
  "under",
] as const;
export type SummaryCsvRow = Partial<Record<(typeof SUMMARY_COLUMNS)[number], string | number | boolean | null>>;

/** Shares, means and references to 4 decimals; a dot as decimal separator. */
export const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/** Labels the CSV gives to the rows that are not options. */
const NAMED: Record<string, Bilingual<string>> = {
  other: { fr: "Autre", en: "Other" },
  prefer_not: { fr: "Préfère ne pas répondre", en: "Prefer not to say" },
};

export function summaryRows(s: Summary): SummaryCsvRow[] {
  const rows: SummaryCsvRow[] = [{ kind: "responses", count: s.total }];
  for (const ch of CHANNELS)
    rows.push({ kind: "channel", item: ch, ...figures({ n: s.byChannel[ch], base: s.total, share: s.total ? s.byChannel[ch] / s.total : 0 }) });
  const by = s.breakdown;
  const groupCols = (key: string) => {
    const g = by!.groups.find((x) => x.key === key)!;
    const labels = g.labels ?? NAMED[g.code] ?? { fr: g.code, en: g.code };
    return { group_by: by!.by.code, group: g.code, group_fr: labels.fr, group_en: labels.en };
  };
  for (const q of s.questions) {
    const question = { question_code: q.code, question_fr: q.prompt.fr, question_en: q.prompt.en };
    rows.push({ kind: "answered", ...question, ...figures({ n: q.answered, base: s.total, share: s.total ? q.answered / s.total : 0 }) });
    for (const r of q.rows) {
      const labels = r.labels ?? NAMED[r.key] ?? { fr: r.key, en: r.key };
      const item = { ...question, item: r.key, item_fr: labels.fr, item_en: labels.en };
      rows.push({ kind: r.kind, ...item, ...figures(r) });
      for (const [key, c] of Object.entries(r.groups)) rows.push({ kind: r.kind, ...item, ...groupCols(key), ...figures(c) });
    }
    if (q.scale) {
      rows.push({ kind: "mean", ...question, count: q.scale.valued, mean: q.scale.mean === null ? null : round4(q.scale.mean) });
      for (const [key, g] of Object.entries(q.scale.groups))
        rows.push({ kind: "mean", ...question, ...groupCols(key), count: g.n, mean: g.mean === null ? null : round4(g.mean) });
    }
    for (const r of q.ranks ?? []) {
      const item = { ...question, item: r.code, item_fr: r.labels.fr, item_en: r.labels.en };
      rows.push({ kind: "rank", ...item, count: r.ranked, mean: r.meanPosition === null ? null : round4(r.meanPosition) });
      r.positions.forEach((n, i) =>
        rows.push({ kind: "rank_position", ...item, position: i + 1, ...figures({ n, base: r.ranked, share: r.ranked ? n / r.ranked : 0 }) }),
      );
      for (const [key, g] of Object.entries(r.groups))
        rows.push({ kind: "rank", ...item, ...groupCols(key), count: g.n, mean: g.meanPosition === null ? null : round4(g.meanPosition) });
    }
    if (q.kind === "short_text" || q.kind === "long_text")
      rows.push({ kind: "texts", ...question, ...figures({ n: q.texts, base: q.answered, share: q.answered ? q.texts / q.answered : 0 }) });
    for (const th of q.themes) {
      const item = { ...question, item: th.code, item_fr: th.labels.fr, item_en: th.labels.en };
      rows.push({ kind: "theme", ...item, ...figures(th) });
      for (const [key, c] of Object.entries(th.groups)) rows.push({ kind: "theme", ...item, ...groupCols(key), ...figures(c) });
    }
  }
  for (const r of s.representation) {
    const q = s.questions.find((x) => x.id === r.questionId)!;
    for (const row of r.rows)
      rows.push({
        kind: "representation",
        question_code: q.code,
        question_fr: q.prompt.fr,
        question_en: q.prompt.en,
        item: row.code,
        item_fr: row.labels.fr,
        item_en: row.labels.en,
        ...figures({ n: row.count, base: r.base, share: row.share }),
        reference: row.reference === null ? null : round4(row.reference),
        // No verdict on a group of fewer than k people (nor without a reference).
        under: row.reference === null || row.small ? null : row.under,
      });
  }
  return rows;
}

/** A count, its base and its share; no share of nothing: empty where the base is 0. */
function figures(c: Cell): SummaryCsvRow {
  return { count: c.n, base: c.base, share: c.base === 0 ? null : round4(c.share) };
}

/** RFC 4180, UTF-8 with a byte-order mark, CRLF, formula-safe cells; or the French-locale dialect (semicolons, decimal commas). */
export function summaryCsv(s: Summary, dialect: CsvDialect = "standard"): Readable {
  const text = (v: SummaryCsvRow[keyof SummaryCsvRow]) => (v === undefined || v === null ? "" : typeof v === "boolean" ? String(v) : decimal(v, dialect));
  return Readable.from(summaryRows(s).map((r) => Object.fromEntries(SUMMARY_COLUMNS.map((k) => [k, neutralise(text(r[k]))])))).pipe(
    stringify({ header: true, columns: [...SUMMARY_COLUMNS], bom: true, record_delimiter: "\r\n", delimiter: delimiterOf(dialect) }),
  );
}
