/**
 * Turns a submitted questionnaire form into answers, or into messages a
 * resident can act on. Pure: no database, no HTTP. Field names:
 *   q.<code>                 the value(s) of a question (option codes, 1–5, text)
 *   q.<code>.other           the "Other: ___" text of a choice question
 *   q.<code>.rank.<option>   the rank given to one option of a ranking question
 * Special values: "__other" (the Other box), "__prefer_not" ("prefer not to answer").
 */
import { z } from "zod";
import type { QuestionView } from "../consultations/types";
import { DEFAULT_MAX_LENGTH } from "../consultations/types";
import type { AsWrittenNote } from "#db/schema";

import { fieldName, OTHER, OTHER_MAX_LENGTH, PREFER_NOT, type FieldError, type FormValues } from "./fields";

export { fieldName, OTHER, PREFER_NOT, type FieldError, type FormValues };

export interface ParsedAnswer {
  questionId: string;
  optionIds: string[] | null;
  text: string | null;
  number: number | null;
  preferNot: boolean;
}

export interface FormLike {
  getAll(name: string): unknown[];
}

export type ParseResult = { ok: true; answers: ParsedAnswer[] } | { ok: false; errors: Record<string, FieldError>; answers: ParsedAnswer[] };

/** Drops control characters PostgreSQL or a reader would choke on; keeps tabs and line breaks. */
export function cleanText(raw: string): string {
  return (
    raw
      .replace(/\r\n?/g, "\n")
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "")
      // A lone surrogate is not text: it becomes the replacement character.
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD")
      .trim()
  );
}

export function charCount(text: string): number {
  return Array.from(text).length;
}

const strings = (form: FormLike, name: string): string[] => form.getAll(name).map((v) => (typeof v === "string" ? v : ""));

const scaleValue = z.enum(["1", "2", "3", "4", "5"]).transform(Number);

class Refusal {
  constructor(public error: FieldError) {}
}
const refuse = (key: string, params?: FieldError["params"]): never => {
  throw new Refusal({ key, params });
};

function parseOther(q: QuestionView, form: FormLike): string {
  const [raw = ""] = strings(form, fieldName.other(q));
  const text = cleanText(raw);
  if (!text) refuse("otherMissing");
  if (charCount(text) > OTHER_MAX_LENGTH) refuse("tooLong", { max: OTHER_MAX_LENGTH, length: charCount(text) });
  return text;
}

function optionIdFor(q: QuestionView, code: string): string {
  const option = q.options.find((o) => o.code === code);
  if (!option) return refuse("unknownOption");
  return option.id;
}

