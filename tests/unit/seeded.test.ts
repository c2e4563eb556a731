import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listFreeText } from "~/domain/moderation/moderation.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeConsultation, makeOfficial } from "../helpers/fixtures";
import { seedAnswers, type SentResponse } from "../helpers/seeded";

let database: TestDatabase;
let moderatorId: string;
beforeAll(async () => {
  database = await createTestDatabase();
  moderatorId = await makeOfficial(database.db);
});
afterAll(() => database.dispose());

const shape = (sent: SentResponse[]) => sent.map((r) => ({ channel: r.channel, locale: r.locale, answers: r.answers, hidden: [...r.hidden] }));

describe("the seeded answers", () => {
  it("are all accepted, cover every way of answering, and are the same for the same seed", async () => {
    const c = await makeConsultation(database.db, { opensAt: new Date(Date.now() - 30 * 24 * 3600 * 1000) });
    const sent = await seedAnswers(database.db, c, { count: 300, seed: 42, moderatorId });
    expect(sent).toHaveLength(300);
    const all = sent.flatMap((r) => Object.values(r.answers));
    expect(all.some((a) => a.preferNot)).toBe(true);
    expect(all.some((a) => a.other !== undefined)).toBe(true);
    expect(all.some((a) => a.ranks)).toBe(true);
    expect(new Set(sent.map((r) => r.channel))).toEqual(new Set(["web", "offline", "paper"]));
    for (const q of c.questions)
      if (!q.required)
        expect(
          sent.some((r) => !(q.code in r.answers)),
          q.code,
        ).toBe(true);
    const hidden = sent.reduce((n, r) => n + r.hidden.size, 0);
    expect(hidden).toBeGreaterThan(5);
    expect((await listFreeText(database.db, c.id, { state: "hidden", limit: 10_000 })).total).toBe(hidden);

    const again = await makeConsultation(database.db, { opensAt: new Date(Date.now() - 30 * 24 * 3600 * 1000) });
    expect(shape(await seedAnswers(database.db, again, { count: 300, seed: 42, moderatorId }))).toEqual(shape(sent));
  });
});
