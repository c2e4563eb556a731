/**
 * Storing a resident's answers exactly once.
 *
 * The submission id (a UUID the form or the device makes) is the idempotency
 * key: a repeat — double click, browser retry, offline replay — answers with
 * the receipt of the first and stores nothing. The receipt code follows from
 * the submission id. A participation code is spent in the same transaction
 * that stores the answer, so neither happens without the other.
 */
import { and, eq } from "drizzle-orm";
import { statementsOf, type Db, type Statements, type DbOrTx } from "#db/client";
import { isUniqueViolation } from "#db/errors";
import { responses, type Channel, type Lang } from "#db/schema";
import { acceptsAnswers, answerWindow, type AnswerRefusal } from "../consultations/rules";
import type { ConsultationView } from "../consultations/types";
import { spendParticipationCode } from "../participation/codes.server";
import { receiptCode as receiptOf } from "./receipt.server";
import type { ParsedAnswer } from "./validate.server";

export interface SubmitInput {
  consultation: Pick<ConsultationView, "id" | "status" | "opensAt" | "closesAt" | "mode">;
  submissionId: string;
  locale: Lang;
  channel: Channel;
  answers: ParsedAnswer[];
  participationCode?: string;
  now?: Date;
}

export type SubmitRefusal = AnswerRefusal | "code_required" | "code_invalid" | "code_used" | "receipt_collision" | "id_reused";

export type SubmitResult = { ok: true; receiptCode: string; receivedAt: Date; duplicate: boolean } | { ok: false; reason: SubmitRefusal };

class Rollback {
  constructor(public reason: SubmitRefusal) {}
}

/**
 * One statement stores the response and its answers: atomic without a transaction of its
 * own, one round trip, planned once per connection. A repeated submission id inserts
 * nothing and returns no row. Answers travel as one JSON array, whatever their number.
 * Online and offline answers are stored only while the consultation's row says it is open:
 * the view the answer was judged on may be a few seconds old (read through the consultation
 * cache), and a closing made through another process must refuse answers at once (decision 063).
 */
export const STORE_RESPONSE = `with inserted as (
    insert into responses (consultation_id, submission_id, receipt_code, locale, channel, received_at)
    select $1::uuid, $2::uuid, $3::text, $4::text, $5::text, $6::timestamptz
    where $5::text = 'paper' or exists (
      select 1 from consultations c
      where c.id = $1::uuid and c.status = 'open'
        and (c.opens_at is null or c.opens_at <= $6::timestamptz)
        and (c.closes_at is null or c.closes_at > $6::timestamptz)
    )
    on conflict (submission_id) do nothing
    returning id
  ), stored as (
    insert into answers (response_id, question_id, option_ids, text, number, prefer_not)
    select inserted.id, a.question_id, a.option_ids, a.text, a.number, a.prefer_not
    from inserted, jsonb_to_recordset($7::text::jsonb) as a(question_id uuid, option_ids uuid[], text text, number integer, prefer_not boolean)
  )
  select id from inserted`;

/** The parameters of `STORE_RESPONSE`. */
export function storeResponseParams(row: {
  consultationId: string;
  submissionId: string;
  receiptCode: string;
  locale: Lang;
  channel: Channel;
  receivedAt: Date;
  answers: ParsedAnswer[];
}): unknown[] {
  const answers = row.answers.map((a) => ({
    question_id: a.questionId,
    option_ids: a.optionIds,
    text: a.text,
    number: a.number,
    prefer_not: a.preferNot,
  }));
  return [row.consultationId, row.submissionId, row.receiptCode, row.locale, row.channel, row.receivedAt.toISOString(), JSON.stringify(answers)];
}

/** Why the database did not take an answer the (cached) view allowed: the consultation as stored now. */
async function windowNow(db: Statements, consultationId: string, now: Date): Promise<AnswerRefusal> {
  const [row] = await db.run<{ status: ConsultationView["status"]; opens_at: Date | string | null; closes_at: Date | string | null }>(
    "select status, opens_at, closes_at from consultations where id = $1::uuid",
    [consultationId],
  );
  if (!row) return "closed";
  const date = (v: Date | string | null) => (v === null ? null : new Date(v));
  const window = answerWindow({ status: row.status, opensAt: date(row.opens_at), closesAt: date(row.closes_at) }, now);
  // Open again by now (closed and reopened in between): refused all the same; a new try is stored.
  return window.ok ? "closed" : window.reason;
}

