/**
 * The one way a staff action reads its form: the body (415/400 for what is not a
 * form, NUL removed), then conform's `parseWithZod` with the form's zod schema.
 * Messages are keys: a schema says `z.string().max(200, "tooLong")` and the
 * page shows "At most 200 characters" in the staff member's language, with the
 * limit taken from the issue itself. A refinement that needs parameters passes
 * them as `params` (`{ code: "custom", message: "yearRange", params: { min: 1900, max: 9999 } }`).
 */
import { parseWithZod } from "@conform-to/zod/v4";
import type { $ZodIssue, $ZodType } from "zod/v4/core";
import { readForm, withoutNul } from "~/web/http.server";
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
  // zod's own sentences: a missing value (named by `missing` below), a value too long, anything else.
  if (issue.code === "too_small" && issue.origin === "string" && issue.minimum === 1) return { key: "required" };
  if (issue.code === "too_big" && issue.origin === "string") return { key: "tooLong", params };
  return { key: "invalid", params };
}

export function formatError(issues: $ZodIssue[]): FieldError[] {
  return issues.map(fieldError);
}

/**
 * zod's issues carry no input, so "missing" is told here, where the input is known:
 * a value absent (or emptied by conform) is "required"; a schema's own message wins.
 */
const missing = (issue: { code: string; input?: unknown }) => (issue.code === "invalid_type" && issue.input === undefined ? "required" : undefined);

/** Our forms never use conform's client intents; list indices beyond this are never ours. */
const RESERVED = new Set(["__intent__", "__state__"]);
const MAX_INDEX = 999;

/**
 * The fields a staff form may carry: conform's reserved names (which it would read as
 * JSON) and list indices no form of ours uses (which would build huge sparse arrays)
 * are dropped, so no body makes the parser throw or work for nothing; NUL, which
 * PostgreSQL refuses in text, leaves names and becomes U+FFFD in values, as `readForm` does.
 */
function sane(form: FormData | URLSearchParams): FormData {
  const out = new FormData();
  for (const [rawName, value] of form) {
    const name = rawName.replace(/\u0000/g, "");
    if (RESERVED.has(name)) continue;
    if ([...name.matchAll(/\[(\d+)\]/g)].some((m) => m[1].length > 3 || Number(m[1]) > MAX_INDEX)) continue;
    out.append(name, typeof value === "string" ? withoutNul(value) : value);
  }
  return out;
}

/** Reads the request's form and validates it with `schema`; `submission.status === "success"` holds the value. */
export async function parseForm<Schema extends $ZodType>(request: Request, schema: Schema) {
  return parseFormData(await readForm(request), schema);
}

/** The same, for a form already read, or a query string (`url.searchParams`) of filters. */
export function parseFormData<Schema extends $ZodType>(form: FormData | URLSearchParams, schema: Schema) {
  return parseWithZod(sane(form), { schema, formatError, error: missing });
}
