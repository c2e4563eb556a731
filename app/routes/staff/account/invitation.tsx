import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useParams } from "@remix-run/react";
import { requireSameOrigin } from "~/auth/origin.server";
import { MIN_PASSWORD_LENGTH } from "~/auth/password.server";
import { startSession } from "~/auth/session.server";
import { Field } from "~/components/staff/Fields";
import { getDb } from "~/platform/db.server";
import { acceptInvitation, findInvitation, type InvitationRefusal } from "~/domain/staff/accounts.server";
import { invitationAcceptSchema } from "~/domain/staff/schemas.server";
import { parseForm } from "~/forms/forms.server";
import { errorsOf, refusalReply, type RefusalAnswer } from "~/forms/result";
import { requireLang } from "~/web/http.server";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { urls } from "~/urls";
import { FormSummary } from "~/components/staff/Refusal";
import { fragments } from "~/components/fragments";
import { pageTitle } from "~/i18n/title";

/** A single-use invitation: the invited person chooses a password and is signed in. */
export async function loader({ params }: LoaderFunctionArgs) {
  const lang = requireLang(params);
  const invitation = await findInvitation(await getDb(), params.token ?? "");
  return json(
    { lang, invitation: invitation ? { email: invitation.email, role: invitation.role } : null, min: MIN_PASSWORD_LENGTH },
    { status: invitation ? 200 : 404, headers: { "Cache-Control": "no-store" } },
  );
}

const REFUSED = {
  invalid: { status: 409, key: "invitationInvalid" },
  email_taken: { status: 409, key: "emailTaken" },
} satisfies Record<InvitationRefusal, RefusalAnswer>;

export async function action({ request, params }: ActionFunctionArgs) {
  const lang = requireLang(params);
  requireSameOrigin(request);
  const submission = await parseForm(request, invitationAcceptSchema);
  const hideFields = ["password", "confirm"];
  if (submission.status !== "success") return json({ result: submission.reply({ hideFields }) }, { status: 400 });
  const db = await getDb();
  const accepted = await acceptInvitation(db, params.token ?? "", submission.value.password);
  if (!accepted.ok) {
    const refused = REFUSED[accepted.reason];
    return json({ result: submission.reply({ ...refusalReply(refused), hideFields }) }, { status: refused.status });
  }
  return redirect(urls.staff.home(lang, { hash: fragments.main }), { headers: { "Set-Cookie": await startSession(accepted.user.id, db) } });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.invitation.title")) }];

export default function Invitation() {
  const { lang, invitation, min } = useLoaderData<typeof loader>();
  const errors = errorsOf(useActionData<typeof action>()?.result);
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
      <FormSummary errors={errors} list label={(name) => t(name === "confirm" ? "staff.password.confirm" : "staff.password.next")} />
      <form method="post" className="staff-form" action={urls.staff.invitation(lang, token, { hash: fragments.errors })}>
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
          {t("staff.invitation.submit")}
        </button>
      </form>
    </>
  );
}
