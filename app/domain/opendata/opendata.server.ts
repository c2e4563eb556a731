/**
 * Open data: once a consultation is closed, an official may publish its
 * aggregate results and its visible (moderated) free text. Nothing personal
 * goes out: no receipt or participation codes, no addresses, no time finer
 * than the day, no per-response rows. Both languages side by side.
 */
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { desc, isNotNull } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { consultations } from "#db/schema";
import type { ConsultationView } from "../consultations/types";
import { neutralise } from "../exports/raw.server";
import { figuresSemver } from "./figures.server";
import { BLANK, type ProtectedRow } from "./protect";
import { currentPublicFigures, hiddenTexts, stepAfter, textsModeratedAt } from "./public-figures.server";
import { openDataModified } from "./publication.server";
import { byCodePoint } from "./texts.server";

export { visibleTexts } from "./texts.server";

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
  "withheld",
  "text",
] as const;
export type Column = (typeof CSV_COLUMNS)[number];
export type AggregateRow = ProtectedRow;
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
  "combined",
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
    fr: "Type de ligne : responses (total), channel (réponses par canal), answered (réponses à la question), option (une réponse au choix), other (« Autre »), prefer_not, scale (valeur 1 à 5 d’une échelle), mean (moyenne d’une échelle), rank (rang moyen d’un élément à classer), rank_position (combien l’ont mis à ce rang), combined (plusieurs réponses regroupées parce que chacune concerne trop peu de personnes : option_code les nomme, séparés par |), texts (textes libres visibles d’une question à thèmes), theme (textes portant un thème), text (texte libre visible), quote (citation représentative d’un thème)",
    en: "Row type: responses (total), channel (responses per channel), answered (answers to the question), option (one answer to choose), other (“Other”), prefer_not, scale (value 1 to 5 of a scale), mean (mean of a scale), rank (average rank of an item), rank_position (how many put it at that rank), combined (several answers grouped because each concerns too few people: option_code names them, joined by |), texts (visible free texts of a question with themes), theme (texts carrying a theme), text (visible free text), quote (representative quote of a theme)",
  },
  question_code: { fr: "Code stable de la question", en: "Stable code of the question" },
  question_fr: { fr: "Libellé de la question en français", en: "Wording of the question in French" },
  question_en: { fr: "Libellé de la question en anglais", en: "Wording of the question in English" },
  option_code: {
    fr: "Code stable de la réponse, valeur 1 à 5 d’une échelle, canal (web, offline, paper, sms), ou code du thème (theme, quote)",
    en: "Stable code of the answer, value 1 to 5 of a scale, channel (web, offline, paper, sms), or code of the theme (theme, quote)",
  },
  option_fr: { fr: "Libellé de la réponse en français", en: "Label of the answer in French" },
  option_en: { fr: "Libellé de la réponse en anglais", en: "Label of the answer in English" },
  position: { fr: "Lignes rank_position : le rang (1 = premier)", en: "rank_position rows: the rank (1 = first)" },
  count: {
    fr: "Nombre de réponses ; vide si masqué (voir withheld)",
    en: "Number of answers; empty when withheld (see withheld)",
  },
  share: {
    fr: "Part des personnes ayant répondu à la question (0 à 1) ; theme : part des textes visibles (texts) ; rank_position : part de ceux qui ont classé ; vide si masquée",
    en: "Share of those who answered the question (0 to 1); theme: share of the visible texts (texts); rank_position: share of those who ranked; empty when withheld",
  },
  mean: {
    fr: "Moyenne (échelle) ou rang moyen (classement, 1 = premier), publiés seulement quand toutes les valeurs sont publiées ; vide sinon",
    en: "Mean (scale) or average rank (ranking, 1 = first), published only when every value is; empty otherwise",
  },
  suppressed: {
    fr: "true si le nombre de la ligne est masqué pour protéger les petits effectifs (voir withheld)",
    en: "true when the row's count is withheld to protect small numbers (see withheld)",
  },
  withheld: {
    fr: "Pourquoi le nombre est masqué : fewer (moins de k personnes) ou all_but_fewer (toutes sauf moins de k) ; vide s’il est publié",
    en: "Why the count is withheld: fewer (fewer than k people) or all_but_fewer (all but fewer than k); empty when published",
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

export async function openDataset(db: Db, c: ConsultationView, settings: OpenDataSettings) {
  // The free texts only where they may go out: a city's are megabytes, read for nothing otherwise.
  const figures = await currentPublicFigures(db, c, settings.k, { texts: c.textsPublishedAt !== null });
  const aggregates = figures?.rows ?? [];
  // Free texts only by a moderator's choice (publication.server.ts), and never one hidden since.
  const hidden = c.textsPublishedAt && figures ? await hiddenTexts(db, c.id) : null;
  const texts = hidden ? figures!.texts.filter((t) => !hidden.ids.has(t.id)) : [];
  const prompts = new Map(c.questions.map((q) => [q.code, q.texts]));
  const themeLabels = new Map(aggregates.filter((r) => r.kind === "theme").map((r) => [`${r.question_code}:${r.option_code}`, r]));
  const textRows: AggregateRow[] = texts.map((t) => ({
    ...BLANK,
    kind: "text",
    question_code: t.questionCode,
    question_fr: prompts.get(t.questionCode)?.fr.prompt ?? null,
    question_en: prompts.get(t.questionCode)?.en.prompt ?? null,
    text: t.text,
  }));
  // Representative quotes go out with the texts only: a moderator's choice to publish them.
  const quoteRows: AggregateRow[] = hidden
    ? figures!.quotes
        .filter((x) => !hidden.texts.has(x.text))
        .sort((a, b) => byCodePoint(a.questionCode, b.questionCode) || byCodePoint(a.theme, b.theme) || byCodePoint(a.text, b.text))
        .map((x) => {
          const theme = themeLabels.get(`${x.questionCode}:${x.theme}`);
          return {
            ...BLANK,
            kind: "quote",
            question_code: x.questionCode,
            question_fr: prompts.get(x.questionCode)?.fr.prompt ?? null,
            question_en: prompts.get(x.questionCode)?.en.prompt ?? null,
            option_code: x.theme,
            option_fr: theme?.option_fr ?? null,
            option_en: theme?.option_en ?? null,
            text: x.text,
          };
        })
    : [];
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
      /** The day these figures were computed (they change in steps, decision 061). */
      computed: dayIn(figures?.takenAt ?? null, settings.timeZone),
    },
    counts: {
      responses: countOf("responses"),
      byChannel: { web: countOf("channel", "web"), offline: countOf("channel", "offline"), paper: countOf("channel", "paper") },
      freeTexts: texts.length,
    },
    /** Whether a moderator has published the visible free texts (`text` rows), and when. */
    texts: { published: c.textsPublishedAt !== null, on: dayIn(c.textsPublishedAt, settings.timeZone) },
    disclosure: disclosureNote(settings.k, stepAfter(figures?.responses ?? 0, settings.k)),
    fields: FIELD_DESCRIPTIONS,
  };
  const rows: PublishedRow[] = [...aggregates, ...textRows, ...quoteRows].map((r, i) => ({ row: i + 1, ...r }));
  return { metadata, rows, snapshot: figures };
}

