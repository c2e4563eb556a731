/**
 * The standard wording and answers of the demographic questions, in both languages. A new
 * demographic question whose answer rows are left empty gets these (the official may then
 * edit them like any other); they use the codes the demo and the summaries already know.
 * The French has its no-break spaces written in (U+202F before `?`), as app/i18n/typography.ts writes them.
 */
import type { Bilingual, Demographic } from "#db/schema";

export interface StandardQuestion {
  prompt: Bilingual<string>;
  options: { code: string; labels: Bilingual<string> }[];
}

export const STANDARD_DEMOGRAPHICS: Record<Demographic, StandardQuestion> = {
  area: {
    prompt: { fr: "Où habitez-vous\u202f?", en: "Where do you live?" },
    options: [
      { code: "rural", labels: { fr: "À la campagne", en: "In the countryside" } },
      { code: "suburban", labels: { fr: "En périphérie", en: "On the outskirts" } },
      { code: "urban", labels: { fr: "En centre-ville", en: "In the town centre" } },
    ],
  },
  age: {
    prompt: { fr: "Quel âge avez-vous\u202f?", en: "How old are you?" },
    options: [
      { code: "u18", labels: { fr: "Moins de 18 ans", en: "Under 18" } },
      { code: "18-34", labels: { fr: "18 à 34 ans", en: "18 to 34" } },
      { code: "35-54", labels: { fr: "35 à 54 ans", en: "35 to 54" } },
      { code: "55-74", labels: { fr: "55 à 74 ans", en: "55 to 74" } },
      { code: "75-plus", labels: { fr: "75 ans et plus", en: "75 and over" } },
    ],
  },
  language: {
    prompt: { fr: "Quelle langue préférez-vous\u202f?", en: "Which language do you prefer?" },
    options: [
      { code: "fr", labels: { fr: "Français", en: "French" } },
      { code: "en", labels: { fr: "Anglais", en: "English" } },
      { code: "other", labels: { fr: "Une autre langue", en: "Another language" } },
    ],
  },
};

interface QuestionLike {
  code: string;
  kind: string;
  demographic?: Demographic;
  fr: { prompt: string };
  en: { prompt: string };
  options: { id?: string; code: string; fr: string; en: string; remove: boolean }[];
}

/**
 * A new question as it is added: a demographic question with no answer typed gets the standard
 * answers, its wording where none is typed, the code of its kind where none is typed, and is a
 * single choice. Anything the official typed is kept.
 */
export function withStandardAnswers<Q extends QuestionLike>(q: Q): Q {
  if (!q.demographic) return q;
  const standard = STANDARD_DEMOGRAPHICS[q.demographic];
  const typedRows = q.options.some((o) => !o.remove && (o.code || o.fr || o.en));
  return {
    ...q,
    code: q.code || q.demographic,
    kind: "single",
    fr: { ...q.fr, prompt: q.fr.prompt || standard.prompt.fr },
    en: { ...q.en, prompt: q.en.prompt || standard.prompt.en },
    options: typedRows ? q.options : standard.options.map((o) => ({ code: o.code, fr: o.labels.fr, en: o.labels.en, remove: false })),
  };
}
