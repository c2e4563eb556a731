/**
 * Text messages as the server receives them (decision 066): from a provider's webhook (Twilio,
 * the Android gateway) or the staff simulator, into the one conversation engine, with this
 * commune's secret, settings and addresses. Nothing here keeps or logs a number or a body.
 */
import { getConsultationCached } from "../domain/consultations/cache.server";
import type { ConsultationView } from "../domain/consultations/types";
import { shortCodeFor } from "../domain/consultations/short.server";
import { acceptAnswer } from "../domain/responses/accept.server";
import { handleMessage, type SmsContext, type SubmitOutcome } from "../domain/sms/conversation.server";
import { phoneHashOf } from "../domain/sms/phone.server";
import { codeSecret } from "../platform/code-secret.server";
import { publicOrigin } from "../platform/commune.server";
import { getDb } from "../platform/db.server";
import { loadEnv } from "../platform/env.server";
import { errorFields, log } from "../platform/log.server";
import { parseAnswers } from "../domain/responses/validate.server";
import { urls } from "../urls";
import { tFor } from "../i18n/i18n";
import { answerCounted } from "./fast-answer.server";
import { municipality } from "./settings.server";

export type SmsProvider = "twilio" | "android-sms-gateway";

/** The provider this installation takes messages from, or null when SMS is off. */
export function smsProvider(): SmsProvider | null {
  return loadEnv().QUORUM_SMS_PROVIDER ?? null;
}

/** The number residents text, as shown to them (QUORUM_SMS_NUMBER), or null. */
export function smsNumber(): string | null {
  return loadEnv().QUORUM_SMS_NUMBER ?? null;
}

/**
 * "Répondez par SMS : envoyez AIR au 07 57 59 12 34" — for letters, the blank questionnaire and
 * the consultation page; null while SMS is off, the number unknown or the consultation without keyword.
 */
export function smsInvite(c: Pick<ConsultationView, "smsKeyword">, lang: "fr" | "en"): string | null {
  const number = smsNumber();
  if (!smsProvider() || !number || !c.smsKeyword) return null;
  return tFor(lang)("sms.invite", { keyword: c.smsKeyword, number });
}

/** This commune's addresses in messages: the short address of a consultation's page, a receipt's page. */
export function smsLinks(): Pick<SmsContext, "link" | "paths"> {
  return {
    link: (path) => `${publicOrigin()}${path}`,
    paths: { short: (lang, c) => urls.short(lang, shortCodeFor(c.id)), receipt: (lang, code) => urls.receipt(lang, code) },
  };
}

/** The engine's context for this commune: its names, its addresses, and how answers are stored. */
async function contextFor(trial: boolean): Promise<SmsContext> {
  const db = await getDb();
  const m = await municipality();
  const store = async (consultation: ConsultationView, lang: "fr" | "en", form: URLSearchParams): Promise<SubmitOutcome> => {
    const result = await acceptAnswer(db, { consultation, lang, form, channel: "sms", clientAddress: undefined, limit: null });
    return result.ok ? { ok: true, receiptCode: result.receiptCode } : { ok: false, reason: result.reason };
  };
  // The simulator checks the answers by the same rules and stores nothing.
  const check = async (consultation: ConsultationView, _lang: "fr" | "en", form: URLSearchParams): Promise<SubmitOutcome> =>
    parseAnswers(consultation.questions, form).ok ? { ok: true, receiptCode: "" } : { ok: false, reason: "invalid_answers" };
  return {
    municipality: m.shortName,
    ...smsLinks(),
    submit: trial ? check : store,
    trial,
    perMinute: loadEnv().QUORUM_SMS_PER_MINUTE,
  };
}

export interface SmsIn {
  provider: string;
  messageId: string;
  from: string;
  body: string;
  trial?: boolean;
}

/** One inbound message: its reply (empty: none). A message's number is hashed at once and goes no further. */
export async function receiveSms(input: SmsIn): Promise<string> {
  return (await receiveSmsOnce(input)).reply;
}

/**
 * One inbound message: its reply, and whether the provider had sent this message before (the
 * reply is then the one it got the first time). For a provider whose replies Quorum sends itself
 * (the Android gateway), a repeat must not send the reply a second time.
 */
export async function receiveSmsOnce(input: SmsIn): Promise<{ reply: string; repeat: boolean }> {
  const db = await getDb();
  const ctx = await contextFor(Boolean(input.trial));
  const phoneHash = phoneHashOf(codeSecret(), input.trial ? `trial:${input.from}` : input.from);
  const handled = await handleMessage(db, ctx, { provider: input.provider, messageId: input.messageId, phoneHash, body: input.body });
  if (handled.counted) {
    const fresh = await getConsultationCached(db, handled.counted.slug).catch((error: unknown) => {
      log.error(errorFields(error), "sms: consultation not read again after an answer");
      return null;
    });
    if (fresh) answerCounted(db, fresh);
  }
  return { reply: handled.reply, repeat: handled.repeat };
}
