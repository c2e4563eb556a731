import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listAudit } from "~/domain/audit/audit.server";
import { useFormat, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { searchParam } from "~/http.server";
import { staffRequest } from "~/staff.server";

const day = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : "");

/** Who did what, when and why: moderation, publication, role changes, exports. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, db } = await staffRequest(request, params, "audit:read");
  const url = new URL(request.url);
  const filter = {
    action: searchParam(url, "action", 60),
    actor: searchParam(url, "actor", 254),
    from: day(url.searchParams.get("from")),
    to: day(url.searchParams.get("to")),
  };
  const rows = await listAudit(db, {
    action: filter.action || undefined,
    actorEmail: filter.actor || undefined,
    from: filter.from ? new Date(`${filter.from}T00:00:00Z`) : undefined,
    to: filter.to ? new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + 86_400_000) : undefined,
    limit: 500,
  });
  return json({ lang, filter, rows: rows.map((r) => ({ ...r, at: r.at.toISOString(), details: r.details ? JSON.stringify(r.details) : "" })) });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${tFor(data?.lang ?? "fr")("staff.audit.title")} – Quorum` }];

export default function Audit() {
  const { lang, filter, rows } = useLoaderData<typeof loader>();
  const t = useT();
  const f = useFormat();
  return (
    <>
      <h1>{t("staff.audit.title")}</h1>
      <form method="get" action={`/${lang}/staff/audit`} className="filters side-by-side">
        <div className="field">
          <label htmlFor="action">{t("staff.audit.action")}</label>
          <input type="text" id="action" name="action" defaultValue={filter.action} placeholder="moderation.hide" />
        </div>
        <div className="field">
          <label htmlFor="actor">{t("staff.audit.actor")}</label>
          <input type="text" id="actor" name="actor" defaultValue={filter.actor} />
        </div>
        <div className="field">
          <label htmlFor="from">{t("staff.audit.from")}</label>
          <input type="date" id="from" name="from" defaultValue={filter.from} />
        </div>
        <div className="field">
          <label htmlFor="to">{t("staff.audit.to")}</label>
          <input type="date" id="to" name="to" defaultValue={filter.to} />
        </div>
        <div className="field">
          <button type="submit">{t("staff.summary.apply")}</button>
        </div>
      </form>
      {rows.length === 0 ? (
        <p>{t("staff.audit.none")}</p>
      ) : (
        <table>
          <caption className="visually-hidden">{t("staff.audit.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("staff.audit.when")}</th>
              <th scope="col">{t("staff.audit.actor")}</th>
              <th scope="col">{t("staff.audit.action")}</th>
              <th scope="col">{t("staff.audit.target")}</th>
              <th scope="col">{t("staff.audit.reason")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{f.dateTime(r.at)}</td>
                <td>{r.actorEmail ?? "—"}</td>
                <td>
                  <code>{r.action}</code>
                </td>
                <td>
                  {r.targetType} {r.targetId} {r.details ? <span className="help">{r.details}</span> : null}
                </td>
                <td>{r.reason ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
