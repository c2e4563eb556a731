/** One question of the builder: kind, flags, texts side by side, options as rows (code, French, English). */
import { QUESTION_KINDS } from "#db/schema";
import { useT } from "~/i18n/hooks";
import { Bilingual, Field, type Errors } from "./Fields";

export interface QuestionValues {
  values: Record<string, string>;
  options: { id: string; code: string; fr: string; en: string }[];
}

const checkbox = (name: string, label: string, checked: boolean, id: string) => (
  <div className="choice">
    <input type="checkbox" id={id} name={name} defaultChecked={checked} />
    <label htmlFor={id}>{label}</label>
  </div>
);

export function QuestionFields({ prefix, q, errors, kindLocked, blankRows = 2 }: { prefix: string; q: QuestionValues; errors?: Errors; kindLocked?: boolean; blankRows?: number }) {
  const t = useT();
  const v = q.values;
  const rows = [...q.options, ...Array.from({ length: blankRows }, () => ({ id: "", code: "", fr: "", en: "" }))];
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
          <select id={`${prefix}-demographic`} name="demographic" defaultValue={v.demographic ?? ""}>
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
      <fieldset>
        <legend>{t("staff.questions.options")}</legend>
        <p className="help">{t("staff.questions.optionsHelp")}</p>
        {errors?.options ? <p className="error">{t(`staffErrors.${errors.options.key}`)}</p> : null}
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
            {rows.map((o, i) => (
              <tr key={i}>
                <td>
                  <input type="hidden" name={`option.${i}.id`} value={o.id} />
                  <input type="text" name={`option.${i}.code`} defaultValue={o.code} aria-label={t("staff.questions.optionCode", { n: i + 1 })} />
                </td>
                <td>
                  <input type="text" lang="fr" name={`option.${i}.fr`} defaultValue={o.fr} aria-label={t("staff.questions.optionLabel", { n: i + 1, lang: t("staff.in.fr") })} />
                </td>
                <td>
                  <input type="text" lang="en" name={`option.${i}.en`} defaultValue={o.en} aria-label={t("staff.questions.optionLabel", { n: i + 1, lang: t("staff.in.en") })} />
                </td>
                <td>{o.id ? <input type="checkbox" name={`option.${i}.remove`} aria-label={t("staff.questions.removeOptionN", { n: i + 1 })} /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </fieldset>
    </>
  );
}
