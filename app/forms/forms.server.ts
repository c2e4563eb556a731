/**
 * The one way a staff action reads its form: the body (415/400 for what is not a
 * form, NUL removed), then conform's `parseWithZod` with the form's zod schema.
 * Messages are keys: a schema says `z.string().max(200, "tooLong")` and the
 * page shows "At most 200 characters" in the staff member's language, with the
 * limit taken from the issue itself. A refinement that needs parameters passes
 * them as `params` (`refine(f, { message: "intRange", params: { min: 1, max: 50 } })`).
 */
import { parseWithZod } from "@conform-to/zod/v4";
import type { $ZodIssue, $ZodType } from "zod/v4/core";
import { readForm } from "~/http.server";
import type { FieldError } from "./result";

const KEY = /^[a-z][a-zA-Z]*$/;

/** One zod issue as a message key and its parameters. */
export function fieldError(issue: $ZodIssue): FieldError {
  const { key, params } = keyOf(issue);
  return Object.keys(params ?? {}).length > 0 ? { key, params } : { key };
}

function keyOf(issue: $ZodIssue): FieldError {
  const params: Record<string, string | number> = {};
  if ("params" in issue && issue.params) {
    for (const [k, v] of Object.entries(issue.params)) if (typeof v === "string" || typeof v === "number") params[k] = v;
  }
  if (issue.code === "too_big" && typeof issue.maximum === "number") params.max ??= issue.maximum;
  if (issue.code === "too_small" && typeof issue.minimum === "number") params.min ??= issue.minimum;
  if (KEY.test(issue.message)) return { key: issue.message, params };
  // zod's own sentences: a missing value, a value too long, anything else.
  if (issue.code === "invalid_type" && issue.input === undefined) return { key: "required" };
  if (issue.code === "too_small" && issue.origin === "string" && issue.minimum === 1) return { key: "required" };
  if (issue.code === "too_big" && issue.origin === "string") return { key: "tooLong", params };
  return { key: "invalid", params };
}

export function formatError(issues: $ZodIssue[]): FieldError[] {
  return issues.map(fieldError);
}

/** Reads the request's form and validates it with `schema`; `submission.status === "success"` holds the value. */
export async function parseForm<Schema extends $ZodType>(request: Request, schema: Schema) {
  const form = await readForm(request);
  return parseWithZod(form, { schema, formatError });
}

/** The same, for a form already read (a route that looks at its intent first). */
export function parseFormData<Schema extends $ZodType>(form: FormData, schema: Schema) {
  return parseWithZod(form, { schema, formatError });
}
