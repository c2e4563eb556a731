import { describe, expect, it } from "vitest";
import { z } from "zod";
import { passwordChangeSchema } from "~/domain/staff/schemas.server";
import { parseFormData } from "./forms.server";
import { errorsOf, valuesOf } from "./result";

const form = (pairs: [string, string][]) => {
  const f = new FormData();
  for (const [k, v] of pairs) f.append(k, v);
  return f;
};

describe("the staff form layer", () => {
  it("names each field's problem by a key, with the limit taken from the schema", () => {
    const submission = parseFormData(
      form([
        ["current", ""],
        ["next", "short"],
        ["confirm", "other"],
      ]),
      passwordChangeSchema,
    );
    expect(submission.status).toBe("error");
    const errors = errorsOf(submission.reply());
    expect(errors.current).toEqual({ key: "required" });
    expect(errors.next).toEqual({ key: "passwordShort", params: { min: 12 } });
  });

  it("reports a refinement on the field it names", () => {
    const submission = parseFormData(
      form([
        ["current", "x"],
        ["next", "a long new password"],
        ["confirm", "another one entirely"],
      ]),
      passwordChangeSchema,
    );
    expect(errorsOf(submission.reply()).confirm).toEqual({ key: "passwordsDiffer" });
  });

  it("gives back what was typed under the same flat names", () => {
    const schema = z.object({ fr: z.object({ title: z.string().max(3, "tooLong") }), en: z.object({ title: z.string() }) });
    const submission = parseFormData(
      form([
        ["fr.title", "Capteurs"],
        ["en.title", "Sensors"],
      ]),
      schema,
    );
    const result = submission.reply();
    expect(valuesOf(result)).toEqual({ "fr.title": "Capteurs", "en.title": "Sensors" });
    expect(errorsOf(result)["fr.title"]).toEqual({ key: "tooLong", params: { max: 3 } });
  });

  it("answers the parsed value when the form is right", () => {
    const submission = parseFormData(
      form([
        ["current", "x"],
        ["next", "a long new password"],
        ["confirm", "a long new password"],
      ]),
      passwordChangeSchema,
    );
    expect(submission.status).toBe("success");
    if (submission.status === "success") expect(submission.value.next).toBe("a long new password");
  });

  it("tells a missing value from a wrong one", () => {
    const schema = z.object({ n: z.number().int().min(1).max(5), flag: z.boolean().default(false), name: z.string() });
    const errors = errorsOf(
      parseFormData(
        form([
          ["n", "seven"],
          ["flag", "yes"],
        ]),
        schema,
      ).reply(),
    );
    expect(errors.n).toEqual({ key: "invalid" });
    expect(errors.flag).toEqual({ key: "invalid" });
    expect(errors.name).toEqual({ key: "required" });
    expect(
      errorsOf(
        parseFormData(
          form([
            ["n", "9"],
            ["name", "x"],
          ]),
          schema,
        ).reply(),
      ).n,
    ).toEqual({ key: "invalid", params: { max: 5 } });
  });

  it("answers an unknown intent of a discriminated union by the union's own key", () => {
    const schema = z.discriminatedUnion(
      "intent",
      [z.object({ intent: z.literal("a") }), z.object({ intent: z.literal("b"), id: z.uuid({ error: "notFound" }) })],
      {
        error: "unknownIntent",
      },
    );
    expect(errorsOf(parseFormData(form([["intent", "drop table"]]), schema).reply()).intent).toEqual({ key: "unknownIntent" });
    expect(
      errorsOf(
        parseFormData(
          form([
            ["intent", "b"],
            ["id", "a\r\nLocation: x"],
          ]),
          schema,
        ).reply(),
      ).id,
    ).toEqual({ key: "notFound" });
  });

  it("never throws on conform's reserved names or on list indices no form uses", () => {
    const schema = z.object({
      options: z
        .array(z.object({ code: z.string() }))
        .max(50, "tooMany")
        .default([]),
    });
    const hostile = form([
      ["__intent__", "not json"],
      ["__state__", "{"],
      ["options[99999999].code", "x"],
      ["options[0].code", "a"],
      ["options[1000].code", "b"],
    ]);
    const started = Date.now();
    const submission = parseFormData(hostile, schema);
    expect(submission.status).toBe("success");
    if (submission.status === "success") expect(submission.value.options).toEqual([{ code: "a" }]);
    expect(Date.now() - started).toBeLessThan(200);
  });

  it("reads a query string the same way", () => {
    const schema = z.object({ page: z.number().int().min(1).default(1) });
    const submission = parseFormData(new URLSearchParams("page=3"), schema);
    expect(submission.status === "success" && submission.value.page).toBe(3);
    const withNul = parseFormData(new URLSearchParams("q=a%00b"), z.object({ q: z.string() }));
    // A NUL is not dropped (which would merge what was around it) but shown as U+FFFD, which PostgreSQL stores.
    expect(withNul.status === "success" && withNul.value.q).toBe("a\uFFFDb");
  });
});
