import type { LoaderFunctionArgs } from "@remix-run/node";
import { auditDownload } from "~/domain/audit/audit.server";
import { summaryFilterSchema } from "~/domain/consultations/schema.server";
import { summaryCsv } from "~/domain/summary/csv.server";
import { summarize } from "~/domain/summary/summary.server";
import { csvName, dialectOf } from "~/domain/exports/spreadsheet";
import { download } from "~/web/download.server";
import { parseFormData } from "~/forms/forms.server";
import { staffConsultation } from "~/web/staff.server";
import { openDataSettings } from "~/web/settings.server";

/** Every figure of the summary (and of its breakdown, `?breakdown=`) as CSV, `?format=fr` for French spreadsheets; columns in docs/exports.md. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { staff, db, consultation: c } = await staffConsultation(request, params, "exports:read");
  const search = new URL(request.url).searchParams;
  const filter = parseFormData(search, summaryFilterSchema);
  const dialect = dialectOf(search);
  const breakdownBy = (filter.status === "success" && filter.value.breakdown) || null;
  await auditDownload(db, request.method, { actorId: staff.id, download: "export.summary", slug: c.slug });
  return download(
    summaryCsv(await summarize(db, c, { breakdownBy, k: (await openDataSettings()).k }), dialect),
    csvName(`${c.slug}-summary`, dialect),
    "text/csv; charset=utf-8",
  );
}
