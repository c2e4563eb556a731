/**
 * What officials do to a consultation: create, edit texts and settings, move it
 * through draft → open → closed → archived, build its questionnaire, publish
 * its outcome. Each command answers ok or a named reason; the route maps the
 * reason to a status and a message.
 */
import { and, asc, eq, lte, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client";
import { answers, consultations, options, questions, type Bilingual, type ConsultationStatus, type ConsultationText, type OutcomeText, type QuestionText } from "#db/schema";
import { audit } from "../audit/audit.server";
import { CONSULTATION_FIELDS, missingForOpening, type Missing } from "./completeness";
import { DEMOGRAPHICS, QUESTION_KINDS } from "#db/schema";
import type { ConsultationView } from "./types";

const LIMITS: Record<keyof ConsultationText, number> = {
  title: 200,
  summary: 600,
  body: 20_000,
  dataCollected: 2_000,
  dataPurpose: 2_000,
  dataRetention: 2_000,
  dataAccess: 2_000,
  dataLocation: 2_000,
};

const text = (max: number) =>
  z
    .string()
    .max(max, { message: `tooLong:${max}` })
    .transform((s) => s.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "").trim());

const textsSchema = z.object(
  Object.fromEntries(CONSULTATION_FIELDS.map((f) => [f, text(LIMITS[f]).default("")])) as unknown as Record<
    keyof ConsultationText,
    z.ZodDefault<ReturnType<typeof text>>
  >,
);

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** A date-time typed in the municipality's zone (`<input type="datetime-local">`), or empty. */
const localDateTime = z
  .string()
  .regex(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?)?$/, { message: "dateFormat" })
  .default("");

export const consultationFormSchema = z
  .object({
    slug: z.string().trim().toLowerCase().min(3, { message: "slugFormat" }).max(80, { message: "slugFormat" }).regex(SLUG, { message: "slugFormat" }),
    mode: z.enum(["open", "code"]),
    opensAt: localDateTime,
    closesAt: localDateTime,
    retentionDays: z
      .string()
      .trim()
      .default("")
      .refine((v) => v === "" || (/^\d{1,5}$/.test(v) && Number(v) >= 1), { message: "retentionDays" }),
    fr: textsSchema,
    en: textsSchema,
  })
  .refine((v) => !v.opensAt || !v.closesAt || v.opensAt < v.closesAt, { message: "datesOrder", path: ["closesAt"] });

export type ConsultationForm = z.infer<typeof consultationFormSchema>;

/** The wall-clock fields of an instant in `timeZone`. */
function zonedParts(instant: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute") };
}

/** Converts "2027-01-15T18:00" in `timeZone` to the instant it names. */
export function zonedToUtc(local: string, timeZone: string): Date {
  const [datePart, timePart] = local.split("T");
  const [y, m, d] = datePart.split("-").map(Number);
  const [hh, mm] = timePart.split(":").map(Number);
  const asUtc = Date.UTC(y, m - 1, d, hh, mm);
  const offsetAt = (instant: number) => {
    const p = zonedParts(new Date(instant), timeZone);
    return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute) - instant;
  };
  let guess = asUtc - offsetAt(asUtc);
  guess = asUtc - offsetAt(guess);
  return new Date(guess);
}

/** The `datetime-local` value of an instant in `timeZone`. */
export function utcToZonedInput(date: Date | null, timeZone: string): string {
  if (!date) return "";
  const p = zonedParts(date, timeZone);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

function emptyTexts(): ConsultationText {
  return Object.fromEntries(CONSULTATION_FIELDS.map((f) => [f, ""])) as unknown as ConsultationText;
}

export type EditResult = { ok: true; slug: string } | { ok: false; reason: "slug_taken" | "slug_locked" | "not_found" };

export async function createDraft(db: Db, actorId: string, form: ConsultationForm, timeZone: string): Promise<EditResult> {
  const inserted = await db
    .insert(consultations)
    .values({
      slug: form.slug,
      mode: form.mode,
      opensAt: form.opensAt ? zonedToUtc(form.opensAt, timeZone) : null,
      closesAt: form.closesAt ? zonedToUtc(form.closesAt, timeZone) : null,
      retentionDays: form.retentionDays ? Number(form.retentionDays) : null,
      texts: { fr: { ...emptyTexts(), ...form.fr }, en: { ...emptyTexts(), ...form.en } },
    })
    .onConflictDoNothing({ target: consultations.slug })
    .returning({ id: consultations.id });
  if (!inserted.length) return { ok: false, reason: "slug_taken" };
  await audit(db, { actorId, action: "consultation.create", targetType: "consultation", targetId: form.slug });
  return { ok: true, slug: form.slug };
}

export async function updateConsultation(db: Db, actorId: string, c: ConsultationView, form: ConsultationForm, timeZone: string): Promise<EditResult> {
  if (form.slug !== c.slug && c.status !== "draft") return { ok: false, reason: "slug_locked" };
  try {
    await db
      .update(consultations)
      .set({
        slug: form.slug,
        mode: c.status === "draft" ? form.mode : c.mode,
        opensAt: form.opensAt ? zonedToUtc(form.opensAt, timeZone) : null,
        closesAt: form.closesAt ? zonedToUtc(form.closesAt, timeZone) : null,
        retentionDays: form.retentionDays ? Number(form.retentionDays) : null,
        texts: { fr: form.fr, en: form.en },
        version: sql`${consultations.version} + 1`,
        updatedAt: new Date(),
      })
      .where(eq(consultations.id, c.id));
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code === "23505" || (error as { code?: string }).code === "23505")
      return { ok: false, reason: "slug_taken" };
    throw error;
  }
  await audit(db, { actorId, action: "consultation.edit", targetType: "consultation", targetId: form.slug });
  return { ok: true, slug: form.slug };
}

