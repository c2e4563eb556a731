import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { can } from "~/auth/permissions";
import { closeExpired } from "~/domain/consultations/lifecycle.server";
import { listAllConsultations } from "~/domain/consultations/queries.server";
import { useFormat, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { staffRequest } from "~/staff.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, staff, db } = await staffRequest(request, params, "consultations:read");
  await closeExpired(db);
  const list = await listAllConsultations(db);
  return json({
    lang,
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

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${tFor(data?.lang ?? "fr")("staff.home.title")} – Quorum` }];

export default function StaffHome() {
  const { lang, canEdit, consultations } = useLoaderData<typeof loader>();
  const t = useT();
  const format = useFormat();
  return (
    <>
      <h1>{t("staff.home.title")}</h1>
      {canEdit ? (
        <p>
          <a className="button" href={`/${lang}/staff/consultations/new`}>
            {t("staff.home.new")}
          </a>
        </p>
      ) : null}
      {consultations.length === 0 ? (
        <p>{t("staff.home.none")}</p>
      ) : (
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
                  <a href={`/${lang}/staff/consultations/${c.slug}`}>{c.title}</a>
                </td>
                <td>{t(`staff.status.${c.status}`)}</td>
                <td>{t(`staff.mode.${c.mode}`)}</td>
                <td>{c.closesAt ? format.dateTime(c.closesAt) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
