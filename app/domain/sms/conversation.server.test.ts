import { createHash } from "node:crypto";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answers, consultations, participationCodes, responses, smsConversations, smsMessages, smsPhoneAnswers } from "#db/schema";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { makeConsultation } from "../../../tests/helpers/fixtures";
import { createParticipationCodes } from "../participation/codes.server";
import { acceptAnswer } from "../responses/accept.server";
import { participation } from "../consultations/dashboard.server";
import { summarize } from "../summary/summary.server";
import type { ConsultationSpec, ConsultationView } from "../consultations/types";
import { handleMessage, purgeSms, type SmsContext } from "./conversation.server";
import { isGsm7 } from "./gsm";
import { sealerFor } from "./seal";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.dispose());

const ctx = (): SmsContext => ({
  municipality: { fr: "Saint-Damien", en: "Saint-Damien" },
  link: (path) => `https://quorum.example.org${path}`,
  submit: async (consultation, lang, form) => {
    const result = await acceptAnswer(database.db, { consultation, lang, form, channel: "sms", clientAddress: undefined, limit: null });
    return result.ok ? { ok: true, receiptCode: result.receiptCode } : { ok: false, reason: result.reason };
  },
  paths: { short: (lang, c) => `/${lang}/c/${c.slug.slice(0, 6).toUpperCase()}`, receipt: (lang, code) => `/${lang}/receipts/${code}` },
  ...sealerFor("a test secret of more than thirty-two characters"),
});

let sid = 0;
/** A phone: each message gets a fresh provider id unless one is given. */
function phone(hash = `phone-${crypto.randomUUID()}`) {
  return {
    hash,
    send: (body: string, messageId = `SM${++sid}`) => handleMessage(database.db, ctx(), { provider: "test", messageId, phoneHash: hash, body }),
  };
}

let keywords = 0;
const consultation = (overrides: Partial<ConsultationSpec> = {}) =>
  makeConsultation(database.db, { smsKeyword: `KW${++keywords}${Date.now() % 100000}`, ...overrides });

const stored = async (c: ConsultationView) =>
  database.db
    .select({ id: responses.id, channel: responses.channel, receipt: responses.receiptCode })
    .from(responses)
    .where(eq(responses.consultationId, c.id));

/** A stored response's answers read back by question code, and the option codes it chose (the test's own reading). */
async function readBack(c: ConsultationView, responseId: string) {
  const got = await database.db.select().from(answers).where(eq(answers.responseId, responseId));
  const byQuestion = new Map(got.map((a) => [c.questions.find((q) => q.id === a.questionId)!.code, a]));
  const codes = (code: string) =>
    byQuestion.get(code)!.optionIds!.map((id) => c.questions.find((q) => q.code === code)!.options.find((o) => o.id === id)!.code);
  return { byQuestion, codes };
}

