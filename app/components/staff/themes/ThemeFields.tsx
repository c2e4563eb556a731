/** A theme's names, descriptions and keywords, in both languages: to create one or to change it. */
import { Field } from "~/components/staff/Fields";
import type { Errors } from "~/forms/result";
import { useT } from "~/i18n/hooks";

export function ThemeFields({ prefix, values, errors }: { prefix: string; values: Record<string, string>; errors: Errors }) {
  const t = useT();
  return (
    <div className="side-by-side">
      {(["fr", "en"] as const).map((l) => (
        <fieldset key={l} lang={l === "fr" ? "fr" : "en"}>
          <legend>{t(`staff.in.${l}`)}</legend>
          <Field prefix={prefix} name={`${l}.label`} label={t("staff.themes.label")} value={values[`${l}.label`]} errors={errors} required />
          <Field prefix={prefix} name={`${l}.description`} label={t("staff.themes.description")} value={values[`${l}.description`]} errors={errors} />
          <Field
            prefix={prefix}
            name={`${l}.keywords`}
            label={t("staff.themes.keywords")}
            help={t("staff.themes.keywordsHelp")}
            value={values[`${l}.keywords`]}
            errors={errors}
            multiline
            rows={2}
          />
        </fieldset>
      ))}
    </div>
  );
}
