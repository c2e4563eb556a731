import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answers, auditLog, participationCodes, responses } from "#db/schema";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { form, makeConsultation, makeOfficial, validDemoAnswer } from "../../../tests/helpers/fixtures";
import { getConsultationBySlug } from "../consultations/queries.server";
import type { ConsultationSpec, ConsultationView } from "../consultations/types";
import { hashParticipationCode } from "../participation/codes.server";
import { acceptAnswer } from "../responses/accept.server";
import { enterPaperAnswer, setPaperGraceDays } from "./entry.server";

const TZ = "Europe/Paris";
const DAY = 86_400_000;
let database: TestDatabase;
let officialId: string;
beforeAll(async () => {
  database = await createTestDatabase();
  officialId = await makeOfficial(database.db, "paper-official@example.org");
});
afterAll(() => database.dispose());

/** YYYY-MM-DD in Paris, computed here rather than with the code under test. */
const parisDay = (d: Date) => new Intl.DateTimeFormat("sv-SE", { timeZone: TZ }).format(d);

const enter = (c: ConsultationView, pairs: [string, string][], extra: [string, string][] = [], submissionId = crypto.randomUUID()) =>
  enterPaperAnswer(database.db, {
    consultation: c,
    lang: "fr",
    form: form([["submission_id", submissionId], ...extra, ...pairs]),
    actorId: officialId,
    timeZone: TZ,
  });

const today = () => parisDay(new Date());
const received = (day = today()): [string, string] => ["received_on", day];
const stored = async (c: ConsultationView) =>
  database.db
    .select()
    .from(responses)
    .where(and(eq(responses.consultationId, c.id), eq(responses.channel, "paper")));
const with_ = (overrides: Partial<ConsultationSpec>) => makeConsultation(database.db, overrides);

