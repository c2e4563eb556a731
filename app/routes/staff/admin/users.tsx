import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ROLES } from "~/auth/permissions";
import { Done, Field, FormError } from "~/components/staff/Fields";
import { deactivate, invite, listStaff, reactivate, setRole, INVITATION_DAYS, type StaffChangeRefusal } from "~/domain/staff/accounts.server";
import { accountStateSchema, inviteSchema, roleChangeSchema, userIntentSchema, type UserIntent } from "~/domain/staff/schemas.server";
import { loadEnv } from "~/platform/env.server";
import { parseFormData } from "~/forms/forms.server";
import { errorsOf, refusalReply, valuesOf, type Errors, type FormResult, type RefusalAnswer } from "~/forms/result";
import { readForm } from "~/web/http.server";
import { useFormat, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { invitationMail, mailConfigured, mailQueued } from "~/platform/mail.server";
import { staffRequest, type StaffRequest } from "~/web/staff.server";
import { urls } from "~/urls";
import { fragments } from "~/components/fragments";
import { FormSummary } from "~/components/staff/Refusal";
import { ScrollTable } from "~/components/staff/ScrollTable";
import { pageTitle } from "~/i18n/title";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, staff, db } = await staffRequest(request, params, "staff:manage");
  const list = await listStaff(db);
  return json({ lang, me: staff.id, mail: mailConfigured(), users: list.map((u) => ({ ...u, createdAt: u.createdAt.toISOString() })) });
}

/** What every refusal and the invitation answer: which form, conform's result, the link when one was made. */
interface Answer {
  intent: UserIntent | null;
  result: FormResult;
  invitation: { link: string; expiresAt: string; emailed: string | null } | null;
}
const answer = (body: Answer, status = 200) => json(body, { status });

const REFUSED = {
  not_found: { status: 409, key: "notFound" },
  last_admin: { status: 409, key: "lastAdmin" },
} satisfies Record<StaffChangeRefusal, RefusalAnswer>;

type Form = StaffRequest & { request: Request; form: FormData; intent: UserIntent };

const INTENTS: Record<UserIntent, (ctx: Form) => Promise<Response>> = {
  /** A single-use link, shown once: the page answers with it rather than redirecting. */
  async invite({ lang, staff, db, form }) {
    const submission = parseFormData(form, inviteSchema);
    if (submission.status !== "success") return answer({ intent: "invite", result: submission.reply(), invitation: null }, 400);
    const { email, role } = submission.value;
    const inviteLang = submission.value.lang ?? lang;
    const mail = await invitationMail(inviteLang, role);
    const { token, expiresAt } = await invite(db, staff.id, { email, role }, new Date(), mail);
    if (mail) mailQueued();
    const link = `${loadEnv().QUORUM_ORIGIN}${urls.staff.invitation(inviteLang, token)}`;
    return answer({
      intent: "invite",
      result: submission.reply({ resetForm: true }),
      invitation: { link, expiresAt: expiresAt.toISOString(), emailed: mail ? email : null },
    });
  },
  async role({ lang, staff, db, form }) {
    const submission = parseFormData(form, roleChangeSchema);
    if (submission.status !== "success") return answer({ intent: "role", result: submission.reply(), invitation: null }, 400);
    const changed = await setRole(db, staff.id, submission.value.userId, submission.value.role);
    if (!changed.ok)
      return answer({ intent: "role", result: submission.reply(refusalReply(REFUSED[changed.reason])), invitation: null }, REFUSED[changed.reason].status);
    return redirect(urls.staff.users(lang, { done: "role", hash: fragments.done }));
  },
  deactivate: changeState,
  reactivate: changeState,
};

async function changeState({ lang, staff, db, form, intent }: Form): Promise<Response> {
  const submission = parseFormData(form, accountStateSchema);
  if (submission.status !== "success") return answer({ intent, result: submission.reply(), invitation: null }, 400);
  const { userId } = submission.value;
  const changed = intent === "deactivate" ? await deactivate(db, staff.id, userId) : await reactivate(db, staff.id, userId);
  if (!changed.ok) return answer({ intent, result: submission.reply(refusalReply(REFUSED[changed.reason])), invitation: null }, REFUSED[changed.reason].status);
  return redirect(urls.staff.users(lang, { done: "account", hash: fragments.done }));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await staffRequest(request, params, "staff:manage");
  const form = await readForm(request);
  const which = parseFormData(form, userIntentSchema);
  if (which.status !== "success") return answer({ intent: null, result: which.reply(), invitation: null }, 400);
  const { intent } = which.value;
  return INTENTS[intent]({ ...ctx, request, form, intent });
}

