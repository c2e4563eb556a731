import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Field } from "~/components/staff/Fields";
import { FormSummary } from "~/components/staff/Refusal";
import { Questionnaire } from "~/components/Questionnaire";
import { AsWritten, EntryErrors, ReceiptFields, type PaperFormState } from "~/components/staff/paper/Entry";
import { localDay } from "~/domain/consultations/dates";
import { questionsIn } from "~/domain/consultations/present";
import { acceptsAnswers, paperGraceEnds } from "~/domain/consultations/rules";
import { paperGraceSchema } from "~/domain/consultations/schema.server";
import type { AnswerRefusal } from "~/domain/consultations/rules";
import { figuresState } from "~/domain/opendata/figures.server";
import { nextPublicStep } from "~/domain/opendata/public-figures.server";
import { AS_WRITTEN, enterPaperAnswer, setPaperGraceDays, type PaperRefusal } from "~/domain/paper/entry.server";
import { formatReceipt } from "~/domain/responses/receipt";
import { PARTICIPATION_CODE, SUBMISSION_ID } from "~/domain/responses/fields";
import { parseFormData } from "~/forms/forms.server";
import { errorsOf, valuesOf } from "~/forms/result";
import { readForm } from "~/web/http.server";
import { useFormat, useT } from "~/i18n/hooks";
import { isLang, tFor } from "~/i18n/i18n";
import { municipality } from "~/web/municipality.server";
import { staffConsultation } from "~/web/staff.server";
import { urls } from "~/urls";
import { fragments } from "~/components/fragments";
import { pageTitle } from "~/i18n/title";

/**
 * Paper forms typed in by an official (decision 035): the questionnaire without the proposal,
 * the day the form was received, the household's code when the consultation uses codes, and
 * "record as written" when the resident marked more than the questionnaire allows.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, db, consultation: c } = await staffConsultation(request, params, "answers:paper");
  const as = new URL(request.url).searchParams.get("as");
  const shown = isLang(as) ? as : lang;
  const { timeZone } = await municipality();
  const now = new Date();
  const window = acceptsAnswers(c, "paper", now);
  return json({
    lang,
    shown,
    slug: c.slug,
    title: c.texts[lang].title || c.slug,
    formTitle: c.texts[shown].title,
    mode: c.mode,
    questions: questionsIn(c, shown),
    submissionId: crypto.randomUUID(),
    status: c.status,
    accepting: window.ok,
    refusal: window.ok ? null : window.reason,
    today: localDay(now, timeZone),
    closesOn: c.closesAt ? localDay(c.closesAt, timeZone) : null,
    graceDays: c.paperGraceDays,
    graceEnds: paperGraceEnds(c)?.toISOString() ?? null,
    // Once published, a form entered changes the figures: the page says so before it is saved (decision 050).
    figures: figuresState(c),
    // Public figures move in steps of answers (decision 061): this form may not move them yet.
    publicStep: await nextPublicStep(db, c),
    outcomeQuotes: c.outcomePublishedAt ? (c.outcomeFiguresVersion ?? c.figuresVersion) : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, staff, db, consultation } = await staffConsultation(request, params, "answers:paper");
  const as = new URL(request.url).searchParams.get("as");
  const shown = isLang(as) ? as : lang;
  const form = await readForm(request);
  if (form.get("intent") === "grace") {
    const submission = parseFormData(form, paperGraceSchema);
    if (submission.status !== "success")
      return json({ grace: submission.reply(), receipt: null, asWritten: null, figuresVersion: null, state: null, next: null }, { status: 400 });
    await setPaperGraceDays(db, staff.id, consultation, submission.value.days);
    return redirect(urls.staff.paper(lang, consultation.slug, { as: shown, done: "grace", hash: fragments.done }), 303);
  }
  const entered = await enterPaperAnswer(db, { consultation, lang: shown, form, actorId: staff.id, timeZone: (await municipality()).timeZone });
  if (entered.ok)
    return json({
      grace: null,
      receipt: formatReceipt(entered.receiptCode),
      asWritten: entered.asWritten,
      figuresVersion: entered.figuresVersion,
      state: null,
      next: crypto.randomUUID(),
    });
  // The answers stay in the form; the messages are at their fields and listed above it.
  const refused: Refused = REFUSED[entered.reason];
  const state: PaperFormState = {
    ...entered.state,
    errors: refused.field ? { ...entered.state.errors, [refused.field.name]: { key: refused.field.key } } : entered.state.errors,
    formError: refused.formError ?? null,
  };
  return json({ grace: null, receipt: null, asWritten: null, figuresVersion: null, state, next: null }, { status: refused.status });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.paper.title"), data?.title) },
];

/** Why paper forms are not taken now, said above the form and when one is refused for it. */
const REFUSAL_KEY = {
  closed: "staffErrors.paperArchived",
  not_open: "staffErrors.paperDraft",
  not_yet_open: "staffErrors.paperNotYetOpen",
  grace_over: "staffErrors.paperGraceOver",
} as const satisfies Record<AnswerRefusal, string>;

/**
 * How the page answers a refusal: its status, and its message above the form or at a field.
 * Mistakes (the answers, the day received, a missing code) are already at their fields.
 */
