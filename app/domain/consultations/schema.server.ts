/**
 * The forms of a consultation's staff pages, as zod schemas read by conform
 * (`parseForm` in app/forms): texts and settings, lifecycle, questionnaire,
 * outcome, reference shares, participation codes. Messages are keys under
 * `staffErrors.`; limits travel in the issue (`max`, `min`) or a refinement's
 * `params`. Field names are the forms' own: `fr.title`, `options[2].code`.
 */
import { z } from "zod";
import { frenchSpacing } from "~/i18n/typography";
import { DEMOGRAPHICS, PARTICIPATION_MODES, QUESTION_KINDS, type ConsultationText } from "#db/schema";
import { CONSULTATION_FIELDS } from "./completeness";
import { EARLIEST_YEAR, LATEST_YEAR, readLocalDateTime } from "./dates";
import { RESERVED_SLUGS } from "~/urls";

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const CODE = /^[a-z0-9][a-z0-9_-]{0,39}$/;
export const MAX_OPTIONS = 50;
export const MAX_CODES_AT_ONCE = 5_000;

export const TEXT_LIMITS: Record<keyof ConsultationText, number> = {
  title: 200,
  summary: 600,
  body: 20_000,
  dataCollected: 2_000,
  dataPurpose: 2_000,
  dataRetention: 2_000,
  dataAccess: 2_000,
  dataLocation: 2_000,
};

/** A text that may be empty: line ends made `\n`, control characters dropped, trimmed. */
const text = (max: number) =>
  z
    .string()
    .max(max, "tooLong")
    .transform((s) =>
      s
        .replace(/\r\n?/g, "\n")
        .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "")
        .trim(),
    )
    .default("");

/**
 * French text as staff type it, with French typography: the no-break spaces before : ; ! ? and
 * inside « » that a keyboard does not type (app/i18n/typography.ts), so a question never breaks
 * before its question mark on a page, a letter or a printout.
 */
const frenchText = (max: number) => text(max).transform(frenchSpacing);

/** A whole number typed in a field; absent is "required" unless the field is optional. */
const wholeNumber = (min: number, max: number) =>
  z
    .number({ error: (issue) => (issue.input === undefined ? "required" : "wholeNumber") })
    .int("wholeNumber")
    .min(min, "numberMin")
    .max(max, "numberMax");

/** The consultation's version the page was loaded at: an edit made since is not overwritten silently. */
const version = z.number({ error: "formExpired" }).int("formExpired").min(1, "formExpired").max(2_147_483_647, "formExpired");

/** A `datetime-local` value in the municipality's zone, as the instant it names; empty is null. */
const instant = (timeZone: string) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (!value) return null;
      const read = readLocalDateTime(value.trim(), timeZone);
      if (read.ok) return read.date;
      ctx.issues.push(
        read.reason === "range"
          ? { code: "custom", message: "yearRange", params: { min: EARLIEST_YEAR, max: LATEST_YEAR }, input: value }
          : { code: "custom", message: "dateFormat", input: value },
      );
      return z.NEVER;
    });

const id = z.uuid({ error: "notFound" });

// ---- Texts and settings -----------------------------------------------------------

const consultationTexts = z.object(
  Object.fromEntries(CONSULTATION_FIELDS.map((f) => [f, text(TEXT_LIMITS[f])])) as Record<keyof ConsultationText, ReturnType<typeof text>>,
);
const frenchConsultationTexts = z.object(
  Object.fromEntries(CONSULTATION_FIELDS.map((f) => [f, frenchText(TEXT_LIMITS[f])])) as Record<keyof ConsultationText, ReturnType<typeof frenchText>>,
);

/** A consultation's address, as typed. */
const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, "slugFormat")
  .max(80, "slugFormat")
  .regex(SLUG, "slugFormat")
  .refine((slug) => !RESERVED_SLUGS.includes(slug), "slugReserved");

/** Duplicating a consultation: the copy's address. */
export const duplicateSchema = z.object({ slug: slugSchema });

function settingsShape(timeZone: string) {
  return {
    slug: slugSchema,
    mode: z.enum(PARTICIPATION_MODES),
    opensAt: instant(timeZone),
    closesAt: instant(timeZone),
    retentionDays: z.number({ error: "retentionDays" }).int("retentionDays").min(1, "retentionDays").max(99_999, "retentionDays").optional(),
    fr: frenchConsultationTexts,
    en: consultationTexts,
  };
}

