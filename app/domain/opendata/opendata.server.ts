/**
 * Open data: once a consultation is closed, an official may publish its
 * aggregate results and its visible (moderated) free text. Nothing personal
 * goes out: no receipt or participation codes, no addresses, no time finer
 * than the day, no per-response rows. Both languages side by side.
 */
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { answers, consultations, questions, responses } from "#db/schema";
import type { ConsultationView } from "../consultations/types";
import { neutralise } from "../exports/raw.server";
import { summarize, type Summary } from "../summary/summary.server";
import { suppressedCells, type CountTable } from "./disclosure";
import { figuresSemver } from "./figures.server";
import { openDataModified } from "./publication.server";

/** Licences open data may be published under, by SPDX identifier (QUORUM_OPEN_DATA_LICENCE). */
export const LICENCES = {
  "CC-BY-4.0": { title: "Creative Commons Attribution 4.0 International", url: "https://creativecommons.org/licenses/by/4.0/" },
  "CC-BY-SA-4.0": { title: "Creative Commons Attribution-ShareAlike 4.0 International", url: "https://creativecommons.org/licenses/by-sa/4.0/" },
  "CC0-1.0": { title: "Creative Commons Zero v1.0 Universal", url: "https://creativecommons.org/publicdomain/zero/1.0/" },
  "ODbL-1.0": { title: "Open Data Commons Open Database License v1.0", url: "https://opendatacommons.org/licenses/odbl/1-0/" },
  "etalab-2.0": { title: "Licence Ouverte / Open Licence 2.0", url: "https://www.etalab.gouv.fr/licence-ouverte-open-licence" },
} as const;
export type LicenceId = keyof typeof LICENCES;
export const licence = (id: LicenceId) => ({ id, ...LICENCES[id] });

export const CSV_COLUMNS = [
  "row",
  "kind",
  "question_code",
  "question_fr",
  "question_en",
  "option_code",
  "option_fr",
  "option_en",
  "position",
  "count",
  "share",
  "mean",
  "suppressed",
  "text",
] as const;
export type Column = (typeof CSV_COLUMNS)[number];
export type AggregateRow = Record<Exclude<Column, "suppressed" | "row">, string | number | null> & { suppressed: boolean };
export type PublishedRow = AggregateRow & { row: number };

export const ROW_KINDS = [
  "responses",
  "channel",
  "answered",
  "option",
  "other",
  "prefer_not",
  "scale",
  "mean",
  "rank",
  "rank_position",
  "texts",
  "theme",
  "text",
  "quote",
] as const;

/** Every column of the open-data CSV, described in both languages (also in the JSON metadata). */
export const FIELD_DESCRIPTIONS: Record<Column, { fr: string; en: string }> = {
  row: {
    fr: "Numéro de ligne (1, 2, 3…), clé primaire ; ne suit pas l’ordre d’arrivée",
    en: "Row number (1, 2, 3…), primary key; does not follow arrival order",
  },
  kind: {
    fr: "Type de ligne : responses (total), channel (réponses par canal), answered (réponses à la question), option (une réponse au choix), other (« Autre »), prefer_not, scale (valeur 1 à 5 d’une échelle), mean (moyenne d’une échelle), rank (rang moyen d’un élément à classer), rank_position (combien l’ont mis à ce rang), texts (textes libres visibles d’une question à thèmes), theme (textes portant un thème), text (texte libre visible), quote (citation représentative d’un thème)",
    en: "Row type: responses (total), channel (responses per channel), answered (answers to the question), option (one answer to choose), other (“Other”), prefer_not, scale (value 1 to 5 of a scale), mean (mean of a scale), rank (average rank of an item), rank_position (how many put it at that rank), texts (visible free texts of a question with themes), theme (texts carrying a theme), text (visible free text), quote (representative quote of a theme)",
  },
  question_code: { fr: "Code stable de la question", en: "Stable code of the question" },
  question_fr: { fr: "Libellé de la question en français", en: "Wording of the question in French" },
  question_en: { fr: "Libellé de la question en anglais", en: "Wording of the question in English" },
  option_code: {
    fr: "Code stable de la réponse, valeur 1 à 5 d’une échelle, canal (web, offline, paper), ou code du thème (theme, quote)",
    en: "Stable code of the answer, value 1 to 5 of a scale, channel (web, offline, paper), or code of the theme (theme, quote)",
  },
  option_fr: { fr: "Libellé de la réponse en français", en: "Label of the answer in French" },
  option_en: { fr: "Libellé de la réponse en anglais", en: "Label of the answer in English" },
  position: { fr: "Lignes rank_position : le rang (1 = premier)", en: "rank_position rows: the rank (1 = first)" },
  count: {
    fr: "Nombre de réponses ; vide si masqué (petit effectif, voir suppressed)",
    en: "Number of answers; empty when withheld (small count, see suppressed)",
  },
  share: {
    fr: "Part des personnes ayant répondu à la question (0 à 1) ; theme : part des textes visibles (texts) ; vide si masquée",
    en: "Share of those who answered the question (0 to 1); theme: share of the visible texts (texts); empty when withheld",
  },
  mean: {
    fr: "Moyenne (échelle) ou rang moyen (classement, 1 = premier) ; vide si masquée",
    en: "Mean (scale) or average rank (ranking, 1 = first); empty when withheld",
  },
  suppressed: {
    fr: "true si un chiffre de la ligne est masqué pour protéger les petits effectifs (1 à k − 1, et de quoi ne pas le retrouver par soustraction)",
    en: "true when a figure of the row is withheld to protect small counts (1 to k − 1, and what would let one work it out by subtraction)",
  },
  text: {
    fr: "Texte libre visible après modération, tel qu’écrit (lignes text et quote)",
    en: "Free text visible after moderation, as written (text and quote rows)",
  },
};

