/**
 * Accepting a resident's questionnaire, from the posted form to the receipt or
 * to what the page should say: envelope, validation, rate limit, storage. Used
 * by the consultation route and by the server's fast path for answers; no HTTP here.
 */
import type { Db } from "#db/client";
import { isDatabaseUnavailable } from "#db/errors";
import type { Channel, Lang } from "#db/schema";
import { acceptsAnswers } from "../consultations/rules";
import type { ConsultationView } from "../consultations/types";
import { clientKey, hitBuffered, type Limit } from "../ratelimit/ratelimit.server";
import { PARTICIPATION_CODE, SUBMISSION_ID, type FieldError, type FormValues } from "./fields";
import { submitResponse, type SubmitRefusal } from "./submit.server";
import { envelopeSchema, formValues, parseAnswers, type FormLike } from "./validate.server";

export interface FormState {
  values: FormValues;
  errors: Record<string, FieldError>;
  formError: string | null;
  /** The id the corrected form is sent with; a fresh one when the old one cannot be used again. */
  submissionId: string;
}

/** Why an answer was not stored: the store's refusals, and what stops it before. */
export type AcceptRefusal = SubmitRefusal | "form_expired" | "invalid_answers" | "rate_limited" | "unavailable";

export type AcceptResult =
  { ok: true; receiptCode: string } | { ok: false; reason: AcceptRefusal; status: number; state: FormState; retryAfterSeconds?: number };

const REFUSAL: Record<SubmitRefusal, { status: number; key: string; field?: string }> = {
  closed: { status: 409, key: "closed" },
  not_open: { status: 409, key: "notOpen" },
  not_yet_open: { status: 409, key: "notYetOpen" },
  // Only paper answers have a grace period; residents' answers are refused as closed.
  grace_over: { status: 409, key: "closed" },
  code_required: { status: 400, key: "codeRequired", field: PARTICIPATION_CODE },
  code_invalid: { status: 400, key: "codeInvalid", field: PARTICIPATION_CODE },
  code_used: { status: 409, key: "codeUsed", field: PARTICIPATION_CODE },
  receipt_collision: { status: 409, key: "receiptCollision" },
  id_reused: { status: 409, key: "idReused" },
};

export interface AcceptInput {
  consultation: ConsultationView;
  lang: Lang;
  form: FormLike & Iterable<[string, unknown]> & { get(name: string): unknown };
  channel: Channel;
  clientAddress: string | undefined;
  /** Answers per client address; null for answers typed in by signed-in staff (paper). */
  limit: Limit | null;
}

export async function acceptAnswer(db: Db, { consultation, lang, form, channel, clientAddress, limit }: AcceptInput): Promise<AcceptResult> {
  const values = formValues(form);
  const refuse = (reason: AcceptRefusal, status: number, state: Omit<FormState, "values">, retryAfterSeconds?: number): AcceptResult => ({
    ok: false,
    reason,
    status,
    state: { values, ...state },
    retryAfterSeconds,
  });
  const envelope = envelopeSchema.safeParse({
    submission_id: form.get(SUBMISSION_ID),
    participation_code: form.get(PARTICIPATION_CODE) ?? undefined,
  });
  if (!envelope.success) return refuse("form_expired", 400, { errors: {}, formError: "formExpired", submissionId: crypto.randomUUID() });
  const submissionId = envelope.data.submission_id;
  const parsed = parseAnswers(consultation.questions, form);
  if (!parsed.ok) {
    const window = acceptsAnswers(consultation, channel, new Date());
    return refuse("invalid_answers", 400, { errors: parsed.errors, formError: window.ok ? null : REFUSAL[window.reason].key, submissionId });
  }
  try {
    const limited = limit ? hitBuffered(db, await clientKey(db, "submit", clientAddress), limit) : null;
    if (limited && !limited.allowed) return refuse("rate_limited", 429, { errors: {}, formError: "tooMany", submissionId }, limited.retryAfterSeconds);
    const result = await submitResponse(db, {
      consultation,
      submissionId,
      locale: lang,
      channel,
      answers: parsed.answers,
      participationCode: envelope.data.participation_code,
    });
    if (result.ok) return { ok: true, receiptCode: result.receiptCode };
    const refusal = REFUSAL[result.reason];
    const fresh = result.reason === "receipt_collision" || result.reason === "id_reused";
    return refuse(result.reason, refusal.status, {
      errors: refusal.field ? { [refusal.field]: { key: refusal.key } } : {},
      formError: refusal.field ? null : refusal.key,
      submissionId: fresh ? crypto.randomUUID() : submissionId,
    });
  } catch (error) {
    // The database blinked: nothing was acknowledged; the page comes back with every answer
    // (and the service worker, where there is one, keeps the answer and sends it later).
    if (isDatabaseUnavailable(error)) return refuse("unavailable", 503, { errors: {}, formError: "unavailable", submissionId }, 30);
    throw error;
  }
}
