/**
 * Open data: once a consultation is closed, an official may publish its
 * aggregate results and its visible (moderated) free text. Nothing personal
 * goes out: no receipt or participation codes, no addresses, no time finer
 * than the day, no per-response rows. Both languages side by side.
 */
import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { answers, consultations, questions, responses } from "#db/schema";
import { audit } from "../audit/audit.server";
import type { ConsultationView } from "../consultations/types";
import { neutralise } from "../exports/raw.server";
import { summarize, type Summary } from "../summary/summary.server";

export const LICENCE = {
  name: "Licence Ouverte / Open Licence 2.0",
  url: "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
};

export const CSV_COLUMNS = [
  "kind",
  "question_code",
  "question_fr",
  "question_en",
  "option_code",
  "option_fr",
  "option_en",
  "count",
  "share",
  "mean",
  "text",
] as const;
export type AggregateRow = Record<(typeof CSV_COLUMNS)[number], string | number | null>;

/** Every column of the open-data CSV, described in both languages (also in the JSON metadata). */
export const FIELD_DESCRIPTIONS: Record<(typeof CSV_COLUMNS)[number], { fr: string; en: string }> = {
  kind: {
    fr: "Type de ligne : responses (total), answered (réponses à la question), option (une réponse au choix), prefer_not, other (« Autre »), scale (valeur 1 à 5 d’une échelle), mean (moyenne d’une échelle), rank (rang moyen d’un classement), text (texte libre visible)",
    en: "Row type: responses (total), answered (answers to the question), option (one answer to choose), prefer_not, other (“Other”), scale (value 1 to 5 of a scale), mean (mean of a scale), rank (average rank in a ranking), text (visible free text)",
  },
  question_code: { fr: "Code stable de la question", en: "Stable code of the question" },
  question_fr: { fr: "Libellé de la question en français", en: "Wording of the question in French" },
  question_en: { fr: "Libellé de la question en anglais", en: "Wording of the question in English" },
  option_code: { fr: "Code stable de la réponse (ou valeur 1 à 5 pour une échelle)", en: "Stable code of the answer (or value 1 to 5 for a scale)" },
  option_fr: { fr: "Libellé de la réponse en français", en: "Label of the answer in French" },
  option_en: { fr: "Libellé de la réponse en anglais", en: "Label of the answer in English" },
  count: { fr: "Nombre de réponses", en: "Number of answers" },
  share: { fr: "Part des personnes ayant répondu à la question (0 à 1)", en: "Share of those who answered the question (0 to 1)" },
  mean: { fr: "Moyenne (échelle) ou rang moyen (classement, 1 = premier)", en: "Mean (scale) or average rank (ranking, 1 = first)" },
  text: { fr: "Texte libre visible après modération, tel qu’écrit", en: "Free text visible after moderation, as written" },
};

const round = (n: number) => Math.round(n * 10_000) / 10_000;

/** Aggregate rows for a summary; free-text rows come separately. */
export function aggregateRows(summary: Summary): AggregateRow[] {
  const blank = { option_code: null, option_fr: null, option_en: null, count: null, share: null, mean: null, text: null };
  const rows: AggregateRow[] = [{ kind: "responses", question_code: null, question_fr: null, question_en: null, ...blank, count: summary.total }];
  for (const q of summary.questions) {
    const base = { question_code: q.code, question_fr: q.prompt.fr, question_en: q.prompt.en };
    rows.push({ kind: "answered", ...base, ...blank, count: q.answered });
    for (const o of q.options)
      rows.push({
        kind: q.kind === "ranking" ? "rank" : "option",
        ...base,
        ...blank,
        option_code: o.code,
        option_fr: o.labels.fr,
        option_en: o.labels.en,
        count: o.count,
        share: round(o.share),
        mean: o.meanPosition === null ? null : round(o.meanPosition),
      });
    if (q.scale) {
      q.scale.distribution.forEach((n, i) =>
        rows.push({ kind: "scale", ...base, ...blank, option_code: String(i + 1), count: n, share: q.answered ? round(n / q.answered) : 0 }),
      );
      rows.push({ kind: "mean", ...base, ...blank, mean: q.scale.mean === null ? null : round(q.scale.mean) });
    }
    if (q.other) rows.push({ kind: "other", ...base, ...blank, count: q.other, share: q.answered ? round(q.other / q.answered) : 0 });
    if (q.preferNot) rows.push({ kind: "prefer_not", ...base, ...blank, count: q.preferNot, share: q.answered ? round(q.preferNot / q.answered) : 0 });
  }
  return rows;
}

