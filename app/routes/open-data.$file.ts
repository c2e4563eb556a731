import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { getConsultationBySlug } from "~/domain/consultations/queries.server";
import { aggregateCsv, openDataset } from "~/domain/opendata/opendata.server";
import { getDb } from "~/db.server";
import { loadEnv } from "~/env.server";
import { notFound } from "~/http.server";

/** GET /open-data/{slug}.csv and /open-data/{slug}.json: published results, stable URLs. */
export async function loader({ params }: LoaderFunctionArgs) {
  const match = /^([a-z0-9-]+)\.(csv|json)$/.exec(params.file ?? "");
  if (!match) throw notFound();
  const [, slug, format] = match;
  const db = await getDb();
  const c = await getConsultationBySlug(db, slug);
  if (!c || !c.openDataPublishedAt) throw notFound();
  const { metadata, rows } = await openDataset(db, c, { k: loadEnv().QUORUM_SMALL_COUNT_K, timeZone: loadEnv().QUORUM_TIMEZONE });
  const headers = {
    "Cache-Control": "public, max-age=300",
    "Access-Control-Allow-Origin": "*",
    "Content-Disposition": `inline; filename="${slug}.${format}"`,
  };
  if (format === "json")
    return new Response(JSON.stringify({ metadata, results: rows }, null, 1), { headers: { ...headers, "Content-Type": "application/json; charset=utf-8" } });
  return new Response(createReadableStreamFromReadable(aggregateCsv(rows)), { headers: { ...headers, "Content-Type": "text/csv; charset=utf-8" } });
}
