/**
 * Published figures never change silently (decision 036). The first publication of the
 * outcome, the results or the open data of a closed consultation freezes its figures: their
 * date and version 1. A later change of what those figures count — a paper answer entered in
 * the grace period, a moderator hiding or restoring a text — adds one to the version, dates
 * it and writes it in the audit log; every public output then says "figures updated on …".
 */
import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { consultations } from "#db/schema";
import { audit } from "../audit/audit.server";
import { getConsultationBySlug } from "../consultations/queries.server";
import type { ConsultationView } from "../consultations/types";
import { refreshPublicFigures, smallCountK } from "./public-figures.server";

/**
 * Inside the publishing transaction: the figures' publication date and version 1, the first
 * time a closed consultation publishes anything. A publication while it is still open (live
 * results) freezes nothing: the figures change with every answer and say so.
 */
export async function freezeFigures(tx: DbOrTx, c: Pick<ConsultationView, "id" | "status">, now: Date): Promise<void> {
  if (c.status !== "closed" && c.status !== "archived") return;
  await tx
    .update(consultations)
    .set({ figuresPublishedAt: now, figuresVersion: 1 })
    .where(and(eq(consultations.id, c.id), isNull(consultations.figuresPublishedAt)));
}

export type FiguresCause = "paper_answer" | "moderation.hide" | "moderation.restore";

/**
 * Inside the transaction that changed what the figures count: once they are published, a new
 * version, dated, and an audit entry saying why. Returns the new version, or null when the
 * figures were not published yet (nothing to say).
 */
export async function figuresChanged(
  tx: DbOrTx,
  actorId: string | null,
  consultationId: string,
  cause: FiguresCause,
  now: Date,
): Promise<{ version: number; slug: string } | null> {
  const [row] = await tx
    .update(consultations)
    .set({ figuresVersion: sql`${consultations.figuresVersion} + 1`, figuresUpdatedAt: now })
    .where(and(eq(consultations.id, consultationId), isNotNull(consultations.figuresPublishedAt)))
    .returning({ version: consultations.figuresVersion, slug: consultations.slug });
  if (!row) return null;
  await audit(tx, { actorId, action: "figures.update", targetType: "consultation", targetId: row.slug, details: { version: row.version, cause } });
  return row;
}

/**
 * Inside the transaction that changed what the figures count (a paper form, a moderation
 * decision): public figures taken again when due (decision 061: a step of answers since the last
 * ones, or at once for a text hidden or restored when no answer arrived since), and a new
 * version of the published figures when what the public sees changed — or, with nothing shown
 * to the public but a published outcome, when the exact figures it quotes changed.
 * Returns the new version (null: the published figures stay as they are) and the slug.
 */
export async function figuresAfterChange(
  tx: DbOrTx,
  actorId: string | null,
  consultationId: string,
  cause: FiguresCause,
  now: Date,
): Promise<{ version: number | null; slug: string }> {
  const [row] = await tx.select({ slug: consultations.slug }).from(consultations).where(eq(consultations.id, consultationId));
  const c = row ? await getConsultationBySlug(tx, row.slug) : null;
  if (!c) return { version: null, slug: row?.slug ?? "" };
  const shown = await refreshPublicFigures(tx, c, cause === "paper_answer" ? "answers" : "texts", smallCountK(), now);
  if (shown && !shown.created) return { version: null, slug: c.slug };
  return { version: (await figuresChanged(tx, actorId, c.id, cause, now))?.version ?? null, slug: c.slug };
}

/** The version open data carries: 1.0.0 as published, 1.1.0 after the first update, and so on. */
export function figuresSemver(c: Pick<ConsultationView, "figuresVersion">): string {
  return `1.${Math.max(0, c.figuresVersion - 1)}.0`;
}

/** What staff pages say about the published figures (decision 050): their version, and whether the outcome quotes an older one. */
export interface FiguresState {
  version: number;
  publishedAt: string;
  /** The last change after publication, or null while they are as published. */
  updatedAt: string | null;
  /** The version the published outcome was written on, when older than the figures now: the outcome needs updating. */
  outcomeWrittenOn: number | null;
}

/** Null until the figures are published. */
export function figuresState(
  c: Pick<ConsultationView, "figuresPublishedAt" | "figuresVersion" | "figuresUpdatedAt" | "outcomePublishedAt" | "outcomeFiguresVersion">,
): FiguresState | null {
  if (!c.figuresPublishedAt) return null;
  const outdated = !!c.outcomePublishedAt && c.outcomeFiguresVersion !== null && c.outcomeFiguresVersion < c.figuresVersion;
  return {
    version: c.figuresVersion,
    publishedAt: c.figuresPublishedAt.toISOString(),
    updatedAt: c.figuresUpdatedAt?.toISOString() ?? null,
    outcomeWrittenOn: outdated ? c.outcomeFiguresVersion : null,
  };
}
