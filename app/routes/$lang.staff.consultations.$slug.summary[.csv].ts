import type { LoaderFunctionArgs } from "@remix-run/node";
import { auditDownload } from "~/domain/audit/audit.server";
import { download } from "~/download.server";
import { aggregateCsv, aggregateRows } from "~/domain/opendata/opendata.server";
import { summarize } from "~/domain/summary/summary.server";
import { staffConsultation } from "~/staff.server";

/** The summary's numbers as CSV (both languages side by side, as in open data, without free text). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { staff, db, consultation: c } = await staffConsultation(request, params, "exports:read");
  await auditDownload(db, request.method, { actorId: staff.id, download: "export.summary", slug: c.slug });
  return download(aggregateCsv(aggregateRows(await summarize(db, c))), `${c.slug}-summary.csv`, "text/csv; charset=utf-8");
}
