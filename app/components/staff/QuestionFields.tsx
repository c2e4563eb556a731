/** One question of the builder: kind, flags, texts side by side, options as rows (code, French, English). */
import type { TFunction } from "i18next";
import { QUESTION_KINDS } from "~/domain/consultations/lists";
import type { QuestionView } from "~/domain/consultations/types";
import { useT } from "~/i18n/hooks";
import { Bilingual, Field, idOf, type Errors } from "./Fields";

interface OptionRow {
  id: string;
  code: string;
  fr: string;
  en: string;
  remove?: boolean;
}

export interface QuestionValues {
  values: Record<string, string>;
  options: OptionRow[];
}

const TEXTS = ["prompt", "help", "scaleLow", "scaleHigh"] as const;
const OPTION = /^options\[(\d+)\]\.(id|code|fr|en|remove)$/;

/** A saved question as the builder's fields. */
export function questionValues(q: QuestionView): QuestionValues {
  const values: Record<string, string> = {
    code: q.code,
    kind: q.kind,
    demographic: q.demographic ?? "",
    required: q.required ? "on" : "",
    allowOther: q.allowOther ? "on" : "",
    allowPreferNot: q.allowPreferNot ? "on" : "",
    minChoices: q.minChoices?.toString() ?? "",
    maxChoices: q.maxChoices?.toString() ?? "",
    maxLength: q.maxLength?.toString() ?? "",
  };
  for (const l of ["fr", "en"] as const) for (const f of TEXTS) values[`${l}.${f}`] = q.texts[l][f] ?? "";
  return { values, options: q.options.map((o) => ({ id: o.id, code: o.code, fr: o.labels.fr, en: o.labels.en })) };
}

/** What was typed in a question form (`valuesOf(result)`), rows included, as the builder's fields. */
export function typedQuestion(typed: Record<string, string>): QuestionValues {
  const values: Record<string, string> = {};
  const rows: OptionRow[] = [];
  for (const [name, value] of Object.entries(typed)) {
    const row = OPTION.exec(name);
    if (!row) {
      values[name] = value;
      continue;
    }
    const i = Number(row[1]);
    rows[i] ??= { id: "", code: "", fr: "", en: "" };
    if (row[2] === "remove") rows[i].remove = value === "on";
    else rows[i][row[2] as "id" | "code" | "fr" | "en"] = value;
  }
  // Rows keep their place (messages name rows by index); blank rows at the end are the builder's own.
  const filled = Array.from(rows, (o) => o ?? { id: "", code: "", fr: "", en: "" });
  while (filled.length && !filled.at(-1)!.id && !filled.at(-1)!.code && !filled.at(-1)!.fr && !filled.at(-1)!.en) filled.pop();
  return { values, options: filled };
}

/** A question's fields flat, by form name (`fr.prompt`, `options[1].code`), to compare typed with saved. */
export function flatQuestion(q: QuestionValues): Record<string, string> {
  const flat = { ...q.values };
  q.options.forEach((o, i) => {
    for (const f of ["code", "fr", "en"] as const) flat[`options[${i}].${f}`] = o[f];
  });
  return flat;
}

/** The fields of a question form worth comparing, in the order of the form. */
export function questionFormFields(...versions: QuestionValues[]): string[] {
  const rows = Math.max(0, ...versions.map((v) => v.options.length));
  return [
    "code",
    "kind",
    "demographic",
    "required",
    "allowOther",
    "allowPreferNot",
    "minChoices",
    "maxChoices",
    "maxLength",
    ...TEXTS.flatMap((f) => [`fr.${f}`, `en.${f}`]),
    ...Array.from({ length: rows }, (_, i) => [`options[${i}].code`, `options[${i}].fr`, `options[${i}].en`]).flat(),
  ];
}

/** A question field's name as the page shows it. */
export function questionFieldLabel(t: TFunction, name: string): string {
  const row = OPTION.exec(name);
  if (row) {
    const n = Number(row[1]) + 1;
    return row[2] === "code" ? t("staff.questions.optionCode", { n }) : t("staff.questions.optionLabel", { n, lang: t(`staff.in.${row[2]}`) });
  }
  const [lang, field] = name.split(".");
  if (field) return t("staff.missing.field", { field: t(`staff.questions.${field}`), lang: t(`staff.in.${lang}`) });
  return t(`staff.questions.${name}`);
}

/** A saved question value as the page shows it: kinds, demographics and ticks in words. */
export function questionFieldValue(t: TFunction, name: string, value: string): string {
  if (name === "kind") return t(`staff.kinds.${value}`);
  if (name === "demographic") return t(`staff.demographics.${value}`);
  if (name === "required" || name === "allowOther" || name === "allowPreferNot")
    return value === "on" ? t("staff.conflict.ticked") : t("staff.conflict.notTicked");
  return value;
}

const checkbox = (name: string, label: string, checked: boolean, id: string) => (
  <div className="choice">
    <input type="checkbox" id={id} name={name} defaultChecked={checked} />
    <label htmlFor={id}>{label}</label>
  </div>
);

