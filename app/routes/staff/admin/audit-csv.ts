import { municipalTimeZone } from "~/web/settings.server";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { listAudit } from "~/domain/audit/audit.server";
import { auditCsv } from "~/domain/audit/csv.server";
import { readAuditFilter } from "~/domain/audit/filter.server";
import { csvName, dialectOf } from "~/domain/exports/spreadsheet";
import { download } from "~/web/download.server";
import { auditSentence } from "~/i18n/audit";
import { tFor } from "~/i18n/i18n";
import { staffRequest } from "~/web/staff.server";

/** The audit log as the page filters it (same query string), as CSV with its sentences in the page's language; `?format=fr` for French spreadsheets. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, db } = await staffRequest(request, params, "audit:read");
  const search = new URL(request.url).searchParams;
  const { query } = readAuditFilter(search, await municipalTimeZone(), 100_000);
  const t = tFor(lang);
  const rows = (await listAudit(db, query)).map((r) => ({
    at: r.at.toISOString(),
    actor: r.actorEmail ?? "",
    action: r.action,
    sentence: auditSentence(t, lang, r),
    target_type: r.targetType,
    target: r.targetId,
    reason: r.reason ?? "",
    details: r.details ? JSON.stringify(r.details) : "",
  }));
  const dialect = dialectOf(search);
  return download(auditCsv(rows, dialect), csvName("audit", dialect), "text/csv; charset=utf-8");
}
