import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answers, auditLog } from "#db/schema";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { form, makeConsultation } from "../../../tests/helpers/fixtures";
import type { ConsultationView } from "../consultations/types";
import { listFreeText, moderate, purgeExpiredFreeText } from "../moderation/moderation.server";
import { submitResponse } from "../responses/submit.server";
import { parseAnswers } from "../responses/validate.server";
import { setReferenceShares, summarize, verdictOf, withoutBreakdown } from "./summary.server";

let database: TestDatabase;
let c: ConsultationView;

const RESPONSES: { channel: "web" | "offline" | "paper"; pairs: [string, string][] }[] = [
  {
    channel: "web",
    pairs: [
      ["q.support", "5"],
      ["q.measures", "air"],
      ["q.measures", "noise"],
      ["q.retention", "30d"],
      ["q.priorities.rank.alerts", "1"],
      ["q.priorities.rank.hours", "2"],
      ["q.priorities.rank.trees", "3"],
      ["q.priorities.rank.opendata", "4"],
      ["q.comments", "A"],
      ["q.area", "rural"],
      ["q.age", "18-34"],
    ],
  },
  {
    channel: "offline",
    pairs: [
      ["q.support", "4"],
      ["q.measures", "air"],
      ["q.retention", "1d"],
      ["q.priorities.rank.hours", "1"],
      ["q.priorities.rank.alerts", "2"],
      ["q.priorities.rank.trees", "3"],
      ["q.priorities.rank.opendata", "4"],
      ["q.comments", "B — to be hidden"],
      ["q.area", "urban"],
    ],
  },
  {
    channel: "paper",
    pairs: [
      ["q.support", "1"],
      ["q.measures", "none"],
      ["q.retention", "__other"],
      ["q.retention.other", "Une semaine"],
      ["q.area", "rural"],
      ["q.age", "__prefer_not"],
    ],
  },
  {
    channel: "web",
    pairs: [
      ["q.support", "2"],
      ["q.measures", "footfall"],
      ["q.measures", "air"],
      ["q.retention", "30d"],
      ["q.area", "__prefer_not"],
    ],
  },
];

beforeAll(async () => {
  database = await createTestDatabase();
  c = await makeConsultation(database.db);
  for (const r of RESPONSES) {
    const parsed = parseAnswers(c.questions, form(r.pairs));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await submitResponse(database.db, { consultation: c, submissionId: crypto.randomUUID(), locale: "fr", channel: r.channel, answers: parsed.answers });
  }
  const hidden = (await listFreeText(database.db, c.id)).items.find((i) => i.text.startsWith("B"))!;
  expect(await moderate(database.db, null as unknown as string, c.id, hidden.answerId, "hide", "Insulting")).toEqual({ ok: true });
  const area = c.questions.find((q) => q.code === "area")!;
  const id = (code: string) => area.options.find((o) => o.code === code)!.id;
  await setReferenceShares(
    database.db,
    area.id,
    [
      { optionId: id("rural"), percent: 30 },
      { optionId: id("suburban"), percent: 30 },
      { optionId: id("urban"), percent: 40 },
    ],
    "Census 2021",
  );
});
afterAll(() => database.dispose());