async function existingReceipt(db: Statements, submissionId: string, consultationId: string): Promise<SubmitResult | null> {
  const [row] = await db.run<{ consultation_id: string; receipt_code: string; received_at: Date | string }>(
    "select consultation_id, receipt_code, received_at from responses where submission_id = $1::uuid",
    [submissionId],
  );
  if (!row) return null;
  if (row.consultation_id !== consultationId) return { ok: false, reason: "id_reused" };
  return { ok: true, receiptCode: row.receipt_code, receivedAt: new Date(row.received_at), duplicate: true };
}

export async function submitResponse(db: Db, input: SubmitInput): Promise<SubmitResult> {
  const statements = statementsOf(db);
  const now = input.now ?? new Date();
  const window = acceptsAnswers(input.consultation, input.channel, now);
  if (!window.ok) {
    // A repeat is answered with its receipt even if the consultation closed since:
    // the answer was counted when it first arrived.
    return (await existingReceipt(statements, input.submissionId, input.consultation.id)) ?? { ok: false, reason: window.reason };
  }
  const code = input.participationCode?.trim() ?? "";
  const needsCode = input.consultation.mode === "code" && input.channel !== "paper";
  if (needsCode && !code) {
    return (await existingReceipt(statements, input.submissionId, input.consultation.id)) ?? { ok: false, reason: "code_required" };
  }

  const receiptCode = receiptOf(input.submissionId);
  const params = storeResponseParams({
    consultationId: input.consultation.id,
    submissionId: input.submissionId,
    receiptCode,
    locale: input.locale,
    channel: input.channel,
    receivedAt: now,
    answers: input.answers,
  });
  const stored: SubmitResult = { ok: true, receiptCode, receivedAt: now, duplicate: false };
  try {
    if (!needsCode) {
      const inserted = await statements.run(STORE_RESPONSE, params);
      // Nothing inserted: the same submission arrived before (or concurrently, and won), or the
      // consultation stopped taking answers since the view was read.
      if (inserted.length === 0)
        return (
          (await existingReceipt(statements, input.submissionId, input.consultation.id)) ?? {
            ok: false,
            reason: await windowNow(statements, input.consultation.id, now),
          }
        );
      return stored;
    }
    // Code mode: the code is spent in the same transaction, or the answer is not stored.
    return await statements.transaction(async (tx) => {
      const inserted = await tx.run(STORE_RESPONSE, params);
      if (inserted.length === 0) {
        const again = await existingReceipt(tx, input.submissionId, input.consultation.id);
        if (again) return again;
        throw new Rollback(await windowNow(tx, input.consultation.id, now));
      }
      const spent = await spendParticipationCode(tx, input.consultation.id, code, now);
      if (!spent.ok) throw new Rollback(spent.reason);
      return stored;
    });
  } catch (error) {
    if (error instanceof Rollback) return { ok: false, reason: error.reason };
    if (isUniqueViolation(error, "responses_receipt_code_key")) return { ok: false, reason: "receipt_collision" };
    if (isUniqueViolation(error, "responses_submission_id_key")) {
      const again = await existingReceipt(statements, input.submissionId, input.consultation.id);
      if (again) return again;
    }
    throw error;
  }
}

/** "Was my answer counted?": the day it arrived, or null. */
export async function findReceipt(db: DbOrTx, receiptCode: string): Promise<{ receivedAt: Date } | null> {
  const [row] = await db.select({ receivedAt: responses.receivedAt }).from(responses).where(eq(responses.receiptCode, receiptCode)).limit(1);
  return row ?? null;
}

/** Whether a receipt belongs to a consultation (for the thank-you page). */
export async function receiptBelongsTo(db: DbOrTx, receiptCode: string, consultationId: string): Promise<boolean> {
  const rows = await db
    .select({ id: responses.id })
    .from(responses)
    .where(and(eq(responses.receiptCode, receiptCode), eq(responses.consultationId, consultationId)))
    .limit(1);
  return rows.length === 1;
}
