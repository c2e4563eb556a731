import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { NEXT_BASE_ORIGIN, safeNext } from "~/auth/next";
import { requireSameOrigin } from "~/auth/origin.server";
import { getStaff, startSession } from "~/auth/session.server";
import { Field } from "~/components/staff/Fields";
import { getDb } from "~/platform/db.server";
import { signInSchema } from "~/domain/staff/schemas.server";
import { signIn, type SignInRefusal } from "~/domain/staff/signin.server";
import { parseForm } from "~/forms/forms.server";
import { errorsOf, refusalReply, valuesOf, type RefusalAnswer } from "~/forms/result";
import { requireLang } from "~/web/http.server";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { clientAddressOf } from "~/web/load-context";
import { urls } from "~/urls";
import { FormSummary } from "~/components/staff/Refusal";
import { fragments } from "~/components/fragments";
import { pageTitle } from "~/i18n/title";
import { publicOrigin } from "~/platform/commune.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const lang = requireLang(params);
  const next = safeNext(lang, new URL(request.url).searchParams.get("next"), publicOrigin());
  const { staff } = await getStaff(request);
  if (staff) throw redirect(next);
  return json({ lang, next });
}

const REFUSED = {
  invalid: { status: 400, key: "signInFailed" },
  // With how many minutes to wait (and the wait itself in Retry-After).
  limited: { status: 429, key: "signInLimited" },
} satisfies Record<SignInRefusal, RefusalAnswer>;

export async function action({ request, params, context }: ActionFunctionArgs) {
  const lang = requireLang(params);
  requireSameOrigin(request);
  const submission = await parseForm(request, signInSchema);
  if (submission.status !== "success") return json({ result: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
  const { email, password, next } = submission.value;
  const db = await getDb();
  const result = await signIn(db, { email, password, clientAddress: clientAddressOf(context) });
  if (!result.ok) {
    const refused = REFUSED[result.reason];
    if (result.reason === "limited") {
      const minutes = Math.ceil(result.retryAfterSeconds / 60);
      const reply = submission.reply({ ...refusalReply({ ...refused, params: { count: minutes } }), hideFields: ["password"] });
      return json({ result: reply }, { status: refused.status, headers: { "Retry-After": String(result.retryAfterSeconds) } });
    }
    return json({ result: submission.reply({ ...refusalReply(refused), hideFields: ["password"] }) }, { status: refused.status });
  }
  // Past the header, and not on the form's #errors, which would otherwise follow the redirect.
  return redirect(`${safeNext(lang, next, publicOrigin())}#${fragments.main}`, { headers: { "Set-Cookie": await startSession(result.user.id, db) } });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.login.title")) }];

export default function Login() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>()?.result;
  const errors = errorsOf(result);
  const typed = valuesOf(result);
  const t = useT();
  return (
    <>
      <h1>{t("staff.login.title")}</h1>
      <p>{t("staff.login.intro")}</p>
      <FormSummary errors={errors} list label={(name) => t(name === "password" ? "staff.login.password" : "staff.login.email")} />
      <form method="post" action={urls.staff.login(loaded.lang, { hash: fragments.errors })} className="staff-form">
        <input type="hidden" name="next" value={safeNext(loaded.lang, typed?.next ?? loaded.next, NEXT_BASE_ORIGIN)} />
        <Field name="email" type="email" autoComplete="username" label={t("staff.login.email")} value={typed?.email} errors={errors} />
        <Field name="password" type="password" autoComplete="current-password" label={t("staff.login.password")} errors={errors} />
        <button type="submit" className="primary">
          {t("staff.login.submit")}
        </button>
      </form>
      <p>
        <a href={urls.staff.forgot(loaded.lang)}>{t("staff.login.forgot")}</a>
      </p>
    </>
  );
}
