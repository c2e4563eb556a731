import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useParams } from "@remix-run/react";
import { requireSameOrigin } from "~/auth/origin.server";
import { MIN_PASSWORD_LENGTH } from "~/auth/password.server";
import { startSession } from "~/auth/session.server";
import { Field, type Errors } from "~/components/staff/Fields";
import { acceptInvitation, findInvitation } from "~/domain/staff/accounts.server";
import { passwordSchema } from "~/domain/staff/schemas.server";
import { getDb } from "~/db.server";
import { requireLang, readForm } from "~/http.server";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";

/** A single-use invitation: the invited person chooses a password and is signed in. */
export async function loader({ params }: LoaderFunctionArgs) {
  const lang = requireLang(params);
  const invitation = await findInvitation(await getDb(), params.token ?? "");
  return json(
    { lang, invitation: invitation ? { email: invitation.email, role: invitation.role } : null, min: MIN_PASSWORD_LENGTH },
    { status: invitation ? 200 : 404, headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const lang = requireLang(params);
  requireSameOrigin(request);
  const form = await readForm(request);
  const password = String(form.get("password") ?? "");
  const errors: Errors = {};
  if (!passwordSchema.safeParse(password).success) errors.password = { key: "passwordShort", params: { min: MIN_PASSWORD_LENGTH } };
  else if (password !== form.get("confirm")) errors.confirm = { key: "passwordsDiffer" };
  if (Object.keys(errors).length) return json({ errors, error: null }, { status: 400 });
  const result = await acceptInvitation(await getDb(), params.token ?? "", password);
  if (!result.ok) return json({ errors, error: result.reason === "email_taken" ? "emailTaken" : "invitationInvalid" }, { status: 409 });
  return redirect(`/${lang}/staff`, { headers: { "Set-Cookie": await startSession(result.user.id) } });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${tFor(data?.lang ?? "fr")("staff.invitation.title")} – Quorum` }];

export default function Invitation() {
  const { lang, invitation, min } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const token = useParams().token ?? "";
  const t = useT();
  if (!invitation)
    return (
      <>
        <h1>{t("staff.invitation.title")}</h1>
        <p>{t("staffErrors.invitationInvalid")}</p>
      </>
    );
  return (
    <>
      <h1>{t("staff.invitation.title")}</h1>
      <p>{t("staff.invitation.intro", { email: invitation.email, role: t(`staff.roles.${invitation.role}`) })}</p>
      {result?.error ? (
        <div className="error-summary" role="alert">
          <p>{t(`staffErrors.${result.error}`)}</p>
        </div>
      ) : null}
      <form method="post" className="staff-form" action={`/${lang}/staff/invitations/${encodeURIComponent(token)}`}>
        <Field name="password" type="password" label={t("staff.password.next")} help={t("staff.password.rule", { min })} errors={result?.errors} />
        <Field name="confirm" type="password" label={t("staff.password.confirm")} errors={result?.errors} />
        <button type="submit" className="primary">
          {t("staff.invitation.submit")}
        </button>
      </form>
    </>
  );
}

