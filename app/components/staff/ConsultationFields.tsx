/** The consultation form: settings, then every text in French and English side by side. */
import type { TFunction } from "i18next";
import { CONSULTATION_FIELDS } from "~/domain/consultations/completeness";
import type { Bilingual as InBoth, ConsultationText } from "~/domain/consultations/types";
import { useT } from "~/i18n/hooks";
import { Bilingual, Field, type Errors } from "./Fields";

const LONG = new Set(["body"]);
const MEDIUM = new Set(["summary", "dataCollected", "dataPurpose", "dataRetention", "dataAccess", "dataLocation"]);

export function ConsultationFields({
  values,
  errors,
  timeZone,
  slugLocked,
  modeLocked,
}: {
  values: Record<string, string>;
  errors?: Errors;
  timeZone: string;
  slugLocked?: boolean;
  modeLocked?: boolean;
}) {
  const t = useT();
  return (
    <>
      <fieldset>
        <legend>{t("staff.editor.settings")}</legend>
        {slugLocked ? (
          <>
            <input type="hidden" name="slug" value={values.slug} />
            <p>
              {t("staff.editor.slugFixed")} <code>{values.slug}</code> <span className="help">{t("staff.editor.slugLocked")}</span>
            </p>
          </>
        ) : (
          <Field name="slug" label={t("staff.editor.slug")} help={t("staff.editor.slugHelp")} value={values.slug} errors={errors} required />
        )}
        <div className="field">
          <label htmlFor="f-mode">{t("staff.editor.mode")}</label>
          {modeLocked ? <input type="hidden" name="mode" value={values.mode} /> : null}
          <select id="f-mode" name={modeLocked ? undefined : "mode"} defaultValue={values.mode ?? "open"} disabled={modeLocked}>
            <option value="open">{t("staff.mode.open")}</option>
            <option value="code">{t("staff.mode.code")}</option>
          </select>
        </div>
        <div className="side-by-side">
          <Field
            name="opensAt"
            type="datetime-local"
            label={t("staff.editor.opensAt")}
            help={t("staff.editor.timeZone", { zone: timeZone })}
            value={values.opensAt}
            errors={errors}
          />
          <Field
            name="closesAt"
            type="datetime-local"
            label={t("staff.editor.closesAt")}
            help={t("staff.editor.timeZone", { zone: timeZone })}
            value={values.closesAt}
            errors={errors}
          />
        </div>
        <Field
          name="retentionDays"
          type="number"
          label={t("staff.editor.retentionDays")}
          help={t("staff.editor.retentionHelp")}
          value={values.retentionDays}
          errors={errors}
        />
      </fieldset>
      {CONSULTATION_FIELDS.map((f) => (
        <Bilingual
          key={f}
          name={f}
          label={t(`staff.fields.${f}`)}
          values={values}
          errors={errors}
          multiline={LONG.has(f) || MEDIUM.has(f)}
          rows={LONG.has(f) ? 10 : 3}
        />
      ))}
    </>
  );
}

/** Every field of the form, in its order (for comparing what was typed with what is saved). */
export const CONSULTATION_FORM_FIELDS = ["slug", "mode", "opensAt", "closesAt", "retentionDays", ...CONSULTATION_FIELDS.flatMap((f) => [`fr.${f}`, `en.${f}`])];

/** A field's name as the page shows it: "Title (English)". */
export function consultationFieldLabel(t: TFunction, name: string): string {
  const [lang, field] = name.split(".");
  if (field) return t("staff.missing.field", { field: t(`staff.fields.${field}`), lang: t(`staff.in.${lang}`) });
  return t(`staff.editor.${name}`);
}

/** A saved value as the page shows it (the participation mode in words). */
export function consultationFieldValue(t: TFunction, name: string, value: string): string {
  return name === "mode" ? t(`staff.mode.${value}`) : value;
}

/** Form values for an existing consultation. */
export function consultationValues(
  c: { slug: string; mode: string; opensAt: Date | null; closesAt: Date | null; retentionDays?: number | null; texts: InBoth<ConsultationText> },
  toInput: (d: Date | null) => string,
): Record<string, string> {
  const values: Record<string, string> = {
    slug: c.slug,
    mode: c.mode,
    opensAt: toInput(c.opensAt),
    closesAt: toInput(c.closesAt),
    retentionDays: c.retentionDays ? String(c.retentionDays) : "",
  };
  for (const lang of ["fr", "en"] as const) for (const f of CONSULTATION_FIELDS) values[`${lang}.${f}`] = c.texts[lang][f] ?? "";
  return values;
}
