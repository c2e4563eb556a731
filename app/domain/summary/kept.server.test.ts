/**
 * The summary's pass kept between requests (decision 064): after every kind of change, the
 * summary a handle that kept its pass gives (whole, by area and by age) is the summary counted
 * from scratch, serialised byte for byte; and the kept pass was used where it can be (answers
 * added, on every channel) and counted again where it cannot (a text hidden or restored, a theme
 * tagged, untagged or retired, a response removed, a paper form's answer corrected in place).
 *
 * Nothing tells the summary of a write: each change below goes to the database only (through
 * the domain, or by hand as another process would), and the summary finds it there.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "#db/client";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { form, makeConsultation, makeOfficial, validDemoAnswer } from "../../../tests/helpers/fixtures";
import { seedAnswers } from "../../../tests/helpers/seeded";
import type { ConsultationView } from "../consultations/types";
import { listFreeText, moderate } from "../moderation/moderation.server";
import { enterPaperAnswer } from "../paper/entry.server";
import { submitResponse } from "../responses/submit.server";
import { parseAnswers } from "../responses/validate.server";
import { createTheme, retireTheme, tagAnswers, untagAnswers } from "../themes/themes.server";
import { summarize } from "./summary.server";
import { passes, passRows, type PassInput } from "./tally.server";

let database: TestDatabase;
let c: ConsultationView;
let official: string;
const BREAKDOWNS = [null, "area", "age"] as const;
/**
 * Which pass was made is certain on PGlite (one connection: every committed answer is settled at
 * the next statement). On PostgreSQL any transaction of the cluster still running (another test
 * file, autovacuum) holds the horizon back: answers and tags written since are then read again
 * rather than kept, which gives the same figures by another path; there only the figures are compared.
 */
const exact = !process.env.DATABASE_URL;
const passesAre = (got: { full: number; since: number; total: number }, want: { full: number; since: number; total: number }) =>
  exact ? expect(got).toEqual(want) : expect(got.total).toBe(want.total);

beforeAll(async () => {
  database = await createTestDatabase();
  official = await makeOfficial(database.db, "kept-tallies@example.org");
  c = await makeConsultation(database.db, { status: "open", opensAt: new Date(Date.now() - 10 * 24 * 3600 * 1000) });
  await seedAnswers(database.db, c, { count: 60, seed: 64, moderatorId: official, hideShare: 0.1 });
});
afterAll(() => database.dispose());

/** The summary counted from scratch: in a transaction of its own, whose handle keeps nothing past it. */
const fresh = (by: string | null) => database.db.transaction((tx) => summarize(tx, c, { breakdownBy: by, k: 5 }));
const kept = (by: string | null) => summarize(database.db, c, { breakdownBy: by, k: 5 });

/**
 * The kept summary against the one counted from scratch, for the whole and each breakdown; answers
 * how many passes over every answer (`full`) and over those written since (`since`) the kept ones made.
 */
async function compare(): Promise<{ full: number; since: number; total: number }> {
  const before = { ...passes };
  let total = 0;
  for (const by of BREAKDOWNS) {
    const mine = await kept(by);
    const made = { ...passes };
    const theirs = await fresh(by);
    // The count from scratch is not counted as the kept handle's.
    passes.full = made.full;
    passes.since = made.since;
    expect(JSON.stringify(mine)).toBe(JSON.stringify(theirs));
    total = mine.total;
  }
  return { full: passes.full - before.full, since: passes.since - before.since, total };
}

const comments = async () => (await listFreeText(database.db, c.id, { limit: 1000, questionCode: "comments" })).items;

async function submit(channel: "web" | "offline" | "paper", pairs: [string, string][]) {
  const parsed = parseAnswers(c.questions, form(pairs));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const stored = await submitResponse(database.db, { consultation: c, submissionId: crypto.randomUUID(), locale: "fr", channel, answers: parsed.answers });
  if (!stored.ok) throw new Error(stored.reason);
}

