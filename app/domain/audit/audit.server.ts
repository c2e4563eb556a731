/** The audit log: who did what, when and why. Written in the same transaction as the change it records. */
import { and, desc, eq, gte, lt, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { answers, auditLog, consultations, responses, users } from "#db/schema";

export interface AuditEntry {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  reason?: string | null;
  details?: Record<string, unknown> | null;
}

export async function audit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    reason: entry.reason ?? null,
    details: entry.details ?? null,
  });
}

/** What a staff member downloaded: raw answers (CSV, JSON) or the summary's numbers. */
export type Download = "export.csv" | "export.json" | "export.summary";

/**
 * Records that a staff member downloaded a consultation's data. Only a request that
 * receives the data counts: a HEAD request (a link checker, a browser asking about the
 * file) receives none and is not recorded.
 */
export async function auditDownload(db: DbOrTx, method: string, entry: { actorId: string; download: Download; slug: string }): Promise<void> {
  if (method.toUpperCase() !== "GET") return;
  await audit(db, { actorId: entry.actorId, action: entry.download, targetType: "consultation", targetId: entry.slug });
}

/** Records that a staff member displayed a batch's letters (codes in clear); a HEAD request shows none. */
export async function auditCodesPrinted(db: DbOrTx, method: string, entry: { actorId: string; slug: string; batch: string; count: number }): Promise<void> {
  if (method.toUpperCase() !== "GET") return;
  await audit(db, {
    actorId: entry.actorId,
    action: "codes.print",
    targetType: "consultation",
    targetId: entry.slug,
    details: { batch: entry.batch, count: entry.count },
  });
}

export interface AuditFilter {
  action?: string;
  actorEmail?: string;
  /** A consultation's address: what was done to it, and to its answers (moderation). */
  consultation?: string;
  from?: Date;
  to?: Date;
  limit?: number;
}

export async function listAudit(db: DbOrTx, filter: AuditFilter = {}) {
  const where: SQL[] = [];
  if (filter.action) where.push(eq(auditLog.action, filter.action));
  if (filter.actorEmail) where.push(eq(users.email, filter.actorEmail.toLowerCase()));
  if (filter.from) where.push(gte(auditLog.at, filter.from));
  if (filter.to) where.push(lt(auditLog.at, filter.to));
  if (filter.consultation)
    where.push(
      or(
        and(eq(auditLog.targetType, "consultation"), eq(auditLog.targetId, filter.consultation)),
        and(
          eq(auditLog.targetType, "answer"),
          sql`${auditLog.targetId} in (select ${answers.id}::text from ${answers} join ${responses} on ${responses.id} = ${answers.responseId} join ${consultations} on ${consultations.id} = ${responses.consultationId} where ${consultations.slug} = ${filter.consultation})`,
        ),
      )!,
    );
  return db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actorEmail: users.email,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      reason: auditLog.reason,
      details: auditLog.details,
      /** The consultation's titles when the entry is about one that still exists. */
      titles: sql<{ fr: { title: string }; en: { title: string } } | null>`${consultations.texts}`,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .leftJoin(consultations, and(eq(auditLog.targetType, "consultation"), eq(consultations.slug, auditLog.targetId)))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(filter.limit ?? 200);
}