const datesInOrder = (v: { opensAt: Date | null; closesAt: Date | null }) => !v.opensAt || !v.closesAt || v.opensAt < v.closesAt;

const schemas = new Map<string, ReturnType<typeof buildConsultationSchemas>>();

function buildConsultationSchemas(timeZone: string) {
  const shape = settingsShape(timeZone);
  return {
    /** New consultation. */
    create: z.object(shape).refine(datesInOrder, { message: "datesOrder", path: ["closesAt"] }),
    /** Edit of texts and settings, with the version it was loaded at. */
    edit: z.object({ ...shape, version }).refine(datesInOrder, { message: "datesOrder", path: ["closesAt"] }),
  };
}

/** The texts-and-settings forms; dates are read in `timeZone` (the municipality's). */
export function consultationSchemas(timeZone: string) {
  let built = schemas.get(timeZone);
  if (!built) {
    built = buildConsultationSchemas(timeZone);
    schemas.set(timeZone, built);
  }
  return built;
}

export type ConsultationCreate = z.output<ReturnType<typeof consultationSchemas>["create"]>;
export type ConsultationEdit = z.output<ReturnType<typeof consultationSchemas>["edit"]>;

// ---- Lifecycle ---------------------------------------------------------------------

export const LIFECYCLE_INTENTS = ["open", "close", "reopen", "archive", "publishOpenData", "unpublishOpenData", "publishResults", "unpublishResults"] as const;
export type LifecycleIntent = (typeof LIFECYCLE_INTENTS)[number];

/** Opening and closing change what residents see: they are done only from the confirmation page, which sends `confirmed=yes`. */
export const lifecycleSchema = z.object({
  intent: z.enum(LIFECYCLE_INTENTS, { error: "unknownIntent" }),
  confirmed: z.literal("yes").optional().catch(undefined),
});

// ---- Questionnaire -----------------------------------------------------------------

const questionTexts = z.object({ prompt: text(500), help: text(1_000), scaleLow: text(100), scaleHigh: text(100) });
const frenchQuestionTexts = z.object({ prompt: frenchText(500), help: frenchText(1_000), scaleLow: frenchText(100), scaleHigh: frenchText(100) });

const optionRow = z.object({
  /** Empty on a new row. */
  id: id.optional(),
  code: z.string().trim().toLowerCase().max(40, "codeFormat").default(""),
  fr: frenchText(300),
  en: text(300),
  remove: z.boolean().default(false),
});

const questionShape = {
  /** May be left empty on a demographic question: it then takes the demographic's name (`area`, `age`, `language`). */
  code: z.string().trim().toLowerCase().max(40, "codeFormat").default(""),
  kind: z.enum(QUESTION_KINDS),
  required: z.boolean().default(false),
  demographic: z.enum(DEMOGRAPHICS).optional(),
  allowOther: z.boolean().default(false),
  allowPreferNot: z.boolean().default(false),
  minChoices: wholeNumber(1, MAX_OPTIONS).optional(),
  maxChoices: wholeNumber(1, MAX_OPTIONS).optional(),
  maxLength: wholeNumber(1, 20_000).optional(),
  fr: frenchQuestionTexts,
  en: questionTexts,
  options: z.array(optionRow).max(MAX_OPTIONS, "tooManyOptions").default([]),
};

type OptionRow = z.output<typeof optionRow>;
const blankRow = (o: OptionRow) => !o.code && !o.fr && !o.en;

/** What a question's rows must hold together: min ≤ max, a code on each answer kept, no code twice. */
function questionRules(q: { code: string; demographic?: string; minChoices?: number; maxChoices?: number; options: OptionRow[] }, ctx: z.RefinementCtx) {
  if (q.code ? !CODE.test(q.code) : !q.demographic) ctx.addIssue({ code: "custom", message: "codeFormat", path: ["code"] });
  if (q.minChoices !== undefined && q.maxChoices !== undefined && q.minChoices > q.maxChoices)
    ctx.addIssue({ code: "custom", message: "minMax", path: ["maxChoices"] });
  const seen = new Set<string>();
  q.options.forEach((o, i) => {
    if (o.remove || blankRow(o)) return;
    if (!CODE.test(o.code)) ctx.addIssue({ code: "custom", message: "optionCode", path: ["options", i, "code"] });
    else if (seen.has(o.code)) ctx.addIssue({ code: "custom", message: "optionDuplicate", path: ["options", i, "code"] });
    seen.add(o.code);
  });
}

