/**
 * The conversation by text message (decision 066): one engine for every provider and for the
 * staff simulator. A message comes in; the conversation it belongs to (a keyed hash of the phone,
 * never the number) moves one step; a reply goes out. The answers end in the same store as the
 * web's, through `submit` (acceptAnswer with channel `sms`), with a receipt.
 *
 * Exactly once:
 * - a message the provider sends again (same message id) gets the reply it got the first time
 *   and changes nothing;
 * - the conversation has a version: a step is saved only over the version it was computed from,
 *   so two messages handled at once move it one after the other, never twice from the same place;
 * - the answer carries a submission id made when the conversation started, so sending it again
 *   (a retry, a race) stores it once and gives the same receipt.
 * The state lives in the database: a restart loses nothing.
 */
import { createHash } from "node:crypto";
import { and, eq, isNull, lt, sql, TransactionRollbackError } from "drizzle-orm";
import { queryRows, type Db } from "#db/client";
import { consultations, smsConversations, smsMessages, smsPhoneAnswers, type Lang } from "#db/schema";
import { tFor } from "~/i18n/i18n";
import { getConsultationCached } from "../consultations/cache.server";
import { acceptsAnswers } from "../consultations/rules";
import type { ConsultationView, QuestionView } from "../consultations/types";
import { checkParticipationCode } from "../participation/codes.server";
import { hitBuffered, type Limit } from "../ratelimit/ratelimit.server";
import type { AcceptRefusal } from "../responses/accept.server";
import { fieldName, OTHER, PARTICIPATION_CODE, PREFER_NOT, SUBMISSION_ID, type FieldError } from "../responses/fields";
import { isGsm7, toGsm7 } from "./gsm";
import { choiceCount, commandOf, readOther, readReply, type Entries } from "./replies";
import { cleanText } from "../responses/validate.server";

/** The longest message read: longer ones are cut here (ten segments, what providers join at most). */
export const MAX_INBOUND_CHARS = 1600;
/** Messages one phone may send in 10 minutes; past it, one message says so and the rest get no reply. */
export const PHONE_LIMIT: Limit = { limit: 40, windowSeconds: 600 };
/** Messages the commune takes a minute, every phone together, unless the context says otherwise (QUORUM_SMS_PER_MINUTE). */
export const ALL_LIMIT: Limit = { limit: 3000, windowSeconds: 60 };
/** A conversation with no message for this long is forgotten. */
export const IDLE_HOURS = 24;
/** A reply is kept this long to answer a provider's retry the same way; after it, a retry gets none. */
export const REPLY_KEPT_MINUTES = 60;

/** Where a conversation stands. */
export type SmsStep =
  | { at: "code"; /** Asked again at the end (the code was refused when sending): back to the recap after. */ back?: boolean }
  | { at: "question"; index: number; other?: boolean; fixing?: boolean }
  | { at: "confirm" }
  /** OUI was taken: the answer is being stored. Any message now gets the receipt (the store is idempotent). */
  | { at: "sending" };

export type SmsState =
  | { kind: "menu"; offered: string[] }
  | {
      kind: "answering";
      slug: string;
      submissionId: string;
      code: string | null;
      /** Form fields by question code. */
      answers: Record<string, Entries>;
      step: SmsStep;
    };

/** What storing the answers gave. */
export type SubmitOutcome = { ok: true; receiptCode: string } | { ok: false; reason: AcceptRefusal };

export interface SmsContext {
  /** The municipality's name as residents know it, per language. */
  municipality: Record<Lang, string>;
  /** Absolute address of a path on the commune's site, for links in messages. */
  link: (path: string) => string;
  /** Stores the answers (acceptAnswer with channel `sms`), or, in the simulator, only checks them. */
  submit: (consultation: ConsultationView, lang: Lang, form: URLSearchParams) => Promise<SubmitOutcome>;
  /** Paths residents are sent to. */
  paths: { short: (lang: Lang, consultation: ConsultationView) => string; receipt: (lang: Lang, code: string) => string };
  /** The simulator: nothing is stored; the end says so. */
  trial?: boolean;
  /** Messages a minute for the whole commune (ALL_LIMIT when absent). */
  perMinute?: number;
  /** Keeps the household code unreadable in the stored conversation (sealed with the server's secret). */
  seal: (text: string) => string;
  unseal: (sealed: string) => string | null;
}

