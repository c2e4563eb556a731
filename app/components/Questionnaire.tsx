/**
 * The questionnaire as plain HTML form controls: works with no JavaScript,
 * one fieldset and legend per question so a screen reader reads it whole.
 */
import type { TFunction } from "i18next";
import type { ReactNode } from "react";
import type { FormQuestion } from "~/domain/consultations/present";
import { DEFAULT_MAX_LENGTH } from "~/domain/consultations/types";
import { fieldId, fieldName, OTHER, PREFER_NOT, type FieldError, type FormValues } from "~/domain/responses/fields";

interface Props {
  questions: FormQuestion[];
  values: FormValues;
  errors: Record<string, FieldError>;
  t: TFunction;
  /** Paper entry: every choice is a box to tick, so a form with two ticks where one was asked can be typed in as written. */
  boxes?: boolean;
}

/** An answer's mistake in words; items the message names by option code are said by their labels in `q`. */
export function errorText(t: TFunction, error: FieldError, q?: Pick<FormQuestion, "options">): string {
  const params = { ...error.params };
  if (error.key === "rankDuplicate" && q)
    for (const key of ["first", "second"]) params[key] = q.options.find((o) => o.code === params[key])?.label ?? String(params[key] ?? "");
  return t(`errors.${error.key}`, params);
}

/** A choice question's error about its "Other" text (missing or too long): it belongs to that field. */
export function isOtherError(q: Pick<FormQuestion, "kind">, error: FieldError | undefined): boolean {
  return !!error && (q.kind === "single" || q.kind === "multiple") && (error.key === "otherMissing" || error.key === "tooLong");
}

/** Where the error summary's link for a question lands: the "Other" field, a text field, or the question's legend. */
export function errorTarget(q: Pick<FormQuestion, "kind" | "code">, error: FieldError | undefined): string {
  if (isOtherError(q, error)) return fieldId(q.code, "othertext");
  if (q.kind === "short_text" || q.kind === "long_text") return fieldId(q.code);
  return `q-${q.code}`;
}

/** aria attributes of every control of a question in error: invalid, described by the message. */
function invalid(q: FormQuestion, error: FieldError | undefined, more: string[] = []) {
  const ids = [...more, error ? `q-${q.code}-error` : null].filter(Boolean).join(" ");
  return { "aria-invalid": error ? true : undefined, "aria-describedby": ids || undefined };
}

function Status({ q, t }: { q: FormQuestion; t: TFunction }) {
  const key = q.demographic ? "question.demographic" : q.required ? "question.required" : "question.optional";
  return <span className={q.required ? "req" : "opt"}> ({t(key)})</span>;
}

