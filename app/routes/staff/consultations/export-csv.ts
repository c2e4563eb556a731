import { municipalTimeZone } from "~/web/settings.server";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { auditDownload } from "~/domain/audit/audit.server";
import { csvStream, exportColumns, exportRows } from "~/domain/exports/raw.server";
import { csvName, dialectOf } from "~/domain/exports/spreadsheet";
import { download } from "~/web/download.server";
import { staffConsultation } from "~/web/staff.server";

/** Raw answers as CSV (RFC 4180, UTF-8 with BOM; `?format=fr`: semicolons and decimal commas), streamed. Columns: docs/exports.md. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, staff, db, consultation: c } = await staffConsultation(request, params, "exports:read");
  await auditDownload(db, request.method, { actorId: staff.id, download: "export.csv", slug: c.slug });
  const dialect = dialectOf(new URL(request.url).searchParams);
  return download(
    csvStream(exportColumns(c), exportRows(db, c, lang, await municipalTimeZone()), dialect),
    csvName(`${c.slug}-${lang}`, dialect),
    "text/csv; charset=utf-8",
  );
}