// ---- Lifecycle ---------------------------------------------------------------

const TRANSITIONS: Record<ConsultationStatus, ConsultationStatus[]> = {
  draft: ["open"],
  open: ["closed"],
  closed: ["open", "archived"],
  archived: [],
};

export type TransitionResult = { ok: true } | { ok: false; reason: "not_allowed" } | { ok: false; reason: "incomplete"; missing: Missing[] };

export async function transition(db: Db, actorId: string, c: ConsultationView, to: ConsultationStatus): Promise<TransitionResult> {
  if (!TRANSITIONS[c.status].includes(to)) return { ok: false, reason: "not_allowed" };
  if (to === "open") {
    const missing = missingForOpening(c);
    if (missing.length) return { ok: false, reason: "incomplete", missing };
  }
  await db.transaction(async (tx) => {
    const now = new Date();
    const changes: Partial<typeof consultations.$inferInsert> = { status: to, updatedAt: now };
    // Opening by hand opens now; closing by hand closes now.
    if (to === "open" && c.opensAt && c.opensAt > now) changes.opensAt = now;
    if (to === "open" && c.closesAt && c.closesAt <= now) changes.closesAt = null;
    if (to === "closed" && (!c.closesAt || c.closesAt > now)) changes.closesAt = now;
    await tx.update(consultations).set({ ...changes, version: sql`${consultations.version} + 1` }).where(eq(consultations.id, c.id));
    await audit(tx as unknown as Db, { actorId, action: `consultation.${to === "open" ? "open" : to === "closed" ? "close" : "archive"}`, targetType: "consultation", targetId: c.slug, details: { from: c.status } });
  });
  return { ok: true };
}

/** Consultations whose closing date has passed are closed (called on reads; cheap and idempotent). */
export async function closeExpired(db: Db, now = new Date()): Promise<void> {
  await db
    .update(consultations)
    .set({ status: "closed", version: sql`${consultations.version} + 1` })
    .where(and(eq(consultations.status, "open"), lte(consultations.closesAt, now)));
}

// ---- Outcome -------------------------------------------------------------------

export const outcomeFormSchema = z.object({
  fr: z.object({ heard: text(10_000).default(""), decided: text(10_000).default("") }),
  en: z.object({ heard: text(10_000).default(""), decided: text(10_000).default("") }),
  intent: z.enum(["save", "publish", "unpublish"]),
});

export type OutcomeResult = { ok: true } | { ok: false; reason: "incomplete" | "not_closed" };

export async function saveOutcome(db: Db, actorId: string, c: ConsultationView, outcome: Bilingual<OutcomeText>, intent: "save" | "publish" | "unpublish"): Promise<OutcomeResult> {
  const complete = (["fr", "en"] as const).every((l) => outcome[l].heard && outcome[l].decided);
  if (intent === "publish" && !complete) return { ok: false, reason: "incomplete" };
  if (intent === "publish" && c.status !== "closed" && c.status !== "archived") return { ok: false, reason: "not_closed" };
  await db.transaction(async (tx) => {
    await tx
      .update(consultations)
      .set({
        outcome,
        outcomePublishedAt: intent === "publish" ? new Date() : intent === "unpublish" ? null : c.outcomePublishedAt,
        version: sql`${consultations.version} + 1`,
      })
      .where(eq(consultations.id, c.id));
    if (intent !== "save") await audit(tx as unknown as Db, { actorId, action: `outcome.${intent}`, targetType: "consultation", targetId: c.slug });
  });
  return { ok: true };
}

// ---- Questionnaire ---------------------------------------------------------------

const flag = z
  .union([z.literal("on"), z.literal("true"), z.literal("")])
  .optional()
  .transform((v) => v === "on" || v === "true");
