import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ConsultationView } from "~/components/ConsultationView";
import { consultationIn } from "~/domain/consultations/present";
import { answerWindow, isPublic } from "~/domain/consultations/rules";
import { acceptAnswer, type FormState } from "~/domain/responses/accept.server";
import { getConsultationCached } from "~/domain/consultations/cache.server";
import { requireSameOrigin } from "~/auth/origin.server";
import { getDb } from "~/platform/db.server";
import { submissionLimit } from "~/platform/env.server";
import { notFound, orUnavailable, PRIVATE_PAGE, requireLang, readForm } from "~/web/http.server";
import { answeredIn, clientAddressOf, rememberAnswered, submissionIdFor, SUBMISSION_ID_HEADER } from "~/web/load-context";
import { tFor } from "~/i18n/i18n";
import { useT } from "~/i18n/hooks";
import { urls } from "~/urls";
import { answerAccepted } from "~/web/fast-answer.server";

async function loadPublic(params: LoaderFunctionArgs["params"]) {
  const lang = requireLang(params);
  const db = await orUnavailable(getDb);
  const consultation = params.slug ? await orUnavailable(() => getConsultationCached(db, params.slug!)) : null;
  if (!consultation || !isPublic(consultation)) throw notFound();
  return { lang, db, consultation };
}

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { lang, consultation } = await loadPublic(params);
  const window = answerWindow(consultation, new Date());
  const submissionId = submissionIdFor(context);
  return json(
    {
      lang,
      consultation: consultationIn(consultation, lang),
      accepting: window.ok,
      submissionId,
      /** Rendered after a refused answer: the title starts with "Error:". */
      refused: answeredIn(context)?.ok === false,
    },
    // The id the form carries, named for the service worker, which gives a saved copy a fresh one.
    { headers: window.ok ? { ...PRIVATE_PAGE, [SUBMISSION_ID_HEADER]: submissionId } : PRIVATE_PAGE },
  );
}

type ActionData = FormState;

export async function action({ request, params, context }: ActionFunctionArgs) {
  requireSameOrigin(request, { allowMissing: true });
  const { lang, db, consultation } = await loadPublic(params);
  const result =
    answeredIn(context) ??
    (await acceptAnswer(db, {
      consultation,
      lang,
      form: await readForm(request),
      channel: request.headers.get("X-Quorum-Channel") === "offline" ? "offline" : "web",
      clientAddress: clientAddressOf(context),
      limit: submissionLimit(),
    }));
  rememberAnswered(context, result);
  if (result.ok) {
    const accepted = answerAccepted(lang, consultation.slug, result.receiptCode);
    return redirect(accepted.location, accepted.status);
  }
  const headers: Record<string, string> = { ...PRIVATE_PAGE };
  if (result.retryAfterSeconds) headers["Retry-After"] = String(result.retryAfterSeconds);
  return json<ActionData>(result.state, { status: result.status, headers });
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `${data.refused ? tFor(data.lang)("errors.titlePrefix") : ""}${data.consultation.texts.title} – Quorum` },
        { name: "description", content: data.consultation.texts.summary },
      ]
    : [];

export default function ConsultationPage() {
  const { lang, consultation, accepting, submissionId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const t = useT();
  return (
    <>
      <ConsultationView
        lang={lang}
        consultation={consultation}
        accepting={accepting}
        submissionId={submissionId}
        state={actionData}
        action={urls.consultation(lang, consultation.slug)}
      />
      <p>
        <a href={urls.home(lang)}>{t("consultation.back")}</a>
      </p>
    </>
  );
}
