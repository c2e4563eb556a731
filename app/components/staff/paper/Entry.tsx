/**
 * The parts of the paper entry page (app/routes/staff/consultations/paper.tsx) around the
 * questionnaire itself: what a refused form says, the day the form was received, the household's
 * code, and "record as written".
 */
import { fragments } from "~/components/fragments";
import { errorTarget, errorText } from "~/components/Questionnaire";
import { AS_WRITTEN, RECEIVED_ON, type PaperForm } from "~/domain/paper/entry.server";
import { PARTICIPATION_CODE, type FieldError } from "~/domain/responses/fields";
import { useFormat, useT } from "~/i18n/hooks";
import { tFor, type Lang } from "~/i18n/i18n";

/** A refused form as the page shows it: the domain's, with the message above it (a full i18n key) or null. */
export type PaperFormState = PaperForm & { formError: string | null };

type QuestionRef = { code: string; kind: Parameters<typeof errorTarget>[0]["kind"]; options: { code: string; label: string }[] };

/** The page's one error summary: the form's problem, then every field's, as links to the fields. */
export function EntryErrors({ state, questions, shown }: { state: PaperFormState; questions: QuestionRef[]; shown: Lang }) {
  const t = useT();
  const qt = tFor(shown);
  const own = [RECEIVED_ON, PARTICIPATION_CODE].filter((name) => state.errors[name]);
  const items = questions.map((q, i) => ({ q, i, error: state.errors[q.code] })).filter((x) => x.error);
  if (!state.formError && !own.length && !items.length) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} id={fragments.errors}>
      <h2 id="error-summary-title">{t("staff.paper.notRecorded")}</h2>
      {state.formError ? <p>{t(state.formError)}</p> : null}
      <ul>
        {own.map((name) => (
          <li key={name}>
            <a href={`#${name}`}>{t(`staffErrors.${state.errors[name].key}`, state.errors[name].params ?? {})}</a>
          </li>
        ))}
        {items.map(({ q, i, error }) => (
          <li key={q.code}>
            <a href={`#${errorTarget(q, error)}`}>{t("staff.paper.questionRef", { number: i + 1, message: errorText(qt, error!, q) })}</a>
          </li>
        ))}
      </ul>
      {state.offerAsWritten ? <p>{t("staff.paper.asWrittenOffer")}</p> : null}
    </div>
  );
}

/** One of the form's own fields (not a question): its label, help, message and input. */
function OwnField({
  name,
  label,
  help,
  error,
  children,
}: {
  name: string;
  label: string;
  help: string;
  error?: FieldError;
  children: (describedBy: string) => React.ReactNode;
}) {
  const t = useT();
  return (
    <div className={`question${error ? " has-error" : ""}`}>
      <label htmlFor={name} className="legend">
        {label}
      </label>
      <p className="help" id={`${name}-help`}>
        {help}
      </p>
      {error ? (
        <p className="error" id={`${name}-error`}>
          {t(`staffErrors.${error.key}`, error.params ?? {})}
        </p>
      ) : null}
      {children([`${name}-help`, error ? `${name}-error` : null].filter(Boolean).join(" "))}
    </div>
  );
}

/** The day the form was received (no later than the closing day), and the household's code in code mode. */
export function ReceiptFields({
  errors,
  values,
  codeMode,
  closesOn,
  today,
}: {
  errors: Record<string, FieldError>;
  values: Record<string, string[]>;
  codeMode: boolean;
  closesOn: string | null;
  today: string;
}) {
  const t = useT();
  const f = useFormat();
  const closedBefore = !!closesOn && closesOn < today;
  return (
    <>
      <OwnField
        name={RECEIVED_ON}
        label={t("staff.paper.receivedOn")}
        help={closesOn ? t("staff.paper.receivedOnHelpClose", { day: f.date(`${closesOn}T12:00:00Z`) }) : t("staff.paper.receivedOnHelp")}
        error={errors[RECEIVED_ON]}
      >
        {(describedBy) => (
          <input
            type="date"
            id={RECEIVED_ON}
            name={RECEIVED_ON}
            max={closedBefore ? closesOn : today}
            defaultValue={values[RECEIVED_ON]?.[0] ?? (closedBefore ? "" : today)}
            aria-describedby={describedBy}
            aria-invalid={errors[RECEIVED_ON] ? true : undefined}
          />
        )}
      </OwnField>
      {codeMode ? (
        <OwnField name={PARTICIPATION_CODE} label={t("staff.paper.householdCode")} help={t("staff.paper.householdCodeHelp")} error={errors[PARTICIPATION_CODE]}>
          {(describedBy) => (
            <input
              type="text"
              id={PARTICIPATION_CODE}
              name={PARTICIPATION_CODE}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              maxLength={64}
              defaultValue={values[PARTICIPATION_CODE]?.[0] ?? ""}
              aria-describedby={describedBy}
              aria-invalid={errors[PARTICIPATION_CODE] ? true : undefined}
            />
          )}
        </OwnField>
      ) : null}
    </>
  );
}

/** "Record as written", offered once a form was refused for more marks than the questionnaire allows. */
export function AsWritten({ checked }: { checked: boolean }) {
  const t = useT();
  return (
    <div className="question as-written">
      <div className="choice">
        <input type="checkbox" id={AS_WRITTEN} name={AS_WRITTEN} value="on" defaultChecked={checked} aria-describedby={`${AS_WRITTEN}-help`} />
        <label htmlFor={AS_WRITTEN}>{t("staff.paper.asWritten")}</label>
      </div>
      <p className="help" id={`${AS_WRITTEN}-help`}>
        {t("staff.paper.asWrittenHelp")}
      </p>
    </div>
  );
}
