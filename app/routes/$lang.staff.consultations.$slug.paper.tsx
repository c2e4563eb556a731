import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ConsultationView, type SubmissionState } from "~/components/ConsultationView";
import { consultationIn } from "~/domain/consultations/present";
import { formatReceipt } from "~/domain/responses/receipt";
import { submitResponse } from "~/domain/responses/submit.server";
import { envelopeSchema, formValues, parseAnswers } from "~/domain/responses/validate.server";
import { useT } from "~/i18n/hooks";
import { isLang, tFor } from "~/i18n/i18n";
import { readForm } from "~/http.server";
import { staffConsultation } from "~/staff.server";

/**
 * Answers collected on paper or in person, typed in by an official: the same
 * questionnaire and validation as residents, stored with the channel `paper`.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, consultation: c } = await staffConsultation(request, params, "answers:paper");
  const as = new URL(request.url).searchParams.get("as");
  const shown = isLang(as) ? as : lang;
  return json({ lang, shown, slug: c.slug, title: c.texts[lang].title || c.slug, consultation: consultationIn({ ...c, mode: "open" }, shown), submissionId: crypto.randomUUID(), status: c.status });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, db, consultation } = await staffConsultation(request, params, "answers:paper");
  const as = new URL(request.url).searchParams.get("as");
  const shown = isLang(as) ? as : lang;
  const form = await readForm(request);
  const values = formValues(form);
  const envelope = envelopeSchema.safeParse({ submission_id: form.get("submission_id") });
  if (!envelope.success) return json({ state: { values, errors: {}, formError: "formExpired", submissionId: crypto.randomUUID() } as SubmissionState, receipt: null }, { status: 400 });
  const parsed = parseAnswers(consultation.questions, form);
  if (!parsed.ok) return json({ state: { values, errors: parsed.errors, formError: null, submissionId: envelope.data.submission_id } as SubmissionState, receipt: null }, { status: 400 });
  const result = await submitResponse(db, { consultation, submissionId: envelope.data.submission_id, locale: shown, channel: "paper", answers: parsed.answers });
  if (!result.ok) {
    const key = result.reason === "not_open" || result.reason === "not_yet_open" ? "notOpen" : result.reason === "closed" ? "closed" : "receiptCollision";
    return json({ state: { values, errors: {}, formError: key, submissionId: crypto.randomUUID() } as SubmissionState, receipt: null }, { status: 409 });
  }
  return json({ state: null, receipt: formatReceipt(result.receiptCode) });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${tFor(data?.lang ?? "fr")("staff.paper.title")} – Quorum` }];

export default function Paper() {
  const { lang, shown, slug, title, consultation, submissionId, status } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const base = `/${lang}/staff/consultations/${slug}/paper`;
  return (
    <>
      <p>
        <a href={`/${lang}/staff/consultations/${slug}`}>← {title}</a>
      </p>
      <h1>{t("staff.paper.title")}</h1>
      <p>{t("staff.paper.intro")}</p>
      <p>
        {t("staff.paper.formLanguage", { lang: t(`staff.in.${shown}`) })} <a href={`${base}?as=${shown === "fr" ? "en" : "fr"}`}>{t("staff.paper.switch")}</a>
      </p>
      {result?.receipt ? (
        <p className="notice" role="status">
          {t("staff.paper.recorded", { code: result.receipt })}
        </p>
      ) : null}
      {/* A new key after each success gives a blank form with a fresh submission id. */}
      <ConsultationView
        key={result?.receipt ?? "form"}
        lang={shown}
        consultation={consultation}
        accepting={status === "open" || status === "closed"}
        submissionId={result?.receipt ? crypto.randomUUID() : submissionId}
        state={result?.state ?? undefined}
        action={`${base}?as=${shown}`}
      />
    </>
  );
}