export interface Inbound {
  /** Which adapter received it (`twilio`, `android-sms-gateway`, `trial`, `terminal`): message ids are unique per provider. */
  provider: string;
  messageId: string;
  phoneHash: string;
  body: string;
  now?: Date;
}

export interface Handled {
  reply: string;
  /** A consultation that got an answer by this message (its public figures may move). */
  counted: ConsultationView | null;
  /** The message was a provider's repeat: the first reply, nothing done. */
  repeat: boolean;
}

interface Turn {
  lang: Lang;
  state: SmsState | null;
  reply: string[];
  counted?: ConsultationView;
  /** The state is the OUI taken: save it, then store the answer and save again (handleMessage). */
  sending?: boolean;
}

// ---- Texts ----

function say(lang: Lang, key: string, params: Record<string, unknown> = {}): string {
  return tFor(lang)(`sms.${key}`, params) as string;
}

function ruleText(lang: Lang, error: FieldError): string {
  const key = `sms.rules.${error.key}`;
  const text = tFor(lang)(key, error.params ?? {}) as string;
  return text === key ? say(lang, "rules.invalid") : text;
}

function labelOf(q: QuestionView, choice: number, lang: Lang): string {
  if (choice === 0) return say(lang, "preferNot");
  return choice > q.options.length ? say(lang, "other") : q.options[choice - 1].labels[lang];
}

/** A question as the resident receives it: number, prompt, numbered choices, how to answer. */
export function questionText(c: ConsultationView, index: number, lang: Lang): string {
  const q = c.questions[index];
  const lines = [say(lang, "question", { n: index + 1, count: c.questions.length, prompt: q.texts[lang].prompt })];
  if (q.kind === "single" || q.kind === "multiple" || q.kind === "ranking") {
    const count = q.kind === "ranking" ? q.options.length : choiceCount(q);
    for (let i = 1; i <= count; i++) lines.push(`${i} ${labelOf(q, i, lang)}`);
  }
  if (q.allowPreferNot && q.kind !== "ranking" && q.kind !== "short_text" && q.kind !== "long_text") lines.push(`0 ${labelOf(q, 0, lang)}`);
  const hint = (() => {
    switch (q.kind) {
      case "single":
        return say(lang, "hint.single");
      case "multiple":
        return q.maxChoices ? say(lang, "hint.multipleMax", { max: q.maxChoices }) : say(lang, "hint.multiple");
      case "scale":
        return say(lang, "hint.scale", { low: q.texts[lang].scaleLow || "1", high: q.texts[lang].scaleHigh || "5" });
      case "ranking":
        return say(lang, "hint.ranking", {
          example: q.options
            .map((_, i) => i + 1)
            .reverse()
            .join(" "),
        });
      default:
        return say(lang, "hint.text", { max: q.maxLength ?? (q.kind === "short_text" ? 200 : 2000) });
    }
  })();
  lines.push(q.required ? hint : `${hint} ${say(lang, "hint.optional")}`);
  return lines.join("\n");
}

