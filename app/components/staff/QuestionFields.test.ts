import { describe, expect, it } from "vitest";
import { flatQuestion, questionFormFields, typedQuestion } from "./QuestionFields";

describe("a refused question form, given back", () => {
  it("keeps each answer row in its place, so a row's message stays beside it", () => {
    const q = typedQuestion({
      code: "uses",
      "options[0].code": "a",
      "options[0].id": "x1",
      "options[0].remove": "on",
      "options[2].code": "Bad code!",
      "options[2].fr": "B",
    });
    expect(q.values).toEqual({ code: "uses" });
    expect(q.options).toEqual([
      { id: "x1", code: "a", fr: "", en: "", remove: true },
      { id: "", code: "", fr: "", en: "" },
      { id: "", code: "Bad code!", fr: "B", en: "" },
    ]);
  });

  it("compares typed and saved rows field by field, as many rows as either has", () => {
    const saved = { values: { code: "uses" }, options: [{ id: "x1", code: "a", fr: "A", en: "A" }] };
    const typed = typedQuestion({ code: "uses", "options[0].code": "a", "options[1].code": "b" });
    expect(questionFormFields(saved, typed).filter((f) => f.startsWith("options"))).toEqual([
      "options[0].code",
      "options[0].fr",
      "options[0].en",
      "options[1].code",
      "options[1].fr",
      "options[1].en",
    ]);
    expect(flatQuestion(saved)).toEqual({ code: "uses", "options[0].code": "a", "options[0].fr": "A", "options[0].en": "A" });
  });
});
