/** A consultation's texts and settings: creating a draft, editing it. */
import type { Db } from "#db/client";
import { isUniqueViolation } from "#db/errors";
import { consultations, type ConsultationText } from "#db/schema";
import { audit } from "../audit/audit.server";
import { CONSULTATION_FIELDS, missingForOpening } from "./completeness";
import { atVersion, bumped } from "./concurrency.server";
import type { ConsultationCreate, ConsultationEdit } from "./schema.server";
import type { ConsultationView } from "./types";
import { afterCommit } from "./cache.server";

const SLUG_INDEX = "consultations_slug_key";

function emptyTexts(): ConsultationText {
  return Object.fromEntries(CONSULTATION_FIELDS.map((f) => [f, ""])) as unknown as ConsultationText;
}

/** Why a draft is not created: its address is another consultation's. */
export type CreateDraftRefusal = "slug_taken";

export type CreateResult = { ok: true; slug: string } | { ok: false; reason: CreateDraftRefusal };

export async function createDraft(db: Db, actorId: string, form: ConsultationCreate): Promise<CreateResult> {
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(consultations)
      .values({
        slug: form.slug,
        mode: form.mode,
        opensAt: form.opensAt,
        closesAt: form.closesAt,
        retentionDays: form.retentionDays ?? null,
        texts: { fr: { ...emptyTexts(), ...form.fr }, en: { ...emptyTexts(), ...form.en } },
      })
      .onConflictDoNothing({ target: [consultations.communeId, consultations.slug] })
      .returning({ id: consultations.id });
    if (!inserted.length) return { ok: false, reason: "slug_taken" } as const;
    await audit(tx, { actorId, action: "consultation.create", targetType: "consultation", targetId: form.slug });
    return { ok: true, slug: form.slug } as const;
  });
}

/**
 * Why texts and settings are not saved: the address is taken, or may no longer change (the
 * consultation has opened), or `stale`: someone saved this consultation since the form was loaded,
 * or `texts_missing`: residents can see it (it is no longer a draft) and a text would be emptied.
 */
export type SaveTextsRefusal = "slug_taken" | "slug_locked" | "stale" | "texts_missing";

/** A text that may not be empty once residents can see the consultation, by language. */
export type MissingText = { field: keyof ConsultationText; lang: "fr" | "en" };

export type SaveTextsResult =
  | { ok: true; slug: string }
  | { ok: false; reason: Exclude<SaveTextsRefusal, "texts_missing"> }
  | { ok: false; reason: "texts_missing"; missing: MissingText[] };

/**
 * Saves texts and settings if the consultation is still at the version the form was
 * loaded at. The address and the participation mode change only while it is a draft.
 */
export async function saveTexts(db: Db, actorId: string, c: ConsultationView, form: ConsultationEdit): Promise<SaveTextsResult> {
  return afterCommit(c.slug, async () => {
    if (form.version !== c.version) return { ok: false, reason: "stale" };
    if (form.slug !== c.slug && c.status !== "draft") return { ok: false, reason: "slug_locked" };
    // The rule that guards opening guards every later save: residents never see an empty title.
    if (c.status !== "draft") {
      const missing = missingForOpening({ texts: { fr: form.fr, en: form.en }, questions: c.questions }).flatMap((m) =>
        m.kind === "field" ? [{ field: m.field, lang: m.lang }] : [],
      );
      if (missing.length) return { ok: false, reason: "texts_missing", missing };
    }
    try {
      return await db.transaction(async (tx) => {
        const updated = await tx
          .update(consultations)
          .set({
            slug: form.slug,
            mode: c.status === "draft" ? form.mode : c.mode,
            opensAt: form.opensAt,
            closesAt: form.closesAt,
            retentionDays: form.retentionDays ?? null,
            texts: { fr: form.fr, en: form.en },
            ...bumped(actorId),
          })
          .where(atVersion(c.id, form.version))
          .returning({ id: consultations.id });
        if (!updated.length) return { ok: false, reason: "stale" } as const;
        await audit(tx, { actorId, action: "consultation.edit", targetType: "consultation", targetId: form.slug });
        return { ok: true, slug: form.slug } as const;
      });
    } catch (error) {
      if (isUniqueViolation(error, SLUG_INDEX)) return { ok: false, reason: "slug_taken" };
      throw error;
    }
  });
}
