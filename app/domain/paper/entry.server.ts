/**
 * Paper forms typed in by an official (decision 035): the same questionnaire as residents',
 * plus what paper brings — the day the form was received, the household's participation code
 * when the consultation uses codes (spent in the same transaction, so a household answers once
 * across channels), and, when the resident marked more than the questionnaire allows, the form
 * recorded as written. Accepted while the consultation is open and, for forms received before
 * the closing, during the grace period after it. Every entry is audited; once the figures are
 * published, an entry makes a new version of them (decision 036).
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client";
import { isUniqueViolation } from "#db/errors";
import { answers as answersTable, consultations, responses, type AsWrittenNote, type Lang } from "#db/schema";
import { audit } from "../audit/audit.server";
import { afterCommit } from "../consultations/cache.server";
import { isDayText, localDay } from "../consultations/dates";
import { acceptsAnswers, type AnswerRefusal } from "../consultations/rules";
import type { ConsultationView } from "../consultations/types";
import { figuresAfterChange } from "../opendata/figures.server";
import { spendParticipationCodeIn } from "../participation/codes.server";
import { PARTICIPATION_CODE, SUBMISSION_ID, type FieldError, type FormValues } from "../responses/fields";
import { receiptCode as receiptOf } from "../responses/receipt.server";
import { canRecordAsWritten, formValues, parseAnswers, parseAnswersAsWritten, type ParsedAnswer } from "../responses/validate.server";

/** Form fields of paper entry besides the questionnaire's. */
export const RECEIVED_ON = "received_on";
export const AS_WRITTEN = "as_written";

export type PaperRefusal =
  AnswerRefusal | "form_expired" | "invalid_answers" | "received_on" | "code_required" | "code_invalid" | "code_used" | "id_reused" | "receipt_collision";

/** A refused paper form as it goes back to the official. */
export interface PaperForm {
  values: FormValues;
  /** Mistakes by question code, or `received_on` / `participation_code`: a key under `errors.` or `staffErrors.`. */
  errors: Record<string, FieldError>;
  submissionId: string;
  /** Every mistake is one a paper form may hold: the official may record it as written. */
  offerAsWritten: boolean;
}

export type PaperResult =
  { ok: true; receiptCode: string; asWritten: string[]; figuresVersion: number | null } | { ok: false; reason: PaperRefusal; state: PaperForm };

export interface PaperInput {
  consultation: ConsultationView;
  lang: Lang;
  form: FormData;
  actorId: string;
  /** The municipality's time zone: the day a form was received is a day there. */
  timeZone: string;
  now?: Date;
}

const envelope = z.object({
  submission_id: z.uuid(),
  participation_code: z.string().max(64).optional(),
  received_on: z.string().max(20).optional(),
  as_written: z.string().max(10).optional(),
});

class Rollback {
  constructor(public reason: "code_invalid" | "code_used" | "id_reused") {}
}

