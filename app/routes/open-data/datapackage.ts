import type { LoaderFunctionArgs } from "@remix-run/node";
import { getConsultationBySlug } from "~/domain/consultations/queries.server";
import { openDataFiles } from "~/domain/opendata/opendata.server";
import { dataPackage } from "~/domain/opendata/package.server";
import { getDb } from "~/platform/db.server";
import { openDataSettings, publisherSettings } from "~/web/settings.server";
import { notFound, openDataResponse } from "~/web/http.server";

/** GET /open-data/{slug}/datapackage.json: the Frictionless Tabular Data Package of a published dataset. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  if (!/^[a-z0-9-]+$/.test(slug)) throw notFound();
  const db = await getDb();
  const c = await getConsultationBySlug(db, slug);
  if (!c || !c.openDataPublishedAt) throw notFound();
  const files = await openDataFiles(db, c, await openDataSettings());
  const body = JSON.stringify(dataPackage(c, files, await publisherSettings()), null, 1);
  return openDataResponse(request, body, "application/json; charset=utf-8", files.lastModified, "datapackage.json");
}
