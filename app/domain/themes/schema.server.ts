/**
 * The forms of the themes page, as zod schemas read by conform (`parseForm`): the codebook
 * (create, edit, merge, retire, restore), tagging in bulk, quotes, and the decisions on
 * suggestions. Messages are keys under `staffErrors.`. The queue's filters come from the query
 * string: what cannot be read is ignored, never an error.
 */
import { z } from "zod";
import { parseKeywords } from "./stems";

export const LABEL_MAX = 80;
export const DESCRIPTION_MAX = 500;
export const KEYWORDS_MAX = 30;
export const KEYWORD_MAX = 60;
export const THEMES_PAGE_SIZE = 50;
/** Answers one bulk action may carry (a page of the queue is far fewer). */
export const BULK_MAX = 1_000;

const clean = (s: string) => s.replace(/[\u0000-\u001F\u007F]/g, " ").trim();
const label = z.string({ error: "required" }).max(LABEL_MAX, "tooLong").transform(clean).pipe(z.string().min(1, "required"));
const description = z.string().max(DESCRIPTION_MAX, "tooLong").default("").transform(clean);
const keywords = z
  .string()
  .max(KEYWORDS_MAX * (KEYWORD_MAX + 2), "tooLong")
  .default("")
  .transform(parseKeywords)
  .refine((ks) => ks.length <= KEYWORDS_MAX, { message: "tooManyKeywords", params: { max: KEYWORDS_MAX } })
  .refine((ks) => ks.every((k) => k.length <= KEYWORD_MAX), { message: "keywordTooLong", params: { max: KEYWORD_MAX } });

const texts = z.object({ label, description, keywords });
const themeId = z.string({ error: "notFound" }).uuid("notFound");
const answerId = z.number({ error: "notFound" }).int("notFound").min(1, "notFound").max(Number.MAX_SAFE_INTEGER, "notFound");

const edit = { fr: texts, en: texts };

export const themesFormSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("create"), ...edit }),
    z.object({ intent: z.literal("update"), themeId, ...edit }),
    z.object({ intent: z.literal("merge"), themeId, into: z.string({ error: "chooseTheme" }).uuid("chooseTheme") }),
    z.object({ intent: z.enum(["retire", "restore"]), themeId }),
    z.object({
      intent: z.enum(["tag", "untag"]),
      themeId: z.string({ error: "chooseTheme" }).uuid("chooseTheme"),
      answerId: z.array(answerId, { error: "chooseAnswers" }).min(1, "chooseAnswers").max(BULK_MAX, "tooManyAnswers"),
    }),
    z.object({ intent: z.enum(["quote", "unquote"]), themeId, answerId }),
    z.object({
      intent: z.enum(["accept", "reject"]),
      pick: z
        .array(z.string().regex(/^[0-9a-f]{20}$/, "notFound"), { error: "chooseSuggestions" })
        .min(1, "chooseSuggestions")
        .max(BULK_MAX, "chooseSuggestions"),
    }),
  ],
  { error: "unknownIntent" },
);

export type ThemesForm = z.output<typeof themesFormSchema>;

export const themesFilterSchema = z.object({
  theme: z.string().max(40).optional().catch(undefined),
  question: z.string().max(40).optional().catch(undefined),
  q: z.string().max(200).optional().catch(undefined),
  page: z.number().int().min(1).max(100_000).catch(1),
});
