import { municipalTimeZone } from "~/web/settings.server";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { auditDownload } from "~/domain/audit/audit.server";
import { exportColumns, exportHeader, exportRows, jsonStream } from "~/domain/exports/raw.server";
import { download } from "~/web/download.server";
import { staffConsultation } from "~/web/staff.server";

/** Raw answers as JSON, streamed. Columns: docs/exports.md. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, staff, db, consultation: c } = await staffConsultation(request, params, "exports:read");
  await auditDownload(db, request.method, { actorId: staff.id, download: "export.json", slug: c.slug });
  const timeZone = await municipalTimeZone();
  return download(
    jsonStream(exportHeader(c, lang, new Date(), timeZone), exportColumns(c), exportRows(db, c, lang, timeZone)),
    `${c.slug}-${lang}.json`,
    "application/json; charset=utf-8",
  );
}
