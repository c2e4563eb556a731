import { createCookie, json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ROLES } from "~/auth/permissions";
import { Done, Field, FormError } from "~/components/staff/Fields";
import { deactivate, invite, listStaff, reactivate, setRole, INVITATION_DAYS, type StaffChangeRefusal } from "~/domain/staff/accounts.server";
import { accountStateSchema, inviteSchema, roleChangeSchema, userIntentSchema, type UserIntent } from "~/domain/staff/schemas.server";
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
import { publicOrigin } from "~/platform/commune.server";

interface Invitation {
  link: string;
  expiresAt: string;
  emailed: string | null;
}

/**
 * The invitation just made, carried from the POST to the page it redirects to (POST → 303 → GET):
 * read once by that page and cleared, so reloading it neither invites again nor shows the link again.
 */
const invitationCookie = (lang: "fr" | "en") =>
  createCookie("quorum_invitation", {
    path: urls.staff.users(lang),
    httpOnly: true,
    sameSite: "strict",
    secure: publicOrigin().startsWith("https:"),
    maxAge: 300,
  });

/** Only an invitation link on this origin (in the language it was made in) is shown from the cookie. */
function isInvitation(value: unknown): value is Invitation {
  if (!value || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  const link = v.link;
  return (
    typeof link === "string" &&
    (["fr", "en"] as const).some((l) => link.startsWith(`${publicOrigin()}${urls.staff.invitation(l, "")}`)) &&
    typeof v.expiresAt === "string" &&
    (v.emailed === null || typeof v.emailed === "string")
  );
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, staff, db } = await staffRequest(request, params, "staff:manage");
  const list = await listStaff(db);
  const cookie = invitationCookie(lang);
  const carried: unknown = await cookie.parse(request.headers.get("Cookie"));
  const invitation = isInvitation(carried) ? carried : null;
  return json(
    { lang, me: staff.id, mail: mailConfigured(), invitation, users: list.map((u) => ({ ...u, createdAt: u.createdAt.toISOString() })) },
    carried ? { headers: { "Set-Cookie": await cookie.serialize("", { maxAge: 0 }) } } : undefined,
  );
}

/** What every refusal answers: which form, conform's result, and the account an address already has. */
interface Answer {
  intent: UserIntent | null;
  result: FormResult;
  existing?: { id: string; email: string };
}
const answer = (body: Answer, status = 200) => json(body, { status });

const REFUSED = {
  not_found: { status: 409, key: "notFound" },
  last_admin: { status: 409, key: "lastAdmin" },
} satisfies Record<StaffChangeRefusal, RefusalAnswer>;

type Form = StaffRequest & { request: Request; form: FormData; intent: UserIntent };

const INTENTS: Record<UserIntent, (ctx: Form) => Promise<Response>> = {
  /** A single-use link, shown once, on the page the POST redirects to (see `invitationCookie`). */
  async invite({ lang, staff, db, form }) {
    const submission = parseFormData(form, inviteSchema);
    if (submission.status !== "success") return answer({ intent: "invite", result: submission.reply() }, 400);
    const { email, role } = submission.value;
    const inviteLang = submission.value.lang ?? lang;
    const mail = await invitationMail(inviteLang, role);
    const invited = await invite(db, staff.id, { email, role }, new Date(), mail);
    if (!invited.ok) {
      const { account } = invited;
      const params = { role: tFor(lang)(`staff.roles.${account.role}`), state: tFor(lang)(account.active ? "staff.users.active" : "staff.users.inactive") };
      return answer(
        {
          intent: "invite",
          result: submission.reply(refusalReply({ status: 409, key: "emailHasAccount", field: "email", params })),
          existing: { id: account.id, email },
        },
        409,
      );
    }
    if (mail) mailQueued();
    const link = `${publicOrigin()}${urls.staff.invitation(inviteLang, invited.token)}`;
    const carried: Invitation = { link, expiresAt: invited.expiresAt.toISOString(), emailed: mail ? email : null };
    return redirect(urls.staff.users(lang, { done: "invited", hash: fragments.errors }), {
      status: 303,
      headers: { "Set-Cookie": await invitationCookie(lang).serialize(carried) },
    });
  },
  async role({ lang, staff, db, form }) {
    const submission = parseFormData(form, roleChangeSchema);
    if (submission.status !== "success") return answer({ intent: "role", result: submission.reply() }, 400);
    const changed = await setRole(db, staff.id, submission.value.userId, submission.value.role);
    if (!changed.ok) return answer({ intent: "role", result: submission.reply(refusalReply(REFUSED[changed.reason])) }, REFUSED[changed.reason].status);
    return redirect(urls.staff.users(lang, { done: "role", hash: fragments.done }));
  },
  deactivate: changeState,
  reactivate: changeState,
};

async function changeState({ lang, staff, db, form, intent }: Form): Promise<Response> {
  const submission = parseFormData(form, accountStateSchema);
  if (submission.status !== "success") return answer({ intent, result: submission.reply() }, 400);
  const { userId } = submission.value;
  const changed = intent === "deactivate" ? await deactivate(db, staff.id, userId) : await reactivate(db, staff.id, userId);
  if (!changed.ok) return answer({ intent, result: submission.reply(refusalReply(REFUSED[changed.reason])) }, REFUSED[changed.reason].status);
  return redirect(urls.staff.users(lang, { done: "account", hash: fragments.done }));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await staffRequest(request, params, "staff:manage");
  const form = await readForm(request);
  const which = parseFormData(form, userIntentSchema);
  if (which.status !== "success") return answer({ intent: null, result: which.reply() }, 400);
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
  const { lang, me, users, mail, invitation } = useLoaderData<typeof loader>();
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
      {/* Just after inviting, the notice below says it all; on a reload it says the link was shown once. */}
      <Done done={invitation ? null : search.get("done")} />
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
              <tr key={u.id} id={`user-${u.id}`}>
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
      {/* What happens in this deployment only: by email when a mail server is configured, else by hand. */}
      <p>{mail ? t("staff.users.inviteByMail", { days: INVITATION_DAYS }) : t("staff.users.inviteNoMail", { days: INVITATION_DAYS })}</p>
      {invitation ? (
        // The invitation form posts to #errors: the page it leads to shows the link here, once.
        <div className="notice" role="status" id={fragments.errors} tabIndex={-1}>
          {invitation.emailed ? <p>{t("staff.users.inviteEmailed", { email: invitation.emailed })}</p> : null}
          <p>{t(invitation.emailed ? "staff.users.inviteLinkToo" : "staff.users.inviteLink", { date: format.dateTime(invitation.expiresAt) })}</p>
          <p>
            <code className="invite-link">{invitation.link}</code>
          </p>
        </div>
      ) : null}
      {inviting && data?.existing ? (
        <p>
          <a href={`#user-${data.existing.id}`}>{t("staff.users.seeAccount", { email: data.existing.email })}</a>
        </p>
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
