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
    const submission = parseFormData(form([["current", ""], ["next", "short"], ["confirm", "other"]]), passwordChangeSchema);
    expect(submission.status).toBe("error");
    const errors = errorsOf(submission.reply());
    expect(errors.current).toEqual({ key: "required" });
    expect(errors.next).toEqual({ key: "passwordShort", params: { min: 12 } });
  });

  it("reports a refinement on the field it names", () => {
    const submission = parseFormData(form([["current", "x"], ["next", "a long new password"], ["confirm", "another one entirely"]]), passwordChangeSchema);
    expect(errorsOf(submission.reply()).confirm).toEqual({ key: "passwordsDiffer" });
  });

  it("gives back what was typed under the same flat names", () => {
    const schema = z.object({ fr: z.object({ title: z.string().max(3, "tooLong") }), en: z.object({ title: z.string() }) });
    const submission = parseFormData(form([["fr.title", "Capteurs"], ["en.title", "Sensors"]]), schema);
    const result = submission.reply();
    expect(valuesOf(result)).toEqual({ "fr.title": "Capteurs", "en.title": "Sensors" });
    expect(errorsOf(result)["fr.title"]).toEqual({ key: "tooLong", params: { max: 3 } });
  });

  it("answers the parsed value when the form is right", () => {
    const submission = parseFormData(form([["current", "x"], ["next", "a long new password"], ["confirm", "a long new password"]]), passwordChangeSchema);
    expect(submission.status).toBe("success");
    if (submission.status === "success") expect(submission.value.next).toBe("a long new password");
  });
});
