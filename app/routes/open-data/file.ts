import type { LoaderFunctionArgs } from "@remix-run/node";
import { getConsultationBySlug } from "~/domain/consultations/queries.server";
import { openDataFiles } from "~/domain/opendata/opendata.server";
import { getDb } from "~/platform/db.server";
import { openDataSettings } from "~/web/settings.server";
import { notFound, openDataResponse } from "~/web/http.server";

/** GET /open-data/{slug}.csv and /open-data/{slug}.json: published results, stable URLs. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const match = /^([a-z0-9-]+)\.(csv|json)$/.exec(params.file ?? "");
  if (!match) throw notFound();
  const [, slug, format] = match;
  const db = await getDb();
  const c = await getConsultationBySlug(db, slug);
  if (!c || !c.openDataPublishedAt) throw notFound();
  const files = await openDataFiles(db, c, await openDataSettings());
  return format === "json"
    ? openDataResponse(request, files.json, "application/json; charset=utf-8", files.lastModified, `${slug}.json`)
    : openDataResponse(request, files.csv, "text/csv; charset=utf-8", files.lastModified, `${slug}.csv`);
}