/** One question: its answer, null when left empty, or a thrown Refusal. */
function parseQuestion(q: QuestionView, form: FormLike): ParsedAnswer | null {
  const base = { questionId: q.id, optionIds: null, text: null, number: null, preferNot: false };
  const values = strings(form, fieldName.value(q)).filter((v) => v !== "");
  const empty = () => {
    if (q.required) refuse("required");
    return null;
  };

  switch (q.kind) {
    case "single": {
      if (values.length === 0) return empty();
      if (values.length > 1) refuse("oneChoice");
      const [v] = values;
      if (v === PREFER_NOT && q.allowPreferNot) return { ...base, preferNot: true };
      if (v === OTHER && q.allowOther) return { ...base, optionIds: [], text: parseOther(q, form) };
      return { ...base, optionIds: [optionIdFor(q, v)] };
    }
    case "multiple": {
      const unique = [...new Set(values)];
      if (unique.length === 0) return empty();
      if (unique.includes(PREFER_NOT) && q.allowPreferNot) {
        if (unique.length > 1) refuse("preferNotAlone");
        return { ...base, preferNot: true };
      }
      if (unique.length > q.options.length + 1) refuse("unknownOption");
      const withOther = q.allowOther && unique.includes(OTHER);
      const optionIds = unique.filter((v) => !(withOther && v === OTHER)).map((v) => optionIdFor(q, v));
      const count = optionIds.length + (withOther ? 1 : 0);
      if (q.minChoices && count < q.minChoices) refuse("choiceMin", { min: q.minChoices });
      if (q.maxChoices && count > q.maxChoices) refuse("choiceMax", { max: q.maxChoices });
      return { ...base, optionIds, text: withOther ? parseOther(q, form) : null };
    }
    case "scale": {
      if (values.length === 0) return empty();
      if (values.length > 1) refuse("oneChoice");
      if (values[0] === PREFER_NOT && q.allowPreferNot) return { ...base, preferNot: true };
      const parsed = scaleValue.safeParse(values[0]);
      if (!parsed.success) return refuse("scaleRange");
      return { ...base, number: parsed.data };
    }
    case "short_text":
    case "long_text": {
      if (values.length > 1) refuse("oneText");
      const text = cleanText(values[0] ?? "");
      if (!text) return empty();
      const max = q.maxLength ?? DEFAULT_MAX_LENGTH[q.kind];
      const length = charCount(text);
      if (length > max) refuse("tooLong", { max, length });
      return { ...base, text };
    }
    case "ranking": {
      const n = q.options.length;
      const rankSchema = z.coerce.number().int().min(1).max(n);
      const ranked: { id: string; rank: number }[] = [];
      for (const o of q.options) {
        const given = strings(form, fieldName.rank(q, o.code)).filter((v) => v !== "");
        if (given.length === 0) continue;
        if (given.length > 1) refuse("oneChoice");
        const parsed = rankSchema.safeParse(given[0]);
        if (!parsed.success) refuse("rankRange", { max: n });
        ranked.push({ id: o.id, rank: parsed.data! });
      }
      if (ranked.length === 0) return empty();
      if (ranked.length < n) refuse("rankIncomplete", { count: n });
      // Name the first two items that share a rank (by option code; the page shows their labels).
      const twice = ranked.find((r, i) => ranked.findIndex((s) => s.rank === r.rank) !== i);
      if (twice) {
        const first = ranked.find((r) => r.rank === twice.rank)!;
        const code = (id: string) => q.options.find((o) => o.id === id)!.code;
        refuse("rankDuplicate", { rank: twice.rank, first: code(first.id), second: code(twice.id) });
      }
      return { ...base, optionIds: ranked.sort((a, b) => a.rank - b.rank).map((r) => r.id) };
    }
  }
}

/** Reads every question; collects one message per question that cannot be accepted. */
export function parseAnswers(questions: QuestionView[], form: FormLike): ParseResult {
  const answers: ParsedAnswer[] = [];
  const errors: Record<string, FieldError> = {};
  for (const q of questions) {
    try {
      const answer = parseQuestion(q, form);
      if (answer) answers.push(answer);
    } catch (e) {
      if (e instanceof Refusal) errors[q.code] = e.error;
      else throw e;
    }
  }
  return Object.keys(errors).length ? { ok: false, errors, answers } : { ok: true, answers };
}

/** A refusal a paper form may break on purpose: what the resident marked is then recorded as written. */
const AS_WRITTEN_RULE: Record<string, AsWrittenNote["rule"]> = {
  oneChoice: "unclear",
  preferNotAlone: "unclear",
  rankDuplicate: "unclear",
  rankIncomplete: "unclear",
  choiceMax: "every_box",
  choiceMin: "every_box",
  required: "skipped",
  tooLong: "whole_text",
};

/** Whether every refusal of a paper form could be recorded as written instead. */
export function canRecordAsWritten(questions: QuestionView[], errors: Record<string, FieldError>): boolean {
  const codes = Object.keys(errors);
  return (
    codes.length > 0 &&
    codes.every(
      (code) =>
        asWrittenRule(
          questions.find((q) => q.code === code),
          errors[code],
        ) !== null,
    )
  );
}

