/**
 * The staff summary as a domain call, in a process of its own: the median of a few runs of
 * `summarize()` on the demo consultation, without a breakdown and broken down by area.
 */
import { openDatabase } from "../db/client";
import { getConsultationBySlug } from "../app/domain/consultations/queries.server";
import { summarize } from "../app/domain/summary/summary.server";

const [, , url, slug, runsArg] = process.argv;
const RUNS = Number(runsArg ?? 5);
const database = await openDatabase({ url, max: 2 });
const c = (await getConsultationBySlug(database.db, slug))!;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const out: Record<string, { medianMs: number; runsMs: number[]; total: number }> = {};
for (const [name, breakdownBy] of [
  ["summary", null],
  ["summaryByArea", "area"],
] as const) {
  const runs: number[] = [];
  let total = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    total = (await summarize(database.db, c, { breakdownBy, k: 5 })).total;
    runs.push(Math.round(performance.now() - t0));
  }
  out[name] = { medianMs: median(runs), runsMs: runs, total };
}
await database.close();
console.log(JSON.stringify(out));
