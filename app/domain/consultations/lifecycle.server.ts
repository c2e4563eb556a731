/** A consultation's life: draft → open → closed → archived (and closed → open again). */
import { and, eq, lte } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { consultations, type ConsultationStatus } from "#db/schema";
import { audit } from "../audit/audit.server";
import { freezeFigures } from "../opendata/figures.server";
import { missingForOpening, type Missing } from "./completeness";
import { bumped } from "./concurrency.server";
import type { ConsultationView } from "./types";
import { afterCommit, contentChanged } from "./cache.server";

const TRANSITIONS: Record<ConsultationStatus, ConsultationStatus[]> = {
  draft: ["open"],
  open: ["closed"],
  closed: ["open", "archived"],
  archived: [],
};

const AUDITED: Record<ConsultationStatus, string> = {
  draft: "consultation.draft",
  open: "consultation.open",
  closed: "consultation.close",
  archived: "consultation.archive",
};

/** Why a consultation does not move: not from its status (or it moved meanwhile), or texts missing to open it. */
export type LifecycleRefusal = "not_allowed" | "incomplete";

/** A refused move says the status the consultation is in now (it may have moved since the page was loaded). */
export type TransitionResult =
  { ok: true } | { ok: false; reason: "not_allowed"; status: ConsultationStatus } | { ok: false; reason: "incomplete"; missing: Missing[] };

/**
 * Moves a consultation to `to` if its status allows it (opening also needs every text in
 * both languages). The move is written only from the status it was decided on, so two
 * officials pressing "Close now" at once close it once.
 */
export async function transition(db: Db, actorId: string, c: ConsultationView, to: ConsultationStatus): Promise<TransitionResult> {
  return afterCommit(c.slug, async () => {
    if (!TRANSITIONS[c.status].includes(to)) return { ok: false, reason: "not_allowed", status: c.status };
    if (to === "open") {
      const missing = missingForOpening(c);
      if (missing.length) return { ok: false, reason: "incomplete", missing };
    }
    return db.transaction(async (tx) => {
      const now = new Date();
      const changes: Partial<typeof consultations.$inferInsert> = { status: to };
      // Opening by hand opens now, and says so: a draft without an opening date gets this moment as its
      // opening (open data's `opened`), a later scheduled opening is brought forward. Reopening keeps
      // the day it first opened. Closing by hand closes now.
      if (to === "open" && ((c.status === "draft" && !c.opensAt) || (c.opensAt && c.opensAt > now))) changes.opensAt = now;
      if (to === "open" && c.closesAt && c.closesAt <= now) changes.closesAt = null;
      if (to === "closed" && (!c.closesAt || c.closesAt > now)) changes.closesAt = now;
      const moved = await tx
        .update(consultations)
        .set({ ...changes, ...bumped(actorId) })
        .where(and(eq(consultations.id, c.id), eq(consultations.status, c.status)))
        .returning({ id: consultations.id });
      if (!moved.length) {
        // Someone moved it meanwhile: say where it is now.
        const [now] = await tx.select({ status: consultations.status }).from(consultations).where(eq(consultations.id, c.id));
        return { ok: false, reason: "not_allowed", status: now?.status ?? c.status } as const;
      }
      await audit(tx, { actorId, action: AUDITED[to], targetType: "consultation", targetId: c.slug, details: { from: c.status } });
      // Results shown live while open become the published figures at the closing (decision 036).
      if (to === "closed" && (c.resultsPublishedAt || c.outcomePublishedAt)) await freezeFigures(tx, { id: c.id, status: "closed" }, now);
      return { ok: true } as const;
    });
  });
}

/** Consultations whose closing date has passed are closed (called on reads; cheap and idempotent). */
export async function closeExpired(db: DbOrTx, now = new Date()): Promise<void> {
  const closed = await db
    .update(consultations)
    .set({ status: "closed", ...bumped(null) })
    .where(and(eq(consultations.status, "open"), lte(consultations.closesAt, now)))
    .returning({ slug: consultations.slug });
  if (closed.length) await contentChanged();
}
