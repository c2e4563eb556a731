import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { makeConsultation } from "../../../tests/helpers/fixtures";
import type { ConsultationView } from "../consultations/types";
import { listReferenceShares, saveReferences } from "./references.server";

let database: TestDatabase;
let c: ConsultationView;
beforeAll(async () => {
  database = await createTestDatabase();
  c = await makeConsultation(database.db);
});
afterAll(() => database.dispose());

const question = (code: string) => c.questions.find((q) => q.code === code)!;

describe("reference shares", () => {
  it("are saved for a demographic question, in percent with two decimals, only for its own answers", async () => {
    const area = question("area");
    const [rural, urban] = [area.options.find((o) => o.code === "rural")!, area.options.find((o) => o.code === "urban")!];
    const foreign = question("age").options[0];
    const share = { [rural.id]: 27.5, [urban.id]: 50, [foreign.id]: 10 };
    expect(await saveReferences(database.db, c, { questionId: area.id, source: "Recensement 2021", share })).toEqual({ ok: true });
    const saved = await listReferenceShares(database.db, c.id);
    expect(saved.map(({ optionId, percent, source }) => ({ optionId, percent, source })).sort((a, b) => a.percent.localeCompare(b.percent))).toEqual([
      { optionId: rural.id, percent: "27.50", source: "Recensement 2021" },
      { optionId: urban.id, percent: "50.00", source: "Recensement 2021" },
    ]);
  });

  it("replace the question's earlier ones", async () => {
    const area = question("area");
    await saveReferences(database.db, c, { questionId: area.id, source: "Enquête", share: { [area.options[0].id]: 12 } });
    expect((await listReferenceShares(database.db, c.id)).map((s) => [s.optionId, s.percent, s.source])).toEqual([[area.options[0].id, "12.00", "Enquête"]]);
  });

  it("are refused as not_found for a question that is not demographic or not the consultation's", async () => {
    const other = await makeConsultation(database.db);
    for (const questionId of [question("support").id, other.questions.find((q) => q.code === "area")!.id])
      expect(await saveReferences(database.db, c, { questionId, source: "", share: {} })).toEqual({ ok: false, reason: "not_found" });
  });
});
