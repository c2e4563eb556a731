import { municipalTimeZone } from "~/web/settings.server";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Field } from "~/components/staff/Fields";
import { listAudit } from "~/domain/audit/audit.server";
import { readAuditFilter } from "~/domain/audit/filter.server";
import { AUDIT_ACTIONS, isKnownAction } from "~/domain/audit/actions";
import { listAllConsultations } from "~/domain/consultations/queries.server";
import { auditSentence } from "~/i18n/audit";
import { useFormat, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { staffRequest } from "~/web/staff.server";
import { urls } from "~/urls";
import { ScrollTable } from "~/components/staff/ScrollTable";
import { pageTitle } from "~/i18n/title";

/** Who did what, when and why: moderation, publication, role changes, exports. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, db } = await staffRequest(request, params, "audit:read");
  const { shown, query, errors } = readAuditFilter(new URL(request.url).searchParams, await municipalTimeZone());
  const rows = await listAudit(db, query);
  const t = tFor(lang);
  const consultations = (await listAllConsultations(db))
    .map((c) => ({ slug: c.slug, title: c.texts[lang].title || c.slug }))
    .sort((a, b) => a.title.localeCompare(b.title, lang));
  return json({
    lang,
    filter: shown,
    errors,
    consultations,
    query: new URL(request.url).search,
    rows: rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actorEmail: r.actorEmail,
      action: r.action,
      reason: r.reason,
      sentence: auditSentence(t, lang, r),
    })),
  });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.audit.title")) }];

export default function Audit() {
  const { lang, filter, errors, rows, consultations, query } = useLoaderData<typeof loader>();
  const csv = urls.staff.auditCsv(lang, new URLSearchParams(query));
  const csvFr = urls.staff.auditCsv(lang, new URLSearchParams(query), { format: "fr" });
  const t = useT();
  const f = useFormat();
  return (
    <>
      <h1>{t("staff.audit.title")}</h1>
      <form method="get" action={urls.staff.audit(lang)} className="filters side-by-side">
        <div className="field">
          <label htmlFor="consultation">{t("staff.audit.consultation")}</label>
          <select id="consultation" name="consultation" defaultValue={filter.consultation}>
            <option value="">{t("staff.audit.anyConsultation")}</option>
            {consultations.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="action">{t("staff.audit.action")}</label>
          <select id="action" name="action" defaultValue={filter.action}>
            <option value="">{t("staff.audit.anyAction")}</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {t(`staff.audit.actions.${a}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="actor">{t("staff.audit.actor")}</label>
          <input type="text" id="actor" name="actor" defaultValue={filter.actor} />
        </div>
        <Field name="from" type="date" label={t("staff.audit.from")} value={filter.from} errors={errors} />
        <Field name="to" type="date" label={t("staff.audit.to")} value={filter.to} errors={errors} />
        <div className="field">
          <button type="submit">{t("staff.summary.apply")}</button>
        </div>
      </form>
      {errors.from || errors.to ? <p className="notice">{t("staff.audit.ignored")}</p> : null}
      <p>
        <a href={csv}>{t("staff.audit.csv")}</a> · <a href={csvFr}>{t("staff.audit.csvFr")}</a>
      </p>
      {rows.length === 0 ? (
        <p>{t("staff.audit.none")}</p>
      ) : (
        <ScrollTable label={t("staff.audit.title")}>
          <table>
            <caption className="visually-hidden">{t("staff.audit.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("staff.audit.when")}</th>
                <th scope="col">{t("staff.audit.what")}</th>
                <th scope="col">{t("staff.audit.action")}</th>
                <th scope="col">{t("staff.audit.reason")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>{f.dateTime(r.at)}</td>
                  <td>{r.sentence}</td>
                  <td>{isKnownAction(r.action) ? t(`staff.audit.actions.${r.action}`) : <code>{r.action}</code>}</td>
                  <td>{r.reason ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
    </>
  );
}