/** One answer, short, for the recap. */
function recapOf(q: QuestionView, entries: Entries | undefined, lang: Lang): string {
  if (!entries?.length) return say(lang, "skipped");
  const values = entries.filter(([n]) => n === fieldName.value(q)).map(([, v]) => v);
  // The resident's own words, shortened; a character GSM-7 cannot write (an emoji) shown as "?" so the recap stays at 160 a segment.
  const cut = (text: string) => {
    const gsm = Array.from(toGsm7(text))
      .map((ch) => (isGsm7(ch) ? ch : "?"))
      .join("");
    return Array.from(gsm).length > 40 ? `${Array.from(gsm).slice(0, 39).join("")}...` : gsm;
  };
  switch (q.kind) {
    case "short_text":
    case "long_text":
      return `"${cut(values[0] ?? "")}"`;
    case "scale":
      return values[0] === PREFER_NOT ? say(lang, "preferNot") : `${values[0]}/5`;
    case "ranking": {
      const ranks = q.options.map((o, i) => ({ i, rank: Number(entries.find(([n]) => n === fieldName.rank(q, o.code))?.[1]) })).sort((a, b) => a.rank - b.rank);
      return ranks.map((r) => r.i + 1).join(" ");
    }
    default: {
      const other = entries.find(([n]) => n === fieldName.other(q))?.[1];
      return values
        .map((v) =>
          v === PREFER_NOT
            ? say(lang, "preferNot")
            : v === OTHER
              ? `${say(lang, "other")} "${cut(other ?? "")}"`
              : (q.options.find((o) => o.code === v)?.labels[lang] ?? v),
        )
        .join(", ");
    }
  }
}

function recapText(c: ConsultationView, answers: Record<string, Entries>, lang: Lang): string {
  return [say(lang, "recap"), ...c.questions.map((q, i) => `${i + 1}) ${recapOf(q, answers[q.code], lang)}`), say(lang, "confirm")].join("\n");
}

/** The messages a resident receives on the usual path, as the conversation writes them (for what it costs, cost.server.ts). */
export function conversationTexts(
  c: ConsultationView,
  lang: Lang,
  ctx: Pick<SmsContext, "link" | "paths">,
): { askCode: string | null; asks: string[]; typicalReply: string[]; recap: string; receipt: string } {
  const intro = [
    say(lang, "intro", { title: c.texts[lang].title, link: ctx.link(ctx.paths.short(lang, c)), count: c.questions.length }),
    say(lang, "introHint"),
  ];
  const asks = c.questions.map((_, i) => questionText(c, i, lang));
  const askCode = c.mode === "code" ? [...intro, say(lang, "askCode")].join("\n") : null;
  if (askCode === null && asks.length) asks[0] = [...intro, asks[0]].join("\n");
  const typicalReply = c.questions.map((q) => (q.kind === "ranking" ? q.options.map((_, i) => i + 1).join(" ") : q.kind === "multiple" ? "1 2" : "1"));
  // The recap of an answer to every question: the first choice, the middle of a scale, a text cut as the recap cuts it.
  const answers: Record<string, Entries> = {};
  for (const q of c.questions) {
    const name = fieldName.value(q);
    if (q.kind === "scale") answers[q.code] = [[name, "3"]];
    else if (q.kind === "short_text" || q.kind === "long_text") answers[q.code] = [[name, "x".repeat(40)]];
    else if (q.kind === "ranking") answers[q.code] = q.options.map((o, i) => [fieldName.rank(q, o.code), String(i + 1)]);
    else if (q.options.length) answers[q.code] = [[name, q.options[0].code]];
  }
  const code = "ABCD2345";
  return {
    askCode,
    asks,
    typicalReply,
    recap: recapText(c, answers, lang),
    receipt: say(lang, "counted", { code, link: ctx.link(ctx.paths.receipt(lang, code)) }),
  };
}

// ---- The steps ----

type Answering = Extract<SmsState, { kind: "answering" }>;

/** STOP, and every word Twilio itself reads as an opt-out (its replies are blocked until START). */
const STOP = new Set(["STOP", "ARRET", "ARRETER", "STOPALL", "UNSUBSCRIBE", "QUIT", "CANCEL", "END", "REVOKE", "OPTOUT"]);
const HELP = new Set(["AIDE", "HELP", "INFO", "?"]);
const ENGLISH = new Set(["EN", "ENGLISH", "ANGLAIS", "HELLO", "HI"]);
const FRENCH = new Set(["FR", "FRANCAIS", "FRENCH", "BONJOUR", "SALUT"]);
const YES = new Set(["OUI", "O", "YES", "Y", "OK"]);
const FIX = /^(CORRIGER|CORRIGE|CORRECTION|FIX|CHANGE|CHANGER|EDIT)\s*(\d{1,3})$/;