const optionalInt = (min: number, max: number) =>
  z
    .string()
    .trim()
    .default("")
    .refine((v) => v === "" || (/^\d{1,6}$/.test(v) && Number(v) >= min && Number(v) <= max), { message: `intRange:${min}:${max}` })
    .transform((v) => (v === "" ? null : Number(v)));
const questionTextSchema = z.object({
  prompt: text(500).default(""),
  help: text(1_000).default(""),
  scaleLow: text(100).default(""),
  scaleHigh: text(100).default(""),
});

export const CODE = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export const questionFormSchema = z
  .object({
    code: z.string().trim().toLowerCase().regex(CODE, { message: "codeFormat" }),
    kind: z.enum(QUESTION_KINDS),
    required: flag,
    demographic: z.union([z.enum(DEMOGRAPHICS), z.literal("")]).default(""),
    allowOther: flag,
    allowPreferNot: flag,
    minChoices: optionalInt(1, 50),
    maxChoices: optionalInt(1, 50),
    maxLength: optionalInt(1, 20_000),
    fr: questionTextSchema,
    en: questionTextSchema,
    options: z
      .array(
        z.object({
          id: z.string().default(""),
          code: z.string().trim().toLowerCase().default(""),
          fr: text(300).default(""),
          en: text(300).default(""),
          remove: flag,
        }),
      )
      .max(50)
      .default([]),
  })
  .refine((q) => !q.minChoices || !q.maxChoices || q.minChoices <= q.maxChoices, { message: "minMax", path: ["maxChoices"] })
  .refine((q) => q.options.every((o) => o.remove || (!o.code && !o.fr && !o.en) || CODE.test(o.code)), { message: "optionCode", path: ["options"] })
  .refine(
    (q) => {
      const codes = q.options.filter((o) => !o.remove && o.code).map((o) => o.code);
      return new Set(codes).size === codes.length;
    },
    { message: "optionDuplicate", path: ["options"] },
  );

export type QuestionForm = z.infer<typeof questionFormSchema>;

/** Reads the builder's fields (`option.0.code`, `option.0.fr`, …) into the shape the schema checks. */
export function questionFormInput(form: FormData) {
  const get = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : undefined;
  };
  const optionsInput: Record<string, string | undefined>[] = [];
  for (let i = 0; i < 50; i++) {
    if (get(`option.${i}.code`) === undefined && get(`option.${i}.fr`) === undefined) break;
    optionsInput.push({ id: get(`option.${i}.id`), code: get(`option.${i}.code`), fr: get(`option.${i}.fr`), en: get(`option.${i}.en`), remove: get(`option.${i}.remove`) });
  }
  const texts = (lang: string) => ({ prompt: get(`${lang}.prompt`), help: get(`${lang}.help`), scaleLow: get(`${lang}.scaleLow`), scaleHigh: get(`${lang}.scaleHigh`) });
  return {
    code: get("code"),
    kind: get("kind"),
    required: get("required"),
    demographic: get("demographic"),
    allowOther: get("allowOther"),
    allowPreferNot: get("allowPreferNot"),
    minChoices: get("minChoices"),
    maxChoices: get("maxChoices"),
    maxLength: get("maxLength"),
    fr: texts("fr"),
    en: texts("en"),
    options: optionsInput,
  };
}

export type QuestionResult = { ok: true } | { ok: false; reason: "code_taken" | "locked" | "not_found" | "option_has_answers" | "kind_locked" };

const questionTexts = (q: QuestionForm): Bilingual<QuestionText> => ({
  fr: { prompt: q.fr.prompt, help: q.fr.help, scaleLow: q.fr.scaleLow, scaleHigh: q.fr.scaleHigh },
  en: { prompt: q.en.prompt, help: q.en.help, scaleLow: q.en.scaleLow, scaleHigh: q.en.scaleHigh },
});

function questionColumns(q: QuestionForm) {
  const demographic = q.demographic || null;
  return {
    code: q.code,
    kind: q.kind,
    required: demographic ? false : q.required,
    demographic,
    allowOther: (q.kind === "single" || q.kind === "multiple") && q.allowOther,
    allowPreferNot: demographic ? true : q.allowPreferNot,
    minChoices: q.kind === "multiple" ? q.minChoices : null,
    maxChoices: q.kind === "multiple" ? q.maxChoices : null,
    maxLength: q.kind === "short_text" || q.kind === "long_text" ? q.maxLength : null,
    texts: questionTexts(q),
  };
}

async function optionHasAnswers(db: Db, questionId: string, optionId: string): Promise<boolean> {
  const rows = await db
    .select({ id: answers.id })
    .from(answers)
    .where(and(eq(answers.questionId, questionId), sql`${optionId}::uuid = any(${answers.optionIds})`))
    .limit(1);
  return rows.length > 0;
}

