/**
 * The server's fast path for the busiest request, a resident's answer: when the
 * answer is accepted, the receipt's address comes straight back without the
 * Remix pipeline. Anything else returns null and server.mjs hands the same body
 * to the Remix route, which renders the page (mistakes, refusals, 503…).
 * Both paths call the same domain function, `acceptAnswer`.
 */
import { getConsultationCached } from "./domain/consultations/cache.server";
import { isPublic } from "./domain/consultations/rules";
import { acceptAnswer } from "./domain/responses/accept.server";
import { getDb } from "./db.server";
import { submissionLimit } from "./env.server";

const ANSWER = /^\/(fr|en)\/consultations\/([a-z0-9-]+)$/;

export async function fastAnswer(input: { path: string; body: string; channel: "web" | "offline"; clientAddress?: string }): Promise<string | null> {
  const match = ANSWER.exec(input.path);
  if (!match) return null;
  const lang = match[1] as "fr" | "en";
  const slug = match[2];
  const db = await getDb();
  const consultation = await getConsultationCached(db, slug);
  if (!consultation || !isPublic(consultation)) return null;
  const result = await acceptAnswer(db, {
    consultation,
    lang,
    form: new URLSearchParams(input.body),
    channel: input.channel,
    clientAddress: input.clientAddress,
    limit: submissionLimit(),
  });
  return result.ok ? `/${lang}/consultations/${slug}/thanks/${result.receiptCode}` : null;
}
