/** A consultation in one language, as resident pages show it. Pure. */
import type { Lang } from "#db/schema";
import { resultsVisible } from "./rules";
import type { ConsultationView, QuestionKind } from "./types";

/** A question in one language, as the form needs it. */
export interface FormQuestion {
  code: string;
  kind: QuestionKind;
  required: boolean;
  demographic: string | null;
  allowOther: boolean;
  allowPreferNot: boolean;
  minChoices: number | null;
  maxChoices: number | null;
  maxLength: number | null;
  prompt: string;
  help: string;
  scaleLow: string;
  scaleHigh: string;
  options: { code: string; label: string }[];
}

export function questionsIn(c: Pick<ConsultationView, "questions">, lang: Lang): FormQuestion[] {
  return c.questions.map((q) => ({
    code: q.code,
    kind: q.kind,
    required: q.required,
    demographic: q.demographic,
    allowOther: q.allowOther,
    allowPreferNot: q.allowPreferNot,
    minChoices: q.minChoices,
    maxChoices: q.maxChoices,
    maxLength: q.maxLength,
    prompt: q.texts[lang].prompt,
    help: q.texts[lang].help,
    scaleLow: q.texts[lang].scaleLow ?? "",
    scaleHigh: q.texts[lang].scaleHigh ?? "",
    options: q.options.map((o) => ({ code: o.code, label: o.labels[lang] })),
  }));
}

export function consultationIn(c: ConsultationView, lang: Lang) {
  return {
    slug: c.slug,
    status: c.status,
    mode: c.mode,
    opensAt: c.opensAt?.toISOString() ?? null,
    closesAt: c.closesAt?.toISOString() ?? null,
    texts: c.texts[lang],
    outcome: c.outcomePublishedAt && c.outcome ? c.outcome[lang] : null,
    /** The public results page exists (results or open data published). */
    resultsPublished: resultsVisible(c),
    /** The published figures changed since their publication (decision 036): when, last. */
    figuresUpdatedAt: c.figuresPublishedAt && c.figuresUpdatedAt ? c.figuresUpdatedAt.toISOString() : null,
    questions: questionsIn(c, lang),
  };
}

export type ConsultationPage = ReturnType<typeof consultationIn>;
