/**
 * Reference shares: for each answer of a demographic question, the share of the population it
 * stands for (e.g. census: 30 % rural), against which the summary says who has not been heard.
 * This module alone reads and writes them: the references page, a new demographic question
 * (which starts with the municipality's defaults), a duplicated consultation, the summary.
 */
import { eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { options, referenceShares, type Demographic } from "#db/schema";
import type { ReferencesForm } from "../consultations/schema.server";
import type { ConsultationView } from "../consultations/types";
import { savedMunicipality, standardReferences } from "../settings/settings.server";

export interface ReferenceShare {
  questionId: string;
  optionId: string;
  /** The share of the population, in percent, as stored: two decimals ("27.50"). */
  percent: string;
  /** Where the shares of the question come from (a census, a survey). */
  source: string;
}

/** Why reference shares are not saved: the question is no demographic question of this consultation. */
export type ReferencesRefusal = "not_found";

export type ReferencesResult = { ok: true } | { ok: false; reason: ReferencesRefusal };

/** Every reference share set for a consultation's questions. */
export async function listReferenceShares(db: DbOrTx, consultationId: string): Promise<ReferenceShare[]> {
  return db
    .select()
    .from(referenceShares)
    .where(sql`${referenceShares.questionId} in (select id from questions where consultation_id = ${consultationId})`);
}

/** Replaces a question's reference shares (in percent) and their source, in one transaction. */
export async function setReferenceShares(db: Db, questionId: string, shares: { optionId: string; percent: number }[], source: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(referenceShares).where(eq(referenceShares.questionId, questionId));
    const rows = shares.filter((s) => Number.isFinite(s.percent));
    if (rows.length) await tx.insert(referenceShares).values(rows.map((s) => ({ questionId, optionId: s.optionId, percent: s.percent.toFixed(2), source })));
  });
}

/** Replaces a demographic question's reference shares from the references form; shares of anything but its own answers are ignored. */
export async function saveReferences(db: Db, c: ConsultationView, form: ReferencesForm): Promise<ReferencesResult> {
  const question = c.questions.find((q) => q.id === form.questionId && q.demographic);
  if (!question) return { ok: false, reason: "not_found" };
  const shares = question.options.flatMap((o) => {
    const percent = form.share[o.id];
    return percent === null || percent === undefined ? [] : [{ optionId: o.id, percent }];
  });
  await setReferenceShares(db, question.id, shares, form.source);
  return { ok: true };
}

/** The municipality's default reference shares of a demographic question (by answer code), and their source. */
export async function defaultReferences(db: DbOrTx, demographic: Demographic): Promise<{ shares: Record<string, number>; source: string }> {
  const saved = await savedMunicipality(db);
  return { shares: standardReferences(saved.references)[demographic] ?? {}, source: saved.referenceSource ?? "" };
}

/** A new demographic question starts with the municipality's default reference shares for its answers (by code). */
export async function copyDefaultReferences(db: DbOrTx, questionId: string, demographic: Demographic): Promise<void> {
  const { shares, source } = await defaultReferences(db, demographic);
  if (!Object.keys(shares).length) return;
  const rows = await db.select({ id: options.id, code: options.code }).from(options).where(eq(options.questionId, questionId));
  const values = rows.flatMap((o) => (typeof shares[o.code] === "number" ? [{ questionId, optionId: o.id, percent: shares[o.code].toFixed(2), source }] : []));
  if (values.length) await db.insert(referenceShares).values(values);
}

/**
 * A duplicated consultation takes the reference shares of the one it copies: each share goes to
 * the copy's question and answer (by the maps from the original's ids to the copy's).
 */
export async function copyReferenceShares(
  db: DbOrTx,
  fromConsultationId: string,
  questionIds: Map<string, string>,
  optionIds: Map<string, string>,
): Promise<void> {
  const shares = await listReferenceShares(db, fromConsultationId);
  if (shares.length)
    await db
      .insert(referenceShares)
      .values(shares.map((s) => ({ questionId: questionIds.get(s.questionId)!, optionId: optionIds.get(s.optionId)!, percent: s.percent, source: s.source })));
}