/** Open consultations as residents may answer them by SMS now, in a fixed order. */
async function openForSms(db: Db, now: Date): Promise<{ slug: string; keyword: string | null }[]> {
  const rows = await db
    .select({
      slug: consultations.slug,
      keyword: consultations.smsKeyword,
      opensAt: consultations.opensAt,
      closesAt: consultations.closesAt,
      status: consultations.status,
    })
    .from(consultations)
    .where(eq(consultations.status, "open"))
    .orderBy(consultations.closesAt, consultations.slug);
  return rows.filter((r) => acceptsAnswers(r, "sms", now).ok).map((r) => ({ slug: r.slug, keyword: r.keyword }));
}

async function menu(db: Db, ctx: SmsContext, lang: Lang, now: Date): Promise<Turn> {
  const open = await openForSms(db, now);
  if (!open.length) return { lang, state: null, reply: [say(lang, "none", { municipality: ctx.municipality[lang] })] };
  const lines = [say(lang, "menu", { municipality: ctx.municipality[lang] })];
  for (const [i, o] of open.entries()) {
    const c = await getConsultationCached(db, o.slug);
    if (c) lines.push(o.keyword ? `${i + 1} ${o.keyword} - ${c.texts[lang].title}` : `${i + 1} ${c.texts[lang].title}`);
  }
  lines.push(say(lang, "menuHint"));
  return { lang, state: { kind: "menu", offered: open.map((o) => o.slug) }, reply: lines };
}

async function start(db: Db, ctx: SmsContext, lang: Lang, slug: string, phoneHash: string, now: Date): Promise<Turn> {
  const c = await getConsultationCached(db, slug);
  // The simulator tries any consultation, a draft included; residents only those that take answers.
  if (!c || (c.status === "draft" && !ctx.trial)) return menu(db, ctx, lang, now);
  const window = ctx.trial ? ({ ok: true } as const) : acceptsAnswers(c, "sms", now);
  if (!window.ok) return { lang, state: null, reply: [say(lang, window.reason === "not_yet_open" ? "notYetOpen" : "closed", { title: c.texts[lang].title })] };
  if (c.smsOnePerPhone && !ctx.trial) {
    const [seen] = await db
      .select({ one: sql<number>`1` })
      .from(smsPhoneAnswers)
      .where(and(eq(smsPhoneAnswers.consultationId, c.id), eq(smsPhoneAnswers.phoneHash, phoneHash)));
    if (seen) return { lang, state: null, reply: [say(lang, "already", { title: c.texts[lang].title })] };
  }
  const state: Answering = {
    kind: "answering",
    slug: c.slug,
    submissionId: crypto.randomUUID(),
    code: null,
    answers: {},
    step: c.mode === "code" ? { at: "code" } : { at: "question", index: 0 },
  };
  const intro = say(lang, "intro", { title: c.texts[lang].title, link: ctx.link(ctx.paths.short(lang, c)), count: c.questions.length });
  return { lang, state, reply: [intro, say(lang, "introHint"), prompt(c, state, lang)] };
}

/** What the resident is asked at the step the conversation is at. */
function prompt(c: ConsultationView, s: Answering, lang: Lang): string {
  switch (s.step.at) {
    case "code":
      return say(lang, "askCode");
    case "confirm":
    case "sending":
      return recapText(c, s.answers, lang);
    case "question":
      return s.step.other ? say(lang, "askOther") : questionText(c, s.step.index, lang);
  }
}

/** The step after question `index` has its answer. */
function after(c: ConsultationView, s: Answering, index: number): SmsStep {
  if (s.step.at === "question" && s.step.fixing) return { at: "confirm" };
  return index + 1 < c.questions.length ? { at: "question", index: index + 1 } : { at: "confirm" };
}

