/** Streams one consultation's CSV export to nowhere and reports time, bytes and peak memory (a process of its own, so the figure is the export's). */
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { openDatabase } from "../db/client";
import { getConsultationBySlug } from "../app/domain/consultations/queries.server";
import { csvStream, exportColumns, exportRows } from "../app/domain/exports/raw.server";

const [, , url, slug] = process.argv;
const database = await openDatabase({ url, max: 2 });
const c = (await getConsultationBySlug(database.db, slug))!;
let bytes = 0;
let rows = 0;
const started = performance.now();
await pipeline(
  csvStream(
    exportColumns(c),
    (async function* () {
      for await (const row of exportRows(database.db, c, "fr", "Europe/Paris")) {
        rows++;
        yield row;
      }
    })(),
  ),
  new Writable({
    write(chunk, _enc, done) {
      bytes += chunk.length;
      done();
    },
  }),
);
const seconds = (performance.now() - started) / 1000;
await database.close();
console.log(JSON.stringify({ rows, bytes, seconds, peakRssMiB: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10 }));
