import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Paragraphs } from "~/components/Paragraphs";
import { errorText, Questionnaire } from "~/components/Questionnaire";
import { consultationIn } from "~/domain/consultations/present";
import { getConsultationBySlug } from "~/domain/consultations/queries.server";
import { answerWindow, isPublic } from "~/domain/consultations/rules";
import { fieldId, PARTICIPATION_CODE, SUBMISSION_ID, type FieldError, type FormValues } from "~/domain/responses/fields";
import { submitResponse, type SubmitRefusal } from "~/domain/responses/submit.server";
import { envelopeSchema, formValues, parseAnswers } from "~/domain/responses/validate.server";
import { getDb } from "~/db.server";
import { notFound, PRIVATE_PAGE, requireLang } from "~/http.server";
import { useFormat, useT } from "~/i18n/hooks";

async function loadPublic(params: LoaderFunctionArgs["params"]) {
  const lang = requireLang(params);
  const db = await getDb();
  const consultation = params.slug ? await getConsultationBySlug(db, params.slug) : null;
  if (!consultation || !isPublic(consultation)) throw notFound();
  return { lang, db, consultation };
}

export async function loader({ params }: LoaderFunctionArgs) {
  const { lang, consultation } = await loadPublic(params);
  const window = answerWindow(consultation, new Date());
  return json(
    {
      lang,
      consultation: consultationIn(consultation, lang),
      accepting: window.ok,
      submissionId: crypto.randomUUID(),
    },
    { headers: PRIVATE_PAGE },
  );
}

interface ActionData {
  values: FormValues;
  errors: Record<string, FieldError>;
  formError: string | null;
  /** The id the corrected form is sent with; a fresh one when the old one cannot be used again. */
  submissionId: string;
}

const REFUSAL: Record<SubmitRefusal, { status: number; key: string; field?: string }> = {
  closed: { status: 409, key: "closed" },
  not_open: { status: 409, key: "notOpen" },
  not_yet_open: { status: 409, key: "notYetOpen" },
  code_required: { status: 400, key: "codeRequired", field: PARTICIPATION_CODE },
  code_invalid: { status: 400, key: "codeInvalid", field: PARTICIPATION_CODE },
  code_used: { status: 409, key: "codeUsed", field: PARTICIPATION_CODE },
  receipt_collision: { status: 409, key: "receiptCollision" },
  id_reused: { status: 409, key: "idReused" },
};

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, db, consultation } = await loadPublic(params);
  const form = await request.formData();
  const values = formValues(form);
  const envelope = envelopeSchema.safeParse({
    submission_id: form.get(SUBMISSION_ID),
    participation_code: form.get(PARTICIPATION_CODE) ?? undefined,
  });
  const reply = (status: number, data: Omit<ActionData, "values">) =>
    json<ActionData>({ values, ...data }, { status, headers: PRIVATE_PAGE });

  if (!envelope.success) {
    return reply(400, { errors: {}, formError: "formExpired", submissionId: crypto.randomUUID() });
  }
  const submissionId = envelope.data.submission_id;
  const parsed = parseAnswers(consultation.questions, form);
  if (!parsed.ok) {
    const window = answerWindow(consultation, new Date());
    const formError = window.ok ? null : REFUSAL[window.reason].key;
    return reply(400, { errors: parsed.errors, formError, submissionId });
  }
  const result = await submitResponse(db, {
    consultation,
    submissionId,
    locale: lang,
    channel: request.headers.get("X-Quorum-Channel") === "offline" ? "offline" : "web",
    answers: parsed.answers,
    participationCode: envelope.data.participation_code,
  });
  if (result.ok) {
    return redirect(`/${lang}/consultations/${consultation.slug}/thanks/${result.receiptCode}`, 303);
  }
  const refusal = REFUSAL[result.reason];
  const fresh = result.reason === "receipt_collision" || result.reason === "id_reused";
  return reply(refusal.status, {
    errors: refusal.field ? { [refusal.field]: { key: refusal.key } } : {},
    formError: refusal.field ? null : refusal.key,
    submissionId: fresh ? crypto.randomUUID() : submissionId,
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.consultation.texts.title} – Quorum` }, { name: "description", content: data.consultation.texts.summary }] : [];

function ErrorSummary({ errors, formError, questions }: { errors: Record<string, FieldError>; formError: string | null; questions: { code: string }[] }) {
  const t = useT();
  const items = questions
    .map((q, i) => ({ q, i, error: errors[q.code] }))
    .filter((x) => x.error);
  const codeError = errors[PARTICIPATION_CODE];
  if (!formError && items.length === 0 && !codeError) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} id="errors">
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
              <a href={`#${fieldId(q.code)}`}>{t("errors.questionRef", { number: i + 1, message: errorText(t, error!) })}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function StatusLine({ c, accepting }: { c: ReturnType<typeof useLoaderData<typeof loader>>["consultation"]; accepting: boolean }) {
  const t = useT();
  const format = useFormat();
  if (c.status === "closed" || c.status === "archived" || (!accepting && c.closesAt && new Date(c.closesAt) <= new Date()))
    return <p className="status">{t("consultation.statusClosed")}</p>;
  if (!accepting && c.opensAt) return <p className="status">{t("consultation.statusNotYetOpen", { date: format.dateTime(c.opensAt) })}</p>;
  return (
    <p className="status">
      {c.closesAt ? t("consultation.statusOpen", { date: format.dateTime(c.closesAt) }) : t("consultation.statusOpenNoDate")}
    </p>
  );
}

export default function ConsultationPage() {
  const { lang, consultation: c, accepting, submissionId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const t = useT();
  const values = actionData?.values ?? {};
  const errors = actionData?.errors ?? {};
  const codeError = errors[PARTICIPATION_CODE];
  const showForm = accepting || actionData !== undefined;
  const dataCard: [string, string][] = [
    ["dataCollected", c.texts.dataCollected],
    ["dataPurpose", c.texts.dataPurpose],
    ["dataRetention", c.texts.dataRetention],
    ["dataAccess", c.texts.dataAccess],
    ["dataLocation", c.texts.dataLocation],
  ];
  return (
    <article className="consultation">
      <h1>{c.texts.title}</h1>
      <p className="lede">{c.texts.summary}</p>
      <StatusLine c={c} accepting={accepting} />
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
      {showForm ? (
        <section aria-labelledby="form-heading">
          <h2 id="form-heading">{t("consultation.formHeading")}</h2>
          <ErrorSummary errors={errors} formError={actionData?.formError ?? null} questions={c.questions} />
          {accepting ? (
            <>
              <p>{t("consultation.formIntro")}</p>
              <p className="help">{t("consultation.anonymity")}</p>
            </>
          ) : null}
          <form method="post" action={`/${lang}/consultations/${c.slug}`} className="questionnaire" noValidate>
            <input type="hidden" name={SUBMISSION_ID} value={actionData?.submissionId ?? submissionId} />
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
            {accepting ? (
              <button type="submit" className="primary">
                {t("consultation.submit")}
              </button>
            ) : null}
          </form>
        </section>
      ) : (
        <p className="status">{t("consultation.notAccepting")}</p>
      )}
      <p>
        <a href={`/${lang}`}>{t("consultation.back")}</a>
      </p>
    </article>
  );
}
