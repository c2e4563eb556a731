import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useParams } from "@remix-run/react";
import { requireSameOrigin } from "~/auth/origin.server";
import { MIN_PASSWORD_LENGTH } from "~/auth/password.server";
import { startSession } from "~/auth/session.server";
import { Field } from "~/components/staff/Fields";
import { getDb } from "~/platform/db.server";
import { findReset, resetPassword, type ResetRefusal } from "~/domain/staff/accounts.server";
import { resetSchema } from "~/domain/staff/schemas.server";
import { parseForm } from "~/forms/forms.server";
import { errorsOf, refusalReply, type RefusalAnswer } from "~/forms/result";
import { requireLang } from "~/web/http.server";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { urls } from "~/urls";
import { FormSummary } from "~/components/staff/Refusal";
import { fragments } from "~/components/fragments";
import { pageTitle } from "~/i18n/title";

/** A password reset link: choose a new password, once, within the hour; every session of the account ends. */
export async function loader({ params }: LoaderFunctionArgs) {
  const lang = requireLang(params);
  const reset = await findReset(await getDb(), params.token ?? "");
  return json(
    { lang, email: reset?.email ?? null, min: MIN_PASSWORD_LENGTH },
    { status: reset ? 200 : 404, headers: { "Cache-Control": "no-store", "Referrer-Policy": "same-origin" } },
  );
}

const REFUSED = {
  invalid: { status: 409, key: "resetInvalid" },
} satisfies Record<ResetRefusal, RefusalAnswer>;

export async function action({ request, params }: ActionFunctionArgs) {
  const lang = requireLang(params);
  requireSameOrigin(request);
  const submission = await parseForm(request, resetSchema);
  const hideFields = ["password", "confirm"];
  if (submission.status !== "success") return json({ result: submission.reply({ hideFields }) }, { status: 400 });
  const db = await getDb();
  // A link that is no good costs no password hashing.
  const refuse = (refused: RefusalAnswer) => json({ result: submission.reply({ ...refusalReply(refused), hideFields }) }, { status: refused.status });
  if (!(await findReset(db, params.token ?? ""))) return refuse(REFUSED.invalid);
  const reset = await resetPassword(db, params.token ?? "", submission.value.password);
  if (!reset.ok) return refuse(REFUSED[reset.reason]);
  return redirect(urls.staff.home(lang, { hash: fragments.main }), { headers: { "Set-Cookie": await startSession(reset.user.id, db) } });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.reset.title")) }];

export default function Reset() {
  const { lang, email, min } = useLoaderData<typeof loader>();
  const errors = errorsOf(useActionData<typeof action>()?.result);
  const token = useParams().token ?? "";
  const t = useT();
  if (!email || errors.form?.key === "resetInvalid")
    return (
      <>
        <h1>{t("staff.reset.title")}</h1>
        <p role={errors.form ? "alert" : undefined}>{t("staffErrors.resetInvalid")}</p>
        <p>
          <a href={urls.staff.forgot(lang)}>{t("staff.reset.again")}</a>
        </p>
      </>
    );
  return (
    <>
      <h1>{t("staff.reset.title")}</h1>
      <p>{t("staff.reset.intro", { email })}</p>
      <FormSummary errors={errors} list label={(name) => t(name === "confirm" ? "staff.password.confirm" : "staff.password.next")} />
      <form method="post" className="staff-form" action={urls.staff.reset(lang, token, { hash: fragments.errors })}>
        <Field
          name="password"
          type="password"
          autoComplete="new-password"
          label={t("staff.password.next")}
          help={t("staff.password.rule", { min })}
          errors={errors}
        />
        <Field name="confirm" type="password" autoComplete="new-password" label={t("staff.password.confirm")} errors={errors} />
        <button type="submit" className="primary">
          {t("staff.reset.submit")}
        </button>
      </form>
    </>
  );
}
