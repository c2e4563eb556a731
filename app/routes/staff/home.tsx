import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { can } from "~/auth/permissions";
import { closeExpired } from "~/domain/consultations/lifecycle.server";
import { listAllConsultations } from "~/domain/consultations/queries.server";
import { filterStaffList, readStaffListFilter } from "~/domain/consultations/staff-list";
import { CONSULTATION_STATUSES } from "~/domain/consultations/lists";
import { Done } from "~/components/staff/Fields";
import { useFormat, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { staffRequest } from "~/web/staff.server";
import { urls } from "~/urls";
import { ScrollTable } from "~/components/staff/ScrollTable";
import { pageTitle } from "~/i18n/title";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, staff, db } = await staffRequest(request, params, "consultations:read");
  await closeExpired(db);
  const all = await listAllConsultations(db);
  const filter = readStaffListFilter(new URL(request.url).searchParams);
  const list = filterStaffList(all, filter);
  return json({
    lang,
    filter,
    total: all.length,
    canEdit: can(staff.role, "consultations:edit"),
    consultations: list.map((c) => ({
      slug: c.slug,
      status: c.status,
      mode: c.mode,
      title: c.texts[lang].title || c.texts[lang === "fr" ? "en" : "fr"].title || c.slug,
      closesAt: c.closesAt?.toISOString() ?? null,
    })),
  });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.home.pageTitle")) }];

export default function StaffHome() {
  const { lang, canEdit, consultations, filter, total } = useLoaderData<typeof loader>();
  const t = useT();
  const format = useFormat();
  const [search] = useSearchParams();
  const filtered = !!(filter.q || filter.status);
  return (
    <>
      <h1>{t("staff.home.title")}</h1>
      <Done done={search.get("done")} />
      {canEdit ? (
        <p>
          <a className="button" href={urls.staff.newConsultation(lang)}>
            {t("staff.home.new")}
          </a>
        </p>
      ) : null}
      {total > 0 ? (
        <form method="get" action={urls.staff.home(lang)} className="filters" role="search" aria-label={t("staff.home.searchLabel")}>
          <div className="field">
            <label htmlFor="list-q">{t("staff.home.search")}</label>
            <input type="search" id="list-q" name="q" defaultValue={filter.q} />
          </div>
          <div className="field">
            <label htmlFor="list-status">{t("staff.home.colStatus")}</label>
            <select id="list-status" name="status" defaultValue={filter.status}>
              <option value="">{t("staff.home.anyStatus")}</option>
              {CONSULTATION_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`staff.status.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">{t("staff.home.filter")}</button>
          {filtered ? <a href={urls.staff.home(lang)}>{t("staff.home.clear")}</a> : null}
        </form>
      ) : null}
      {filtered ? <p role="status">{t("staff.home.found", { count: consultations.length, total })}</p> : null}
      {consultations.length === 0 ? (
        filtered ? null : (
          <p>{t("staff.home.none")}</p>
        )
      ) : (
        <ScrollTable label={t("staff.home.title")}>
          <table>
            <caption className="visually-hidden">{t("staff.home.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("staff.home.colTitle")}</th>
                <th scope="col">{t("staff.home.colStatus")}</th>
                <th scope="col">{t("staff.home.colMode")}</th>
                <th scope="col">{t("staff.home.colCloses")}</th>
              </tr>
            </thead>
            <tbody>
              {consultations.map((c) => (
                <tr key={c.slug}>
                  <td>
                    <a href={urls.staff.consultation(lang, c.slug)}>{c.title}</a>
                  </td>
                  <td>{t(`staff.status.${c.status}`)}</td>
                  <td>{t(`staff.mode.${c.mode}`)}</td>
                  <td>{c.closesAt ? format.dateTime(c.closesAt) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
    </>
  );
}
