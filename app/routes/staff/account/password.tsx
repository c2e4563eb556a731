import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { MIN_PASSWORD_LENGTH } from "~/auth/password.server";
import { changeOwnPassword } from "~/auth/session.server";
import { Done, Field } from "~/components/staff/Fields";
import { passwordChangeSchema } from "~/domain/staff/schemas.server";
import { parseForm } from "~/forms/forms.server";
import { errorsOf, refusalReply, type RefusalAnswer } from "~/forms/result";
import type { ChangePasswordRefusal } from "~/domain/staff/accounts.server";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { staffRequest } from "~/web/staff.server";
import { urls } from "~/urls";
import { FormSummary } from "~/components/staff/Refusal";
import { fragments } from "~/components/fragments";
import { pageTitle } from "~/i18n/title";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang } = await staffRequest(request, params, "consultations:read");
  return json({ lang, min: MIN_PASSWORD_LENGTH });
}

const PASSWORDS = ["current", "next", "confirm"];

/** A changed password signs the account out everywhere else; this browser gets a new session cookie. */
const REFUSED = {
  wrong_password: { status: 400, key: "wrongPassword", field: "current" },
} satisfies Record<ChangePasswordRefusal, RefusalAnswer>;

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, staff, db } = await staffRequest(request, params, "consultations:read");
  const submission = await parseForm(request, passwordChangeSchema);
  if (submission.status !== "success") return json({ result: submission.reply({ hideFields: PASSWORDS }) }, { status: 400 });
  const result = await changeOwnPassword(db, staff, submission.value.current, submission.value.next);
  if (!result.ok)
    return json({ result: submission.reply({ ...refusalReply(REFUSED[result.reason]), hideFields: PASSWORDS }) }, { status: REFUSED[result.reason].status });
  return redirect(urls.staff.password(lang, { done: "password", hash: fragments.done }), { headers: { "Set-Cookie": result.setCookie } });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.password.title")) }];

export default function Password() {
  const { lang, min } = useLoaderData<typeof loader>();
  const errors = errorsOf(useActionData<typeof action>()?.result);
  const [search] = useSearchParams();
  const t = useT();
  return (
    <>
      <h1>{t("staff.password.title")}</h1>
      <Done done={search.get("done")} />
      <FormSummary errors={errors} list label={(name) => t(`staff.password.${name === "current" || name === "confirm" ? name : "next"}`)} />
      <form method="post" action={urls.staff.password(lang, { hash: fragments.errors })} className="staff-form">
        <Field name="current" type="password" autoComplete="current-password" label={t("staff.password.current")} errors={errors} />
        <Field
          name="next"
          type="password"
          autoComplete="new-password"
          label={t("staff.password.next")}
          help={t("staff.password.rule", { min })}
          errors={errors}
        />
        <Field name="confirm" type="password" autoComplete="new-password" label={t("staff.password.confirm")} errors={errors} />
        <button type="submit" className="primary">
          {t("staff.password.submit")}
        </button>
      </form>
    </>
  );
}
