/**
 * Duplicating a consultation (last year's, for this year) and deleting one.
 *
 * A copy takes the texts, the questionnaire (questions and their answers to choose from),
 * the settings (participation mode, retention) and the reference shares; it starts as a draft
 * under a new address, without answers, participation codes, opening or closing dates,
 * outcome or any publication. Deleting is for a draft that never opened (nothing residents
 * saw or answered) — and, for administrators, the demo consultation with its answers.
 */
import { and, count, eq } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { consultations, options, questions, responses } from "#db/schema";
import { audit } from "../audit/audit.server";
import { copyReferenceShares } from "../references/references.server";
import { afterCommit } from "./cache.server";
import type { ConsultationView } from "./types";

/** Why a copy is not made: the address asked for is another consultation's. */
export type DuplicateRefusal = "slug_taken";

export type DuplicateResult = { ok: true; slug: string } | { ok: false; reason: DuplicateRefusal };

const titles = (c: ConsultationView) => ({ title: { fr: c.texts.fr.title, en: c.texts.en.title } });

export async function duplicateConsultation(db: Db, actorId: string, c: ConsultationView, slug: string): Promise<DuplicateResult> {
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(consultations)
      .values({ slug, status: "draft", mode: c.mode, retentionDays: c.retentionDays, texts: c.texts })
      .onConflictDoNothing({ target: [consultations.communeId, consultations.slug] })
      .returning({ id: consultations.id });
    if (!inserted.length) return { ok: false, reason: "slug_taken" } as const;
    const id = inserted[0].id;
    const optionIds = new Map<string, string>();
    const questionIds = new Map<string, string>();
    for (const q of c.questions) {
      const [row] = await tx
        .insert(questions)
        .values({
          consultationId: id,
          code: q.code,
          position: q.position,
          kind: q.kind,
          required: q.required,
          demographic: q.demographic,
          allowOther: q.allowOther,
          allowPreferNot: q.allowPreferNot,
          minChoices: q.minChoices,
          maxChoices: q.maxChoices,
          maxLength: q.maxLength,
          texts: q.texts,
        })
        .returning({ id: questions.id });
      questionIds.set(q.id, row.id);
      if (!q.options.length) continue;
      const made = await tx
        .insert(options)
        .values(q.options.map((o) => ({ questionId: row.id, code: o.code, position: o.position, labels: o.labels })))
        .returning({ id: options.id, code: options.code });
      for (const o of q.options) optionIds.set(o.id, made.find((m) => m.code === o.code)!.id);
    }
    await copyReferenceShares(tx, c.id, questionIds, optionIds);
    await audit(tx, { actorId, action: "consultation.duplicate", targetType: "consultation", targetId: slug, details: { from: c.slug, ...titles(c) } });
    return { ok: true, slug } as const;
  });
}

/** Why a consultation is not deleted: it is no longer a draft, or it holds answers. */
export type DeleteRefusal = "not_draft" | "has_answers";

export type DeleteResult = { ok: true } | { ok: false; reason: DeleteRefusal };

async function answerCount(db: DbOrTx, consultationId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(responses).where(eq(responses.consultationId, consultationId));
  return row.n;
}

/** Deletes a draft that never opened (a draft has never been open: nothing leads back to draft). */
export async function deleteDraft(db: Db, actorId: string, c: ConsultationView): Promise<DeleteResult> {
  if (c.status !== "draft") return { ok: false, reason: "not_draft" };
  return afterCommit(c.slug, () =>
    db.transaction(async (tx) => {
      if ((await answerCount(tx, c.id)) > 0) return { ok: false, reason: "has_answers" } as const;
      const gone = await tx
        .delete(consultations)
        .where(and(eq(consultations.id, c.id), eq(consultations.status, "draft")))
        .returning({ id: consultations.id });
      if (!gone.length) return { ok: false, reason: "not_draft" } as const;
      await audit(tx, { actorId, action: "consultation.delete", targetType: "consultation", targetId: c.slug, details: titles(c) });
      return { ok: true } as const;
    }),
  );
}

/**
 * Removes a consultation whatever its status, with its answers (the demo, on a deployment
 * that was seeded with it). Audited with how many answers went with it.
 */
export async function removeWithAnswers(db: Db, actorId: string, c: ConsultationView): Promise<{ ok: true; answers: number }> {
  return afterCommit(c.slug, () =>
    db.transaction(async (tx) => {
      const answers = await answerCount(tx, c.id);
      await tx.delete(responses).where(eq(responses.consultationId, c.id));
      await tx.delete(consultations).where(eq(consultations.id, c.id));
      await audit(tx, { actorId, action: "consultation.remove", targetType: "consultation", targetId: c.slug, details: { ...titles(c), answers } });
      return { ok: true, answers } as const;
    }),
  );
}