describe("the summary kept between requests equals the summary counted from scratch", () => {
  it("on the first request, counting every answer", async () => {
    passesAre(await compare(), { full: 3, since: 0, total: 60 });
  });

  it("when nothing changed, counting none again", async () => {
    passesAre(await compare(), { full: 0, since: 3, total: 60 });
  });

  it("after answers from the web and the offline queue, counting only those", async () => {
    await submit("web", validDemoAnswer);
    await submit("offline", [...validDemoAnswer.filter(([k]) => k !== "q.area"), ["q.area", "urban"]]);
    await seedAnswers(database.db, c, { count: 15, seed: 65, moderatorId: official, hideShare: 0 });
    passesAre(await compare(), { full: 0, since: 3, total: 77 });
  });

  it("after a paper form typed in by an official, counting only it", async () => {
    const entered = await enterPaperAnswer(database.db, {
      consultation: c,
      lang: "fr",
      form: form([
        ["submission_id", crypto.randomUUID()],
        ["received_on", new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Paris" }).format(new Date())],
        ...validDemoAnswer.filter(([k]) => k !== "q.area"),
        ["q.area", "__prefer_not"],
      ]),
      actorId: official,
      timeZone: "Europe/Paris",
    });
    expect(entered).toMatchObject({ ok: true });
    passesAre(await compare(), { full: 0, since: 3, total: 78 });
  });

  it("after a text is hidden, and after it is restored, counting again", async () => {
    const text = (await comments()).find((i) => !i.hidden)!;
    const texts = (await kept(null)).questions.find((q) => q.code === "comments")!.texts;
    expect(await moderate(database.db, official, c.id, text.answerId, "hide", "Hors sujet")).toEqual({ ok: true });
    passesAre(await compare(), { full: 3, since: 0, total: 78 });
    expect((await kept(null)).questions.find((q) => q.code === "comments")!.texts).toBe(texts - 1);
    expect(await moderate(database.db, official, c.id, text.answerId, "restore", "Erreur")).toEqual({ ok: true });
    passesAre(await compare(), { full: 3, since: 0, total: 78 });
    expect((await kept(null)).questions.find((q) => q.code === "comments")!.texts).toBe(texts);
  });

  it("after texts are tagged with a theme, untagged, and the theme retired, counting again", async () => {
    const made = await createTheme(database.db, official, c.id, {
      labels: { fr: "Données", en: "Data" },
      description: { fr: "", en: "" },
      keywords: { fr: [], en: [] },
    });
    if (!made.ok) throw new Error(made.reason);
    passesAre(await compare(), { full: 3, since: 0, total: 78 });
    const visible = (await comments()).filter((i) => !i.hidden).slice(0, 7);
    expect(
      (
        await tagAnswers(
          database.db,
          official,
          c.id,
          made.id,
          visible.map((i) => i.answerId),
        )
      ).ok,
    ).toBe(true);
    passesAre(await compare(), { full: 3, since: 0, total: 78 });
    const theme = (await kept("area")).questions.find((q) => q.code === "comments")!.themes.find((t) => t.themeId === made.id)!;
    expect(theme.n).toBe(7);
    // Answers added after the tagging are counted alone again.
    await submit("web", validDemoAnswer);
    passesAre(await compare(), { full: 0, since: 3, total: 79 });
    expect((await untagAnswers(database.db, official, c.id, made.id, [visible[0].answerId])).ok).toBe(true);
    passesAre(await compare(), { full: 3, since: 0, total: 79 });
    expect((await retireTheme(database.db, official, c.id, made.id, true)).ok).toBe(true);
    passesAre(await compare(), { full: 3, since: 0, total: 79 });
  });

  it("after a response is removed, or an answer corrected in place, by hand as another process would", async () => {
    const [one] = await queryRows<{ id: string }>(database.db, sql`select id from responses where consultation_id = ${c.id} order by received_at limit 1`);
    await database.db.execute(sql`delete from responses where id = ${one.id}`);
    passesAre(await compare(), { full: 3, since: 0, total: 78 });
    const area = c.questions.find((q) => q.code === "area")!;
    const urban = area.options.find((o) => o.code === "urban")!.id;
    await database.db.execute(sql`update answers set option_ids = array[${urban}::uuid], prefer_not = false, text = null
      where id = (select min(id) from answers where question_id = ${area.id} and not (option_ids @> array[${urban}::uuid]))`);
    passesAre(await compare(), { full: 3, since: 0, total: 78 });
  });

  it("after a response that had skipped the breakdown's question answers it, moving its other answers to a group", async () => {
    const area = c.questions.find((q) => q.code === "area")!;
    const [skipped] = await queryRows<{ id: string }>(
      database.db,
      sql`select r.id from responses r where r.consultation_id = ${c.id}
        and not exists (select 1 from answers a where a.response_id = r.id and a.question_id = ${area.id}) limit 1`,
    );
    expect(skipped).toBeDefined();
    await database.db.execute(sql`insert into answers (response_id, question_id, option_ids)
      values (${skipped.id}, ${area.id}, array[${area.options[0].id}::uuid])`);
    // Only an answer added: the kept pass is tried, and found not to hold (its response had answers counted in no group).
    passesAre(await compare(), { full: 3, since: 0, total: 78 });
  });
});

describe("more answers written since than are read by id", () => {
  it("counts everything instead, with the same rows", async () => {
    const owner = {};
    const input: PassInput = {
      cid: c.id,
      questionIds: c.questions.map((q) => q.id),
      by: c.questions.find((q) => q.code === "area")!.id,
      themed: false,
      sinceAtMost: 3,
    };
    const sorted = (rows: { n: number }[]) => rows.map((r) => JSON.stringify(r)).sort();
    const first = await passRows(owner, database.db, input);
    await submit("paper", validDemoAnswer);
    const before = { ...passes };
    const again = await passRows(owner, database.db, input);
    if (exact) expect(passes.full - before.full).toBe(1);
    expect(sorted(again)).toEqual(sorted(await passRows({}, database.db, input)));
    expect(again.reduce((n, r) => n + r.n, 0)).toBeGreaterThan(first.reduce((n, r) => n + r.n, 0));
  });
});

describe.skipIf(!process.env.DATABASE_URL)("answers written by a transaction still open while the summary is counted", () => {
  it("are counted once it commits, though answers written after them were counted before", async () => {
    const support = c.questions.find((q) => q.code === "support")!;
    const area = c.questions.find((q) => q.code === "area")!;
    let during = 0;
    await database.db.transaction(async (tx) => {
      // Its answers take ids before the next response's, and commit after it (as another process's would).
      const [r] = await queryRows<{ id: string }>(
        tx,
        sql`insert into responses (consultation_id, submission_id, receipt_code, locale, channel)
          values (${c.id}, gen_random_uuid(), 'OPEN' || gen_random_uuid(), 'fr', 'web') returning id`,
      );
      await tx.execute(sql`insert into answers (response_id, question_id, number) values (${r.id}, ${support.id}, 1)`);
      await tx.execute(sql`insert into answers (response_id, question_id, option_ids) values (${r.id}, ${area.id}, array[${area.options[1].id}::uuid])`);
      await submit("web", validDemoAnswer);
      during = (await compare()).total;
    });
    expect(during).toBe(80);
    expect((await compare()).total).toBe(81);
  });
});
