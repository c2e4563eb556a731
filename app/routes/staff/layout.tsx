import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { can } from "~/auth/permissions";
import { getStaff } from "~/auth/session.server";
import { requireLang } from "~/web/http.server";
import { useT } from "~/i18n/hooks";
import { urls } from "~/urls";

/** The staff area's frame: who is signed in and where they can go. Each page checks its own permission. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const lang = requireLang(params);
  const { staff, setCookie } = await getStaff(request);
  return json(
    { lang, staff: staff ? { email: staff.email, role: staff.role } : null },
    { headers: { "Cache-Control": "private, no-store", ...(setCookie ? { "Set-Cookie": setCookie } : {}) } },
  );
}

export const meta: MetaFunction = () => [{ name: "robots", content: "noindex" }];

export default function StaffLayout() {
  const { lang, staff } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="staff">
      {staff ? (
        <nav className="staff-nav" aria-label={t("staff.nav.label")}>
          <ul>
            <li>
              <a href={urls.staff.home(lang)}>{t("staff.nav.consultations")}</a>
            </li>
            {can(staff.role, "staff:manage") ? (
              <li>
                <a href={urls.staff.users(lang)}>{t("staff.nav.users")}</a>
              </li>
            ) : null}
            {can(staff.role, "settings:manage") ? (
              <li>
                <a href={urls.staff.settings(lang)}>{t("staff.nav.settings")}</a>
              </li>
            ) : null}
            {can(staff.role, "settings:manage") ? (
              <li>
                <a href={urls.staff.mail(lang)}>{t("staff.nav.mail")}</a>
              </li>
            ) : null}
            {can(staff.role, "audit:read") ? (
              <li>
                <a href={urls.staff.audit(lang)}>{t("staff.nav.audit")}</a>
              </li>
            ) : null}
            <li>
              <a href={urls.staff.password(lang)}>{t("staff.nav.password")}</a>
            </li>
          </ul>
          <p className="whoami">{t("staff.nav.signedInAs", { email: staff.email, role: t(`staff.roles.${staff.role}`) })}</p>
          <form method="post" action={urls.staff.logout(lang)}>
            <button type="submit">{t("staff.nav.signOut")}</button>
          </form>
        </nav>
      ) : null}
      <Outlet />
    </div>
  );
}
