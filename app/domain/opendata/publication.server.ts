/**
 * What residents and the public may see of a consultation's answers, each an explicit,
 * audited choice (decision 018):
 * - results: an official shows residents the figures, live while open or once closed;
 * - open data: an official publishes the data package, once closed (it shows the results too);
 * - free texts: a moderator publishes the visible (moderated) texts, on the results page and in
 *   open data; without that choice only figures are published.
 */
import { eq } from "drizzle-orm";
import type { Db } from "#db/client";
import { consultations } from "#db/schema";
import { audit } from "../audit/audit.server";
import { freezeFigures } from "./figures.server";
import { refreshPublicFigures, smallCountK } from "./public-figures.server";
import { afterCommit } from "../consultations/cache.server";
import { isPublic } from "../consultations/rules";
import type { ConsultationView } from "../consultations/types";
import { tellResidents, type NotifyMail } from "../notify/notify.server";

/** Why something is not published: the consultation is still a draft, or (open data) not closed yet. */
export type PublishRefusal = "not_closed" | "draft";

export type PublishResult = { ok: true } | { ok: false; reason: PublishRefusal };

type Choice = "results" | "opendata" | "texts";
const COLUMN = { results: "resultsPublishedAt", opendata: "openDataPublishedAt", texts: "textsPublishedAt" } as const;

async function choose(db: Db, actorId: string, c: ConsultationView, choice: Choice, publish: boolean, mail?: NotifyMail): Promise<PublishResult> {
  return afterCommit(c.slug, async () => {
    if (publish && !isPublic(c)) return { ok: false, reason: "draft" } as const;
    if (publish && choice === "opendata" && c.status !== "closed" && c.status !== "archived") return { ok: false, reason: "not_closed" } as const;
    await db.transaction(async (tx) => {
      await tx
        .update(consultations)
        .set({ [COLUMN[choice]]: publish ? new Date() : null })
        .where(eq(consultations.id, c.id));
      await audit(tx, { actorId, action: `${choice}.${publish ? "publish" : "unpublish"}`, targetType: "consultation", targetId: c.slug });
      // Results shown (by themselves or with the open data): residents who asked are told.
      if (publish && mail && choice !== "texts") await tellResidents(tx, c, "results", mail);
      // Results and open data show the figures: their first publication after closing freezes them (decision 036),
      // and the public figures are taken (once, then in steps: decision 061).
      if (publish && choice !== "texts") {
        const now = new Date();
        await freezeFigures(tx, c, now);
        await refreshPublicFigures(tx, c, "publication", smallCountK(), now);
      }
    });
    return { ok: true } as const;
  });
}

/**
 * When a consultation's open data last changed: its publication, the texts' publication since,
 * or a later change of the published figures (decision 036).
 */
export function openDataModified(c: Pick<ConsultationView, "openDataPublishedAt" | "textsPublishedAt"> & { figuresUpdatedAt?: Date | null }): Date | null {
  if (!c.openDataPublishedAt) return null;
  const dates = [c.openDataPublishedAt, c.textsPublishedAt, c.figuresUpdatedAt].filter((d): d is Date => !!d && d >= c.openDataPublishedAt!);
  return new Date(Math.max(...dates.map((d) => d.getTime())));
}

/** Open data (after closing): the data package, the catalogue entry and the results page. */
export function publishOpenData(db: Db, actorId: string, c: ConsultationView, publish: boolean, mail?: NotifyMail): Promise<PublishResult> {
  return choose(db, actorId, c, "opendata", publish, mail);
}

/** The results page for residents, while open (figures change as answers arrive) or later. */
export function publishResults(db: Db, actorId: string, c: ConsultationView, publish: boolean, mail?: NotifyMail): Promise<PublishResult> {
  return choose(db, actorId, c, "results", publish, mail);
}

/** The visible free texts, on the results page and in open data. */
export function publishTexts(db: Db, actorId: string, c: ConsultationView, publish: boolean): Promise<PublishResult> {
  return choose(db, actorId, c, "texts", publish);
}
