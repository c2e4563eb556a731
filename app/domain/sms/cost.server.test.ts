import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { makeConsultation } from "../../../tests/helpers/fixtures";
import { smsCost } from "./cost.server";
import { isGsm7, segmentsOf, toGsm7 } from "./gsm";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.dispose());

/** What the demo consultation may cost a resident answering it in French, at most (README, decision 066). */
const DEMO_FRENCH_SEGMENTS = { receive: 15, send: 11 };

const ctx = {
  link: (path: string) => `https://consultation.saint-damien.fr${path}`,
  paths: { short: (lang: "fr" | "en") => `/${lang}/c/K7M3QX`, receipt: (lang: "fr" | "en", code: string) => `/${lang}/receipts/${code}` },
};

describe("segments", () => {
  it("counts GSM-7 by septets (160, then 153 a segment; the extension table twice) and anything else as UCS-2 (70, then 67)", () => {
    expect(segmentsOf("a".repeat(160))).toEqual({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(segmentsOf("a".repeat(161)).segments).toBe(2);
    expect(segmentsOf("a".repeat(306)).segments).toBe(2);
    expect(segmentsOf("a".repeat(307)).segments).toBe(3);
    expect(segmentsOf("€".repeat(80))).toEqual({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(segmentsOf("ê" + "a".repeat(69))).toEqual({ encoding: "UCS-2", units: 70, segments: 1 });
    expect(segmentsOf("ê" + "a".repeat(70)).segments).toBe(2);
    expect(segmentsOf("ê" + "a".repeat(134)).segments).toBe(3);
  });

  it("keeps é è à ù, and writes ê â î ô û ç ë ï œ, typographic quotes and French spaces in GSM-7", () => {
    expect(isGsm7("é è à ù É")).toBe(true);
    expect(toGsm7("Forêt, château, île, hôtel, sûr, garçon, Noël, naïf, cœur")).toBe("Foret, chateau, ile, hotel, sur, garcon, Noel, naif, coeur");
    expect(toGsm7("« l’air »\u202f: oui")).toBe('" l\'air " : oui');
    expect(isGsm7(toGsm7("Des capteurs sur la place du Marché\u202f? « Qualité de l’air » – ça coûte"))).toBe(true);
    // A character with no GSM-7 writing stays: the message goes as UCS-2.
    expect(isGsm7(toGsm7("Привет"))).toBe(false);
  });
});

describe("what the demo costs a resident by SMS", () => {
  it(`in French: at most ${DEMO_FRENCH_SEGMENTS.receive} segments received and ${DEMO_FRENCH_SEGMENTS.send} sent, all in GSM-7`, async () => {
    const c = await makeConsultation(database.db);
    const cost = smsCost(c, "fr", ctx);
    expect(cost.ucs2).toBe(0);
    expect(cost.questions).toHaveLength(c.questions.length);
    expect(cost.receive).toBeLessThanOrEqual(DEMO_FRENCH_SEGMENTS.receive);
    expect(cost.send).toBeLessThanOrEqual(DEMO_FRENCH_SEGMENTS.send);
    // The total is the sum of its parts.
    expect(cost.receive).toBe(cost.questions.reduce((s, q) => s + q.receive, 0) + cost.recap + cost.receipt);
  });

  it("in code mode, one message more each way: the household code", async () => {
    const open = smsCost(await makeConsultation(database.db), "fr", ctx);
    const code = smsCost(await makeConsultation(database.db, { mode: "code" }), "fr", ctx);
    expect(code.send).toBe(open.send + 1);
    expect(code.receive).toBeGreaterThan(open.receive);
  });
});
