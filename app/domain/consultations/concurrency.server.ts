/**
 * Optimistic concurrency for staff edits. Every edit form carries the consultation's
 * `version` as the page showed it; a change is written only `where id = … and version = …`
 * and bumps the version, so an edit made from a page that someone else's save has
 * overtaken is refused ("stale") instead of silently undoing that save.
 */
import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { consultations } from "#db/schema";

/** `where` for the row at the version the form was loaded at. */
export const atVersion = (consultationId: string, version: number) => and(eq(consultations.id, consultationId), eq(consultations.version, version));

/** The columns every edit sets besides its own: a new version, when, and by whom (null: an automatic change). */
export const bumped = (actorId: string | null) => ({ version: sql`${consultations.version} + 1`, updatedAt: new Date(), updatedBy: actorId });

/**
 * Inside a transaction, takes the consultation at `version` for this edit: bumps it and
 * holds its row until the transaction ends, so concurrent edits queue one behind the
 * other. False when someone changed it since the form was loaded.
 */
export async function claimVersion(tx: DbOrTx, consultationId: string, version: number, actorId: string | null): Promise<boolean> {
  const rows = await tx.update(consultations).set(bumped(actorId)).where(atVersion(consultationId, version)).returning({ id: consultations.id });
  return rows.length === 1;
}