async function answer(db: Db, ctx: SmsContext, lang: Lang, s: Answering, body: string, phoneHash: string, now: Date): Promise<Turn> {
  const c = await getConsultationCached(db, s.slug);
  if (!c) return { lang, state: null, reply: [say(lang, "closed", { title: s.slug })] };
  const window = ctx.trial ? ({ ok: true } as const) : acceptsAnswers(c, "sms", now);
  if (!window.ok) return { lang, state: null, reply: [say(lang, "closed", { title: c.texts[lang].title })] };
  const command = commandOf(body);
  const next = (state: Answering, ...before: string[]): Turn => ({ lang, state, reply: [...before, prompt(c, state, lang)] });

  switch (s.step.at) {
    case "code": {
      const code = body.trim().slice(0, 64);
      const checked = await checkParticipationCode(db, c.id, code);
      if (!checked.ok) return next(s, say(lang, checked.reason === "code_used" ? "codeUsed" : "codeInvalid"));
      return next({ ...s, code: ctx.seal(code), step: s.step.back ? { at: "confirm" } : { at: "question", index: 0 } });
    }
    case "question": {
      const q = c.questions[s.step.index];
      if (s.step.other) {
        const read = readOther(q, s.answers[q.code] ?? [], body);
        if (!read.ok) return next(s, ruleText(lang, read.error));
        const answered = { ...s, answers: { ...s.answers, [q.code]: read.entries } };
        return next({ ...answered, step: after(c, s, s.step.index) });
      }
      const read = readReply(q, body, lang);
      if (!read.ok) return next(s, ruleText(lang, read.error));
      const answered = { ...s, answers: { ...s.answers, [q.code]: read.entries } };
      if (read.needsOther) return next({ ...answered, step: { ...s.step, other: true } });
      return next({ ...answered, step: after(c, s, s.step.index) });
    }
    case "confirm": {
      const fix = FIX.exec(command);
      if (fix) {
        const n = Number(fix[2]);
        if (n < 1 || n > c.questions.length) return next(s, say(lang, "fixRange", { count: c.questions.length }));
        return next({ ...s, step: { at: "question", index: n - 1, fixing: true } });
      }
      if (!YES.has(command)) return { lang, state: s, reply: [say(lang, "confirmAgain")] };
      // Taken first, then stored (handleMessage): a STOP or a correction arriving at the same moment
      // either comes before (and this OUI is read again after it) or after (and gets the receipt).
      return { lang, state: { ...s, step: { at: "sending" } }, reply: [], sending: true };
    }
    case "sending":
      return send(db, ctx, lang, c, s, phoneHash);
  }
}

async function send(db: Db, ctx: SmsContext, lang: Lang, c: ConsultationView, s: Answering, phoneHash: string): Promise<Turn> {
  const code = s.code ? ctx.unseal(s.code) : null;
  const form = new URLSearchParams([
    [SUBMISSION_ID, s.submissionId],
    ...(code ? [[PARTICIPATION_CODE, code] as [string, string]] : []),
    ...Object.values(s.answers).flat(),
  ]);
  const outcome = await ctx.submit(c, lang, form);
  if (outcome.ok) {
    if (ctx.trial) return { lang, state: null, reply: [say(lang, "trialDone")] };
    if (c.smsOnePerPhone) await db.insert(smsPhoneAnswers).values({ consultationId: c.id, phoneHash }).onConflictDoNothing();
    return {
      lang,
      state: null,
      counted: c,
      reply: [say(lang, "counted", { code: outcome.receiptCode, link: ctx.link(ctx.paths.receipt(lang, outcome.receiptCode)) })],
    };
  }
  switch (outcome.reason) {
    case "code_required":
    case "code_invalid":
    case "code_used":
      return {
        lang,
        state: { ...s, code: null, step: { at: "code", back: true } },
        reply: [say(lang, outcome.reason === "code_used" ? "codeUsed" : "codeInvalid"), say(lang, "askCode")],
      };
    case "closed":
    case "not_open":
    case "not_yet_open":
    case "grace_over":
      return { lang, state: null, reply: [say(lang, "closed", { title: c.texts[lang].title })] };
    case "receipt_collision":
    case "id_reused":
      return { lang, state: { ...s, submissionId: crypto.randomUUID(), step: { at: "confirm" } }, reply: [say(lang, "unavailable")] };
    default:
      // Unavailable, or answers no longer valid for a questionnaire changed since: the resident tries again.
      return { lang, state: { ...s, step: { at: "confirm" } }, reply: [say(lang, "unavailable")] };
  }
}