export interface OpenDataSettings {
  /** Smallest count published (QUORUM_SMALL_COUNT_K). */
  k: number;
  /** The municipality's time zone: every day is a day there. */
  timeZone: string;
  /** SPDX identifier of the licence (QUORUM_OPEN_DATA_LICENCE). */
  licence: LicenceId;
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;

const BLANK = {
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
  text: null,
} as const;

/** A row before suppression: its count's id, the base of its share, the cells behind its mean. */
interface Draft {
  row: Omit<AggregateRow, "suppressed" | "count" | "share" | "mean">;
  countId: string | null;
  baseId: string | null;
  mean: number | null;
  /** Counts a mean is computed from: any of them withheld withholds the mean. */
  meanInputs: string[];
}

/**
 * Aggregate rows for a summary, with small counts withheld (see disclosure.ts);
 * free-text rows come separately.
 */
export function aggregateRows(summary: Summary, k: number): AggregateRow[] {
  const counts = new Map<string, number>();
  const tables: CountTable[] = [];
  const drafts: Draft[] = [];
  const put = (id: string, n: number) => (counts.set(id, n), id);
  const add = (d: Partial<Draft> & Pick<Draft, "row">) => drafts.push({ countId: null, baseId: null, mean: null, meanInputs: [], ...d });

  const totalId = put("responses", summary.total);
  add({ row: { ...BLANK, kind: "responses" }, countId: totalId });
  const channels = (["web", "offline", "paper"] as const).map((ch) => {
    const id = put(`channel:${ch}`, summary.byChannel[ch]);
    add({ row: { ...BLANK, kind: "channel", option_code: ch }, countId: id, baseId: totalId });
    return id;
  });
  tables.push({ total: totalId, cells: channels });

  for (const q of summary.questions) {
    const base = { ...BLANK, question_code: q.code, question_fr: q.prompt.fr, question_en: q.prompt.en };
    const answeredId = put(`${q.code}:answered`, q.answered);
    add({ row: { ...base, kind: "answered" }, countId: answeredId });
    const cells: string[] = [];
    for (const r of q.rows) {
      const id = put(`${q.code}:${r.kind}:${r.key}`, r.n);
      cells.push(id);
      const option = r.kind === "option" ? { option_code: r.key, option_fr: r.labels?.fr ?? null, option_en: r.labels?.en ?? null } : {};
      add({ row: { ...base, kind: r.kind, ...option, ...(r.kind === "scale" ? { option_code: r.key } : {}) }, countId: id, baseId: answeredId });
    }
    if (q.ranks?.length) {
      // Everyone who ranks ranks every item; with no prefer-not, they are all who answered.
      const ranked = q.ranks[0].ranked;
      const same = q.ranks.every((r) => r.ranked === ranked);
      const hasPreferNot = q.rows.some((r) => r.kind === "prefer_not");
      const rankedId = same && !hasPreferNot && ranked === q.answered ? answeredId : same ? put(`${q.code}:ranked`, ranked) : null;
      if (rankedId && rankedId !== answeredId) cells.push(rankedId);
      const positions = q.ranks[0].positions.length;
      for (const r of q.ranks) {
        const itemId = rankedId ?? put(`${q.code}:ranked:${r.code}`, r.ranked);
        const label = { option_code: r.code, option_fr: r.labels.fr, option_en: r.labels.en };
        const posIds = r.positions.map((n, i) => put(`${q.code}:rank:${r.code}:${i + 1}`, n));
        add({ row: { ...base, kind: "rank", ...label }, countId: itemId, mean: r.meanPosition, meanInputs: [itemId, ...posIds] });
        r.positions.forEach((_, i) => add({ row: { ...base, kind: "rank_position", ...label, position: i + 1 }, countId: posIds[i] }));
        tables.push({ total: itemId, cells: posIds });
      }
      if (rankedId) for (let p = 1; p <= positions; p++) tables.push({ total: rankedId, cells: q.ranks.map((r) => `${q.code}:rank:${r.code}:${p}`) });
    }
    if (cells.length) tables.push({ total: answeredId, cells });
    if (q.scale) add({ row: { ...base, kind: "mean" }, mean: q.scale.mean, meanInputs: [answeredId, ...cells] });
    if (q.themes.length) {
      // Themes: the visible texts and how many carry each theme (a text may carry several; the
      // table is treated as if it added up, which only withholds a little more).
      const textsId = put(`${q.code}:texts`, q.texts);
      add({ row: { ...base, kind: "texts" }, countId: textsId, baseId: answeredId });
      const themeIds = q.themes.map((th) => {
        const id = put(`${q.code}:theme:${th.code}`, th.n);
        add({ row: { ...base, kind: "theme", option_code: th.code, option_fr: th.labels.fr, option_en: th.labels.en }, countId: id, baseId: textsId });
        return id;
      });
      tables.push({ total: textsId, cells: themeIds });
    }
  }

  const withheld = suppressedCells(counts, tables, k);
  return drafts.map((d) => {
    const n = d.countId === null ? null : counts.get(d.countId)!;
    const countOut = d.countId !== null && withheld.has(d.countId);
    const baseN = d.baseId === null ? null : counts.get(d.baseId)!;
    const shareOut = countOut || (d.baseId !== null && withheld.has(d.baseId));
    const meanOut = d.meanInputs.some((id) => withheld.has(id));
    return {
      ...d.row,
      count: countOut ? null : n,
      share: n === null || baseN === null || shareOut ? null : round(baseN ? n / baseN : 0),
      mean: d.mean === null || meanOut ? null : round(d.mean),
      suppressed: countOut || (d.baseId !== null && shareOut) || (d.mean !== null && meanOut),
    };
  });
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Visible free text (answers and "Other" texts), never hidden text. Sorted by question, then
 * by the text itself (code points), never by arrival: the k-th text of two questions must not
 * be pairable as one person's.
 */
export async function visibleTexts(db: DbOrTx, consultationId: string): Promise<{ questionCode: string; text: string }[]> {
  const rows = await db
    .select({ questionCode: questions.code, position: questions.position, text: sql<string>`${answers.text}` })
    .from(answers)
    .innerJoin(responses, eq(responses.id, answers.responseId))
    .innerJoin(questions, eq(questions.id, answers.questionId))
    .where(and(eq(responses.consultationId, consultationId), isNotNull(answers.text), eq(answers.hidden, false)));
  return rows.sort((a, b) => a.position - b.position || byCodePoint(a.text, b.text)).map(({ questionCode, text }) => ({ questionCode, text }));
}

/**
 * A few of a question's published texts for the results page: the first `max` in the order of
 * their SHA-256 digests, which neither follows arrival nor favours a letter of the alphabet, and
 * is the same on every view. The rest are counted (`more`).
 */
export function excerpts(texts: string[], max: number): { shown: string[]; more: number } {
  const digest = (t: string) => createHash("sha256").update(t, "utf8").digest("hex");
  const shown = texts
    .map((text) => ({ text, key: digest(text) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, max)
    .map((e) => e.text);
  return { shown, more: texts.length - shown.length };
}

/** `YYYY-MM-DD`: the day `d` falls on in `timeZone`. */
export function dayIn(d: Date | null, timeZone: string): string | null {
  if (!d) return null;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(d).map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

export async function openDataset(db: DbOrTx, c: ConsultationView, settings: OpenDataSettings) {
  const summary = await summarize(db, c);
  // Free texts only by a moderator's choice (publication.server.ts); figures do not need it.
  const texts = c.textsPublishedAt ? await visibleTexts(db, c.id) : [];
  const prompts = new Map(c.questions.map((q) => [q.code, q.texts]));
  const textRows: AggregateRow[] = texts.map((t) => ({
    ...BLANK,
    kind: "text",
    question_code: t.questionCode,
    question_fr: prompts.get(t.questionCode)?.fr.prompt ?? null,
    question_en: prompts.get(t.questionCode)?.en.prompt ?? null,
    suppressed: false,
    text: t.text,
  }));
  // Representative quotes go out with the texts only: a moderator's choice to publish them.
  const quoteRows: AggregateRow[] = c.textsPublishedAt
    ? summary.questions.flatMap((q) =>
        q.themes.flatMap((th) =>
          [...th.quotes].sort(byCodePoint).map((text) => ({
            ...BLANK,
            kind: "quote",
            question_code: q.code,
            question_fr: q.prompt.fr,
            question_en: q.prompt.en,
            option_code: th.code,
            option_fr: th.labels.fr,
            option_en: th.labels.en,
            suppressed: false,
            text,
          })),
        ),
      )
    : [];
  const aggregates = aggregateRows(summary, settings.k);
  const countOf = (kind: string, code: string | null = null) => aggregates.find((r) => r.kind === kind && r.option_code === code)?.count ?? null;
  const metadata = {
    slug: c.slug,
    title: { fr: c.texts.fr.title, en: c.texts.en.title },
    summary: { fr: c.texts.fr.summary, en: c.texts.en.summary },
    licence: licence(settings.licence),
    timeZone: settings.timeZone,
    opened: dayIn(c.opensAt, settings.timeZone),
    closed: dayIn(c.closesAt, settings.timeZone),
    published: dayIn(c.openDataPublishedAt, settings.timeZone),
    /**
     * The figures as published, and each later change (a paper form entered in the grace period,
     * a moderation decision): their version, the day they were published and last updated (decision 036).
     */
    figures: {
      version: figuresSemver(c),
      published: dayIn(c.figuresPublishedAt, settings.timeZone),
      updated: dayIn(c.figuresUpdatedAt, settings.timeZone),
    },
    counts: {
      responses: countOf("responses"),
      byChannel: { web: countOf("channel", "web"), offline: countOf("channel", "offline"), paper: countOf("channel", "paper") },
      freeTexts: texts.length,
    },
    /** Whether a moderator has published the visible free texts (`text` rows), and when. */
    texts: { published: c.textsPublishedAt !== null, on: dayIn(c.textsPublishedAt, settings.timeZone) },
    disclosure: {
      k: settings.k,
      missingValue: "",
      rule: {
        fr: `Aucun effectif de 1 à ${settings.k - 1} n’est publié ; d’autres chiffres sont masqués pour qu’il ne puisse pas être retrouvé par soustraction. Un chiffre masqué est vide (null en JSON) et sa ligne porte suppressed = true.`,
        en: `No count from 1 to ${settings.k - 1} is published; other figures are withheld so it cannot be worked out by subtraction. A withheld figure is empty (null in JSON) and its row has suppressed = true.`,
      },
    },
    fields: FIELD_DESCRIPTIONS,
  };
  const rows: PublishedRow[] = [...aggregates, ...textRows, ...quoteRows].map((r, i) => ({ row: i + 1, ...r }));
  return { metadata, rows };
}

/** The two files of a dataset, as served (bytes and hashes go into datapackage.json). */
export async function openDataFiles(db: DbOrTx, c: ConsultationView, settings: OpenDataSettings) {
  const { metadata, rows } = await openDataset(db, c, settings);
  let csv = "";
  for await (const chunk of aggregateCsv(rows)) csv += chunk;
  return { metadata, rows, csv, json: JSON.stringify({ metadata, results: rows }, null, 1) };
}

export async function listPublishedDatasets(db: DbOrTx) {
  const rows = await db
    .select({
      slug: consultations.slug,
      texts: consultations.texts,
      publishedAt: consultations.openDataPublishedAt,
      openDataPublishedAt: consultations.openDataPublishedAt,
      textsPublishedAt: consultations.textsPublishedAt,
      figuresUpdatedAt: consultations.figuresUpdatedAt,
    })
    .from(consultations)
    .where(isNotNull(consultations.openDataPublishedAt))
    .orderBy(desc(consultations.openDataPublishedAt));
  return rows.map(({ slug, texts, publishedAt, ...dates }) => ({ slug, texts, publishedAt, modified: openDataModified(dates) }));
}

/**
 * Open-data rows as CSV: strict RFC 4180 (every field holding a comma, a double quote, CR or
 * LF is quoted; CRLF between records), UTF-8 without a byte-order mark (machines read it), a
 * text starting with = + - @, a tab, CR or LF gets a leading apostrophe (formula-safe).
 */
export function aggregateCsv(rows: PublishedRow[]): Readable {
  return Readable.from(rows.map((r) => Object.fromEntries(CSV_COLUMNS.map((k) => [k, csvCell(r[k])])))).pipe(
    stringify({ header: true, columns: [...CSV_COLUMNS], bom: false, record_delimiter: "\r\n", quoted_match: /[\r\n",]/ }),
  );
}

/** A value as written in the open-data CSV: null empty, booleans true/false, texts formula-safe. */
export function csvCell(v: string | number | boolean | null): string | number | null {
  if (typeof v === "boolean") return v ? "true" : "false";
  return neutralise(v);
}