describe("a whole conversation by text message", () => {
  it("answers the demo questionnaire in French through every kind of question, a wrong reply and a correction, and stores it once with channel sms", async () => {
    const c = await consultation();
    const p = phone();
    const first = await p.send(c.smsKeyword!);
    expect(first.reply).toContain(c.texts.fr.title.replace(/[’]/g, "'").slice(0, 10));
    expect(first.reply).toContain("Q1/9");
    // Q1 scale: a figure out of range is refused with the rule, the question asked again.
    const wrong = await p.send("9");
    expect(wrong.reply).toContain("Répondez par un chiffre de 1 à 5.");
    expect(wrong.reply).toContain("Q1/9");
    expect((await p.send("4")).reply).toContain("Q2/9");
    // Q2 multiple (at most 3, with Other): two numbers and Other, whose text is asked next.
    expect((await p.send("2,3 5")).reply).toContain("Autre");
    expect((await p.send("Les vélos")).reply).toContain("Q3/9");
    // Q3 single: a letter names the second choice.
    expect((await p.send("b")).reply).toContain("Q4/9");
    // Q4 ranking: numbers from first to last.
    expect((await p.send("2 1 3 4")).reply).toContain("Q5/9");
    // Q5 short text, Q6 long text (optional: skipped).
    expect((await p.send("Près de l'école")).reply).toContain("Q6/9");
    expect((await p.send("PASSER")).reply).toContain("Q7/9");
    // Q7 area by a word of its label, Q8 age "prefer not" (0), Q9 language.
    expect((await p.send("campagne")).reply).toContain("Q8/9");
    expect((await p.send("0")).reply).toContain("Q9/9");
    const recap = await p.send("1");
    expect(recap.reply).toContain("Vos réponses");
    expect(recap.reply).toContain("OUI pour envoyer");
    // A correction: question 1 again, then back to the recap.
    expect((await p.send("CORRIGER 1")).reply).toContain("Q1/9");
    const again = await p.send("5");
    expect(again.reply).toContain("1) 5/5");
    const done = await p.send("oui");
    expect(done.reply).toMatch(/Gardez ce code : [A-Z0-9-]+/);
    expect(done.counted?.id).toBe(c.id);
    expect(isGsm7(done.reply)).toBe(true);

    const rows = await stored(c);
    expect(rows).toHaveLength(1);
    expect(rows[0].channel).toBe("sms");
    expect(done.reply).toContain(rows[0].receipt);
    // What was stored, read back by question code and option code (the test's own reading).
    const { byQuestion, codes } = await readBack(c, rows[0].id);
    expect(byQuestion.get("support")!.number).toBe(5);
    expect(codes("measures")).toEqual(["air", "noise"]);
    expect(byQuestion.get("measures")!.text).toBe("Les vélos");
    expect(codes("retention")).toEqual(["30d"]);
    expect(codes("priorities")).toEqual(["alerts", "hours", "trees", "opendata"]);
    expect(byQuestion.get("elsewhere")!.text).toBe("Près de l'école");
    expect(byQuestion.has("comments")).toBe(false);
    expect(codes("area")).toEqual(["rural"]);
    expect(byQuestion.get("age")!.preferNot).toBe(true);
    expect(codes("language")).toEqual(["fr"]);
    // Counted by channel, as officials see participation and the summary.
    expect((await participation(database.db, c.id, "Europe/Paris")).byChannel).toEqual({ web: 0, offline: 0, paper: 0, sms: 1 });
    expect((await summarize(database.db, c)).byChannel.sms).toBe(1);
    // The conversation is forgotten once the receipt is sent.
    expect(await database.db.select().from(smsConversations).where(eq(smsConversations.phoneHash, p.hash))).toHaveLength(0);
  });

  it("speaks English from a first HELLO, lists what is open by number, and starts one by its number", async () => {
    const c = await consultation();
    const p = phone();
    const menu = await p.send("Hello");
    expect(menu.reply).toContain("open consultations");
    const line = menu.reply.split("\n").find((l) => l.includes(c.smsKeyword!))!;
    const number = line.split(" ")[0];
    const started = await p.send(number);
    expect(started.reply).toContain("Q1/9");
    expect(started.reply).toContain("From 1");
    expect((await p.send("FR")).reply).toContain("De 1");
    // The keyword followed by EN, as English letters print it, starts in English; "Stop." stops.
    const q = phone();
    expect((await q.send(`${c.smsKeyword!.toLowerCase()} en`)).reply).toContain("From 1");
    expect((await q.send("4/5")).reply).toContain("Q2/9");
    expect((await q.send("Stop.")).reply).toContain("deleted");
  });

  it("takes an answer sent with the keyword, numbers written as words, and digits of other scripts; a text stays as written", async () => {
    const c = await consultation();
    const p = phone();
    // "KW 4": the keyword starts the questionnaire and the 4 answers its first question at once.
    const first = await p.send(`${c.smsKeyword!.toLowerCase()} 4`);
    expect(first.reply).toContain(c.texts.fr.title.replace(/[’]/g, "'").slice(0, 10));
    expect(first.reply).not.toContain("Q1/9");
    expect(first.reply).toContain("Q2/9");
    expect((await p.send("deux et trois")).reply).toContain("Q3/9");
    expect((await p.send("\u0662")).reply).toContain("Q4/9"); // Arabic-Indic 2
    expect((await p.send("\uff12 \uff11 \uff13 \uff14")).reply).toContain("Q5/9"); // full-width 2 1 3 4
    expect((await p.send("\u0663 rue des Lilas")).reply).toContain("Q6/9");
    expect((await p.send("passer")).reply).toContain("Q7/9");
    expect((await p.send("campagne")).reply).toContain("Q8/9");
    expect((await p.send("zero")).reply).toContain("Q9/9");
    expect((await p.send("one")).reply).toContain("OUI");
    const done = await p.send("OUI");
    expect(done.counted?.id).toBe(c.id);
    const [row] = await stored(c);
    const { byQuestion: byCode, codes: optionCodes } = await readBack(c, row.id);
    expect(byCode.get("support")!.number).toBe(4);
    // The choices by their place in the questionnaire, as the messages numbered them.
    const nth = (code: string, ...places: number[]) => places.map((i) => c.questions.find((q) => q.code === code)!.options[i - 1].code);
    expect(optionCodes("measures")).toEqual(nth("measures", 2, 3));
    expect(optionCodes("retention")).toEqual(nth("retention", 2));
    expect(optionCodes("priorities")).toEqual(nth("priorities", 2, 1, 3, 4));
    expect(byCode.get("elsewhere")!.text).toBe("\u0663 rue des Lilas");
    expect(byCode.get("age")!.preferNot).toBe(true);
    expect(optionCodes("language")).toEqual(nth("language", 1));
  });

  it("a provider's repeat of a message gets the same reply and moves nothing; STOP forgets", async () => {
    const c = await consultation();
    const p = phone();
    await p.send(c.smsKeyword!);
    const once = await p.send("3", "SM-repeat");
    const twice = await p.send("3", "SM-repeat");
    expect(twice.reply).toBe(once.reply);
    expect(twice.repeat).toBe(true);
    const [row] = await database.db.select().from(smsConversations).where(eq(smsConversations.phoneHash, p.hash));
    expect(row.version).toBe(2);
    expect((await p.send("STOP")).reply).toContain("effacées");
    expect(await database.db.select().from(smsConversations).where(eq(smsConversations.phoneHash, p.hash))).toHaveLength(0);
  });

  it("two messages handled at the same moment move the conversation one after the other", async () => {
    const c = await consultation();
    const p = phone();
    await p.send(c.smsKeyword!);
    const [a, b] = await Promise.all([p.send("4"), p.send("1")]);
    const [row] = await database.db.select().from(smsConversations).where(eq(smsConversations.phoneHash, p.hash));
    expect(row.version).toBe(3);
    // One answered Q1 and asked Q2; the other answered Q2 and asked Q3.
    expect([a.reply, b.reply].some((r) => r.includes("Q2/9"))).toBe(true);
    expect([a.reply, b.reply].some((r) => r.includes("Q3/9"))).toBe(true);
  });

  it("in code mode asks the household code first, refuses a wrong one, and spends the right one with the answer", async () => {
    const c = await consultation({ mode: "code" });
    const [code] = await createParticipationCodes(database.db, c.id, 1);
    const p = phone();
    expect((await p.send(c.smsKeyword!)).reply).toContain("code de votre foyer");
    expect((await p.send("ZZZZZZZZZZ")).reply).toContain("pas reconnu");
    expect((await p.send(code)).reply).toContain("Q1/9");
    for (const reply of ["4", "2", "1", "1 2 3 4", "ici", "PASSER", "1", "2", "1"]) await p.send(reply);
    expect((await p.send("OUI")).reply).toContain("Gardez ce code");
    const [spent] = await database.db.select({ usedAt: participationCodes.usedAt }).from(participationCodes).where(eq(participationCodes.consultationId, c.id));
    expect(spent.usedAt).not.toBeNull();
    // The same code from another phone: already used.
    const other = phone();
    await other.send(c.smsKeyword!);
    expect((await other.send(code)).reply).toContain("déjà servi");
  });

  it("with one answer per phone, refuses a second answer from the same phone, and forgets the phones at the closing", async () => {
    const c = await consultation();
    await database.db.update(consultations).set({ smsOnePerPhone: true }).where(eq(consultations.id, c.id));
    const p = phone();
    await p.send(c.smsKeyword!);
    for (const reply of ["4", "2", "1", "1 2 3 4", "ici", "PASSER", "1", "2", "1"]) await p.send(reply);
    expect((await p.send("OUI")).reply).toContain("Gardez ce code");
    expect((await p.send(c.smsKeyword!)).reply).toContain("déjà été envoyée");
    await database.db.update(consultations).set({ status: "closed" }).where(eq(consultations.id, c.id));
    await purgeSms(database.db);
    const [{ n }] = await database.db
      .select({ n: count() })
      .from(smsPhoneAnswers)
      .where(and(eq(smsPhoneAnswers.consultationId, c.id)));
    expect(n).toBe(0);
  });

  it("forgets a conversation idle for a day and handled message ids after a day, not before", async () => {
    const c = await consultation();
    const p = phone();
    await p.send(c.smsKeyword!, "SM-old-1");
    const row = () => database.db.select().from(smsConversations).where(eq(smsConversations.phoneHash, p.hash));
    const message = () =>
      database.db
        .select()
        .from(smsMessages)
        .where(and(eq(smsMessages.provider, "test"), eq(smsMessages.messageId, createHash("sha256").update("SM-old-1").digest("base64url"))));
    await purgeSms(database.db, new Date(Date.now() + 23 * 3600_000));
    expect(await row()).toHaveLength(1);
    // Past an hour the reply itself is gone; the id stays, so a late retry still changes nothing.
    expect((await message()).map((m) => m.reply)).toEqual([""]);
    await purgeSms(database.db, new Date(Date.now() + 25 * 3600_000));
    expect(await row()).toHaveLength(0);
    expect(await message()).toHaveLength(0);
  });

  it("OUI at the same moment as STOP or a correction: never an answer stored that the resident was told was deleted or corrected", async () => {
    const toRecap = ["4", "2", "1", "1 2 3 4", "ici", "PASSER", "1", "2", "1"];
    for (let run = 0; run < 6; run++) {
      const c = await consultation();
      const p = phone();
      await p.send(c.smsKeyword!);
      for (const reply of toRecap) await p.send(reply);
      const other = run % 2 === 0 ? "STOP" : "CORRIGER 2";
      const [yes, them] = await Promise.all([p.send("OUI"), p.send(other)]);
      const rows = await stored(c);
      expect(rows.length, `run ${run}`).toBeLessThanOrEqual(1);
      if (rows.length === 1) {
        // Stored: whoever came second was told the receipt, never "deleted" nor asked the question again.
        for (const r of [yes.reply, them.reply]) expect(r, `run ${run}`).not.toMatch(/effacées|Q2\/9/);
        expect([yes.reply, them.reply].some((r) => r.includes(rows[0].receipt))).toBe(true);
      } else if (other === "STOP") {
        expect(them.reply).toContain("effacées");
        // The OUI after it found no questionnaire under way: at most the list of consultations.
        const left = await database.db.select().from(smsConversations).where(eq(smsConversations.phoneHash, p.hash));
        for (const row of left) expect((row.state as { kind: string }).kind).toBe("menu");
      } else {
        // The correction came first: question 2 is asked, the OUI is read as a reply to it and refused.
        expect(them.reply).toContain("Q2/9");
        const [row] = await database.db.select().from(smsConversations).where(eq(smsConversations.phoneHash, p.hash));
        expect((row.state as { step: { at: string } }).step.at).toBe("question");
      }
    }
  });

  it("keeps the household code sealed in the stored conversation, and reads a NUL or a broken character as no character", async () => {
    const c = await consultation({ mode: "code" });
    const [code] = await createParticipationCodes(database.db, c.id, 1);
    const p = phone();
    await p.send(c.smsKeyword!);
    await p.send(code);
    const [row] = await database.db.select().from(smsConversations).where(eq(smsConversations.phoneHash, p.hash));
    expect(JSON.stringify(row.state)).not.toContain(code);
    expect(JSON.stringify(row.state)).not.toContain(code.replace("-", ""));
    for (const reply of ["4", "2", "1", "1 2 3 4"]) await p.send(reply);
    expect((await p.send("abc\u0000def\ud800")).reply).toContain("Q6/9");
    for (const reply of ["PASSER", "1", "2", "1"]) await p.send(reply);
    expect((await p.send("Oui !")).reply).toContain("Gardez ce code");
    const [answer] = await database.db
      .select({ text: answers.text })
      .from(answers)
      .innerJoin(responses, eq(responses.id, answers.responseId))
      .where(and(eq(responses.consultationId, c.id), eq(answers.questionId, c.questions[4].id)));
    expect(answer.text).toBe("abcdef\ufffd");
  });

  it("past 40 messages in 10 minutes, says so once, then answers nothing; STOP is still obeyed", async () => {
    const c = await consultation();
    const p = phone();
    await p.send(c.smsKeyword!);
    for (let i = 2; i <= 40; i++) expect((await p.send("9")).reply).toContain("Q1/9");
    expect((await p.send("4")).reply).toContain("Trop de messages");
    expect((await p.send("4")).reply).toBe("");
    expect((await p.send("STOP")).reply).toContain("effacées");
  });

  it("says a closed consultation takes no more answers, and never stores one", async () => {
    const c = await consultation({ status: "closed", closesAt: new Date(Date.now() - 3_600_000) });
    const reply = await phone().send(c.smsKeyword!);
    expect(reply.reply).toContain("ne prend plus de réponses");
    expect(await stored(c)).toHaveLength(0);
  });
});