/** The one message for a refused row form (role, deactivate): its fields are hidden, so it goes on top. */
function rowError(errors: Errors): string | null {
  const first = errors.form ?? errors.intent ?? errors.userId ?? errors.role;
  return first?.key ?? null;
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.users.title")) }];

export default function Users() {
  const { lang, me, users, mail } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as Answer | undefined;
  const [search] = useSearchParams();
  const t = useT();
  const format = useFormat();
  const errors = errorsOf(data?.result);
  const inviting = data?.intent === "invite";
  const inviteErrors = inviting ? errors : {};
  const typed = inviting ? valuesOf(data?.result) : undefined;
  const roleError = inviteErrors.role;
  return (
    <>
      <h1>{t("staff.users.title")}</h1>
      <Done done={search.get("done")} />
      {inviting ? (
        <FormSummary
          errors={errors}
          list
          label={(name) => t(name === "role" ? "staff.users.role" : name === "lang" ? "staff.users.inviteLang" : "staff.users.email")}
        />
      ) : (
        <FormError error={rowError(errors)} />
      )}
      <ScrollTable label={t("staff.users.title")}>
        <table>
          <caption className="visually-hidden">{t("staff.users.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("staff.users.email")}</th>
              <th scope="col">{t("staff.users.role")}</th>
              <th scope="col">{t("staff.users.state")}</th>
              <th scope="col">{t("staff.users.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.email}</td>
                <td>
                  <form method="post" action={urls.staff.users(lang, { hash: fragments.errors })} className="inline">
                    <input type="hidden" name="intent" value="role" />
                    <input type="hidden" name="userId" value={u.id} />
                    <label className="visually-hidden" htmlFor={`role-${u.id}`}>
                      {t("staff.users.roleOf", { email: u.email })}
                    </label>
                    <select id={`role-${u.id}`} name="role" defaultValue={u.role}>
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {t(`staff.roles.${r}`)}
                        </option>
                      ))}
                    </select>
                    <button type="submit">{t("staff.users.saveRole")}</button>
                  </form>
                </td>
                <td>{u.active ? t("staff.users.active") : t("staff.users.inactive")}</td>
                <td>
                  {u.id === me ? (
                    t("staff.users.you")
                  ) : (
                    <form method="post" action={urls.staff.users(lang, { hash: fragments.errors })} className="inline">
                      <input type="hidden" name="intent" value={u.active ? "deactivate" : "reactivate"} />
                      <input type="hidden" name="userId" value={u.id} />
                      <button type="submit">
                        {u.active ? t("staff.users.deactivate", { email: u.email }) : t("staff.users.reactivate", { email: u.email })}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
      <h2>{t("staff.users.inviteTitle")}</h2>
      <p>{t("staff.users.inviteIntro", { days: INVITATION_DAYS })}</p>
      <p>{mail ? t("staff.users.inviteByMail") : t("staff.users.inviteNoMail")}</p>
      {data?.invitation ? (
        // The invitation form posts to #errors: its answer, refused or done, lands here.
        <div className="notice" role="status" id={fragments.errors} tabIndex={-1}>
          {data.invitation.emailed ? <p>{t("staff.users.inviteEmailed", { email: data.invitation.emailed })}</p> : null}
          <p>{t("staff.users.inviteLink", { date: format.dateTime(data.invitation.expiresAt) })}</p>
          <p>
            <code className="invite-link">{data.invitation.link}</code>
          </p>
        </div>
      ) : null}
      <form method="post" action={urls.staff.users(lang, { hash: fragments.errors })} className="staff-form">
        <input type="hidden" name="intent" value="invite" />
        <Field name="email" type="email" label={t("staff.users.email")} value={typed?.email} errors={inviteErrors} />
        <div className={`field${roleError ? " has-error" : ""}`}>
          <label htmlFor="f-role">{t("staff.users.role")}</label>
          {roleError ? (
            <p className="error" id="f-role-error">
              {t(`staffErrors.${roleError.key}`, roleError.params ?? {})}
            </p>
          ) : null}
          <select
            id="f-role"
            name="role"
            defaultValue={typed?.role && (ROLES as readonly string[]).includes(typed.role) ? typed.role : "official"}
            aria-describedby={roleError ? "f-role-error" : undefined}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`staff.roles.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-lang">{t("staff.users.inviteLang")}</label>
          <select id="f-lang" name="lang" defaultValue={typed?.lang === "en" || typed?.lang === "fr" ? typed.lang : lang}>
            <option value="fr" lang="fr">
              Français
            </option>
            <option value="en" lang="en">
              English
            </option>
          </select>
        </div>
        <button type="submit" className="primary">
          {t("staff.users.inviteSubmit")}
        </button>
      </form>
    </>
  );
}
