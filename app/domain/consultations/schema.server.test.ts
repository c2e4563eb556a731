import { describe, expect, it } from "vitest";
import { form } from "../../../tests/helpers/fixtures";
import { parseFormData } from "~/forms/forms.server";
import { errorsOf, valuesOf } from "~/forms/result";
import { codesSchema, consultationSchemas, lifecycleSchema, outcomeSchema, questionsSchema, referencesSchema } from "./schema.server";

const { create, edit } = consultationSchemas("Europe/Paris");
const errors = (schema: Parameters<typeof parseFormData>[1], pairs: [string, string][]) => errorsOf(parseFormData(form(pairs), schema).reply());
const draft = (extra: [string, string][]): [string, string][] => [["slug", "capteurs-place"], ["mode", "open"], ...extra];

describe("the texts-and-settings form", () => {
  it("refuses dates that do not exist, with a message, never rolling them over", () => {
    for (const typed of ["9999-99-99T99:99", "2024-13-01T10:00", "2025-02-29T08:00", "demain"])
      expect(errors(create, draft([["closesAt", typed]])).closesAt, typed).toEqual({ key: "dateFormat" });
    expect(errors(create, draft([["opensAt", "2024-13-01T00:00"]])).opensAt).toEqual({ key: "dateFormat" });
  });

  it("refuses an address Quorum keeps for its open-data files", () => {
    expect(
      errors(create, [
        ["slug", "catalog"],
        ["mode", "open"],
      ]).slug,
    ).toEqual({ key: "slugReserved" });
    expect(
      errors(create, [
        ["slug", "catalogue"],
        ["mode", "open"],
      ]).slug,
    ).toBeUndefined();
  });

  it("refuses years before 1900 or after 9999, saying which years are accepted", () => {
    expect(errors(create, draft([["closesAt", "0099-01-01T00:00"]])).closesAt).toEqual({ key: "yearRange", params: { min: 1900, max: 9999 } });
    expect(errors(create, draft([["closesAt", "10000-01-01T00:00"]])).closesAt).toEqual({ key: "dateFormat" });
  });

  it("reads the dates in the municipality's zone and wants the closing after the opening", () => {
    const submission = parseFormData(
      form(
        draft([
          ["opensAt", "2031-03-01T09:00"],
          ["closesAt", "2031-03-31T18:00"],
        ]),
      ),
      create,
    );
    expect(submission.status === "success" && [submission.value.opensAt?.toISOString(), submission.value.closesAt?.toISOString()]).toEqual([
      "2031-03-01T08:00:00.000Z",
      "2031-03-31T16:00:00.000Z",
    ]);
    expect(
      errors(
        create,
        draft([
          ["opensAt", "2031-03-02T09:00"],
          ["closesAt", "2031-03-01T09:00"],
        ]),
      ).closesAt,
    ).toEqual({ key: "datesOrder" });
  });

  it("names each text's limit from the schema and gives back what was typed", () => {
    const long = "x".repeat(201);
    const result = parseFormData(
      form(
        draft([
          ["fr.title", long],
          ["en.title", "Sensors"],
          ["retentionDays", "0"],
        ]),
      ),
      create,
    ).reply();
    expect(errorsOf(result)["fr.title"]).toEqual({ key: "tooLong", params: { max: 200 } });
    expect(errorsOf(result).retentionDays).toEqual({ key: "retentionDays", params: { min: 1 } });
    expect(valuesOf(result)).toMatchObject({ slug: "capteurs-place", "fr.title": long, "en.title": "Sensors", retentionDays: "0" });
  });

  it("wants the version the page was loaded at on an edit", () => {
    expect(errors(edit, draft([])).version).toEqual({ key: "formExpired" });
    expect(errors(edit, draft([["version", "x"]])).version).toEqual({ key: "formExpired" });
    expect(parseFormData(form(draft([["version", "7"]])), edit).status).toBe("success");
  });
});

describe("French typed by staff", () => {
  it("gets the no-break spaces a keyboard does not type, in French only, and addresses and times stay as typed", () => {
    const parsed = parseFormData(
      form(
        draft([
          ["fr.title", "Des capteurs près de l’école ? Oui !"],
          ["fr.summary", "Horaires : 8:30 ; voir https://example.org/a?b=1 et « le plan »"],
          ["en.title", "Sensors near the school? Yes!"],
        ]),
      ),
      create,
    );
    if (parsed.status !== "success") throw new Error("fixture");
    expect(parsed.value.fr.title).toBe("Des capteurs près de l’école\u202f? Oui\u202f!");
    expect(parsed.value.fr.summary).toBe("Horaires\u00a0: 8:30\u202f; voir https://example.org/a?b=1 et «\u00a0le plan\u00a0»");
    expect(parsed.value.en.title).toBe("Sensors near the school? Yes!");
    const question = parseFormData(
      form([
        ["intent", "add"],
        ["version", "1"],
        ["kind", "single"],
        ["code", "q1"],
        ["fr.prompt", "Où habitez-vous?"],
        ["en.prompt", "Where do you live?"],
        ["options[0].code", "a"],
        ["options[0].fr", "Ailleurs : préciser"],
        ["options[0].en", "Elsewhere: say where"],
      ]),
      questionsSchema,
    );
    if (question.status !== "success" || question.value.intent !== "add") throw new Error("fixture");
    expect(question.value.fr.prompt).toBe("Où habitez-vous\u202f?");
    expect(question.value.options[0].fr).toBe("Ailleurs\u00a0: préciser");
    expect(question.value.en.prompt).toBe("Where do you live?");
  });
});

