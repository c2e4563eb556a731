/**
 * A resident's text-message reply to one question, read as the web form would have sent it
 * (field names of validate.server.ts), so the same rules judge it. Pure: no database.
 *
 * Choices are numbered 1…n in the order of the questionnaire, then "Other" (n + 1) where the
 * question has it; 0 is "I prefer not to answer". A reply may give numbers (`2`, `2 3`, `2,3`),
 * letters (`b` for the second), or a word of one choice's label; a ranking lists the numbers from
 * first to last (`3 1 2`).
 */
import type { QuestionView } from "../consultations/types";
import { fieldName, OTHER, PREFER_NOT } from "../responses/fields";
import { parseAnswers, type FieldError } from "../responses/validate.server";

/** One question's form fields, as `[name, value]` pairs. */
export type Entries = [string, string][];

export type ReplyReading =
  { ok: true; entries: Entries; /** The resident chose "Other": its text is asked next. */ needsOther: boolean } | { ok: false; error: FieldError };

/** Where 0 sits in the digit sets a phone's keyboard may type besides 0–9: Arabic-Indic, Persian and Urdu, Devanagari, full width. */
const ZEROS = [0x660, 0x6f0, 0x966, 0xff10];

/** Digits of other scripts as 0–9 ("٤" is 4), for numbers a resident types: choices, the menu, CORRIGER 3. */
export function westernDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (d) => {
    const cp = d.codePointAt(0)!;
    const zero = ZEROS.find((z) => cp >= z && cp <= z + 9);
    return zero === undefined ? d : String(cp - zero);
  });
}

/** Numbers written as words, in either language ("cinq", "five"), up to ten: the choices a message may name. */
const NUMBER_WORDS: Record<string, number> = Object.fromEntries(
  [
    ["zero", "zero"],
    ["un", "one"],
    ["deux", "two"],
    ["trois", "three"],
    ["quatre", "four"],
    ["cinq", "five"],
    ["six", "six"],
    ["sept", "seven"],
    ["huit", "eight"],
    ["neuf", "nine"],
    ["dix", "ten"],
  ]
    .flatMap(([fr, en], n) => [
      [fr, n],
      [en, n],
    ])
    .concat([["une", 1]]),
);

/** Upper case without accents or surrounding spaces: how commands and keywords are compared. */
export function commandOf(body: string): string {
  const upper = westernDigits(body)
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .trim()
    .toUpperCase();
  // "Stop." and "Oui !" are STOP and OUI; a lone "?" stays a question.
  return upper.replace(/^[^A-Z0-9]+|[^A-Z0-9]+$/g, "") || upper;
}

const plain = (text: string) =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();

/** "Skip" in either language. */
export function isSkip(body: string): boolean {
  return ["PASSER", "PASSE", "SKIP"].includes(commandOf(body));
}

/** How many numbered choices a question lists (its options, then "Other"). */
export function choiceCount(q: QuestionView): number {
  return q.options.length + (q.allowOther && q.kind !== "ranking" ? 1 : 0);
}

/** The choice a token names, 1-based (0: prefer not), or null. */
function choiceOf(token: string): number | null {
  if (/^\d{1,3}$/.test(token)) return Number(token);
  if (/^[a-z]$/i.test(token)) return token.toLowerCase().charCodeAt(0) - 96;
  return NUMBER_WORDS[plain(token)] ?? null;
}

/** The one choice whose label holds every word of `body`, or null (none, or several). */
function choiceByWord(body: string, q: QuestionView, lang: "fr" | "en"): number | null {
  const words = plain(body)
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (!words.length) return null;
  const labels = q.options.map((o) => plain(`${o.labels[lang]} ${o.labels[lang === "fr" ? "en" : "fr"]}`));
  if (q.allowOther) labels.push(lang === "fr" ? "autre other" : "other autre");
  const hits = labels.flatMap((label, i) => {
    const labelWords = label.split(/[^a-z0-9]+/);
    return words.every((w) => labelWords.includes(w)) ? [i + 1] : [];
  });
  return hits.length === 1 ? hits[0] : null;
}