/** One message against a conversation (null: none yet): the next state and the reply. */
export async function step(
  db: Db,
  ctx: SmsContext,
  conversation: { lang: Lang; state: SmsState } | null,
  body: string,
  phoneHash: string,
  now: Date,
): Promise<Turn> {
  // Control characters and broken surrogates are no text (and no JSON PostgreSQL takes): dropped.
  const text = cleanText(Array.from(body).slice(0, MAX_INBOUND_CHARS).join(""));
  const command = commandOf(text);
  const words = command.split(/\s+/).filter(Boolean);
  const firstWord = words[0] ?? "";
  const state = conversation?.state ?? null;
  // A first message in English, or a keyword followed by EN ("AIR EN", as English letters print it), starts in English.
  const lang: Lang = conversation?.lang ?? (ENGLISH.has(firstWord) || (state === null && words.slice(1).some((w) => ENGLISH.has(w))) ? "en" : "fr");

  // The answer already taken is stored and its receipt given, whatever this message says.
  if (state?.kind === "answering" && state.step.at === "sending") return answer(db, ctx, lang, state, text, phoneHash, now);
  // STOP with a questionnaire under way deletes what was not sent; with none, there was nothing to delete.
  if (STOP.has(command)) return { lang, state: null, reply: [say(lang, state?.kind === "answering" ? "stopped" : "stoppedIdle")] };
  if (HELP.has(command)) {
    const help = say(lang, "help", { municipality: ctx.municipality[lang] });
    const c = state?.kind === "answering" ? await getConsultationCached(db, state.slug) : null;
    return { lang, state, reply: c && state?.kind === "answering" ? [help, prompt(c, state, lang)] : [help] };
  }
  const switchTo: Lang | null = ENGLISH.has(command) ? "en" : FRENCH.has(command) ? "fr" : null;
  if (switchTo) {
    if (state?.kind !== "answering") return menu(db, ctx, switchTo, now);
    const c = await getConsultationCached(db, state.slug);
    // A text answer may be any word, "EN" included: it is taken as the answer.
    if (c && !expectsText(c, state)) return { lang: switchTo, state, reply: [prompt(c, state, switchTo)] };
  }

  if (state === null || state.kind === "menu") {
    // A keyword starts its consultation at once, whatever the state before.
    const keyword = await keywordOwner(db, firstWord);
    if (keyword) {
      const started = await start(db, ctx, lang, keyword, phoneHash, now);
      // "AIR 4": what follows the keyword (its language word aside) answers the first step at once.
      const rest = text
        .trim()
        .split(/\s+/)
        .slice(1)
        .filter((w) => !ENGLISH.has(commandOf(w)) && !FRENCH.has(commandOf(w)))
        .join(" ");
      if (!rest || started.state?.kind !== "answering") return started;
      const answered = await answer(db, ctx, started.lang, started.state, rest, phoneHash, now);
      return { ...answered, reply: [...started.reply.slice(0, -1), ...answered.reply] };
    }
    if (state?.kind === "menu" && /^\d{1,3}$/.test(command)) {
      const slug = state.offered[Number(command) - 1];
      if (slug) return start(db, ctx, lang, slug, phoneHash, now);
      const listed = await menu(db, ctx, lang, now);
      return { ...listed, reply: [say(lang, "menuRange"), ...listed.reply] };
    }
    return menu(db, ctx, lang, now);
  }
  return answer(db, ctx, lang, state, text, phoneHash, now);
}