function QuestionFrame({
  q,
  number,
  t,
  error,
  children,
  group,
}: {
  q: FormQuestion;
  number: number;
  t: TFunction;
  error?: FieldError;
  children: ReactNode;
  group: boolean;
}) {
  const helpId = `q-${q.code}-help`;
  const errorId = `q-${q.code}-error`;
  const extraHelp = choiceHelp(q, t);
  const hints = [q.help || extraHelp ? helpId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  const description = (
    <>
      {q.help || extraHelp ? (
        <p className="help" id={helpId}>
          {[q.help, extraHelp].filter(Boolean).join(" ")}
        </p>
      ) : null}
      {error ? (
        <p className="error" id={errorId}>
          {errorText(t, error, q)}
        </p>
      ) : null}
    </>
  );
  const heading = (
    <>
      <span className="num">{`${number}. `}</span>
      {q.prompt}
      <Status q={q} t={t} />
    </>
  );
  const className = `question${error ? " has-error" : ""}`;
  if (group) {
    return (
      <fieldset className={className} aria-describedby={hints} id={`q-${q.code}`}>
        <legend>{heading}</legend>
        {description}
        {children}
      </fieldset>
    );
  }
  return (
    <div className={className} id={`q-${q.code}`}>
      <label htmlFor={fieldId(q.code)} className="legend">
        {heading}
      </label>
      {description}
      {children}
    </div>
  );
}

function choiceHelp(q: FormQuestion, t: TFunction): string {
  if (q.kind === "multiple") {
    if (q.minChoices && q.maxChoices) return t("question.chooseBetween", { min: q.minChoices, max: q.maxChoices });
    if (q.minChoices) return t("question.chooseAtLeast", { min: q.minChoices });
    if (q.maxChoices) return t("question.chooseAtMost", { max: q.maxChoices });
  }
  if (q.kind === "short_text" || q.kind === "long_text") {
    return t("question.maxLength", { max: q.maxLength ?? DEFAULT_MAX_LENGTH[q.kind] });
  }
  return "";
}

function describedBy(q: FormQuestion, error?: FieldError): string | undefined {
  const ids = [q.help || q.kind === "short_text" || q.kind === "long_text" ? `q-${q.code}-help` : null, error ? `q-${q.code}-error` : null];
  return ids.filter(Boolean).join(" ") || undefined;
}

function Choices({ q, values, t, error, boxes }: { q: FormQuestion; values: FormValues; t: TFunction; error?: FieldError; boxes?: boolean }) {
  const name = fieldName.value(q);
  const other = isOtherError(q, error);
  const aria = invalid(q, other ? undefined : error);
  const chosen = values[name] ?? [];
  const type = q.kind === "multiple" || boxes ? "checkbox" : "radio";
  const otherName = fieldName.other(q);
  return (
    <div className="choices">
      {q.options.map((o, i) => (
        <div className="choice" key={o.code}>
          <input type={type} id={fieldId(q.code, i)} name={name} value={o.code} defaultChecked={chosen.includes(o.code)} {...aria} />
          <label htmlFor={fieldId(q.code, i)}>{o.label}</label>
        </div>
      ))}
      {q.allowOther ? (
        <div className="choice other">
          <input type={type} id={fieldId(q.code, "other")} name={name} value={OTHER} defaultChecked={chosen.includes(OTHER)} {...aria} />
          <label htmlFor={fieldId(q.code, "other")}>{t("question.other")}</label>
          <label htmlFor={fieldId(q.code, "othertext")} className="visually-hidden">
            {t("question.otherLabel")}
          </label>
          <input
            type="text"
            id={fieldId(q.code, "othertext")}
            name={otherName}
            maxLength={200}
            autoComplete="off"
            defaultValue={values[otherName]?.[0] ?? ""}
            {...invalid(q, error)}
          />
        </div>
      ) : null}
      {q.allowPreferNot ? (
        <div className="choice">
          <input type={type} id={fieldId(q.code, "prefer")} name={name} value={PREFER_NOT} defaultChecked={chosen.includes(PREFER_NOT)} {...aria} />
          <label htmlFor={fieldId(q.code, "prefer")}>{t(q.demographic ? "question.preferNotSay" : "question.preferNot")}</label>
        </div>
      ) : null}
    </div>
  );
}

function Scale({ q, values, t, error, boxes }: { q: FormQuestion; values: FormValues; t: TFunction; error?: FieldError; boxes?: boolean }) {
  const name = fieldName.value(q);
  const aria = invalid(q, error);
  const ticked = values[name] ?? [];
  const type = boxes ? "checkbox" : "radio";
  const labelFor = (v: number) =>
    v === 1 && q.scaleLow
      ? t("question.scaleEnd", { value: v, label: q.scaleLow })
      : v === 5 && q.scaleHigh
        ? t("question.scaleEnd", { value: v, label: q.scaleHigh })
        : String(v);
  return (
    <div className="choices scale">
      {[1, 2, 3, 4, 5].map((v, i) => (
        <div className="choice" key={v}>
          <input type={type} id={fieldId(q.code, i)} name={name} value={String(v)} defaultChecked={ticked.includes(String(v))} {...aria} />
          <label htmlFor={fieldId(q.code, i)}>{labelFor(v)}</label>
        </div>
      ))}
      {q.allowPreferNot ? (
        <div className="choice">
          <input type={type} id={fieldId(q.code, "prefer")} name={name} value={PREFER_NOT} defaultChecked={ticked.includes(PREFER_NOT)} {...aria} />
          <label htmlFor={fieldId(q.code, "prefer")}>{t("question.preferNot")}</label>
        </div>
      ) : null}
    </div>
  );
}

function Ranking({ q, values, t, error }: { q: FormQuestion; values: FormValues; t: TFunction; error?: FieldError }) {
  const hintId = `q-${q.code}-rank-hint`;
  const aria = invalid(q, error, [hintId]);
  return (
    <div className="ranking">
      <p className="help" id={hintId}>
        {t("question.rankHint")}
      </p>
      {q.options.map((o, i) => {
        const name = fieldName.rank(q, o.code);
        return (
          <div className="rank" key={o.code}>
            <select
              id={fieldId(q.code, i)}
              name={name}
              defaultValue={values[name]?.[0] ?? ""}
              aria-label={t("question.rankFor", { option: o.label })}
              {...aria}
            >
              <option value="">{t("question.rankNone")}</option>
              {q.options.map((_, r) => (
                <option key={r} value={String(r + 1)}>
                  {r + 1}
                </option>
              ))}
            </select>
            <label htmlFor={fieldId(q.code, i)}>{o.label}</label>
          </div>
        );
      })}
    </div>
  );
}

export function Questionnaire({ questions, values, errors, t, boxes }: Props) {
  return (
    <>
      {questions.map((q, index) => {
        const error = errors[q.code];
        const number = index + 1;
        if (q.kind === "short_text" || q.kind === "long_text") {
          const name = fieldName.value(q);
          const max = q.maxLength ?? DEFAULT_MAX_LENGTH[q.kind];
          const common = {
            id: fieldId(q.code),
            name,
            defaultValue: values[name]?.[0] ?? "",
            // An answer is never offered to the next person on a shared device.
            autoComplete: "off",
            "aria-describedby": describedBy(q, error),
            "aria-invalid": error ? true : undefined,
            "aria-required": q.required || undefined,
          };
          return (
            <QuestionFrame key={q.code} q={q} number={number} t={t} error={error} group={false}>
              {q.kind === "short_text" ? <input type="text" maxLength={max} {...common} /> : <textarea rows={5} {...common} />}
            </QuestionFrame>
          );
        }
        return (
          <QuestionFrame key={q.code} q={q} number={number} t={t} error={error} group>
            {q.kind === "scale" ? (
              <Scale q={q} values={values} t={t} error={error} boxes={boxes} />
            ) : q.kind === "ranking" ? (
              <Ranking q={q} values={values} t={t} error={error} />
            ) : (
              <Choices q={q} values={values} t={t} error={error} boxes={boxes} />
            )}
          </QuestionFrame>
        );
      })}
    </>
  );
}
