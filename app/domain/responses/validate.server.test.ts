import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { form, makeConsultation, validDemoAnswer } from "../../../tests/helpers/fixtures";
import type { ConsultationView } from "../consultations/types";
import { cleanText, formValues, parseAnswers } from "./validate.server";

let database: TestDatabase;
let c: ConsultationView;
beforeAll(async () => {
  database = await createTestDatabase();
  c = await makeConsultation(database.db);
});
afterAll(() => database.dispose());

const without = (code: string) => validDemoAnswer.filter(([k]) => k !== `q.${code}` && !k.startsWith(`q.${code}.`));
const q = (code: string) => c.questions.find((x) => x.code === code)!;
const opt = (code: string, option: string) => q(code).options.find((o) => o.code === option)!.id;

describe("reading a questionnaire form", () => {
  it("accepts a complete answer and keeps ranking order", () => {
    const result = parseAnswers(c.questions, form(validDemoAnswer));
    expect(result.ok).toBe(true);
    const byCode = new Map(result.answers.map((a) => [c.questions.find((x) => x.id === a.questionId)!.code, a]));
    expect(byCode.get("support")!.number).toBe(4);
    expect(byCode.get("measures")!.optionIds).toEqual([opt("measures", "air"), opt("measures", "noise")]);
    expect(byCode.get("priorities")!.optionIds).toEqual([
      opt("priorities", "alerts"),
      opt("priorities", "hours"),
      opt("priorities", "trees"),
      opt("priorities", "opendata"),
    ]);
    expect(byCode.get("comments")!.text).toBe("Merci de publier les données.\nEt de les garder peu de temps.");
    expect(byCode.get("age")!.preferNot).toBe(true);
    expect(byCode.has("language")).toBe(false);
  });

  it("asks for every required question left empty", () => {
    const result = parseAnswers(c.questions, form([]));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["measures", "retention", "support"]);
    expect(result.errors.support.key).toBe("required");
  });

  it("keeps the Other text and asks for it when Other is ticked alone", () => {
    const withOther = parseAnswers(c.questions, form([...without("retention"), ["q.retention", "__other"], ["q.retention.other", "Une semaine"]]));
    expect(withOther.ok).toBe(true);
    expect(withOther.answers.find((a) => a.questionId === q("retention").id)).toMatchObject({ optionIds: [], text: "Une semaine" });
    const missing = parseAnswers(c.questions, form([...without("retention"), ["q.retention", "__other"]]));
    expect(!missing.ok && missing.errors.retention.key).toBe("otherMissing");
  });

  it("enforces minimum and maximum choices", () => {
    const tooMany = [...without("measures"), ["q.measures", "air"], ["q.measures", "noise"], ["q.measures", "footfall"], ["q.measures", "none"]] as [
      string,
      string,
    ][];
    const result = parseAnswers(c.questions, form(tooMany));
    expect(!result.ok && result.errors.measures).toEqual({ key: "choiceMax", params: { max: 3 } });
  });

  it("refuses options that do not belong to the question, and repeated single answers", () => {
    const foreign = parseAnswers(c.questions, form([...without("retention"), ["q.retention", "rural"]]));
    expect(!foreign.ok && foreign.errors.retention.key).toBe("unknownOption");
    const twice = parseAnswers(c.questions, form([...without("retention"), ["q.retention", "1d"], ["q.retention", "30d"]]));
    expect(!twice.ok && twice.errors.retention.key).toBe("oneChoice");
    const scale = parseAnswers(c.questions, form([...without("support"), ["q.support", "6"]]));
    expect(!scale.ok && scale.errors.support.key).toBe("scaleRange");
  });

  it("refuses a ranking with a repeated rank or with items left out", () => {
    const dup = [
      ...without("priorities"),
      ["q.priorities.rank.hours", "1"],
      ["q.priorities.rank.alerts", "1"],
      ["q.priorities.rank.trees", "2"],
      ["q.priorities.rank.opendata", "3"],
    ] as [string, string][];
    const r1 = parseAnswers(c.questions, form(dup));
    // The two items that share a rank are named (by code here; the page says their labels).
    expect(!r1.ok && r1.errors.priorities).toEqual({ key: "rankDuplicate", params: { rank: 1, first: "hours", second: "alerts" } });
    const partial = [...without("priorities"), ["q.priorities.rank.hours", "1"]] as [string, string][];
    const r2 = parseAnswers(c.questions, form(partial));
    expect(!r2.ok && r2.errors.priorities).toEqual({ key: "rankIncomplete", params: { count: 4 } });
  });

  it("measures text in characters and refuses text over the limit", () => {
    const long = "é".repeat(201);
    const r = parseAnswers(c.questions, form([...without("elsewhere"), ["q.elsewhere", long]]));
    expect(!r.ok && r.errors.elsewhere).toEqual({ key: "tooLong", params: { max: 200, length: 201 } });
    const ok = parseAnswers(c.questions, form([...without("elsewhere"), ["q.elsewhere", "😀".repeat(200)]]));
    expect(ok.ok).toBe(true);
  });

  it("removes control characters that PostgreSQL cannot store", () => {
    expect(cleanText(" a\u0000b\r\nc\u0007 ")).toBe("ab\nc");
    expect(cleanText("x\uD800y\uDC00 é😀")).toBe("x\uFFFDy\uFFFD é😀");
  });

  it("echoes what was typed, capped", () => {
    const values = formValues(
      form([
        ["q.elsewhere", "x".repeat(20_000)],
        ["q.measures", "air"],
        ["q.measures", "noise"],
      ]),
    );
    expect(values["q.elsewhere"][0]).toHaveLength(10_000);
    expect(values["q.measures"]).toEqual(["air", "noise"]);
  });
});
