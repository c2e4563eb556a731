/** What is missing before a consultation may open: every text in both languages. Pure. */
import type { ConsultationText, Lang } from "#db/schema";
import type { ConsultationView } from "./types";

export const CONSULTATION_FIELDS: (keyof ConsultationText)[] = [
  "title",
  "summary",
  "body",
  "dataCollected",
  "dataPurpose",
  "dataRetention",
  "dataAccess",
  "dataLocation",
];

export type Missing =
  | { kind: "field"; field: keyof ConsultationText; lang: Lang }
  | { kind: "questions" }
  | { kind: "prompt"; question: number; lang: Lang }
  | { kind: "scale"; question: number; lang: Lang }
  | { kind: "options"; question: number }
  | { kind: "option"; question: number; option: string; lang: Lang };

const blank = (s: string | undefined | null) => !s || !s.trim();
const LANGS: Lang[] = ["fr", "en"];

export function missingForOpening(c: Pick<ConsultationView, "texts" | "questions">): Missing[] {
  const missing: Missing[] = [];
  for (const lang of LANGS) for (const field of CONSULTATION_FIELDS) if (blank(c.texts[lang][field])) missing.push({ kind: "field", field, lang });
  if (c.questions.length === 0) missing.push({ kind: "questions" });
  c.questions.forEach((q, i) => {
    const question = i + 1;
    for (const lang of LANGS) {
      if (blank(q.texts[lang].prompt)) missing.push({ kind: "prompt", question, lang });
      if (q.kind === "scale" && (blank(q.texts[lang].scaleLow) || blank(q.texts[lang].scaleHigh))) missing.push({ kind: "scale", question, lang });
    }
    const needsOptions = q.kind === "single" || q.kind === "multiple" || q.kind === "ranking";
    if (needsOptions && q.options.length < 2) missing.push({ kind: "options", question });
    for (const o of q.options) for (const lang of LANGS) if (blank(o.labels[lang])) missing.push({ kind: "option", question, option: o.code, lang });
  });
  return missing;
}