/** Visible free text (answers and "Other" texts), oldest first; never hidden text. */
export async function visibleTexts(db: Db, consultationId: string): Promise<{ questionCode: string; text: string }[]> {
  return db
    .select({ questionCode: questions.code, text: sql<string>`${answers.text}` })
    .from(answers)
    .innerJoin(responses, eq(responses.id, answers.responseId))
    .innerJoin(questions, eq(questions.id, answers.questionId))
    .where(and(eq(responses.consultationId, consultationId), isNotNull(answers.text), eq(answers.hidden, false)))
    .orderBy(questions.position, responses.receivedAt, answers.id);
}

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

export async function openDataset(db: Db, c: ConsultationView) {
  const summary = await summarize(db, c);
  const texts = await visibleTexts(db, c.id);
  const prompts = new Map(c.questions.map((q) => [q.code, q.texts]));
  const textRows: AggregateRow[] = texts.map((t) => ({
    kind: "text",
    question_code: t.questionCode,
    question_fr: prompts.get(t.questionCode)?.fr.prompt ?? null,
    question_en: prompts.get(t.questionCode)?.en.prompt ?? null,
    option_code: null,
    option_fr: null,
    option_en: null,
    count: null,
    share: null,
    mean: null,
    text: t.text,
  }));
  const metadata = {
    slug: c.slug,
    title: { fr: c.texts.fr.title, en: c.texts.en.title },
    summary: { fr: c.texts.fr.summary, en: c.texts.en.summary },
    licence: LICENCE,
    opened: day(c.opensAt),
    closed: day(c.closesAt),
    published: day(c.openDataPublishedAt),
    counts: { responses: summary.total, byChannel: summary.byChannel, freeTexts: texts.length },
    fields: FIELD_DESCRIPTIONS,
  };
  return { metadata, rows: [...aggregateRows(summary), ...textRows] };
}

export type PublishResult = { ok: true } | { ok: false; reason: "not_closed" };

export async function publishOpenData(db: Db, actorId: string, c: ConsultationView, publish: boolean): Promise<PublishResult> {
  if (publish && c.status !== "closed" && c.status !== "archived") return { ok: false, reason: "not_closed" };
  await db.transaction(async (tx) => {
    await tx
      .update(consultations)
      .set({ openDataPublishedAt: publish ? new Date() : null })
      .where(eq(consultations.id, c.id));
    await audit(tx as unknown as Db, { actorId, action: publish ? "opendata.publish" : "opendata.unpublish", targetType: "consultation", targetId: c.slug });
  });
  return { ok: true };
}

export async function listPublishedDatasets(db: Db) {
  return db
    .select({ slug: consultations.slug, texts: consultations.texts, publishedAt: consultations.openDataPublishedAt })
    .from(consultations)
    .where(isNotNull(consultations.openDataPublishedAt))
    .orderBy(desc(consultations.openDataPublishedAt));
}

/** Aggregate rows as CSV (RFC 4180, UTF-8 with BOM, formula-safe cells). */
export function aggregateCsv(rows: AggregateRow[]): Readable {
  return Readable.from(rows.map((r) => Object.fromEntries(CSV_COLUMNS.map((k) => [k, neutralise(r[k])])))).pipe(
    stringify({ header: true, columns: [...CSV_COLUMNS], bom: true, record_delimiter: "\r\n" }),
  );
}