async function writeOptions(tx: Db, questionId: string, q: QuestionForm): Promise<QuestionResult> {
  const existing = await tx.select().from(options).where(eq(options.questionId, questionId)).orderBy(asc(options.position));
  let position = 0;
  for (const o of q.options) {
    const current = existing.find((e) => e.id === o.id);
    const empty = !o.code && !o.fr && !o.en;
    if (current && (o.remove || empty)) {
      if (await optionHasAnswers(tx, questionId, current.id)) return { ok: false, reason: "option_has_answers" };
      await tx.delete(options).where(eq(options.id, current.id));
      continue;
    }
    if (o.remove || empty) continue;
    position++;
    if (current) await tx.update(options).set({ code: o.code, labels: { fr: o.fr, en: o.en }, position }).where(eq(options.id, current.id));
    else await tx.insert(options).values({ questionId, code: o.code, labels: { fr: o.fr, en: o.en }, position });
  }
  return { ok: true };
}

class Abort {
  constructor(public result: QuestionResult) {}
}

async function guarded(db: Db, work: (tx: Db) => Promise<QuestionResult>): Promise<QuestionResult> {
  try {
    return await db.transaction(async (tx) => {
      const result = await work(tx as unknown as Db);
      if (!result.ok) throw new Abort(result);
      return result;
    });
  } catch (error) {
    if (error instanceof Abort) return error.result;
    const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
    if (code === "23505") return { ok: false, reason: "code_taken" };
    throw error;
  }
}

const bump = (tx: Db, c: ConsultationView) =>
  tx.update(consultations).set({ version: sql`${consultations.version} + 1`, updatedAt: new Date() }).where(eq(consultations.id, c.id));

export async function addQuestion(db: Db, actorId: string, c: ConsultationView, q: QuestionForm): Promise<QuestionResult> {
  if (c.status !== "draft") return { ok: false, reason: "locked" };
  return guarded(db, async (tx) => {
    const [row] = await tx
      .insert(questions)
      .values({ consultationId: c.id, position: c.questions.length + 1, ...questionColumns(q) })
      .returning({ id: questions.id });
    const written = await writeOptions(tx, row.id, q);
    if (written.ok) {
      await bump(tx, c);
      await audit(tx, { actorId, action: "question.add", targetType: "consultation", targetId: c.slug, details: { code: q.code } });
    }
    return written;
  });
}

export async function updateQuestion(db: Db, actorId: string, c: ConsultationView, questionId: string, q: QuestionForm): Promise<QuestionResult> {
  const current = c.questions.find((x) => x.id === questionId);
  if (!current) return { ok: false, reason: "not_found" };
  if (c.status !== "draft" && (q.kind !== current.kind || q.code !== current.code)) return { ok: false, reason: "kind_locked" };
  return guarded(db, async (tx) => {
    await tx.update(questions).set(questionColumns(q)).where(eq(questions.id, questionId));
    const written = await writeOptions(tx, questionId, q);
    if (written.ok) {
      await bump(tx, c);
      await audit(tx, { actorId, action: "question.edit", targetType: "consultation", targetId: c.slug, details: { code: q.code } });
    }
    return written;
  });
}

export async function removeQuestion(db: Db, actorId: string, c: ConsultationView, questionId: string): Promise<QuestionResult> {
  if (c.status !== "draft") return { ok: false, reason: "locked" };
  const target = c.questions.find((x) => x.id === questionId);
  if (!target) return { ok: false, reason: "not_found" };
  return guarded(db, async (tx) => {
    await tx.delete(questions).where(eq(questions.id, questionId));
    const rest = c.questions.filter((x) => x.id !== questionId);
    for (const [i, x] of rest.entries()) await tx.update(questions).set({ position: i + 1 }).where(eq(questions.id, x.id));
    await bump(tx, c);
    await audit(tx, { actorId, action: "question.remove", targetType: "consultation", targetId: c.slug, details: { code: target.code } });
    return { ok: true };
  });
}

export async function moveQuestion(db: Db, c: ConsultationView, questionId: string, direction: "up" | "down"): Promise<QuestionResult> {
  const index = c.questions.findIndex((x) => x.id === questionId);
  if (index < 0) return { ok: false, reason: "not_found" };
  const other = direction === "up" ? index - 1 : index + 1;
  if (other < 0 || other >= c.questions.length) return { ok: true };
  return guarded(db, async (tx) => {
    await tx.update(questions).set({ position: other + 1 }).where(eq(questions.id, c.questions[index].id));
    await tx.update(questions).set({ position: index + 1 }).where(eq(questions.id, c.questions[other].id));
    await bump(tx, c);
    return { ok: true };
  });
}