/** The questions page: add, save, move, remove — one form each, told apart by `intent`. */
export const questionsSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("add"), version, ...questionShape }).superRefine(questionRules),
    z.object({ intent: z.literal("save"), version, questionId: id, ...questionShape }).superRefine(questionRules),
    z.object({ intent: z.enum(["up", "down"]), version, questionId: id }),
    z.object({ intent: z.literal("remove"), version, questionId: id }),
  ],
  { error: "unknownIntent" },
);

export type QuestionsForm = z.output<typeof questionsSchema>;
export type QuestionForm = Extract<QuestionsForm, { intent: "add" | "save" }>;

// ---- Outcome -------------------------------------------------------------------------

const outcomeTexts = z.object({ heard: text(10_000), decided: text(10_000) });
const frenchOutcomeTexts = z.object({ heard: frenchText(10_000), decided: frenchText(10_000) });

export const outcomeSchema = z.object({
  intent: z.enum(["save", "publish", "unpublish"], { error: "unknownIntent" }),
  version,
  fr: frenchOutcomeTexts,
  en: outcomeTexts,
});

export type OutcomeForm = z.output<typeof outcomeSchema>;

// ---- Reference shares ------------------------------------------------------------------

/** A percentage as typed ("30", "12,5", "12.5"), or empty. */
const percent = z
  .string()
  .trim()
  .regex(/^(?:\d{1,3}(?:[.,]\d{1,2})?)?$/, "percentFormat")
  .transform((v) => (v === "" ? null : Number(v.replace(",", "."))))
  .refine((n) => n === null || n <= 100, "percentFormat");

/** Shares may round: a total up to this is accepted. */
export const MAX_SHARE_TOTAL = 100.5;

export const referencesSchema = z
  .object({
    questionId: id,
    source: text(300),
    /** `share.<option id>`: the group's share of the population, in percent. */
    share: z.record(z.string().max(40), percent).default({}),
  })
  .refine((v) => Object.values(v.share).reduce<number>((sum, n) => sum + (n ?? 0), 0) <= MAX_SHARE_TOTAL, { message: "percentSum" });

export type ReferencesForm = z.output<typeof referencesSchema>;

// ---- Participation codes ---------------------------------------------------------------

export const codesSchema = z.object({ count: wholeNumber(1, MAX_CODES_AT_ONCE) });

/** A named batch of letters; `request_id` is the form's idempotency key, made when it was rendered. */
export const codeBatchSchema = codesSchema.extend({
  label: z.string({ error: "required" }).trim().min(1, "required").max(100, "tooLong"),
  request_id: z.uuid("formExpired"),
});

export const cancelBatchSchema = z.object({ intent: z.literal("cancel"), batch: z.uuid("notFound") });

/** Days after the closing during which paper forms may be entered (paper entry page). */
export const paperGraceSchema = z.object({ intent: z.literal("grace"), days: wholeNumber(0, 365) });

// ---- Moderation ---------------------------------------------------------------------------

const moderateOne = z.object({
  intent: z.enum(["hide", "restore"], { error: "unknownIntent" }),
  answerId: z.number({ error: "notFound" }).int("notFound").min(1, "notFound").max(Number.MAX_SAFE_INTEGER, "notFound"),
  reason: z.string().max(500, "tooLong").default(""),
});

/** Hide or restore one text, or publish (withdraw) the visible texts as a whole. */
export const moderationSchema = z.discriminatedUnion(
  "intent",
  [moderateOne, z.object({ intent: z.enum(["publishTexts", "unpublishTexts"], { error: "unknownIntent" }) })],
  { error: "unknownIntent" },
);

// ---- Query-string filters: what cannot be read is ignored, never an error ----------------------

export const MODERATION_PAGE_SIZE = 50;

export const moderationFilterSchema = z.object({
  state: z.enum(["visible", "hidden", "all"]).catch("visible"),
  question: z.string().max(40).optional().catch(undefined),
  page: z.number().int().min(1).max(100_000).catch(1),
});

export const summaryFilterSchema = z.object({ breakdown: z.string().max(40).optional().catch(undefined) });
