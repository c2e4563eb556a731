/**
 * Building a consultation's questionnaire: add, edit, move, remove questions and their
 * answers to choose from. Questions come and go only while the consultation is a draft;
 * once open, wording may change but a kind, a code or an answer residents chose stays.
 * Every command is refused as `stale` if the consultation changed since the page was loaded
 * (checked first: the other checks hold only for the consultation the official saw).
 */
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "#db/client";
import { isUniqueViolation } from "#db/errors";
import { answers, options, questions, type Bilingual, type QuestionText } from "#db/schema";
import { audit } from "../audit/audit.server";
import { copyDefaultReferences } from "../references/references.server";
import { withStandardAnswers } from "./standard";
import { claimVersion } from "./concurrency.server";
import type { QuestionForm } from "./schema.server";
import type { ConsultationView } from "./types";
import { afterCommit } from "./cache.server";

export type QuestionRefusal = "stale" | "code_taken" | "option_code_taken" | "locked" | "not_found" | "option_has_answers" | "kind_locked";
export type QuestionResult = { ok: true } | { ok: false; reason: QuestionRefusal };

/** The fields of a question form the commands read (the schema's output, without its intent). */
export type QuestionInput = Omit<QuestionForm, "intent" | "version" | "questionId">;

const questionTexts = (q: QuestionInput): Bilingual<QuestionText> => ({
  fr: { prompt: q.fr.prompt, help: q.fr.help, scaleLow: q.fr.scaleLow, scaleHigh: q.fr.scaleHigh },
  en: { prompt: q.en.prompt, help: q.en.help, scaleLow: q.en.scaleLow, scaleHigh: q.en.scaleHigh },
});

function questionColumns(q: QuestionInput) {
  const demographic = q.demographic ?? null;
  return {
    code: q.code,
    kind: q.kind,
    required: demographic ? false : q.required,
    demographic,
    allowOther: (q.kind === "single" || q.kind === "multiple") && q.allowOther,
    allowPreferNot: demographic ? true : q.allowPreferNot,
    minChoices: q.kind === "multiple" ? (q.minChoices ?? null) : null,
    maxChoices: q.kind === "multiple" ? (q.maxChoices ?? null) : null,
    maxLength: q.kind === "short_text" || q.kind === "long_text" ? (q.maxLength ?? null) : null,
    texts: questionTexts(q),
  };
}

async function optionHasAnswers(db: DbOrTx, questionId: string, optionId: string): Promise<boolean> {
  const rows = await db
    .select({ id: answers.id })
    .from(answers)
    .where(and(eq(answers.questionId, questionId), sql`${optionId}::uuid = any(${answers.optionIds})`))
    .limit(1);
  return rows.length > 0;
}

/**
 * Writes a question's rows: removals first, then kept rows (through a placeholder code,
 * so two answers may swap codes), then new rows — in the order the form lists them.
 */
async function writeOptions(tx: DbOrTx, questionId: string, q: QuestionInput): Promise<QuestionResult> {
  const existing = await tx.select().from(options).where(eq(options.questionId, questionId)).orderBy(asc(options.position));
  const rows = q.options.map((o) => ({ ...o, current: o.id ? existing.find((e) => e.id === o.id) : undefined, blank: !o.code && !o.fr && !o.en }));
  for (const o of rows) {
    if (!o.current || !(o.remove || o.blank)) continue;
    if (await optionHasAnswers(tx, questionId, o.current.id)) return { ok: false, reason: "option_has_answers" };
    await tx.delete(options).where(eq(options.id, o.current.id));
  }
  const kept = rows.filter((o) => !o.remove && !o.blank);
  for (const o of kept)
    if (o.current && o.current.code !== o.code)
      await tx
        .update(options)
        .set({ code: `~${o.current.id}` })
        .where(eq(options.id, o.current.id));
  for (const [i, o] of kept.entries()) {
    const values = { code: o.code, labels: { fr: o.fr, en: o.en }, position: i + 1 };
    if (o.current) await tx.update(options).set(values).where(eq(options.id, o.current.id));
    else await tx.insert(options).values({ questionId, ...values });
  }
  return { ok: true };
}

class Refused {
  constructor(public reason: QuestionRefusal) {}
}

const STALE = { ok: false, reason: "stale" } as const;

