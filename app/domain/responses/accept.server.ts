/**
 * Accepting a resident's questionnaire, from the posted form to the receipt or to
 * a named refusal with the form to show again: envelope, validation, rate limit,
 * storage. Used by the consultation route (which gives each refusal its status and
 * message) and by the server's fast path for answers; no HTTP here.
 */
import type { Db } from "#db/client";
import { isDatabaseUnavailable } from "#db/errors";
import type { Channel, Lang } from "#db/schema";
import { acceptsAnswers, type AnswerRefusal } from "../consultations/rules";
import type { ConsultationView } from "../consultations/types";
import { clientKey, hitBuffered, type Limit } from "../ratelimit/ratelimit.server";
import { PARTICIPATION_CODE, SUBMISSION_ID, type FieldError, type FormValues } from "./fields";
import { submitResponse, type SubmitRefusal } from "./submit.server";
import { envelopeSchema, formValues, parseAnswers, type FormLike } from "./validate.server";
import { checkParticipationCode } from "../participation/codes.server";

/** A refused answer's form as it goes back to the page. */
export interface AnswerForm {
  values: FormValues;
  /** Mistakes in the answers, by question code: a message key under `errors.` and its parameters. */
  errors: Record<string, FieldError>;
  /** The id the corrected form is sent with; a fresh one when the old one cannot be used again. */
  submissionId: string;
}

/** Why an answer was not stored: the store's refusals, and what stops it before. */
export type AcceptRefusal = SubmitRefusal | "form_expired" | "invalid_answers" | "rate_limited" | "unavailable";

export type AcceptAnswerResult =
  | { ok: true; receiptCode: string }
  | {
      ok: false;
      reason: AcceptRefusal;
      state: AnswerForm;
      /** With `invalid_answers`: why the answer would be refused even once corrected (the consultation no longer takes answers). */
      window?: AnswerRefusal;
      /** With `invalid_answers`: what is wrong with the participation code too, said at the same time. */
      code?: CodeRefusal;
      /** With `rate_limited`: how long until the client may answer again. */
      retryAfterSeconds?: number;
    };

/** What can be wrong with a participation code. */
export type CodeRefusal = Extract<SubmitRefusal, "code_required" | "code_invalid" | "code_used">;

/** A form refused for its answers still says what is wrong with its code, read without spending it. */
async function codeProblem(
  db: Db,
  { consultation, channel, clientAddress, limit }: Pick<AcceptInput, "consultation" | "channel" | "clientAddress" | "limit">,
  typed: string | undefined,
): Promise<CodeRefusal | null> {
  if (consultation.mode !== "code" || channel === "paper") return null;
  const code = typed?.trim() ?? "";
  if (!code) return "code_required";
  try {
    // Over the client's limit, the code is not read: the answers' mistakes are said alone.
    if (limit && !hitBuffered(db, await clientKey(db, "submit", clientAddress), limit).allowed) return null;
    const checked = await checkParticipationCode(db, consultation.id, code);
    return checked.ok ? null : checked.reason;
  } catch (error) {
    // The answers' mistakes are said even while the database blinks; the code is checked on the next try.
    if (isDatabaseUnavailable(error)) return null;
    throw error;
  }
}

export interface AcceptInput {
  consultation: ConsultationView;
  lang: Lang;
  form: FormLike & Iterable<[string, unknown]> & { get(name: string): unknown };
  channel: Channel;
  clientAddress: string | undefined;
  /** Answers per client address; null for answers typed in by signed-in staff (paper). */
  limit: Limit | null;
}

export async function acceptAnswer(db: Db, { consultation, lang, form, channel, clientAddress, limit }: AcceptInput): Promise<AcceptAnswerResult> {
  const values = formValues(form);
  const refuse = (
    reason: AcceptRefusal,
    state: Omit<AnswerForm, "values">,
    more: { window?: AnswerRefusal; code?: CodeRefusal; retryAfterSeconds?: number } = {},
  ): AcceptAnswerResult => ({ ok: false, reason, state: { values, ...state }, ...more });
  const envelope = envelopeSchema.safeParse({
    submission_id: form.get(SUBMISSION_ID),
    participation_code: form.get(PARTICIPATION_CODE) ?? undefined,
  });
  if (!envelope.success) return refuse("form_expired", { errors: {}, submissionId: crypto.randomUUID() });
  const submissionId = envelope.data.submission_id;
  const parsed = parseAnswers(consultation.questions, form);
  if (!parsed.ok) {
    const window = acceptsAnswers(consultation, channel, new Date());
    // The code is read only where an answer could be stored, and each reading counts against the
    // client's answers, so broken forms cannot test codes faster than answers could.
    const code = window.ok ? await codeProblem(db, { consultation, channel, clientAddress, limit }, envelope.data.participation_code) : null;
    return refuse("invalid_answers", { errors: parsed.errors, submissionId }, { ...(window.ok ? {} : { window: window.reason }), ...(code ? { code } : {}) });
  }
  try {
    const limited = limit ? hitBuffered(db, await clientKey(db, "submit", clientAddress), limit) : null;
    if (limited && !limited.allowed) return refuse("rate_limited", { errors: {}, submissionId }, { retryAfterSeconds: limited.retryAfterSeconds });
    const result = await submitResponse(db, {
      consultation,
      submissionId,
      locale: lang,
      channel,
      answers: parsed.answers,
      participationCode: envelope.data.participation_code,
    });
    if (result.ok) return { ok: true, receiptCode: result.receiptCode };
    // A receipt that collided or an id used elsewhere cannot be sent again: the form gets a fresh id.
    const fresh = result.reason === "receipt_collision" || result.reason === "id_reused";
    return refuse(result.reason, { errors: {}, submissionId: fresh ? crypto.randomUUID() : submissionId });
  } catch (error) {
    // The database blinked: nothing was acknowledged; the page comes back with every answer
    // (and the service worker, where there is one, keeps the answer and sends it later).
    if (isDatabaseUnavailable(error)) return refuse("unavailable", { errors: {}, submissionId });
    throw error;
  }
}
