import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ConsultationView } from "~/components/ConsultationView";
import { consultationIn } from "~/domain/consultations/present";
import { acceptAnswer, type AcceptRefusal } from "~/domain/responses/accept.server";
import { formatReceipt } from "~/domain/responses/receipt";
import { readForm } from "~/http.server";
import { useT } from "~/i18n/hooks";
import { isLang, tFor } from "~/i18n/i18n";
import { staffConsultation } from "~/staff.server";

/**
 * Answers collected on paper or in person, typed in by an official: the same
 * questionnaire, validation and storage as residents' (`acceptAnswer`), with the channel
 * `paper` — accepted after the closing too, without a participation code or a rate limit.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, consultation: c } = await staffConsultation(request, params, "answers:paper");
  const as = new URL(request.url).searchParams.get("as");
  const shown = isLang(as) ? as : lang;
  return json({
    lang,
    shown,
    slug: c.slug,
    title: c.texts[lang].title || c.slug,
    consultation: consultationIn({ ...c, mode: "open" }, shown),
    submissionId: crypto.randomUUID(),
    status: c.status,
  });
}

/** Every reason an answer is not recorded, as the official reads it (full i18n keys). */
const REFUSED: Record<AcceptRefusal, string> = {
  form_expired: "staffErrors.paperFormExpired",
  invalid_answers: "staffErrors.paperInvalid",
  closed: "staffErrors.paperArchived",
  not_open: "staffErrors.paperDraft",
  not_yet_open: "staffErrors.paperNotYetOpen",
  receipt_collision: "staffErrors.paperReceiptCollision",
  id_reused: "staffErrors.paperIdReused",
  unavailable: "staffErrors.paperUnavailable",
  // Paper answers need no participation code and have no rate limit: these cannot happen here,
  // and if they ever did, the residents' own words are right.
  code_required: "errors.codeRequired",
  code_invalid: "errors.codeInvalid",
  code_used: "errors.codeUsed",
  rate_limited: "errors.tooMany",
};

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, db, consultation } = await staffConsultation(request, params, "answers:paper");
  const as = new URL(request.url).searchParams.get("as");
  const accepted = await acceptAnswer(db, {
    consultation,
    lang: isLang(as) ? as : lang,
    form: await readForm(request),
    channel: "paper",
    clientAddress: undefined,
    limit: null,
  });
  if (accepted.ok) return json({ receipt: formatReceipt(accepted.receiptCode), refused: null, state: null, next: crypto.randomUUID() });
  // The answers stay in the form; the message is the official's, above it.
  return json({ receipt: null, refused: REFUSED[accepted.reason], state: { ...accepted.state, formError: null }, next: null }, { status: accepted.status });
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
      {result?.refused ? (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <p>{t(result.refused)}</p>
        </div>
      ) : null}
      {/* A new key after each success gives a blank form with a fresh submission id. */}
      <ConsultationView
        key={result?.receipt ?? "form"}
        lang={shown}
        consultation={consultation}
        accepting={status === "open" || status === "closed"}
        submissionId={result?.next ?? submissionId}
        state={result?.state ?? undefined}
        action={`${base}?as=${shown}`}
      />
    </>
  );
}