/** Runs `work` in one transaction holding the consultation at `version`; a refusal rolls everything back. */
async function edit(db: Db, actorId: string | null, c: ConsultationView, version: number, work: (tx: Tx) => Promise<QuestionResult>): Promise<QuestionResult> {
  try {
    return await db.transaction(async (tx) => {
      if (!(await claimVersion(tx, c.id, version, actorId))) throw new Refused("stale");
      const result = await work(tx);
      if (!result.ok) throw new Refused(result.reason);
      return result;
    });
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.reason };
    if (isUniqueViolation(error, "questions_consultation_code_key")) return { ok: false, reason: "code_taken" };
    if (isUniqueViolation(error, "options_question_code_key")) return { ok: false, reason: "option_code_taken" };
    throw error;
  }
}

/** Adds a question at the end; a demographic question left without answers gets the standard ones (`withStandardAnswers`). */
export async function addQuestion(db: Db, actorId: string, c: ConsultationView, version: number, typed: QuestionInput): Promise<QuestionResult> {
  const q = withStandardAnswers(typed);
  return afterCommit(c.slug, async () => {
    if (version !== c.version) return STALE;
    if (c.status !== "draft") return { ok: false, reason: "locked" };
    return edit(db, actorId, c, version, async (tx) => {
      const [row] = await tx
        .insert(questions)
        .values({ consultationId: c.id, position: c.questions.length + 1, ...questionColumns(q) })
        .returning({ id: questions.id });
      const written = await writeOptions(tx, row.id, q);
      if (written.ok && q.demographic) await copyDefaultReferences(tx, row.id, q.demographic);
      if (written.ok) await audit(tx, { actorId, action: "question.add", targetType: "consultation", targetId: c.slug, details: { code: q.code } });
      return written;
    });
  });
}

export async function updateQuestion(
  db: Db,
  actorId: string,
  c: ConsultationView,
  version: number,
  questionId: string,
  typed: QuestionInput,
): Promise<QuestionResult> {
  return afterCommit(c.slug, async () => {
    if (version !== c.version) return STALE;
    const current = c.questions.find((x) => x.id === questionId);
    if (!current) return { ok: false, reason: "not_found" };
    // A demographic question's code left empty keeps the one it has.
    const q = typed.code ? typed : { ...typed, code: current.code };
    if (c.status !== "draft" && (q.kind !== current.kind || q.code !== current.code)) return { ok: false, reason: "kind_locked" };
    return edit(db, actorId, c, version, async (tx) => {
      await tx.update(questions).set(questionColumns(q)).where(eq(questions.id, questionId));
      const written = await writeOptions(tx, questionId, q);
      if (written.ok) await audit(tx, { actorId, action: "question.edit", targetType: "consultation", targetId: c.slug, details: { code: q.code } });
      return written;
    });
  });
}

export async function removeQuestion(db: Db, actorId: string, c: ConsultationView, version: number, questionId: string): Promise<QuestionResult> {
  return afterCommit(c.slug, async () => {
    if (version !== c.version) return STALE;
    if (c.status !== "draft") return { ok: false, reason: "locked" };
    const target = c.questions.find((x) => x.id === questionId);
    if (!target) return { ok: false, reason: "not_found" };
    return edit(db, actorId, c, version, async (tx) => {
      await tx.delete(questions).where(eq(questions.id, questionId));
      const rest = c.questions.filter((x) => x.id !== questionId);
      for (const [i, x] of rest.entries())
        await tx
          .update(questions)
          .set({ position: i + 1 })
          .where(eq(questions.id, x.id));
      await audit(tx, {
        actorId,
        action: "question.remove",
        targetType: "consultation",
        targetId: c.slug,
        details: { code: target.code, prompt: { fr: target.texts.fr.prompt, en: target.texts.en.prompt } },
      });
      return { ok: true };
    });
  });
}

/** Moves a question one place up or down (at either end, it stays where it is). */
export async function moveQuestion(
  db: Db,
  c: ConsultationView,
  version: number,
  questionId: string,
  direction: "up" | "down",
  actorId: string | null = null,
): Promise<QuestionResult> {
  return afterCommit(c.slug, async () => {
    if (version !== c.version) return STALE;
    const index = c.questions.findIndex((x) => x.id === questionId);
    if (index < 0) return { ok: false, reason: "not_found" };
    const other = direction === "up" ? index - 1 : index + 1;
    if (other < 0 || other >= c.questions.length) return { ok: true };
    return edit(db, actorId, c, version, async (tx) => {
      await tx
        .update(questions)
        .set({ position: other + 1 })
        .where(eq(questions.id, c.questions[index].id));
      await tx
        .update(questions)
        .set({ position: index + 1 })
        .where(eq(questions.id, c.questions[other].id));
      return { ok: true };
    });
  });
}
