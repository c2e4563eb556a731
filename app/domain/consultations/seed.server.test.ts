import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUESTION_KINDS, consultations } from "#db/schema";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { DEMO_SLUG } from "./demo";
import { getConsultationBySlug } from "./queries.server";
import { seedDemo } from "./seed.server";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.dispose());

describe("the demo consultation", () => {
  it("is seeded once, however often the app starts", async () => {
    expect(await seedDemo(database.db)).toBe(true);
    expect(await seedDemo(database.db)).toBe(false);
    const [{ n }] = await database.db.select({ n: count() }).from(consultations).where(eq(consultations.slug, DEMO_SLUG));
    expect(n).toBe(1);
  });

  it("is open, complete in both languages, and holds one question of each kind", async () => {
    const demo = (await getConsultationBySlug(database.db, DEMO_SLUG))!;
    expect(demo.status).toBe("open");
    for (const lang of ["fr", "en"] as const) {
      for (const [field, text] of Object.entries(demo.texts[lang])) expect(text, `${lang}.${field}`).not.toBe("");
      for (const q of demo.questions) {
        expect(q.texts[lang].prompt).not.toBe("");
        for (const o of q.options) expect(o.labels[lang]).not.toBe("");
      }
    }
    expect(new Set(demo.questions.map((q) => q.kind))).toEqual(new Set(QUESTION_KINDS));
    expect(demo.questions.filter((q) => q.demographic).map((q) => q.demographic)).toEqual(["area", "age", "language"]);
    expect(demo.questions.filter((q) => q.demographic).every((q) => !q.required && q.allowPreferNot)).toBe(true);
  });
});