export function QuestionFields({
  prefix,
  q,
  errors,
  kindLocked,
  blankRows = 2,
}: {
  prefix: string;
  q: QuestionValues;
  errors?: Errors;
  kindLocked?: boolean;
  blankRows?: number;
}) {
  const t = useT();
  const v = q.values;
  const rows: OptionRow[] = [...q.options, ...Array.from({ length: blankRows }, () => ({ id: "", code: "", fr: "", en: "" }))];
  const rowError = (i: number) => (["code", "fr", "en", "id", "remove"] as const).map((f) => errors?.[`options[${i}].${f}`]).find(Boolean);
  return (
    <>
      <div className="side-by-side">
        <Field prefix={prefix} name="code" label={t("staff.questions.code")} help={t("staff.questions.codeHelp")} value={v.code} errors={errors} />
        <div className="field">
          <label htmlFor={`${prefix}-kind`}>{t("staff.questions.kind")}</label>
          {kindLocked ? <input type="hidden" name="kind" value={v.kind} /> : null}
          <select id={`${prefix}-kind`} name={kindLocked ? undefined : "kind"} defaultValue={v.kind ?? "single"} disabled={kindLocked}>
            {QUESTION_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`staff.kinds.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-demographic`}>{t("staff.questions.demographic")}</label>
          <p className="help" id={`${prefix}-demographic-help`}>
            {t("staff.questions.demographicHelp")}
          </p>
          <select id={`${prefix}-demographic`} name="demographic" defaultValue={v.demographic ?? ""} aria-describedby={`${prefix}-demographic-help`}>
            <option value="">{t("staff.questions.notDemographic")}</option>
            {(["area", "age", "language"] as const).map((d) => (
              <option key={d} value={d}>
                {t(`staff.demographics.${d}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="flags">
        {checkbox("required", t("staff.questions.required"), v.required === "on", `${prefix}-required`)}
        {checkbox("allowOther", t("staff.questions.allowOther"), v.allowOther === "on", `${prefix}-other`)}
        {checkbox("allowPreferNot", t("staff.questions.allowPreferNot"), v.allowPreferNot === "on", `${prefix}-prefer`)}
      </div>
      <div className="side-by-side">
        <Field prefix={prefix} name="minChoices" type="number" label={t("staff.questions.minChoices")} value={v.minChoices} errors={errors} />
        <Field prefix={prefix} name="maxChoices" type="number" label={t("staff.questions.maxChoices")} value={v.maxChoices} errors={errors} />
        <Field prefix={prefix} name="maxLength" type="number" label={t("staff.questions.maxLength")} value={v.maxLength} errors={errors} />
      </div>
      <Bilingual prefix={prefix} name="prompt" label={t("staff.questions.prompt")} values={v} errors={errors} multiline rows={2} />
      <Bilingual prefix={prefix} name="help" label={t("staff.questions.help")} values={v} errors={errors} multiline rows={2} />
      <Bilingual prefix={prefix} name="scaleLow" label={t("staff.questions.scaleLow")} values={v} errors={errors} />
      <Bilingual prefix={prefix} name="scaleHigh" label={t("staff.questions.scaleHigh")} values={v} errors={errors} />
      <fieldset id={`${prefix}-${idOf("options")}`} tabIndex={-1}>
        <legend>{t("staff.questions.options")}</legend>
        <p className="help">{t("staff.questions.optionsHelp")}</p>
        {errors?.options ? <p className="error">{t(`staffErrors.${errors.options.key}`, errors.options.params ?? {})}</p> : null}
        <table className="options">
          <thead>
            <tr>
              <th scope="col">{t("staff.questions.code")}</th>
              <th scope="col">{t("staff.in.fr")}</th>
              <th scope="col">{t("staff.in.en")}</th>
              <th scope="col">{t("staff.questions.removeOption")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((o, i) => {
              const error = rowError(i);
              const errorId = `${prefix}-option-${i}-error`;
              const invalid = error ? { "aria-invalid": true, "aria-describedby": errorId } : {};
              return (
                <tr key={i}>
                  <td>
                    {error ? (
                      <p className="error" id={errorId}>
                        {t(`staffErrors.${error.key}`, error.params ?? {})}
                      </p>
                    ) : null}
                    <input type="hidden" name={`options[${i}].id`} value={o.id} />
                    <input
                      type="text"
                      id={`${prefix}-${idOf(`options[${i}].code`)}`}
                      name={`options[${i}].code`}
                      defaultValue={o.code}
                      aria-label={t("staff.questions.optionCode", { n: i + 1 })}
                      {...invalid}
                    />
                  </td>
                  <td>
                    <input
                      type="text"
                      lang="fr"
                      id={`${prefix}-${idOf(`options[${i}].fr`)}`}
                      name={`options[${i}].fr`}
                      defaultValue={o.fr}
                      aria-label={t("staff.questions.optionLabel", { n: i + 1, lang: t("staff.in.fr") })}
                      {...invalid}
                    />
                  </td>
                  <td>
                    <input
                      type="text"
                      lang="en"
                      id={`${prefix}-${idOf(`options[${i}].en`)}`}
                      name={`options[${i}].en`}
                      defaultValue={o.en}
                      aria-label={t("staff.questions.optionLabel", { n: i + 1, lang: t("staff.in.en") })}
                      {...invalid}
                    />
                  </td>
                  <td>
                    {o.id ? (
                      <input
                        type="checkbox"
                        name={`options[${i}].remove`}
                        defaultChecked={o.remove}
                        aria-label={t("staff.questions.removeOptionN", { n: i + 1 })}
                      />
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </fieldset>
    </>
  );
}
