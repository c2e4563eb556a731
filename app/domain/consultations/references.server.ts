/** Reference shares (e.g. census: 30 % rural) for a demographic question, against which the summary flags who was not heard. */
import type { Db } from "#db/client";
import { setReferenceShares } from "../summary/summary.server";
import type { ReferencesForm } from "./schema.server";
import type { ConsultationView } from "./types";

/** Why reference shares are not saved: the question is no demographic question of this consultation. */
export type ReferencesRefusal = "not_found";

export type ReferencesResult = { ok: true } | { ok: false; reason: ReferencesRefusal };

/** Replaces a demographic question's reference shares; shares of anything but its own answers are ignored. */
export async function saveReferences(db: Db, c: ConsultationView, form: ReferencesForm): Promise<ReferencesResult> {
  const question = c.questions.find((q) => q.id === form.questionId && q.demographic);
  if (!question) return { ok: false, reason: "not_found" };
  const shares = question.options.flatMap((o) => {
    const percent = form.share[o.id];
    return percent === null || percent === undefined ? [] : [{ optionId: o.id, percent }];
  });
  await setReferenceShares(db, question.id, shares, form.source);
  return { ok: true };
}
