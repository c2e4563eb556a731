/** A consultation in one language, as resident pages show it. Pure. */
import type { Lang } from "#db/schema";
import type { FormQuestion } from "~/components/Questionnaire";
import type { ConsultationView } from "./types";

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
    questions: questionsIn(c, lang),
  };
}

export type ConsultationPage = ReturnType<typeof consultationIn>;
