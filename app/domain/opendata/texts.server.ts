/** The free texts open data may carry: visible ones only, in an order that does not follow arrival. */
import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { answers, questions, responses } from "#db/schema";

export const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Visible free text (answers and "Other" texts), never hidden text. Sorted by question, then
 * by the text itself (code points), never by arrival: the k-th text of two questions must not
 * be pairable as one person's.
 */
export async function visibleTexts(db: DbOrTx, consultationId: string): Promise<{ id: number; questionCode: string; text: string }[]> {
  const rows = await db
    .select({ id: answers.id, questionCode: questions.code, position: questions.position, text: sql<string>`${answers.text}` })
    .from(answers)
    .innerJoin(responses, eq(responses.id, answers.responseId))
    .innerJoin(questions, eq(questions.id, answers.questionId))
    .where(and(eq(responses.consultationId, consultationId), isNotNull(answers.text), eq(answers.hidden, false)));
  return rows.sort((a, b) => a.position - b.position || byCodePoint(a.text, b.text)).map(({ id, questionCode, text }) => ({ id, questionCode, text }));
}
