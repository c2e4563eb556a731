import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireSameOrigin } from "~/auth/origin.server";
import { Field } from "~/components/staff/Fields";
import { getDb } from "~/platform/db.server";
import { accountKey, clientKey, hit } from "~/domain/ratelimit/ratelimit.server";
import { RESET_MINUTES, requestReset } from "~/domain/staff/accounts.server";
import { forgotSchema } from "~/domain/staff/schemas.server";
import { parseForm } from "~/forms/forms.server";
import { errorsOf, valuesOf } from "~/forms/result";
import { requireLang } from "~/web/http.server";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { clientAddressOf } from "~/web/load-context";
import { mailConfigured, mailQueued, resetMail } from "~/platform/mail.server";
import { urls } from "~/urls";
import { FormSummary } from "~/components/staff/Refusal";
import { fragments } from "~/components/fragments";
import { pageTitle } from "~/i18n/title";

/** Asks per client and per account at most this often: enough for a person, too little to flood a mailbox. */
const LIMITS = { client: { limit: 10, windowSeconds: 3600 }, account: { limit: 3, windowSeconds: 3600 } };

export function loader({ params }: LoaderFunctionArgs) {
  return json({ lang: requireLang(params), mail: mailConfigured(), minutes: RESET_MINUTES }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const lang = requireLang(params);
  requireSameOrigin(request);
  const submission = await parseForm(request, forgotSchema);
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  const mail = await resetMail(lang);
  if (!mail) return json({ result: submission.reply({ formErrors: [{ key: "mailOff" }] }) }, { status: 409 });
  const db = await getDb();
  const client = await hit(db, await clientKey(db, "reset", clientAddressOf(context)), LIMITS.client);
  if (!client.allowed) {
    const reply = submission.reply({ formErrors: [{ key: "signInLimited", params: { count: Math.ceil(client.retryAfterSeconds / 60) } }] });
    return json({ result: reply }, { status: 429, headers: { "Retry-After": String(client.retryAfterSeconds) } });
  }
  // Over the account's limit, nothing more is sent, and the answer is the same as always.
  const account = await hit(db, accountKey("reset", submission.value.email), LIMITS.account);
  if (account.allowed) {
    await requestReset(db, submission.value.email, mail);
    mailQueued();
  }
  return redirect(urls.staff.forgot(lang, { sent: 1, hash: fragments.done }), 303);
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.forgot.title")) }];

export default function Forgot() {
  const { lang, mail, minutes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>()?.result;
  const [search] = useSearchParams();
  const errors = errorsOf(result);
  const t = useT();
  return (
    <>
      <h1>{t("staff.forgot.title")}</h1>
      {search.get("sent") ? (
        <div className="notice" role="status" id={fragments.done}>
          <p>{t("staff.forgot.sent", { minutes })}</p>
        </div>
      ) : null}
      {!mail ? (
        <p>{t("staff.forgot.noMail")}</p>
      ) : (
        <>
          <p>{t("staff.forgot.intro", { minutes })}</p>
          <FormSummary errors={errors} list label={() => t("staff.login.email")} />
          <form method="post" action={urls.staff.forgot(lang, { hash: fragments.errors })} className="staff-form">
            <Field name="email" type="email" autoComplete="email" label={t("staff.login.email")} value={valuesOf(result)?.email} errors={errors} />
            <button type="submit" className="primary">
              {t("staff.forgot.submit")}
            </button>
          </form>
        </>
      )}
      <p>
        <a href={urls.staff.login(lang)}>{t("staff.forgot.back")}</a>
      </p>
    </>
  );
}