type Refused = { status: number; formError?: string; field?: { name: string; key: string } };
const REFUSED = {
  form_expired: { status: 400, formError: "staffErrors.paperFormExpired" },
  closed: { status: 409, formError: REFUSAL_KEY.closed },
  not_open: { status: 409, formError: REFUSAL_KEY.not_open },
  not_yet_open: { status: 409, formError: REFUSAL_KEY.not_yet_open },
  grace_over: { status: 409, formError: REFUSAL_KEY.grace_over },
  invalid_answers: { status: 400 },
  received_on: { status: 400 },
  code_required: { status: 400 },
  code_invalid: { status: 400, field: { name: PARTICIPATION_CODE, key: "paperCodeInvalid" } },
  code_used: { status: 409, field: { name: PARTICIPATION_CODE, key: "paperCodeUsed" } },
  id_reused: { status: 409, formError: "staffErrors.paperIdReused" },
  receipt_collision: { status: 409, formError: "staffErrors.paperReceiptCollision" },
} satisfies Record<PaperRefusal, Refused>;

export default function Paper() {
  const data = useLoaderData<typeof loader>();
  const { lang, shown, slug, title, questions } = data;
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const t = useT();
  const format = useFormat();
  const qt = tFor(shown);
  // A refused form lands on its error summary.
  const entry = urls.staff.paper(lang, slug, { as: shown, hash: fragments.errors });
  const state = result?.state ?? null;
  const values = state?.values ?? {};
  const errors = state?.errors ?? {};
  const graceErrors = errorsOf(result?.grace);
  return (
    <>
      <p>
        <a href={urls.staff.consultation(lang, slug)}>← {title}</a>
      </p>
      <h1>{t("staff.paper.title")}</h1>
      <p>{t("staff.paper.intro")}</p>
      {search.get("done") === "grace" ? (
        <p className="notice" role="status" id={fragments.done}>
          {t("staff.paper.graceSaved", { days: data.graceDays })}
        </p>
      ) : null}
      {/* The entry form posts to #errors: a recorded form's confirmation is where its answer lands too. */}
      {result?.receipt ? (
        <div className="notice" role="status" id={fragments.errors} tabIndex={-1}>
          <p>{t("staff.paper.recorded", { code: result.receipt })}</p>
          {result.asWritten?.length ? <p>{t("staff.paper.recordedAsWritten", { questions: result.asWritten.join(", ") })}</p> : null}
          {result.figuresVersion ? <p>{t("staff.paper.figuresChanged", { version: result.figuresVersion })}</p> : null}
          {result.figuresVersion && data.figures?.outcomeWrittenOn ? (
            <p>
              {t("staff.figures.outcomeOutdated", { written: data.figures.outcomeWrittenOn, version: data.figures.version })}{" "}
              <a href={urls.staff.outcome(lang, slug)}>{t("staff.figures.updateOutcome")}</a>
            </p>
          ) : null}
        </div>
      ) : null}
      <section aria-labelledby="grace-heading">
        <h2 id="grace-heading">{t("staff.paper.graceHeading")}</h2>
        <p>
          {data.graceEnds
            ? t("staff.paper.graceUntil", { days: data.graceDays, date: format.dateTime(data.graceEnds) })
            : t("staff.paper.graceNoClosing", { days: data.graceDays })}
        </p>
        <FormSummary errors={graceErrors} />
        <form method="post" action={urls.staff.paper(lang, slug, { as: shown, hash: fragments.errors })} className="staff-form inline">
          <input type="hidden" name="intent" value="grace" />
          <Field
            name="days"
            type="number"
            label={t("staff.paper.graceDays")}
            value={valuesOf(result?.grace)?.days ?? String(data.graceDays)}
            errors={graceErrors}
          />
          <button type="submit">{t("staff.paper.graceSave")}</button>
        </form>
      </section>
      <section aria-labelledby="entry-heading">
        <h2 id="entry-heading">{t("staff.paper.entryHeading", { title: data.formTitle })}</h2>
        <p>
          {t("staff.paper.formLanguage", { lang: t(`staff.in.${shown}`) })}{" "}
          <a href={urls.staff.paper(lang, slug, { as: shown === "fr" ? "en" : "fr" })}>{t("staff.paper.switch")}</a>
        </p>
        {!data.accepting && data.refusal ? <p className="notice">{t(REFUSAL_KEY[data.refusal])}</p> : null}
        {state ? <EntryErrors state={state} questions={questions} shown={shown} /> : null}
        {/* A new key after each success gives a blank form with a fresh submission id. */}
        <form key={result?.receipt ?? "form"} method="post" action={entry} className="questionnaire paper-entry" noValidate>
          <input type="hidden" name={SUBMISSION_ID} value={state?.submissionId ?? result?.next ?? data.submissionId} />
          <ReceiptFields errors={errors} values={values} codeMode={data.mode === "code"} closesOn={data.closesOn} today={data.today} />
          <div lang={shown}>
            <Questionnaire questions={questions} values={values} errors={errors} t={qt} boxes />
          </div>
          {state?.offerAsWritten || values[AS_WRITTEN] ? <AsWritten checked={!!values[AS_WRITTEN]} /> : null}
          {data.accepting && data.figures ? (
            <div className="notice" id="figures-change">
              {data.publicStep && !data.publicStep.moves ? (
                <p>{t("staff.paper.figuresStay", { version: data.figures.version, step: data.publicStep.step, after: data.publicStep.since + 1 })}</p>
              ) : (
                <p>{t("staff.paper.figuresWillChange", { version: data.figures.version, next: data.figures.version + 1 })}</p>
              )}
              {data.outcomeQuotes !== null ? <p>{t("staff.paper.figuresWillChangeOutcome", { written: data.outcomeQuotes })}</p> : null}
            </div>
          ) : null}
          <button type="submit" className="primary" disabled={!data.accepting} aria-describedby={data.accepting && data.figures ? "figures-change" : undefined}>
            {t("staff.paper.submit")}
          </button>
        </form>
      </section>
    </>
  );
}
