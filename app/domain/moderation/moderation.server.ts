/**
 * Moderation of free text (text answers and "Other" texts): hide with a
 * reason, restore with a reason, every action in the audit log. Hidden text
 * stays in raw exports (marked hidden) and never reaches summaries or open data.
 */
import { and, desc, eq, inArray, isNotNull, sql, type SQL } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { answers, questions, responses } from "#db/schema";
import { audit } from "../audit/audit.server";
import { contentChanged } from "../consultations/cache.server";
import { figuresAfterChange } from "../opendata/figures.server";

export type ModerationFilter = "visible" | "hidden" | "all";

export interface FreeTextItem {
  answerId: number;
  questionCode: string;
  questionId: string;
  text: string;
  hidden: boolean;
  hiddenReason: string | null;
  receivedAt: Date;
  isOther: boolean;
  /** Kept on the page because it was just acted on, though it no longer matches the filter (`keep`). */
  kept?: true;
}

/** Newest first, then by id: the order of every list of free texts. */
const newestFirst = (a: { receivedAt: Date; answerId: number }, b: { receivedAt: Date; answerId: number }) =>
  b.receivedAt.getTime() - a.receivedAt.getTime() || b.answerId - a.answerId;

/**
 * One page of a consultation's free texts. `keep` names texts just acted on (hidden, restored):
 * those that no longer match the filter stay on the page, in their place and marked `kept`, so the
 * person who acted finds the text where it was, with a way to undo; the next load leaves them out.
 */
export async function listFreeText(
  db: DbOrTx,
  consultationId: string,
  {
    state = "all",
    questionCode,
    limit = 50,
    offset = 0,
    keep = [],
  }: { state?: ModerationFilter; questionCode?: string | null; limit?: number; offset?: number; keep?: number[] } = {},
): Promise<{ items: FreeTextItem[]; total: number }> {
  const common: SQL[] = [eq(responses.consultationId, consultationId), isNotNull(answers.text)];
  if (questionCode) common.push(eq(questions.code, questionCode));
  const where = [...common];
  if (state === "visible") where.push(eq(answers.hidden, false));
  if (state === "hidden") where.push(eq(answers.hidden, true));
  const select = (conditions: SQL[]) =>
    db
      .select({
        answerId: answers.id,
        questionCode: questions.code,
        questionId: questions.id,
        text: sql<string>`${answers.text}`,
        hidden: answers.hidden,
        hiddenReason: answers.hiddenReason,
        receivedAt: responses.receivedAt,
        isOther: sql<boolean>`${answers.optionIds} is not null`,
      })
      .from(answers)
      .innerJoin(responses, eq(responses.id, answers.responseId))
      .innerJoin(questions, eq(questions.id, answers.questionId))
      .where(and(...conditions));
  const items: FreeTextItem[] = await select(where).orderBy(desc(responses.receivedAt), desc(answers.id)).limit(limit).offset(offset);
  const [{ n }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(answers)
    .innerJoin(responses, eq(responses.id, answers.responseId))
    .innerJoin(questions, eq(questions.id, answers.questionId))
    .where(and(...where));
  const missing = keep.filter((id) => !items.some((i) => i.answerId === id));
  if (missing.length) {
    const kept = await select([...common, inArray(answers.id, missing)]);
    items.push(...kept.map((i) => ({ ...i, kept: true as const })));
    items.sort(newestFirst);
  }
  return { items, total: Number(n) };
}

/** Why an answer is not hidden or restored: no such answer in this consultation, or no reason given. */
export type ModerationRefusal = "not_found" | "reason_required";

export type ModerationResult = { ok: true } | { ok: false; reason: ModerationRefusal };

export async function moderate(
  db: Db,
  actorId: string,
  consultationId: string,
  answerId: number,
  action: "hide" | "restore",
  reason: string,
): Promise<ModerationResult> {
  const why = reason.trim();
  if (!why) return { ok: false, reason: "reason_required" };
  const result = await db.transaction(async (tx) => {
    const updated = await tx
      .update(answers)
      .set({ hidden: action === "hide", hiddenReason: action === "hide" ? why : null })
      .where(
        and(
          eq(answers.id, answerId),
          isNotNull(answers.text),
          sql`${answers.responseId} in (select id from responses where consultation_id = ${consultationId})`,
        ),
      )
      .returning({ id: answers.id });
    if (!updated.length) return { ok: false, reason: "not_found" } as const;
    await audit(tx, { actorId, action: `moderation.${action}`, targetType: "answer", targetId: String(answerId), reason: why });
    // A hidden text leaves public pages at once; the counts follow as decision 061 says (a new
    // version of the published figures when they change, said on every public output: decision 036).
    const figures = await figuresAfterChange(tx, actorId, consultationId, `moderation.${action}`, new Date());
    return { ok: true, changedSlug: figures.slug } as const;
  });
  if (!result.ok) return result;
  await contentChanged(result.changedSlug);
  return { ok: true };
}

/**
 * Deletes the free text of closed consultations whose retention period has
 * passed (counts and published open data stay). Returns how many texts went.
 */
export async function purgeExpiredFreeText(db: DbOrTx, now = new Date()): Promise<number> {
  const purged = await db
    .update(answers)
    .set({ text: null, hiddenReason: null })
    .where(
      and(
        isNotNull(answers.text),
        sql`${answers.responseId} in (
          select r.id from responses r join consultations c on c.id = r.consultation_id
          where c.status in ('closed', 'archived') and c.retention_days is not null
            and coalesce(c.closes_at, c.updated_at) + make_interval(days => c.retention_days) <= ${now.toISOString()}::timestamptz)`,
      ),
    )
    .returning({ id: answers.id });
  return purged.length;
}
