/**
 * What a refused staff form says above its fields: the form's own problem, or "see the
 * messages below" — and, when someone else saved the consultation since the page was
 * loaded, what is saved now for every field where it differs from what was typed.
 */
import type { Errors } from "~/forms/result";
import { useFormat, useT } from "~/i18n/hooks";
import { FormError, idOf } from "./Fields";
import { fragments } from "~/components/fragments";

/** Errors about the whole form, said by the summary's own message rather than listed. */
const FORM_LEVEL = new Set(["form", "version", "intent", "questionId"]);

/** The key of the message at the top of a refused form, or null when nothing was refused. */
export function summaryKey(errors: Errors): string | null {
  if (errors.form) return errors.form.key;
  if (errors.version) return "formExpired";
  if (errors.intent) return errors.intent.key;
  return Object.keys(errors).length ? "fixFields" : null;
}

/** Whether the form was refused because the consultation changed since the page was loaded. */
export const isStale = (errors: Errors) => errors.form?.key === "stale";

/**
 * The version a form is sent back with: the one it was loaded at — unless it was refused
 * as stale, when the official has now seen what is saved and saving again is deliberate.
 */
export function versionToSend(errors: Errors, typed: Record<string, string> | undefined, current: number): string {
  return isStale(errors) ? String(current) : (typed?.version ?? String(current));
}

/** Who made the version now saved, and when (an ISO date), as the page's loader read it. */
export type LastSaved = { at: string; by: string | null };

/** "Saved by … on …" (in the municipality's time zone): who overtook the refused form. */
function SavedBy({ lastSaved }: { lastSaved: LastSaved }) {
  const t = useT();
  const format = useFormat();
  const date = format.dateTime(lastSaved.at);
  return <p className="saved-by">{lastSaved.by ? t("staff.conflict.savedBy", { by: lastSaved.by, date }) : t("staff.conflict.savedAuto", { date })}</p>;
}

const same = (a: string | undefined, b: string | undefined) => (a ?? "").replace(/\r\n?/g, "\n").trim() === (b ?? "").replace(/\r\n?/g, "\n").trim();

export function FormSummary({
  errors,
  typed,
  saved,
  fields,
  label,
  display = (_name, value) => value,
  prefix,
  list,
  lastSaved,
}: {
  errors: Errors;
  /** What was typed (`valuesOf(result)`), and what is saved now, by field name. */
  typed?: Record<string, string>;
  saved?: Record<string, string>;
  /** The fields to compare, in the order of the form. */
  fields?: string[];
  label?: (name: string) => string;
  display?: (name: string, value: string) => string;
  /** The id prefix of the form's fields, for links to them. */
  prefix?: string;
  /** List every field's problem, named by `label`, as links to the fields. */
  list?: boolean;
  /** Who saved the consultation last, and when: said when the form was refused as stale. */
  lastSaved?: LastSaved;
}) {
  const t = useT();
  const order = (name: string) => (fields?.includes(name) ? fields.indexOf(name) : Number.MAX_SAFE_INTEGER);
  if (isStale(errors) && lastSaved && (!saved || !fields || !label)) {
    return (
      <div className="error-summary" role="alert" tabIndex={-1} id={fragments.errors}>
        <p>{t("staffErrors.stale")}</p>
        <SavedBy lastSaved={lastSaved} />
      </div>
    );
  }
  if (!isStale(errors) || !saved || !fields || !label) {
    const items =
      list && label
        ? Object.entries(errors)
            .filter(([name]) => !FORM_LEVEL.has(name))
            // In the order of the form when it is given (fields it does not list come last).
            .sort(([a], [b]) => order(a) - order(b))
            .map(([name, error]) => ({
              href: `#${prefix ? `${prefix}-` : ""}${idOf(name)}`,
              text: t("staff.errorLine", { field: label(name), message: t(`staffErrors.${error.key}`, error.params ?? {}) }),
            }))
        : undefined;
    return <FormError error={summaryKey(errors)} params={errors.form ? errors.form.params : undefined} items={items} />;
  }
  const differing = fields.filter((name) => !same(typed?.[name], saved[name]));
  return (
    <div className="error-summary" role="alert" tabIndex={-1} id={fragments.errors}>
      <p>{t("staffErrors.stale")}</p>
      {lastSaved ? <SavedBy lastSaved={lastSaved} /> : null}
      {differing.length ? (
        <>
          <p>{t("staff.conflict.intro")}</p>
          <dl className="saved-now">
            {differing.map((name) => (
              <div key={name}>
                <dt>
                  <a href={`#${prefix ? `${prefix}-` : ""}${idOf(name)}`}>{label(name)}</a>
                </dt>
                <dd>{saved[name] ? display(name, saved[name]) : <em>{t("staff.conflict.empty")}</em>}</dd>
              </div>
            ))}
          </dl>
          <p>{t("staff.conflict.decide")}</p>
        </>
      ) : (
        <p>{t("staff.conflict.same")}</p>
      )}
    </div>
  );
}
