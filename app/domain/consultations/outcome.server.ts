/** "What we heard, what we decided": a consultation's outcome, saved, published, withdrawn. */
import { eq, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { consultations } from "#db/schema";
import { audit } from "../audit/audit.server";
import { freezeFigures } from "../opendata/figures.server";
import { atVersion, bumped } from "./concurrency.server";
import type { OutcomeForm } from "./schema.server";
import type { ConsultationView } from "./types";
import { afterCommit } from "./cache.server";
import { tellResidents, type NotifyMail } from "../notify/notify.server";

/** Why an outcome is not saved: published incomplete or before the closing, or changed since the form was loaded. */
export type OutcomeRefusal = "incomplete" | "not_closed" | "stale";

/** One part of the outcome, in one language: `fr.heard`, `en.decided`… (the form's field names). */
export type OutcomeField = `${"fr" | "en"}.${"heard" | "decided"}`;

export type OutcomeResult =
  { ok: true } | { ok: false; reason: Exclude<OutcomeRefusal, "incomplete"> } | { ok: false; reason: "incomplete"; missing: OutcomeField[] };

/**
 * Saves the outcome in both languages; `publish` also shows it to residents (both parts
 * in both languages, once the consultation is closed), `unpublish` withdraws it. Refused
 * as `stale` if the consultation changed since the form was loaded.
 */
export async function saveOutcome(db: Db, actorId: string, c: ConsultationView, form: OutcomeForm, mail?: NotifyMail): Promise<OutcomeResult> {
  return afterCommit(c.slug, async () => {
    const { intent, version } = form;
    const outcome = { fr: form.fr, en: form.en };
    if (version !== c.version) return { ok: false, reason: "stale" };
    // In the order of the form: each part, French then English.
    const missing = (["heard", "decided"] as const).flatMap((part) =>
      (["fr", "en"] as const).filter((l) => !outcome[l][part].trim()).map((l): OutcomeField => `${l}.${part}`),
    );
    if (intent === "publish" && missing.length) return { ok: false, reason: "incomplete", missing };
    if (intent === "publish" && c.status !== "closed" && c.status !== "archived") return { ok: false, reason: "not_closed" };
    return db.transaction(async (tx) => {
      const saved = await tx
        .update(consultations)
        .set({
          outcome,
          outcomePublishedAt: intent === "publish" ? new Date() : intent === "unpublish" ? null : c.outcomePublishedAt,
          ...bumped(actorId),
        })
        .where(atVersion(c.id, version))
        .returning({ id: consultations.id });
      if (!saved.length) return { ok: false, reason: "stale" } as const;
      if (intent !== "save") await audit(tx, { actorId, action: `outcome.${intent}`, targetType: "consultation", targetId: c.slug });
      // The decision is out: residents who asked are told, and their addresses deleted.
      if (intent === "publish" && mail) await tellResidents(tx, c, "outcome", mail);
      // The outcome quotes the figures: publishing it freezes them (decision 036).
      if (intent === "publish") await freezeFigures(tx, c, new Date());
      // The text is written on the figures as they are now: a later change of them flags it (decision 050).
      await tx
        .update(consultations)
        .set({ outcomeFiguresVersion: sql`${consultations.figuresVersion}` })
        .where(eq(consultations.id, c.id));
      return { ok: true } as const;
    });
  });
}