/** Whether the conversation waits for a free text (a text question, or the "Other" text), where any word is an answer. */
function expectsText(c: ConsultationView, s: Answering): boolean {
  if (s.step.at !== "question") return false;
  const kind = c.questions[s.step.index]?.kind;
  return Boolean(s.step.other) || kind === "short_text" || kind === "long_text";
}

async function keywordOwner(db: Db, word: string): Promise<string | null> {
  if (!/^[A-Z0-9]{2,20}$/.test(word)) return null;
  const [row] = await db.select({ slug: consultations.slug }).from(consultations).where(eq(consultations.smsKeyword, word));
  return row?.slug ?? null;
}

// ---- Exactly once ----

/** Rate limits: over the phone's limit, one message says so, then nothing. */
async function limited(db: Db, phoneHash: string, lang: Lang, now: Date, perMinute = ALL_LIMIT.limit): Promise<string | null> {
  // Counted in memory and added to the shared counters once a second (as residents' web answers
  // are): no write, and no row every message of the commune waits on, per message.
  const all = hitBuffered(db, "sms:all", { limit: perMinute, windowSeconds: 60 }, now);
  const phone = hitBuffered(db, `sms:phone:${phoneHash}`, PHONE_LIMIT, now);
  if (phone.count === PHONE_LIMIT.limit + 1) return say(lang, "rateLimited", { minutes: Math.ceil(phone.retryAfterSeconds / 60) });
  if (!phone.allowed) return "";
  if (!all.allowed) return say(lang, "busy");
  return null;
}

/**
 * Handles one inbound message exactly once and gives the reply to send (empty: send none).
 * GSM-7 where the text allows it (gsm.ts).
 */