export async function enterPaperAnswer(db: Db, input: PaperInput): Promise<PaperResult> {
  const { consultation: c, form, timeZone } = input;
  const now = input.now ?? new Date();
  const values = formValues(form);
  const refuse = (reason: PaperRefusal, state: Omit<PaperForm, "values" | "offerAsWritten"> & { offerAsWritten?: boolean }): PaperResult => ({
    ok: false,
    reason,
    state: { values, offerAsWritten: false, ...state },
  });
  const read = envelope.safeParse({
    submission_id: form.get(SUBMISSION_ID),
    participation_code: form.get(PARTICIPATION_CODE) ?? undefined,
    received_on: form.get(RECEIVED_ON) ?? undefined,
    as_written: form.get(AS_WRITTEN) ?? undefined,
  });
  if (!read.success) return refuse("form_expired", { errors: {}, submissionId: crypto.randomUUID() });
  const submissionId = read.data.submission_id;

  const window = acceptsAnswers(c, "paper", now);
  if (!window.ok) return refuse(window.reason, { errors: {}, submissionId });

  // What the official typed besides the answers: each mistake named at its field.
  const errors: Record<string, FieldError> = {};
  const receivedOn = (read.data.received_on ?? "").trim();
  const today = localDay(now, timeZone);
  if (!receivedOn) errors[RECEIVED_ON] = { key: "receivedOnMissing" };
  else if (!isDayText(receivedOn)) errors[RECEIVED_ON] = { key: "receivedOnFormat" };
  else if (receivedOn > today) errors[RECEIVED_ON] = { key: "receivedOnFuture" };
  else if (c.closesAt && receivedOn > localDay(c.closesAt, timeZone))
    errors[RECEIVED_ON] = { key: "receivedOnAfterClose", params: { day: localDay(c.closesAt, timeZone) } };
  const code = (read.data.participation_code ?? "").trim();
  if (c.mode === "code" && !code) errors[PARTICIPATION_CODE] = { key: "paperCodeRequired" };

  const asWritten = read.data.as_written === "on" || read.data.as_written === "true";
  let parsed: ParsedAnswer[];
  let notes: Record<string, AsWrittenNote> = {};
  const strict = parseAnswers(c.questions, form);
  if (strict.ok) parsed = strict.answers;
  else if (asWritten) {
    const lenient = parseAnswersAsWritten(c.questions, form);
    if (!lenient.ok) return refuse("invalid_answers", { errors: { ...lenient.errors, ...errors }, submissionId });
    parsed = lenient.answers;
    notes = lenient.notes;
  } else {
    return refuse("invalid_answers", {
      errors: { ...strict.errors, ...errors },
      submissionId,
      offerAsWritten: canRecordAsWritten(c.questions, strict.errors),
    });
  }
  if (errors[RECEIVED_ON]) return refuse("received_on", { errors, submissionId });
  if (errors[PARTICIPATION_CODE]) return refuse("code_required", { errors, submissionId });

  const receiptCode = receiptOf(submissionId);
  const asWrittenCodes = Object.keys(notes);
  try {
    return await afterCommit(c.slug, () =>
      db.transaction(async (tx) => {
        const [inserted] = await tx
          .insert(responses)
          .values({
            consultationId: c.id,
            submissionId,
            receiptCode,
            locale: input.lang,
            channel: "paper",
            receivedAt: now,
            paperReceivedOn: receivedOn,
            asWritten: asWrittenCodes.length ? notes : null,
          })
          .onConflictDoNothing({ target: responses.submissionId })
          .returning({ id: responses.id });
        // The same form sent again (a double click, a reload): it was recorded the first time.
        if (!inserted) {
          const [before] = await tx
            .select({ consultationId: responses.consultationId, receiptCode: responses.receiptCode })
            .from(responses)
            .where(eq(responses.submissionId, submissionId));
          if (before && before.consultationId === c.id)
            return { ok: true, receiptCode: before.receiptCode, asWritten: asWrittenCodes, figuresVersion: null } as const;
          throw new Rollback("id_reused");
        }
        if (parsed.length)
          await tx.insert(answersTable).values(
            parsed.map((a) => ({
              responseId: inserted.id,
              questionId: a.questionId,
              optionIds: a.optionIds,
              text: a.text,
              number: a.number,
              preferNot: a.preferNot,
            })),
          );
        if (c.mode === "code") {
          const spent = await spendParticipationCodeIn(tx, c.id, code, now);
          if (!spent.ok) throw new Rollback(spent.reason);
        }
        await audit(tx, {
          actorId: input.actorId,
          action: "paper.enter",
          targetType: "consultation",
          targetId: c.slug,
          details: { receipt: receiptCode, receivedOn, withCode: c.mode === "code", asWritten: asWrittenCodes },
        });
        const figuresVersion = (await figuresAfterChange(tx, input.actorId, c.id, "paper_answer", now)).version;
        return { ok: true, receiptCode, asWritten: asWrittenCodes, figuresVersion } as const;
      }),
    );
  } catch (error) {
    // An id used elsewhere or a receipt that collided cannot be sent again: the form gets a fresh id.
    if (error instanceof Rollback) return refuse(error.reason, { errors: {}, submissionId: error.reason === "id_reused" ? crypto.randomUUID() : submissionId });
    if (isUniqueViolation(error, "responses_receipt_code_key")) return refuse("receipt_collision", { errors: {}, submissionId: crypto.randomUUID() });
    throw error;
  }
}

export const MAX_GRACE_DAYS = 365;

/** The official sets how many days after the closing paper forms may still be entered (audited). */
export async function setPaperGraceDays(
  db: Db,
  actorId: string,
  c: Pick<ConsultationView, "id" | "slug" | "paperGraceDays">,
  days: number,
): Promise<{ ok: true }> {
  return afterCommit(c.slug, () =>
    db.transaction(async (tx) => {
      await tx.update(consultations).set({ paperGraceDays: days }).where(eq(consultations.id, c.id));
      await audit(tx, { actorId, action: "paper.grace", targetType: "consultation", targetId: c.slug, details: { from: c.paperGraceDays, to: days } });
      return { ok: true } as const;
    }),
  );
}