describe("forms with several actions", () => {
  it("answer an unknown or missing intent by a message, not a failure", () => {
    expect(errors(lifecycleSchema, [["intent", "explode"]]).intent).toEqual({ key: "unknownIntent" });
    expect(errors(lifecycleSchema, []).intent).toEqual({ key: "unknownIntent" });
    expect(
      errors(outcomeSchema, [
        ["intent", "<script>"],
        ["version", "1"],
      ]).intent,
    ).toEqual({ key: "unknownIntent" });
    expect(
      errors(questionsSchema, [
        ["intent", "drop"],
        ["version", "1"],
      ]).intent,
    ).toEqual({ key: "unknownIntent" });
  });

  it("refuse a question id that is not one, such as header injection or a euro sign", () => {
    for (const id of ["a\r\nLocation: https://evil.example", "€", "1 or 1=1", ""])
      expect(
        errors(questionsSchema, [
          ["intent", "up"],
          ["version", "3"],
          ["questionId", id],
        ]).questionId,
        JSON.stringify(id),
      ).toEqual({ key: "notFound" });
    const ok = parseFormData(
      form([
        ["intent", "down"],
        ["version", "3"],
        ["questionId", "8d6f1a52-3f0e-4c59-9a43-2f4f0f6d2c11"],
      ]),
      questionsSchema,
    );
    expect(ok.status === "success" && ok.value).toEqual({ intent: "down", version: 3, questionId: "8d6f1a52-3f0e-4c59-9a43-2f4f0f6d2c11" });
  });
});

describe("the question builder", () => {
  const base: [string, string][] = [
    ["intent", "add"],
    ["version", "1"],
    ["code", "Usage"],
    ["kind", "multiple"],
  ];

  it("reads rows by index, ignores blank ones, and checks them together", () => {
    const submission = parseFormData(
      form([
        ...base,
        ["options[0].code", "a"],
        ["options[0].fr", "A"],
        ["options[1].code", ""],
        ["options[1].fr", ""],
        ["options[2].code", "b"],
        ["required", "on"],
      ]),
      questionsSchema,
    );
    if (submission.status !== "success" || submission.value.intent !== "add") throw new Error("form");
    expect(submission.value.code).toBe("usage");
    expect(submission.value.required).toBe(true);
    expect(submission.value.options.map((o) => o.code)).toEqual(["a", "", "b"]);
    const refused = errors(questionsSchema, [
      ...base,
      ["minChoices", "3"],
      ["maxChoices", "2"],
      ["options[0].code", "a"],
      ["options[1].code", "a"],
      ["options[2].code", "Not a code!"],
      ["options[2].fr", "x"],
    ]);
    expect(refused.maxChoices).toEqual({ key: "minMax" });
    expect(refused["options[1].code"]).toEqual({ key: "optionDuplicate" });
    expect(refused["options[2].code"]).toEqual({ key: "optionCode" });
  });

  it("says what a whole number must be, with the bounds from the schema", () => {
    expect(errors(questionsSchema, [...base, ["minChoices", "0"]]).minChoices).toEqual({ key: "numberMin", params: { min: 1 } });
    expect(errors(questionsSchema, [...base, ["maxChoices", "51"]]).maxChoices).toEqual({ key: "numberMax", params: { max: 50 } });
    expect(errors(questionsSchema, [...base, ["maxLength", "1.5"]]).maxLength).toEqual({ key: "wholeNumber" });
    expect(errors(questionsSchema, [...base, ["maxLength", "lots"]]).maxLength).toEqual({ key: "wholeNumber" });
  });
});

describe("reference shares and codes", () => {
  const id = "8d6f1a52-3f0e-4c59-9a43-2f4f0f6d2c11";
  it("read percentages with a comma or a point, and refuse a total above 100", () => {
    const submission = parseFormData(
      form([
        ["questionId", id],
        [`share.${id}`, "12,5"],
        ["share.other", ""],
      ]),
      referencesSchema,
    );
    expect(submission.status === "success" && submission.value.share).toEqual({ [id]: 12.5, other: null });
    expect(
      errors(referencesSchema, [
        ["questionId", id],
        [`share.${id}`, "101"],
      ])[`share.${id}`],
    ).toEqual({ key: "percentFormat" });
    expect(
      errors(referencesSchema, [
        ["questionId", id],
        ["share.a", "60"],
        ["share.b", "50"],
      ]).form,
    ).toEqual({ key: "percentSum" });
  });

  it("generate between 1 and 5000 codes at once", () => {
    expect(errors(codesSchema, [["count", "0"]]).count).toEqual({ key: "numberMin", params: { min: 1 } });
    expect(errors(codesSchema, [["count", "5001"]]).count).toEqual({ key: "numberMax", params: { max: 5000 } });
    expect(errors(codesSchema, [["count", ""]]).count).toEqual({ key: "required" });
  });
});