function asWrittenRule(q: QuestionView | undefined, error: FieldError): AsWrittenNote["rule"] | null {
  if (!q) return null;
  const rule = AS_WRITTEN_RULE[error.key];
  if (!rule) return null;
  // "Too long" is a text's limit only (an "Other" text is typed on a line of the form, not counted as a text answer).
  if (rule === "whole_text" && q.kind !== "short_text" && q.kind !== "long_text") return null;
  if (rule === "every_box" && q.kind !== "multiple") return null;
  return rule;
}

export type AsWrittenResult = { ok: true; answers: ParsedAnswer[]; notes: Record<string, AsWrittenNote> } | { ok: false; errors: Record<string, FieldError> };

/**
 * A paper form recorded as the resident wrote it (decision 035): a question that breaks a rule
 * of the questionnaire is kept with a note and counted by one rule —
 * - more (or fewer) boxes than allowed on a multiple choice: every ticked box counts (`every_box`);
 * - two boxes on a single choice or a scale, "prefer not" with answers, a ranking with a repeated
 *   or missing rank: the answer cannot be read as one, so it counts as not answered (`unclear`);
 * - a required question left blank: not answered (`skipped`);
 * - a text longer than the limit: kept whole (`whole_text`).
 * Anything else (an unknown answer, an "Other" box without its text) is still refused.
 */
export function parseAnswersAsWritten(questions: QuestionView[], form: FormLike): AsWrittenResult {
  const answers: ParsedAnswer[] = [];
  const notes: Record<string, AsWrittenNote> = {};
  const errors: Record<string, FieldError> = {};
  for (const q of questions) {
    try {
      const answer = parseQuestion(q, form);
      if (answer) answers.push(answer);
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      const rule = asWrittenRule(q, e.error);
      const marked = markedOn(q, form);
      try {
        if (rule === "every_box") {
          const unique = [...new Set(marked)];
          const withOther = q.allowOther && unique.includes(OTHER);
          const optionIds = unique.filter((v) => v !== OTHER && v !== PREFER_NOT).map((v) => optionIdFor(q, v));
          answers.push({ questionId: q.id, optionIds, text: withOther ? parseOther(q, form) : null, number: null, preferNot: false });
          notes[q.code] = { rule, marked: unique };
        } else if (rule === "whole_text") {
          answers.push({ questionId: q.id, optionIds: null, text: cleanText(marked[0] ?? ""), number: null, preferNot: false });
          notes[q.code] = { rule, marked: [] };
        } else if (rule) {
          notes[q.code] = { rule, marked };
        } else {
          errors[q.code] = e.error;
        }
      } catch (inner) {
        if (inner instanceof Refusal) errors[q.code] = inner.error;
        else throw inner;
      }
    }
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, answers, notes };
}

/** What was marked on a question, as typed in: its values, or "option=rank" for a ranking. */
function markedOn(q: QuestionView, form: FormLike): string[] {
  if (q.kind === "ranking")
    return q.options.flatMap((o) =>
      strings(form, fieldName.rank(q, o.code))
        .filter((v) => v !== "")
        .map((v) => `${o.code}=${v}`),
    );
  return strings(form, fieldName.value(q)).filter((v) => v !== "");
}

/** The envelope every questionnaire form carries besides its answers. */
export const envelopeSchema = z.object({
  submission_id: z.uuid(),
  participation_code: z
    .string()
    .max(64)
    .optional()
    .transform((v) => (v ?? "").trim()),
});

/** What the person sent, to put back in the form. Caps sizes so a hostile body cannot be echoed whole. */
export function formValues(form: Iterable<[string, unknown]>, maxFields = 200, maxLength = 10_000): FormValues {
  const values: FormValues = {};
  let fields = 0;
  for (const [name, value] of form) {
    if (typeof value !== "string" || fields >= maxFields || name.length > 200) continue;
    (values[name] ??= []).push(value.slice(0, maxLength));
    fields++;
  }
  return values;
}