/** The numbers a reply gives, in order, or null when it is not a list of numbers or letters. */
function choicesOf(body: string): number[] | null {
  const tokens = body
    .trim()
    .split(/[\s,;./+&-]+|\bet\b|\band\b/i)
    .filter(Boolean);
  if (!tokens.length) return null;
  const choices = tokens.map(choiceOf);
  return choices.every((c): c is number => c !== null) ? choices : null;
}

/** Reads `body` as the answer to `q`; a reply that does not fit is refused with the rule's key. */
export function readReply(q: QuestionView, text: string, lang: "fr" | "en"): ReplyReading {
  const name = fieldName.value(q);
  // A text answer is kept as written; elsewhere digits of any script count as 0–9.
  const body = q.kind === "short_text" || q.kind === "long_text" ? text : westernDigits(text);
  const skipped = isSkip(body);
  const check = (entries: Entries, needsOther = false): ReplyReading => {
    // "Other" is checked once its text is known: here with a stand-in text.
    const form = new URLSearchParams(needsOther ? [...entries, [fieldName.other(q), "…"]] : entries);
    const parsed = parseAnswers([q], form);
    return parsed.ok ? { ok: true, entries, needsOther } : { ok: false, error: parsed.errors[q.code] };
  };
  if (skipped) return check([]);

  switch (q.kind) {
    case "short_text":
    case "long_text":
      return check([[name, body]]);
    case "scale": {
      // "4/5", as the recap writes it.
      const outOfFive = /^\s*([0-5])\s*\/\s*5\s*$/.exec(body);
      const choices = outOfFive ? [Number(outOfFive[1])] : choicesOf(body);
      if (!choices || choices.length !== 1) return { ok: false, error: { key: "scaleRange" } };
      const [n] = choices;
      if (n === 0 && q.allowPreferNot) return check([[name, PREFER_NOT]]);
      return check([[name, String(n)]]);
    }
    case "ranking": {
      const choices = choicesOf(body);
      if (!choices) return { ok: false, error: { key: "rankRange", params: { max: q.options.length } } };
      if (choices.some((c) => c < 1 || c > q.options.length)) return { ok: false, error: { key: "rankRange", params: { max: q.options.length } } };
      const twice = choices.find((c, i) => choices.indexOf(c) !== i);
      if (twice !== undefined) return { ok: false, error: { key: "rankTwice", params: { n: twice } } };
      // The resident lists choices from first to last; the form gives each choice its rank.
      return check(choices.map((c, i) => [fieldName.rank(q, q.options[c - 1].code), String(i + 1)]));
    }
    case "single":
    case "multiple": {
      const choices =
        choicesOf(body) ??
        (() => {
          const one = choiceByWord(body, q, lang);
          return one === null ? null : [one];
        })();
      if (!choices) return { ok: false, error: { key: "choiceUnknown" } };
      const count = choiceCount(q);
      if (choices.some((c) => c > count || (c === 0 && !q.allowPreferNot))) return { ok: false, error: { key: "choiceUnknown" } };
      const values = [...new Set(choices)].map((c) => (c === 0 ? PREFER_NOT : c > q.options.length ? OTHER : q.options[c - 1].code));
      return check(
        values.map((v) => [name, v]),
        values.includes(OTHER),
      );
    }
  }
}

/** The "Other" text added to a question's fields, checked by the same rules. */
export function readOther(q: QuestionView, entries: Entries, body: string): ReplyReading {
  const withText: Entries = [...entries.filter(([n]) => n !== fieldName.other(q)), [fieldName.other(q), body]];
  const parsed = parseAnswers([q], new URLSearchParams(withText));
  return parsed.ok ? { ok: true, entries: withText, needsOther: false } : { ok: false, error: parsed.errors[q.code] };
}