export async function handleMessage(db: Db, ctx: SmsContext, inbound: Inbound): Promise<Handled> {
  const now = inbound.now ?? new Date();
  // The provider's id is kept as a digest: enough to know a retry, nothing to look up at the provider.
  const messageId = createHash("sha256").update(inbound.messageId).digest("base64url");
  const key = and(eq(smsMessages.provider, inbound.provider), eq(smsMessages.messageId, messageId));
  await db.insert(smsMessages).values({ provider: inbound.provider, messageId, receivedAt: now }).onConflictDoNothing();
  // STOP is obeyed even past the rate limit.
  let limitChecked = Boolean(ctx.trial) || STOP.has(commandOf(inbound.body));
  for (let attempt = 0; attempt < 60; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(200, 5 * attempt) * Math.random()));
    const [done] = await db.select({ reply: smsMessages.reply }).from(smsMessages).where(key);
    if (done?.reply != null) return { reply: done.reply, counted: null, repeat: true };
    const [row] = await db.select().from(smsConversations).where(eq(smsConversations.phoneHash, inbound.phoneHash));
    const conversation = row ? { lang: row.lang, state: row.state as SmsState } : null;

    let turn: Turn | null = null;
    if (!limitChecked) {
      limitChecked = true;
      const refused = await limited(db, inbound.phoneHash, conversation?.lang ?? "fr", now, ctx.perMinute);
      if (refused !== null) turn = { lang: conversation?.lang ?? "fr", state: conversation?.state ?? null, reply: refused ? [refused] : [] };
    }
    turn ??= await step(db, ctx, conversation, inbound.body, inbound.phoneHash, now);
    let version = row?.version ?? null;
    if (turn.sending && row && turn.state?.kind === "answering") {
      // OUI is taken first, over the version it was read at: a STOP or a correction that came
      // first makes this fail (and OUI is read again after it); one that comes after finds the
      // answer being sent and gets its receipt.
      const claimed = await db
        .update(smsConversations)
        .set({ state: turn.state, version: row.version + 1, updatedAt: now })
        .where(and(eq(smsConversations.phoneHash, inbound.phoneHash), eq(smsConversations.version, row.version)))
        .returning({ v: smsConversations.version });
      if (!claimed.length) continue;
      version = row.version + 1;
      turn = await step(db, ctx, { lang: turn.lang, state: turn.state }, inbound.body, inbound.phoneHash, now);
    }
    const reply = toGsm7(turn.reply.filter(Boolean).join("\n"));
    const final = turn;
    const saved = await db
      .transaction(async (tx) => {
        const marked = await tx
          .update(smsMessages)
          .set({ reply })
          .where(and(key, isNull(smsMessages.reply)))
          .returning({ id: smsMessages.messageId });
        if (!marked.length) return false;
        const mine = and(eq(smsConversations.phoneHash, inbound.phoneHash), eq(smsConversations.version, version ?? 0));
        let moved: unknown[];
        if (version !== null && final.state === null) {
          moved = await tx.delete(smsConversations).where(mine).returning({ v: smsConversations.version });
          // The answer was stored and another message about it ended the conversation first: done all the same.
          if (!moved.length && final.counted) moved = [1];
        } else if (version !== null)
          moved = await tx
            .update(smsConversations)
            .set({ lang: final.lang, state: final.state, version: version + 1, updatedAt: now })
            .where(mine)
            .returning({ v: smsConversations.version });
        else if (final.state !== null)
          moved = await tx
            .insert(smsConversations)
            .values({ phoneHash: inbound.phoneHash, lang: final.lang, state: final.state, updatedAt: now })
            .onConflictDoNothing()
            .returning({ v: smsConversations.version });
        else {
          // Nothing to keep (STOP, help or a menu with nothing open): only no conversation may have begun meanwhile.
          const [begun] = await tx.select({ v: smsConversations.version }).from(smsConversations).where(eq(smsConversations.phoneHash, inbound.phoneHash));
          moved = begun ? [] : [1];
        }
        if (!moved.length) tx.rollback();
        return true;
      })
      .catch((error: unknown) => {
        if (isRollback(error)) return null;
        throw error;
      });
    if (saved === true) return { reply, counted: final.counted ?? null, repeat: false };
    // Another message moved the conversation first (null), or this one was answered meanwhile
    // (false): read again and take the step from where it is now.
  }
  // Dozens of messages from one phone at the same instant: this one is not read; the phone may send it again.
  return { reply: toGsm7(say("fr", "busy")), counted: null, repeat: false };
}

function isRollback(error: unknown): boolean {
  return error instanceof TransactionRollbackError;
}

/**
 * Forgets what SMS keeps beyond its use: conversations idle for a day, handled message ids after
 * a day, and the phones that answered a consultation once it no longer takes answers.
 */
export async function purgeSms(db: Db, now = new Date()): Promise<{ conversations: number; messages: number; phones: number }> {
  const dayAgo = new Date(now.getTime() - IDLE_HOURS * 3600_000);
  const conversations = await db.delete(smsConversations).where(lt(smsConversations.updatedAt, dayAgo)).returning({ k: smsConversations.phoneHash });
  const messages = await db.delete(smsMessages).where(lt(smsMessages.receivedAt, dayAgo)).returning({ k: smsMessages.messageId });
  // A reply (a recap, a receipt) is kept an hour for a provider's retry, then only the fact that it was sent.
  const hourAgo = new Date(now.getTime() - REPLY_KEPT_MINUTES * 60_000);
  await db
    .update(smsMessages)
    .set({ reply: "" })
    .where(and(lt(smsMessages.receivedAt, hourAgo), sql`${smsMessages.reply} <> ''`));
  const [phones] = await queryRows<{ n: number }>(
    db,
    sql`with gone as (
      delete from sms_phone_answers p using consultations c
      where c.id = p.consultation_id and (c.status <> 'open' or (c.closes_at is not null and c.closes_at <= ${now.toISOString()}::timestamptz))
      returning 1
    ) select count(*)::int as n from gone`,
  );
  return { conversations: conversations.length, messages: messages.length, phones: Number(phones?.n ?? 0) };
}
