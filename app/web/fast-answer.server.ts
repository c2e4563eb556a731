/**
 * The server's handler for the busiest request, a resident's answer: when the
 * answer is accepted, the receipt's address comes straight back without the
 * Remix pipeline. Otherwise the server hands the same body to the Remix route,
 * which renders the page (mistakes, refusals, 503…), each refusal with the status
 * and message its table gives it: with the refusal already decided here
 * (`answered` in the load context), so nothing runs twice, or with nothing when
 * this path could not tell (unknown consultation).
 */
import type { Db } from "#db/client";
import { contentChanged, getConsultationCached } from "../domain/consultations/cache.server";
import { isPublic } from "../domain/consultations/rules";
import type { ConsultationView } from "../domain/consultations/types";
import { refreshAfterAnswers, showsFigures, smallCountK } from "../domain/opendata/public-figures.server";
import { errorFields, log } from "../platform/log.server";
import { acceptAnswer, type AcceptAnswerResult } from "../domain/responses/accept.server";
import { getDb } from "../platform/db.server";
import { submissionLimit } from "../platform/env.server";
import { answerTarget, urls, type PageLang } from "../urls";
import { fragments } from "../components/fragments";

/** How an accepted answer is acknowledged: 303 to its thank-you page, so a reload does not post it again. */
export interface AnswerAccepted {
  status: 303;
  location: string;
}

/** The acknowledgement of an accepted answer, the same from this fast path and from the consultation route. */
export function answerAccepted(lang: PageLang, slug: string, receiptCode: string): AnswerAccepted {
  return { status: 303, location: urls.thanks(lang, slug, receiptCode, { hash: fragments.main }) };
}

/**
 * After an accepted answer: where residents see figures, new public figures once a step of
 * answers has arrived (decision 061), in the background; the answer's acknowledgement does not wait.
 */
export function answerCounted(db: Db, consultation: ConsultationView): void {
  if (!showsFigures(consultation)) return;
  refreshAfterAnswers(db, consultation, smallCountK(), () => contentChanged(consultation.slug)).catch((error) =>
    log.error(errorFields(error), "public figures: not taken again after an answer"),
  );
}

export type FastAnswer = AnswerAccepted | { answered: AcceptAnswerResult } | null;

export async function fastAnswer(input: { path: string; body: string; channel: "web" | "offline"; clientAddress?: string }): Promise<FastAnswer> {
  const target = answerTarget(input.path);
  // A NUL is made U+FFFD by the route's form reader (http.server.ts); leave such bodies to it.
  if (!target || /%00|\u0000/i.test(input.body)) return null;
  const db = await getDb();
  const consultation = await getConsultationCached(db, target.slug);
  if (!consultation || !isPublic(consultation)) return null;
  const result = await acceptAnswer(db, {
    consultation,
    lang: target.lang,
    form: new URLSearchParams(input.body),
    channel: input.channel,
    clientAddress: input.clientAddress,
    limit: submissionLimit(),
  });
  if (!result.ok) return { answered: result };
  answerCounted(db, consultation);
  return answerAccepted(target.lang, target.slug, result.receiptCode);
}
