/**
 * Several hundred answers made from a seed, sent through the domain as residents,
 * the offline queue and officials typing paper forms would send them, and the raw
 * record of what was sent: the ground truth a test recomputes every figure from,
 * with its own arithmetic.
 *
 * Every question kind is answered in every way the questionnaire allows: skipped
 * when optional, "Other: ___", "prefer not to say", full rankings; texts with
 * accents, decomposed characters, emoji, line breaks and leading `= + - @`; some
 * texts then hidden by a moderator. The same seed gives the same answers.
 */
import type { Db } from "#db/client";
import type { ConsultationView, QuestionView } from "~/domain/consultations/types";
import { listFreeText, moderate } from "~/domain/moderation/moderation.server";
import { submitResponse } from "~/domain/responses/submit.server";
import { parseAnswers } from "~/domain/responses/validate.server";

/** What one resident answered to one question, as sent. */
export interface SentAnswer {
  /** Option codes chosen (a single choice: one), in the order given; ranking: in rank order. */
  options?: string[];
  /** The "Other" text (single or multiple choice). */
  other?: string;
  preferNot?: boolean;
  /** Scale value, 1 to 5. */
  number?: number;
  /** Short or long text. */
  text?: string;
  /** Ranking: option code → position (1 = first). */
  ranks?: Record<string, number>;
}

export interface SentResponse {
  submissionId: string;
  receiptCode: string;
  channel: "web" | "offline" | "paper";
  locale: "fr" | "en";
  receivedAt: Date;
  /** By question code; a skipped question is absent. */
  answers: Record<string, SentAnswer>;
  /** Question codes whose text (or "Other" text) a moderator hid. */
  hidden: Set<string>;
}

/** A small, well-known generator (mulberry32): the same seed, the same answers. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PHRASES = [
  "Publiez les moyennes, pas les détails.",
  "Capteurs près de l’école, rue Haute",
  "Cafe\u0301 du marche\u0301 : trop de bruit le samedi", // decomposed accents
  "Très bien 👍🏽 merci !",
  "Where is the data kept?\nWho can see it?",
  "=1+1",
  "+33 6 12 34 56 78",
  "-2 degrés la nuit",
  "@mairie répondez",
  'Ligne 1\n\nLigne 3, avec "guillemets" et des virgules, ; et des points-virgules',
  "Ωμέγα, 中文, العربية",
  "Rien à ajouter.",
];

export interface SeedOptions {
  count: number;
  seed: number;
  /** Share of free texts a moderator hides afterwards. */
  hideShare?: number;
  /** Who hides them (a moderator's or official's id). */
  moderatorId: string;
  /** Answers arrive over this many days before `until`. */
  days?: number;
  until?: Date;
}

