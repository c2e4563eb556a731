/**
 * A consultation as residents see it: proposal, data card, outcome, questionnaire.
 * Rendered by the resident page and by the staff preview, in the language given.
 */
import type { TFunction } from "i18next";
import { Paragraphs } from "~/components/Paragraphs";
import { errorTarget, errorText, Questionnaire } from "~/components/Questionnaire";
import type { ConsultationPage } from "~/domain/consultations/present";
import { PARTICIPATION_CODE, SUBMISSION_ID, type FieldError, type FormValues } from "~/domain/responses/fields";
import { useTimeZone } from "~/i18n/hooks";
import { formatDateTime } from "~/i18n/format";
import { tFor, type Lang } from "~/i18n/i18n";
import { urls } from "~/urls";
import { fragments } from "~/components/fragments";
import { KeptOnDeviceTemplate } from "~/components/KeptOnDevice";

export interface SubmissionState {
  values: FormValues;
  errors: Record<string, FieldError>;
  formError: string | null;
  submissionId: string;
}

function ErrorSummary({
  t,
  errors,
  formError,
  questions,
}: {
  t: TFunction;
  errors: Record<string, FieldError>;
  formError: string | null;
  questions: Pick<ConsultationPage["questions"][number], "code" | "kind" | "options">[];
}) {
  const items = questions.map((q, i) => ({ q, i, error: errors[q.code] })).filter((x) => x.error);
  const codeError = errors[PARTICIPATION_CODE];
  if (!formError && items.length === 0 && !codeError) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} id={fragments.errors}>
      <h2 id="error-summary-title">{t("errors.summaryHeading")}</h2>
      {formError ? <p>{t(`errors.${formError}`)}</p> : <p>{t("errors.summaryIntro")}</p>}
      {items.length || codeError ? (
        <ul>
          {codeError ? (
            <li>
              <a href={`#${PARTICIPATION_CODE}`}>{t("errors.participationCodeRef", { message: errorText(t, codeError) })}</a>
            </li>
          ) : null}
          {items.map(({ q, i, error }) => (
            <li key={q.code}>
              <a href={`#${errorTarget(q, error)}`}>{t("errors.questionRef", { number: i + 1, message: errorText(t, error!, q) })}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function StatusLine({ t, lang, c, accepting, timeZone }: { t: TFunction; lang: Lang; c: ConsultationPage; accepting: boolean; timeZone: string }) {
  const when = (iso: string) => formatDateTime(iso, lang, timeZone);
  if (c.status === "closed" || c.status === "archived" || (!accepting && c.closesAt && new Date(c.closesAt) <= new Date()))
    return <p className="status">{t("consultation.statusClosed")}</p>;
  if (!accepting && c.opensAt) return <p className="status">{t("consultation.statusNotYetOpen", { date: when(c.opensAt) })}</p>;
  return <p className="status">{c.closesAt ? t("consultation.statusOpen", { date: when(c.closesAt) }) : t("consultation.statusOpenNoDate")}</p>;
}

interface Props {
  lang: Lang;
  consultation: ConsultationPage;
  accepting: boolean;
  submissionId: string;
  state?: SubmissionState;
  /** Where the form posts; absent in a preview, which has no form action. */
  action?: string;
  /** Staff preview: the page exactly as residents see it, but nothing can be sent. */
  preview?: boolean;
  children?: React.ReactNode;
}

export function ConsultationView({ lang, consultation: c, accepting, submissionId, state, action, preview, children }: Props) {
  const t = tFor(lang);
  const timeZone = useTimeZone();
  const values = state?.values ?? {};
  const errors = state?.errors ?? {};
  const codeError = errors[PARTICIPATION_CODE];
  const showForm = accepting || state !== undefined || preview;
  const dataCard: [string, string][] = [
    ["dataCollected", c.texts.dataCollected],
    ["dataPurpose", c.texts.dataPurpose],
    ["dataRetention", c.texts.dataRetention],
    ["dataAccess", c.texts.dataAccess],
    ["dataLocation", c.texts.dataLocation],
  ];
  return (
    <article className="consultation" lang={lang}>
      <h1>{c.texts.title}</h1>
      <p className="lede">{c.texts.summary}</p>
      <StatusLine t={t} lang={lang} c={c} accepting={accepting} timeZone={timeZone} />
      {c.resultsPublished ? (
        <p>
          <a href={urls.results(lang, c.slug)}>{t("results.link")}</a>
        </p>
      ) : null}
      {c.figuresUpdatedAt ? (
        <p className="figures-version">{t("consultation.figuresUpdated", { date: formatDateTime(c.figuresUpdatedAt, lang, timeZone) })}</p>
      ) : null}
      {c.outcome ? (
        <section className="outcome" aria-labelledby="outcome-heading">
          <h2 id="outcome-heading">{t("consultation.outcomeHeading")}</h2>
          <h3>{t("consultation.outcomeHeard")}</h3>
          <Paragraphs text={c.outcome.heard} />
          <h3>{t("consultation.outcomeDecided")}</h3>
          <Paragraphs text={c.outcome.decided} />
        </section>
      ) : null}
      <Paragraphs text={c.texts.body} />
      <section className="data-card" aria-labelledby="data-card-heading">
        <h2 id="data-card-heading">{t("consultation.dataCardHeading")}</h2>
        <dl>
          {dataCard.map(([key, text]) => (
            <div key={key}>
              <dt>{t(`consultation.${key}`)}</dt>
              <dd>{text}</dd>
            </div>
          ))}
        </dl>
      </section>
      {showForm ? <ErrorSummary t={t} errors={errors} formError={state?.formError ?? null} questions={c.questions} /> : null}
      {showForm ? (
        <section aria-labelledby="form-heading">
          <h2 id="form-heading">{t("consultation.formHeading")}</h2>
          {accepting || preview ? (
            <>
              <p>{t("consultation.formIntro")}</p>
              <p className="help">{t("consultation.anonymity")}</p>
            </>
          ) : null}
          {/* A refused answer comes back at the error summary (#errors), with or without script. */}
          <form
            method="post"
            action={preview || !action ? undefined : `${action}#${fragments.errors}`}
            className="questionnaire"
            noValidate
            // Nothing of one person's answers comes back for the next, not even with Back.
            autoComplete="off"
          >
            <input type="hidden" name={SUBMISSION_ID} value={state?.submissionId ?? submissionId} />
            {children}
            {c.mode === "code" ? (
              <div className={`question${codeError ? " has-error" : ""}`}>
                <label htmlFor={PARTICIPATION_CODE} className="legend">
                  {t("consultation.participationCode")} <span className="req">({t("question.required")})</span>
                </label>
                <p className="help" id="participation-code-help">
                  {t("consultation.participationCodeHelp")}
                </p>
                {codeError ? (
                  <p className="error" id="participation-code-error">
                    {errorText(t, codeError)}
                  </p>
                ) : null}
                <input
                  type="text"
                  id={PARTICIPATION_CODE}
                  name={PARTICIPATION_CODE}
                  autoComplete="off"
                  autoCapitalize="characters"
                  spellCheck={false}
                  maxLength={64}
                  defaultValue={values[PARTICIPATION_CODE]?.[0] ?? ""}
                  aria-describedby={codeError ? "participation-code-help participation-code-error" : "participation-code-help"}
                  aria-invalid={codeError ? true : undefined}
                />
              </div>
            ) : null}
            <Questionnaire questions={c.questions} values={values} errors={errors} t={t} />
            {accepting && !preview ? (
              <button type="submit" className="primary">
                {t("consultation.submit")}
              </button>
            ) : null}
          </form>
          {accepting && !preview ? <KeptOnDeviceTemplate lang={lang} /> : null}
        </section>
      ) : (
        <p className="status">{t("consultation.notAccepting")}</p>
      )}
    </article>
  );
}
