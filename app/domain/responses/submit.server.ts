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
import type { Db } from "#db/client";
import { answers, responses, type Channel, type Lang } from "#db/schema";
import { answerWindow, type AnswerRefusal } from "../consultations/rules";
import type { ConsultationView } from "../consultations/types";
import { spendParticipationCode } from "../participation/codes.server";
import { receiptCodeFor } from "./receipt";
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

export type SubmitResult =
  | { ok: true; receiptCode: string; receivedAt: Date; duplicate: boolean }
  | { ok: false; reason: SubmitRefusal };

class Rollback {
  constructor(public reason: SubmitRefusal) {}
}

/** Walks an error's causes for a PostgreSQL error code and constraint (drizzle wraps driver errors). */
export function pgError(error: unknown): { code?: string; constraint?: string } {
  let e: unknown = error;
  for (let depth = 0; e && depth < 5; depth++) {
    const candidate = e as { code?: unknown; constraint_name?: unknown; constraint?: unknown; cause?: unknown };
    if (typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      const constraint = candidate.constraint_name ?? candidate.constraint;
      return { code: candidate.code, constraint: typeof constraint === "string" ? constraint : undefined };
    }
    e = candidate.cause;
  }
  return {};
}

async function existingReceipt(db: Db, submissionId: string, consultationId: string): Promise<SubmitResult | null> {
  const [row] = await db
    .select({ consultationId: responses.consultationId, receiptCode: responses.receiptCode, receivedAt: responses.receivedAt })
    .from(responses)
    .where(eq(responses.submissionId, submissionId));
  if (!row) return null;
  if (row.consultationId !== consultationId) return { ok: false, reason: "id_reused" };
  return { ok: true, receiptCode: row.receiptCode, receivedAt: row.receivedAt, duplicate: true };
}

export async function submitResponse(db: Db, input: SubmitInput): Promise<SubmitResult> {
  const now = input.now ?? new Date();
  const window = answerWindow(input.consultation, now);
  // Paper forms collected in person may be entered after the closing; never into a draft.
  const paperAfterClosing = input.channel === "paper" && !window.ok && window.reason === "closed" && input.consultation.status !== "archived";
  if (!window.ok && !paperAfterClosing) {
    // A repeat is answered with its receipt even if the consultation closed since:
    // the answer was counted when it first arrived.
    return (await existingReceipt(db, input.submissionId, input.consultation.id)) ?? { ok: false, reason: window.reason };
  }
  const code = input.participationCode?.trim() ?? "";
  if (input.consultation.mode === "code" && input.channel !== "paper" && !code) {
    return (await existingReceipt(db, input.submissionId, input.consultation.id)) ?? { ok: false, reason: "code_required" };
  }

  const receiptCode = await receiptCodeFor(input.submissionId);
  try {
    return await db.transaction(async (tx) => {
      const inserted = await tx
        .insert(responses)
        .values({
          consultationId: input.consultation.id,
          submissionId: input.submissionId,
          receiptCode,
          locale: input.locale,
          channel: input.channel,
          receivedAt: now,
        })
        .onConflictDoNothing({ target: responses.submissionId })
        .returning({ id: responses.id });
      if (inserted.length === 0) {
        // The same submission arrived concurrently and won; answer with its receipt.
        const again = await existingReceipt(tx as unknown as Db, input.submissionId, input.consultation.id);
        if (again) return again;
        throw new Rollback("id_reused");
      }
      if (input.consultation.mode === "code" && input.channel !== "paper") {
        const spent = await spendParticipationCode(tx as unknown as Db, input.consultation.id, code, now);
        if (!spent.ok) throw new Rollback(spent.reason);
      }
      const responseId = inserted[0].id;
      if (input.answers.length) {
        await tx.insert(answers).values(
          input.answers.map((a) => ({
            responseId,
            questionId: a.questionId,
            optionIds: a.optionIds,
            text: a.text,
            number: a.number,
            preferNot: a.preferNot,
          })),
        );
      }
      return { ok: true as const, receiptCode, receivedAt: now, duplicate: false };
    });
  } catch (error) {
    if (error instanceof Rollback) return { ok: false, reason: error.reason };
    const { code: sqlState, constraint } = pgError(error);
    if (sqlState === "23505" && constraint === "responses_receipt_code_key") return { ok: false, reason: "receipt_collision" };
    if (sqlState === "23505" && constraint === "responses_submission_id_key") {
      const again = await existingReceipt(db, input.submissionId, input.consultation.id);
      if (again) return again;
    }
    throw error;
  }
}

/** "Was my answer counted?": the day it arrived, or null. */
export async function findReceipt(db: Db, receiptCode: string): Promise<{ receivedAt: Date } | null> {
  const [row] = await db
    .select({ receivedAt: responses.receivedAt })
    .from(responses)
    .where(eq(responses.receiptCode, receiptCode))
    .limit(1);
  return row ?? null;
}

/** Whether a receipt belongs to a consultation (for the thank-you page). */
export async function receiptBelongsTo(db: Db, receiptCode: string, consultationId: string): Promise<boolean> {
  const rows = await db
    .select({ id: responses.id })
    .from(responses)
    .where(and(eq(responses.receiptCode, receiptCode), eq(responses.consultationId, consultationId)))
    .limit(1);
  return rows.length === 1;
}
