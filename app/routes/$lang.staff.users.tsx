import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { Done, Field, FormError, type Errors } from "~/components/staff/Fields";
import { deactivate, emailSchema, invite, listStaff, reactivate, roleSchema, setRole, INVITATION_DAYS } from "~/domain/staff/accounts.server";
import { loadEnv } from "~/env.server";
import { useFormat, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { readForm } from "~/http.server";
import { staffRequest } from "~/staff.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, staff, db } = await staffRequest(request, params, "staff:manage");
  const list = await listStaff(db);
  return json({ lang, me: staff.id, users: list.map((u) => ({ ...u, createdAt: u.createdAt.toISOString() })) });
}

const inviteSchema = z.object({ email: emailSchema, role: roleSchema });

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, staff, db } = await staffRequest(request, params, "staff:manage");
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "invite") {
    const parsed = inviteSchema.safeParse({ email: form.get("email") ?? "", role: form.get("role") ?? "" });
    if (!parsed.success) {
      const errors: Errors = {};
      for (const i of parsed.error.issues) errors[String(i.path[0])] ??= { key: i.path[0] === "email" ? "emailFormat" : "invalid" };
      return json({ errors, typedEmail: String(form.get("email") ?? "").slice(0, 254), link: null, expiresAt: null, error: "fixFields" }, { status: 400 });
    }
    const { token, expiresAt } = await invite(db, staff.id, parsed.data);
    const base = loadEnv().QUORUM_PUBLIC_URL ?? new URL(request.url).origin;
    return json({ errors: {}, typedEmail: "", link: `${base.replace(/\/$/, "")}/${lang}/staff/invitations/${token}`, expiresAt: expiresAt.toISOString(), error: null });
  }
  const userId = String(form.get("userId") ?? "");
  const result =
    intent === "role"
      ? await (async () => {
          const role = roleSchema.safeParse(form.get("role"));
          return role.success ? setRole(db, staff.id, userId, role.data) : ({ ok: false, reason: "not_found" } as const);
        })()
      : intent === "deactivate"
        ? await deactivate(db, staff.id, userId)
        : intent === "reactivate"
          ? await reactivate(db, staff.id, userId)
          : ({ ok: false, reason: "not_found" } as const);
  if (!result.ok) return json({ errors: {}, typedEmail: "", link: null, expiresAt: null, error: result.reason === "last_admin" ? "lastAdmin" : "notFound" }, { status: 409 });
  return redirect(`/${lang}/staff/users?done=${intent === "role" ? "role" : "account"}`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${tFor(data?.lang ?? "fr")("staff.users.title")} – Quorum` }];

export default function Users() {
  const { lang, me, users } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const t = useT();
  const format = useFormat();
  const roleError = (result?.errors as Errors | undefined)?.role;
  return (
    <>
      <h1>{t("staff.users.title")}</h1>
      <Done done={search.get("done")} />
      <FormError error={result?.error} />
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
                <form method="post" action={`/${lang}/staff/users`} className="inline">
                  <input type="hidden" name="intent" value="role" />
                  <input type="hidden" name="userId" value={u.id} />
                  <label className="visually-hidden" htmlFor={`role-${u.id}`}>
                    {t("staff.users.roleOf", { email: u.email })}
                  </label>
                  <select id={`role-${u.id}`} name="role" defaultValue={u.role}>
                    {(["admin", "official", "moderator"] as const).map((r) => (
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
                  <form method="post" action={`/${lang}/staff/users`} className="inline">
                    <input type="hidden" name="intent" value={u.active ? "deactivate" : "reactivate"} />
                    <input type="hidden" name="userId" value={u.id} />
                    <button type="submit">{u.active ? t("staff.users.deactivate", { email: u.email }) : t("staff.users.reactivate", { email: u.email })}</button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t("staff.users.inviteTitle")}</h2>
      <p>{t("staff.users.inviteIntro", { days: INVITATION_DAYS })}</p>
      {result?.link ? (
        <div className="notice" role="status">
          <p>{t("staff.users.inviteLink", { date: format.dateTime(result.expiresAt!) })}</p>
          <p>
            <code className="invite-link">{result.link}</code>
          </p>
        </div>
      ) : null}
      <form method="post" action={`/${lang}/staff/users`} className="staff-form">
        <input type="hidden" name="intent" value="invite" />
        <Field name="email" type="email" label={t("staff.users.email")} value={result?.typedEmail} errors={result?.errors} />
        <div className={`field${roleError ? " has-error" : ""}`}>
          <label htmlFor="invite-role">{t("staff.users.role")}</label>
          {roleError ? (
            <p className="error" id="invite-role-error">
              {t(`staffErrors.${roleError.key}`)}
            </p>
          ) : null}
          <select id="invite-role" name="role" defaultValue="official" aria-describedby={roleError ? "invite-role-error" : undefined}>
            {(["admin", "official", "moderator"] as const).map((r) => (
              <option key={r} value={r}>
                {t(`staff.roles.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="primary">
          {t("staff.users.inviteSubmit")}
        </button>
      </form>
    </>
  );
}
