import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ConsultationView } from "~/components/ConsultationView";
import { consultationIn } from "~/domain/consultations/present";
import { getConsultationCached } from "~/domain/consultations/cache.server";
import { clientKey, hitBuffered } from "~/domain/ratelimit/ratelimit.server";
import { answerWindow, isPublic } from "~/domain/consultations/rules";
import { PARTICIPATION_CODE, SUBMISSION_ID, type FieldError, type FormValues } from "~/domain/responses/fields";
import { submitResponse, type SubmitRefusal } from "~/domain/responses/submit.server";
import { envelopeSchema, formValues, parseAnswers } from "~/domain/responses/validate.server";
import { requireSameOrigin } from "~/auth/origin.server";
import { getDb } from "~/db.server";
import { loadEnv } from "~/env.server";
import { isDatabaseUnavailable, notFound, orUnavailable, PRIVATE_PAGE, requireLang, readForm } from "~/http.server";
import { clientAddressOf } from "~/load-context";
import { useT } from "~/i18n/hooks";

async function loadPublic(params: LoaderFunctionArgs["params"]) {
  const lang = requireLang(params);
  const db = await orUnavailable(getDb);
  const consultation = params.slug ? await orUnavailable(() => getConsultationCached(db, params.slug!)) : null;
  if (!consultation || !isPublic(consultation)) throw notFound();
  return { lang, db, consultation };
}

/** Answers a client may send in ten minutes (QUORUM_SUBMISSIONS_PER_10_MIN; a library computer or a village sharing one address stays well below 60). */
const submissionLimit = () => ({ limit: loadEnv().QUORUM_SUBMISSIONS_PER_10_MIN, windowSeconds: 600 });

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

export async function action({ request, params, context }: ActionFunctionArgs) {
  requireSameOrigin(request, { allowMissing: true });
  const { lang, db, consultation } = await loadPublic(params);
  const form = await readForm(request);
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
  let result;
  try {
    const limited = hitBuffered(db, await clientKey(db, "submit", clientAddressOf(context)), submissionLimit());
    if (!limited.allowed) {
      return json<ActionData>(
        { values, errors: {}, formError: "tooMany", submissionId },
        { status: 429, headers: { ...PRIVATE_PAGE, "Retry-After": String(limited.retryAfterSeconds) } },
      );
    }
    result = await submitResponse(db, {
      consultation,
      submissionId,
      locale: lang,
      channel: request.headers.get("X-Quorum-Channel") === "offline" ? "offline" : "web",
      answers: parsed.answers,
      participationCode: envelope.data.participation_code,
    });
  } catch (error) {
    // The database blinked: nothing was acknowledged; the page comes back with every answer (and the
    // service worker, where there is one, keeps the answer and sends it later).
    if (isDatabaseUnavailable(error)) {
      return json<ActionData>({ values, errors: {}, formError: "unavailable", submissionId }, { status: 503, headers: { ...PRIVATE_PAGE, "Retry-After": "30" } });
    }
    throw error;
  }
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
        action={`/${lang}/consultations/${consultation.slug}`}
      />
      <p>
        <a href={`/${lang}`}>{t("consultation.back")}</a>
      </p>
    </>
  );
}