describe("the summary, against numbers worked out by hand", () => {
  it("counts answers per channel and per question, with shares and means", async () => {
    const s = await summarize(database.db, c);
    expect(s.total).toBe(4);
    expect(s.byChannel).toEqual({ web: 2, offline: 1, paper: 1, sms: 0 });
    const q = (code: string) => s.questions.find((x) => x.code === code)!;
    expect(q("support").scale).toMatchObject({ distribution: [1, 1, 0, 1, 1], mean: 3 });
    const measures = Object.fromEntries(q("measures").options.map((o) => [o.code, [o.count, o.share]]));
    expect(measures).toEqual({ footfall: [1, 0.25], air: [3, 0.75], noise: [1, 0.25], none: [1, 0.25] });
    expect(q("retention").answered).toBe(4);
    expect(q("retention").other).toBe(1);
    expect(q("retention").options.map((o) => o.count)).toEqual([1, 2, 0]);
    const ranks = Object.fromEntries(q("priorities").options.map((o) => [o.code, o.meanPosition]));
    expect(ranks).toEqual({ hours: 1.5, alerts: 1.5, trees: 3, opendata: 4 });
    expect(q("age").preferNot).toBe(1);
  });

  it("leaves hidden text out of excerpts and counts", async () => {
    const s = await summarize(database.db, c);
    const comments = s.questions.find((x) => x.code === "comments")!;
    expect(comments.answered).toBe(2);
    expect(comments.texts).toBe(1);
    expect(comments.excerpts).toEqual(["A"]);
    expect(s.questions.find((x) => x.code === "retention")!.excerpts).toEqual(["Une semaine"]);
    const log = await database.db.select().from(auditLog).where(eq(auditLog.action, "moderation.hide"));
    expect(log.map((l) => l.reason)).toEqual(["Insulting"]);
  });

  it("shows respondents' shares beside reference shares and flags who has not been heard", async () => {
    const s = await summarize(database.db, c);
    const area = s.representation.find((r) => r.questionId === c.questions.find((q) => q.code === "area")!.id)!;
    expect(area.base).toBe(3); // the one who preferred not to say is not in a group
    const rows = Object.fromEntries(area.rows.map((r) => [r.code, { share: +r.share.toFixed(4), ratio: r.ratio && +r.ratio.toFixed(4), under: r.under }]));
    expect(rows).toEqual({
      rural: { share: 0.6667, ratio: 2.2222, under: false },
      suburban: { share: 0, ratio: 0, under: true },
      urban: { share: 0.3333, ratio: 0.8333, under: false },
    });
  });

  it("gives no verdict on a group of fewer than k people, and a 95 % interval beside every share", async () => {
    const s = await summarize(database.db, c, { k: 2 });
    const area = s.representation.find((r) => r.questionId === c.questions.find((q) => q.code === "area")!.id)!;
    // The interval worked out here as the roots of (p̂ − p)² = z² p (1 − p) / n.
    const z = 1.959964;
    const bounds = (count: number, n: number) => {
      const p = count / n;
      const a = 1 + (z * z) / n;
      const b = -(2 * p + (z * z) / n);
      const root = Math.sqrt(b * b - 4 * a * p * p);
      return [(-b - root) / (2 * a), (-b + root) / (2 * a)].map((x) => +x.toFixed(4));
    };
    const rows = Object.fromEntries(
      area.rows.map((r) => [
        r.code,
        { count: r.count, small: r.small, under: r.under, clear: r.clear, interval: [r.interval!.low, r.interval!.high].map((x) => +x.toFixed(4)) },
      ]),
    );
    expect(rows).toEqual({
      rural: { count: 2, small: false, under: false, clear: false, interval: bounds(2, 3) },
      // Nobody, one person: fewer than k = 2, so neither is flagged (the flag above, with no k, said "under" for suburban).
      suburban: { count: 0, small: true, under: false, clear: false, interval: bounds(0, 3) },
      urban: { count: 1, small: true, under: false, clear: false, interval: bounds(1, 3) },
    });
    expect(rows.suburban.interval).toEqual([0, 0.5615]);
    // A small group is judged when its base makes it sure: 3 of 1,000 against 20 %; not 0 of 10.
    expect(verdictOf(3, 1_000, 0.2, 5)).toMatchObject({ small: false, under: true, clear: true });
    expect(verdictOf(0, 10, 0.2, 5)).toMatchObject({ small: true, under: false, clear: false });
    // With k = 5 all three groups are small: none is judged while its interval reaches the reference.
    const five = (await summarize(database.db, c, { k: 5 })).representation.find((r) => r.questionId === area.questionId)!;
    expect(five.rows.map((r) => [r.code, r.small])).toEqual([
      ["rural", true],
      ["suburban", true],
      ["urban", true],
    ]);
  });

  it("breaks any question down by a demographic question", async () => {
    const s = await summarize(database.db, c, { breakdownBy: "area" });
    const area = c.questions.find((q) => q.code === "area")!;
    const group = (code: string) => area.options.find((o) => o.code === code)!.id;
    const support = c.questions.find((q) => q.code === "support")!;
    const measures = c.questions.find((q) => q.code === "measures")!;
    const air = measures.options.find((o) => o.code === "air")!.id;
    expect(s.breakdown!.groups.map((g) => [g.code, g.respondents])).toEqual([
      ["rural", 2],
      ["suburban", 0],
      ["urban", 1],
      ["prefer_not", 1],
    ]);
    const q = (id: string) => s.questions.find((x) => x.id === id)!;
    expect(q(support.id).scale!.groups[group("rural")].mean).toBe(3);
    expect(q(support.id).scale!.groups[group("urban")].mean).toBe(4);
    const airRow = q(measures.id).rows.find((r) => r.optionId === air)!;
    expect(airRow.groups[group("rural")]).toEqual({ n: 1, base: 2, share: 0.5 });
    expect(airRow.groups[group("urban")]).toEqual({ n: 1, base: 1, share: 1 });
    expect(airRow.groups[group("suburban")]).toEqual({ n: 0, base: 0, share: 0 });
    expect(airRow.groups.prefer_not).toEqual({ n: 1, base: 1, share: 1 });
    // Rankings: each group's average position, never a share.
    const priorities = c.questions.find((x) => x.code === "priorities")!;
    const hours = q(priorities.id).ranks!.find((r) => r.code === "hours")!;
    expect(hours).toMatchObject({ ranked: 2, meanPosition: 1.5, positions: [1, 1, 0, 0] });
    expect(hours.groups[group("rural")]).toEqual({ n: 1, meanPosition: 2 });
    expect(hours.groups[group("urban")]).toEqual({ n: 1, meanPosition: 1 });
  });

  it("holds the whole summary beside its breakdown: without it, the summary counted without one, to the byte", async () => {
    const whole = JSON.stringify(await summarize(database.db, c));
    for (const by of ["area", "age"]) {
      const broken = await summarize(database.db, c, { breakdownBy: by });
      expect(broken.breakdown).not.toBeNull();
      expect(JSON.stringify(withoutBreakdown(broken)), by).toBe(whole);
    }
  });
});

