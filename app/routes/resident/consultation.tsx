import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ConsultationView, type SubmissionState } from "~/components/ConsultationView";
import { consultationIn } from "~/domain/consultations/present";
import { answerWindow, isPublic } from "~/domain/consultations/rules";
import { acceptAnswer, type AcceptAnswerResult, type AcceptRefusal } from "~/domain/responses/accept.server";
import { PARTICIPATION_CODE, type FieldError } from "~/domain/responses/fields";
import { getConsultationCached } from "~/domain/consultations/cache.server";
import { requireSameOrigin } from "~/auth/origin.server";
import { getDb } from "~/platform/db.server";
import { submissionLimit } from "~/platform/env.server";
import { notFound, orUnavailable, PRIVATE_PAGE, requireLang, readForm } from "~/web/http.server";
import { answeredIn, clientAddressOf, keptUntil, rememberAnswered, submissionIdFor, SUBMISSION_ID_HEADER } from "~/web/load-context";
import { tFor } from "~/i18n/i18n";
import { useT } from "~/i18n/hooks";
import { urls } from "~/urls";
import { answerAccepted, answerCounted } from "~/web/fast-answer.server";
import { REFUSAL_HEADER, refusalKind } from "~/domain/responses/delivery";
import { pageTitle } from "~/i18n/title";
import { smsInvite } from "~/web/sms.server";

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
      sms: window.ok ? smsInvite(consultation, lang) : null,
      submissionId,
      /** Rendered after a refused answer: the title starts with "Error:". */
      refused: answeredIn(context)?.ok === false,
    },
    // The id the form carries, named for the service worker, which gives a saved copy a fresh one.
    // Kept by the page cache no later than the next opening or closing, which changes the page with no write.
    {
      headers: { ...PRIVATE_PAGE, ...keptUntil([consultation.opensAt, consultation.closesAt]), ...(window.ok ? { [SUBMISSION_ID_HEADER]: submissionId } : {}) },
    },
  );
}

type ActionData = SubmissionState;

/** How the page answers a refusal: its status, its message (a key under `errors.`) above the form or at a field, when to try again. */
type Refused = { status: number; message?: string; field?: string; retryAfterSeconds?: number };

/** Every refusal of an answer, mapped; mistakes in the answers are shown at their questions. */
const REFUSED = {
  form_expired: { status: 400, message: "formExpired" },
  invalid_answers: { status: 400 },
  rate_limited: { status: 429, message: "tooMany" },
  unavailable: { status: 503, message: "unavailable", retryAfterSeconds: 30 },
  closed: { status: 409, message: "closed" },
  not_open: { status: 409, message: "notOpen" },
  not_yet_open: { status: 409, message: "notYetOpen" },
  // Only paper answers have a grace period; residents' answers are refused as closed.
  grace_over: { status: 409, message: "closed" },
  code_required: { status: 400, message: "codeRequired", field: PARTICIPATION_CODE },
  code_invalid: { status: 400, message: "codeInvalid", field: PARTICIPATION_CODE },
  code_used: { status: 409, message: "codeUsed", field: PARTICIPATION_CODE },
  receipt_collision: { status: 409, message: "receiptCollision" },
  id_reused: { status: 409, message: "idReused" },
} satisfies Record<AcceptRefusal, Refused>;

/** The page after a refusal: its status, when to try again, and the form with its messages. */
function refusedPage(result: Extract<AcceptAnswerResult, { ok: false }>) {
  const refused: Refused = REFUSED[result.reason];
  const { message, field } = refused;
  // Every mistake of the form at once: a wrong code is said with the answers' mistakes.
  const code: Record<string, FieldError> = result.code ? { [PARTICIPATION_CODE]: { key: REFUSED[result.code].message } } : {};
  const state: SubmissionState = {
    ...result.state,
    errors: message && field ? { ...result.state.errors, [field]: { key: message } } : { ...code, ...result.state.errors },
    // Mistakes to correct on a consultation that no longer takes answers: the page says both.
    formError: field ? null : (message ?? (result.window ? REFUSED[result.window].message : null)),
  };
  return { status: refused.status, retryAfterSeconds: result.retryAfterSeconds ?? refused.retryAfterSeconds, state };
}

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
    // Answered here rather than on the fast path: the public figures are told here too.
    if (!answeredIn(context)) answerCounted(db, consultation);
    const accepted = answerAccepted(lang, consultation.slug, result.receiptCode);
    return redirect(accepted.location, accepted.status);
  }
  const { status, retryAfterSeconds, state } = refusedPage(result);
  // Why, in one word, for the service worker to keep when this answer was sent offline (never the answer itself).
  const headers: Record<string, string> = { ...PRIVATE_PAGE, [REFUSAL_HEADER]: refusalKind(result.reason) };
  if (retryAfterSeconds) headers["Retry-After"] = String(retryAfterSeconds);
  return json<ActionData>(state, { status, headers });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data
    ? [
        { title: pageTitle(matches, `${data.refused ? tFor(data.lang)("errors.titlePrefix") : ""}${data.consultation.texts.title}`) },
        { name: "description", content: data.consultation.texts.summary },
      ]
    : [];

export default function ConsultationPage() {
  const { lang, consultation, accepting, submissionId, sms } = useLoaderData<typeof loader>();
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
      {sms ? <p className="sms-invite">{sms}</p> : null}
      <p>
        <a href={urls.home(lang)}>{t("consultation.back")}</a>
      </p>
    </>
  );
}
