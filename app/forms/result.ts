/**
 * What a staff form's action answers when the form is refused, as the page reads it:
 * conform's `SubmissionResult` with our own error shape (an i18n key under
 * `staffErrors.` and its parameters, never a sentence or a string protocol).
 * Shared by the server (forms.server.ts) and the components, so it holds no server code.
 */
import type { SubmissionResult } from "@conform-to/react";

export interface FieldError {
  /** i18n key under `staffErrors.` */
  key: string;
  params?: Record<string, string | number>;
}

/** The first message of each field, by field name (`fr.title`, `options`, ``: the whole form). */
export type Errors = Record<string, FieldError>;

export type FormResult = SubmissionResult<FieldError[]>;

/**
 * How a staff page answers one refusal of a domain command: the status, and the message
 * (a key under `staffErrors.`) above the form or at one field. Each route maps every refusal
 * of the commands it calls in a table typed `satisfies Record<SomeRefusal, RefusalAnswer>`,
 * so a new refusal fails the type check until the page says something for it.
 */
export interface RefusalAnswer {
  status: number;
  key: string;
  /** The field the message is shown at; above the form when absent. */
  field?: string;
  params?: Record<string, string | number>;
}

/** The refusal's message as conform's reply options: `submission.reply(refusalReply(answer))`. */
export function refusalReply({ key, field, params }: RefusalAnswer): { formErrors?: FieldError[]; fieldErrors?: Record<string, FieldError[]> } {
  const error: FieldError = params ? { key, params } : { key };
  return field ? { fieldErrors: { [field]: [error] } } : { formErrors: [error] };
}

/** Errors of a refused submission, one per field; the form-level error is under "form". */
export function errorsOf(result: FormResult | null | undefined): Errors {
  const out: Errors = {};
  for (const [name, list] of Object.entries(result?.error ?? {})) {
    if (list && list.length > 0) out[name === "" ? "form" : name] = list[0];
  }
  return out;
}

/**
 * What the person typed, as flat field names (`fr.title`, `options[0].code`) to the
 * string typed there, so every field of the page can be filled back as it was.
 */
export function valuesOf(result: FormResult | null | undefined): Record<string, string> | undefined {
  if (!result?.initialValue) return undefined;
  const out: Record<string, string> = {};
  const walk = (value: unknown, name: string) => {
    if (typeof value === "string") out[name] = value;
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${name}[${i}]`));
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, name ? `${name}.${k}` : k);
  };
  walk(result.initialValue, "");
  return out;
}

/** Every value typed under one field name (a multiple-choice field, repeated rows). */
export function listOf(result: FormResult | null | undefined, name: string): string[] | undefined {
  const value = result?.initialValue?.[name];
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
}