/** Sends `count` answers to `c` and returns what was sent. The consultation must be open. */
export async function seedAnswers(db: Db, c: ConsultationView, options: SeedOptions): Promise<SentResponse[]> {
  const rnd = random(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const until = options.until ?? new Date();
  const span = (options.days ?? 5) * 24 * 3600 * 1000;
  let texts = 0;
  const phrase = () => `${pick(PHRASES)} (n° ${++texts})`;
  const sent: SentResponse[] = [];

  for (let i = 0; i < options.count; i++) {
    const pairs: [string, string][] = [];
    const answers: Record<string, SentAnswer> = {};
    for (const q of c.questions) {
      const answer = answerFor(q, rnd, pick, phrase);
      if (!answer) continue;
      answers[q.code] = answer;
      pairs.push(...formPairs(q, answer));
    }
    const form = new FormData();
    for (const [k, v] of pairs) form.append(k, v);
    const parsed = parseAnswers(c.questions, form);
    if (!parsed.ok) throw new Error(`seeded answer ${i} refused: ${JSON.stringify(parsed.errors)}`);
    const channel = pick(["web", "web", "web", "offline", "paper"] as const);
    const locale = rnd() < 0.7 ? "fr" : "en";
    // Spread over the days before `until`, some of them within minutes of midnight.
    const receivedAt = new Date(until.getTime() - Math.floor(rnd() * span));
    const submissionId = crypto.randomUUID();
    const stored = await submitResponse(db, { consultation: c, submissionId, locale, channel, answers: parsed.answers, now: receivedAt });
    if (!stored.ok) throw new Error(`seeded answer ${i} not stored: ${stored.reason}`);
    sent.push({ submissionId, receiptCode: stored.receiptCode, channel, locale, receivedAt, answers, hidden: new Set() });
  }

  const share = options.hideShare ?? 0.1;
  if (share > 0) {
    const items = (await listFreeText(db, c.id, { limit: 100_000 })).items;
    const byText = new Map(items.map((item) => [`${item.questionCode}\u0000${item.text}`, item]));
    for (const response of sent) {
      for (const [code, a] of Object.entries(response.answers)) {
        const text = a.text ?? a.other;
        if (!text || rnd() >= share) continue;
        const item = byText.get(`${code}\u0000${stored(text)}`);
        if (!item) throw new Error(`seeded text not found for moderation: ${code}`);
        const done = await moderate(db, options.moderatorId, c.id, item.answerId, "hide", "Hors sujet (réponse d’essai)");
        if (!done.ok) throw new Error(`seeded moderation refused: ${done.reason}`);
        response.hidden.add(code);
      }
    }
  }
  return sent;
}

/** A text as Quorum stores it: line breaks normalised, trimmed (what a resident sees back). */
export function stored(text: string): string {
  return text.replace(/\r\n?/g, "\n").trim();
}

function answerFor(q: QuestionView, rnd: () => number, pick: <T>(l: readonly T[]) => T, phrase: () => string): SentAnswer | null {
  const skip = !q.required && rnd() < 0.15;
  if (skip) return null;
  const codes = q.options.map((o) => o.code);
  switch (q.kind) {
    case "single": {
      const r = rnd();
      if (q.allowPreferNot && r < 0.1) return { preferNot: true };
      if (q.allowOther && r < 0.2) return { options: [], other: phrase() };
      return { options: [pick(codes)] };
    }
    case "multiple": {
      if (q.allowPreferNot && rnd() < 0.08) return { preferNot: true };
      const max = Math.min(q.maxChoices ?? codes.length + 1, codes.length + (q.allowOther ? 1 : 0));
      const min = Math.max(q.minChoices ?? 1, 1);
      const n = min + Math.floor(rnd() * (max - min + 1));
      const withOther = q.allowOther && rnd() < 0.25 && n >= 1;
      const chosen = [...codes].sort(() => rnd() - 0.5).slice(0, withOther ? n - 1 : n);
      return withOther ? { options: chosen, other: phrase() } : { options: chosen };
    }
    case "scale":
      if (q.allowPreferNot && rnd() < 0.1) return { preferNot: true };
      return { number: 1 + Math.floor(rnd() * 5) };
    case "short_text":
    case "long_text":
      return { text: phrase() };
    case "ranking": {
      const order = [...codes].sort(() => rnd() - 0.5);
      return { options: order, ranks: Object.fromEntries(order.map((code, i) => [code, i + 1])) };
    }
  }
}

function formPairs(q: QuestionView, a: SentAnswer): [string, string][] {
  const name = `q.${q.code}`;
  if (a.preferNot) return [[name, "__prefer_not"]];
  switch (q.kind) {
    case "single":
      return a.other !== undefined
        ? [
            [name, "__other"],
            [`${name}.other`, a.other],
          ]
        : [[name, a.options![0]]];
    case "multiple":
      return [
        ...a.options!.map((o): [string, string] => [name, o]),
        ...(a.other !== undefined
          ? ([
              [name, "__other"],
              [`${name}.other`, a.other],
            ] as [string, string][])
          : []),
      ];
    case "scale":
      return [[name, String(a.number)]];
    case "short_text":
    case "long_text":
      return [[name, a.text!]];
    case "ranking":
      return Object.entries(a.ranks!).map(([code, rank]): [string, string] => [`${name}.rank.${code}`, String(rank)]);
  }
}
