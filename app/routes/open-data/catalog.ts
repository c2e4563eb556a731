import type { LoaderFunctionArgs } from "@remix-run/node";
import { listPublishedDatasets } from "~/domain/opendata/opendata.server";
import { catalog } from "~/domain/opendata/package.server";
import { getDb } from "~/platform/db.server";
import { publisherSettings } from "~/web/settings.server";
import { openDataResponse } from "~/web/http.server";

/** GET /open-data/catalog.json: DCAT (JSON-LD) catalogue of every published dataset. */
export async function loader({ request }: LoaderFunctionArgs) {
  const list = await listPublishedDatasets(await getDb());
  const body = JSON.stringify(catalog(list, await publisherSettings()), null, 1);
  const latest = list.reduce<Date | null>((m, d) => {
    const at = d.modified ?? d.publishedAt;
    return at && (!m || at > m) ? at : m;
  }, null);
  return openDataResponse(request, body, "application/ld+json; charset=utf-8", latest, "catalog.json");
}