describe("retention", () => {
  it("deletes free text of closed consultations once their retention has passed, and only then", async () => {
    const closed = await makeConsultation(database.db, { status: "closed", closesAt: new Date("2026-01-01T00:00:00Z") });
    const parsed = parseAnswers(
      closed.questions,
      form([
        ["q.support", "3"],
        ["q.measures", "air"],
        ["q.retention", "1d"],
        ["q.comments", "keep me?"],
      ]),
    );
    if (!parsed.ok) throw new Error("fixture");
    await submitResponse(database.db, {
      consultation: closed,
      submissionId: crypto.randomUUID(),
      locale: "en",
      channel: "paper",
      answers: parsed.answers,
      now: new Date("2026-01-02T00:00:00Z"),
    });
    const { db } = database;
    const { consultations } = await import("#db/schema");
    await db.update(consultations).set({ retentionDays: 30 }).where(eq(consultations.id, closed.id));
    expect(await purgeExpiredFreeText(db, new Date("2026-01-20T00:00:00Z"))).toBe(0);
    expect(await purgeExpiredFreeText(db, new Date("2026-02-01T00:00:00Z"))).toBe(1);
    const texts = (await db.select().from(answers)).filter((a) => a.text === "keep me?");
    expect(texts).toEqual([]);
    // The open consultation's texts are untouched.
    expect((await listFreeText(db, c.id)).total).toBe(3);
  });
});
