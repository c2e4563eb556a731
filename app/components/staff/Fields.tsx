/** Form pieces for staff pages: labelled fields, French and English side by side, messages in the staff member's language. */
import type { ReactNode } from "react";
import type { Errors, FieldError } from "~/forms/result";
import { useFormat, useT } from "~/i18n/hooks";
import { fragments } from "~/components/fragments";

export type { Errors };

/** A message's parameters as a person reads them: a day (`day`, YYYY-MM-DD) in the page's language. */
function readable(params: FieldError["params"], date: (d: string) => string) {
  if (!params) return {};
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, k === "day" && typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? date(`${v}T12:00:00Z`) : v]),
  );
}

function Message({ id, error }: { id: string; error?: FieldError }) {
  const t = useT();
  const f = useFormat();
  if (!error) return null;
  return (
    <p className="error" id={`${id}-error`}>
      {t(`staffErrors.${error.key}`, readable(error.params, f.date))}
    </p>
  );
}

export const idOf = (name: string) => `f-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;

export function Field({
  name,
  label,
  value,
  errors,
  type = "text",
  multiline = false,
  help,
  rows = 3,
  lang,
  required,
  prefix,
  autoComplete,
}: {
  prefix?: string;
  /** The field's purpose for the browser (WCAG 1.3.5): "username", "current-password", "new-password"… */
  autoComplete?: string;
  name: string;
  label: ReactNode;
  value?: string;
  errors?: Errors;
  type?: string;
  multiline?: boolean;
  help?: string;
  rows?: number;
  lang?: string;
  required?: boolean;
}) {
  const id = `${prefix ? `${prefix}-` : ""}${idOf(name)}`;
  const error = errors?.[name];
  const described = [help ? `${id}-help` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  const common = {
    id,
    name,
    defaultValue: value ?? "",
    "aria-describedby": described,
    "aria-invalid": error ? true : undefined,
    "aria-required": required || undefined,
    autoComplete,
    lang,
  };
  return (
    <div className={`field${error ? " has-error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {help ? (
        <p className="help" id={`${id}-help`}>
          {help}
        </p>
      ) : null}
      <Message id={id} error={error} />
      {multiline ? <textarea rows={rows} {...common} /> : <input type={type} {...common} />}
    </div>
  );
}

/** One text in both languages, side by side: `fr.<name>` and `en.<name>`. */
export function Bilingual({
  name,
  label,
  values,
  errors,
  multiline,
  rows,
  prefix,
}: {
  prefix?: string;
  name: string;
  label: string;
  values: Record<string, string>;
  errors?: Errors;
  multiline?: boolean;
  rows?: number;
}) {
  const t = useT();
  return (
    <fieldset className="bilingual">
      <legend>{label}</legend>
      <div className="side-by-side">
        {(["fr", "en"] as const).map((l) => (
          <Field
            key={l}
            name={`${l}.${name}`}
            label={t(`staff.in.${l}`)}
            value={values[`${l}.${name}`]}
            errors={errors}
            multiline={multiline}
            rows={rows}
            lang={l}
            prefix={prefix}
          />
        ))}
      </div>
    </fieldset>
  );
}

/**
 * The message at the top of a refused form (the page's one `#errors`, see ~/components/fragments);
 * with `items`, every field's problem as a link to the field. Staff pages do not hydrate
 * (docs/decisions/042-staff-pages-do-not-hydrate.md).
 */
export function FormError({
  error,
  params,
  items,
}: {
  error?: string | null;
  params?: Record<string, string | number>;
  items?: { href: string; text: string }[];
}) {
  const t = useT();
  if (!error) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} id={fragments.errors}>
      <p>{t(`staffErrors.${error}`, params ?? {})}</p>
      {items?.length ? (
        <ul>
          {items.map((item) => (
            <li key={item.href + item.text}>
              <a href={item.href}>{item.text}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function Done({ done }: { done?: string | null }) {
  const t = useT();
  if (!done) return null;
  return (
    <p className="notice" role="status" id={fragments.done}>
      {t(`staff.done.${done}`)}
    </p>
  );
}