describe("a paper form typed in by an official", () => {
  it("is stored as paper with the day it was received, and audited", async () => {
    const c = await with_({ status: "open" });
    const result = await enter(c, validDemoAnswer, [received()]);
    expect(result.ok).toBe(true);
    const [row] = await stored(c);
    expect(row.paperReceivedOn).toBe(today());
    expect(row.asWritten).toBeNull();
    const entries = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, c.slug), eq(auditLog.action, "paper.enter")));
    expect(entries).toHaveLength(1);
    expect(entries[0].actorId).toBe(officialId);
    expect(entries[0].details).toMatchObject({ receivedOn: today(), asWritten: [] });
  });

  it("sent twice (a double click) is recorded once", async () => {
    const c = await with_({ status: "open" });
    const id = crypto.randomUUID();
    const first = await enter(c, validDemoAnswer, [received()], id);
    const again = await enter(c, validDemoAnswer, [received()], id);
    expect(first.ok && again.ok && first.receiptCode === again.receiptCode).toBe(true);
    expect(await stored(c)).toHaveLength(1);
  });

  it("is refused without a date, with a date in the future, or received after the closing day, and nothing is stored", async () => {
    const c = await with_({ status: "closed", closesAt: new Date(Date.now() - 2 * DAY) });
    const cases: [string | null, string][] = [
      [null, "receivedOnMissing"],
      ["28/11/2026", "receivedOnFormat"],
      ["2026-02-30", "receivedOnFormat"],
      [parisDay(new Date(Date.now() + 2 * DAY)), "receivedOnFuture"],
      [parisDay(new Date(Date.now() - DAY)), "receivedOnAfterClose"],
    ];
    for (const [day, key] of cases) {
      const result = await enter(c, validDemoAnswer, day === null ? [] : [received(day)]);
      expect(result.ok ? "stored" : result.state.errors.received_on?.key, String(day)).toBe(key);
      if (!result.ok) expect(result.state.values["q.support"]).toEqual(["4"]);
    }
    expect(await stored(c)).toHaveLength(0);
    expect((await enter(c, validDemoAnswer, [received(parisDay(new Date(Date.now() - 3 * DAY)))])).ok).toBe(true);
  });

  it("spends the household's code, so the same household cannot answer again online or on paper", async () => {
    const c = await with_({ status: "open", mode: "code" });
    await database.db.insert(participationCodes).values({ consultationId: c.id, codeHash: hashParticipationCode("PAPER-HOUSE") });
    const missing = await enter(c, validDemoAnswer, [received()]);
    expect(missing.ok ? "stored" : missing.state.errors.participation_code?.key).toBe("paperCodeRequired");
    const wrong = await enter(c, validDemoAnswer, [received(), ["participation_code", "NOTAC-ODE22"]]);
    expect(wrong.ok ? "stored" : wrong.reason).toBe("code_invalid");
    expect(await stored(c)).toHaveLength(0);

    expect((await enter(c, validDemoAnswer, [received(), ["participation_code", "paper-house"]])).ok).toBe(true);
    const [code] = await database.db.select().from(participationCodes).where(eq(participationCodes.consultationId, c.id));
    expect(code.usedAt).not.toBeNull();

    const online = await acceptAnswer(database.db, {
      consultation: c,
      lang: "fr",
      form: form([["submission_id", crypto.randomUUID()], ["participation_code", "PAPER-HOUSE"], ...validDemoAnswer]),
      channel: "web",
      clientAddress: "203.0.113.4",
      limit: null,
    });
    expect(online.ok ? "stored" : online.reason).toBe("code_used");
    const twice = await enter(c, validDemoAnswer, [received(), ["participation_code", "PAPER-HOUSE"]]);
    expect(twice.ok ? "stored" : twice.reason).toBe("code_used");
    expect(await stored(c)).toHaveLength(1);
  });

  it("that breaks a limit is refused, then kept as written on request and counted by the documented rule", async () => {
    const c = await with_({ status: "open" });
    // Four boxes where three at most are allowed; two values on the agreement scale.
    const written: [string, string][] = [
      ...validDemoAnswer.filter(([k]) => k !== "q.measures" && k !== "q.support"),
      ["q.measures", "footfall"],
      ["q.measures", "air"],
      ["q.measures", "noise"],
      ["q.measures", "none"],
      ["q.support", "2"],
      ["q.support", "5"],
    ];
    const refused = await enter(c, written, [received()]);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(Object.keys(refused.state.errors).sort()).toEqual(["measures", "support"]);
    expect(refused.state.offerAsWritten).toBe(true);
    expect(await stored(c)).toHaveLength(0);

    const kept = await enter(c, written, [received(), ["as_written", "on"]]);
    expect(kept.ok && kept.asWritten.sort()).toEqual(["measures", "support"]);
    const [row] = await stored(c);
    expect(row.asWritten).toEqual({
      measures: { rule: "every_box", marked: ["footfall", "air", "noise", "none"] },
      support: { rule: "unclear", marked: ["2", "5"] },
    });
    const rows = await database.db.select().from(answers).where(eq(answers.responseId, row.id));
    const question = (code: string) => c.questions.find((q) => q.code === code)!;
    // Every ticked box counts; the unclear scale is not an answer.
    expect(rows.find((a) => a.questionId === question("measures").id)?.optionIds).toHaveLength(4);
    expect(rows.find((a) => a.questionId === question("support").id)).toBeUndefined();
  });

  it("with an unknown answer is refused even as written", async () => {
    const c = await with_({ status: "open" });
    const result = await enter(c, [...validDemoAnswer.filter(([k]) => k !== "q.retention"), ["q.retention", "forever"]], [received(), ["as_written", "on"]]);
    expect(result.ok ? "stored" : result.reason).toBe("invalid_answers");
  });
});

describe("the grace period after the closing", () => {
  it("accepts forms received before the closing for the days the official set, then refuses them", async () => {
    const closesAt = new Date(Date.now() - 20 * DAY);
    const c = await with_({ status: "closed", closesAt });
    const before = received(parisDay(new Date(closesAt.getTime() - DAY)));
    const late = await enter(c, validDemoAnswer, [before]);
    expect(late.ok ? "stored" : late.reason).toBe("grace_over");

    await setPaperGraceDays(database.db, officialId, c, 30);
    const longer = (await getConsultationBySlug(database.db, c.slug))!;
    expect(longer.paperGraceDays).toBe(30);
    expect((await enter(longer, validDemoAnswer, [before])).ok).toBe(true);
    const audited = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, c.slug), eq(auditLog.action, "paper.grace")));
    expect(audited[0].details).toEqual({ from: 14, to: 30 });
  });

  it("is 14 days by default", async () => {
    const inside = await with_({ status: "closed", closesAt: new Date(Date.now() - 13 * DAY) });
    const outside = await with_({ status: "closed", closesAt: new Date(Date.now() - 15 * DAY) });
    const day = (c: ConsultationView) => received(parisDay(new Date(c.closesAt!.getTime() - DAY)));
    expect((await enter(inside, validDemoAnswer, [day(inside)])).ok).toBe(true);
    const refused = await enter(outside, validDemoAnswer, [day(outside)]);
    expect(refused.ok ? "stored" : refused.reason).toBe("grace_over");
  });
});