/** What was done to the figures and why, in both languages (metadata, data package). */
export function disclosureNote(k: number, step: number) {
  return {
    k,
    /** Answers needed since these figures before new ones. */
    step,
    missingValue: "",
    method: "grouping-and-withholding-in-steps",
    rule: {
      fr: `Pour protéger les quelques personnes derrière les petits nombres, aucun nombre de 1 à ${k - 1} n’est publié. Les réponses trop rares sont regroupées (lignes combined, puis une échelle en « pas d’accord / ni l’un ni l’autre / d’accord ») ; un nombre qui ne peut être ni publié ni regroupé est vide (withheld = fewer, moins de ${k}). Les chiffres publics changent seulement après au moins ${k} nouvelles réponses (1 % des réponses pour une grande consultation) : deux versions diffèrent toujours d’au moins ${k} personnes. Un texte libre n’est publié que si la question en a au moins ${k}.`,
      en: `To protect the few people behind small numbers, no count from 1 to ${k - 1} is published. Answers too rare to show are grouped (combined rows; a scale first into “disagree / neither / agree”); a count that can be neither shown nor grouped is empty (withheld = fewer, fewer than ${k}). Public figures change only after at least ${k} new answers (1 % of the answers for a large consultation): two versions always differ by at least ${k} people. Free texts are published only where a question has at least ${k} of them.`,
    },
  };
}

/** The two files of a dataset, as served (bytes and hashes go into datapackage.json). */
export async function openDataFiles(db: Db, c: ConsultationView, settings: OpenDataSettings) {
  const { metadata, rows, snapshot } = await openDataset(db, c, settings);
  let csv = "";
  for await (const chunk of aggregateCsv(rows)) csv += chunk;
  // Last changed: the publication or a later change of the figures, the public figures' computation, or a text hidden or restored since.
  const changes = [openDataModified(c), snapshot?.takenAt ?? null, await textsModeratedAt(db, c.id)].filter((d): d is Date => d !== null);
  const lastModified = new Date(Math.max(...changes.map((d) => d.getTime())));
  return { metadata, rows, csv, json: JSON.stringify({ metadata, results: rows }, null, 1), lastModified };
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
