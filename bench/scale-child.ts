/**
 * The staff summary as a domain call, in a process of its own: the median of a few runs of
 * `summarize()` on the demo consultation, without a breakdown and broken down by area. The first
 * run counts every answer, the next ones only those written since (decision 064): `medianMs` is
 * what a staff member asking again meets; `fullMedianMs`, with the kept pass forgotten before
 * each run, what the first request of a process (or the first after a moderation) meets.
 */
import { openDatabase } from "../db/client";
import { getConsultationBySlug } from "../app/domain/consultations/queries.server";
import { summarize } from "../app/domain/summary/summary.server";
import { forgetKeptTallies } from "../app/domain/summary/tally.server";

const [, , url, slug, runsArg] = process.argv;
const RUNS = Number(runsArg ?? 5);
const database = await openDatabase({ url, max: 2 });
const c = (await getConsultationBySlug(database.db, slug))!;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const out: Record<string, { medianMs: number; runsMs: number[]; fullMedianMs: number; fullRunsMs: number[]; total: number }> = {};
for (const [name, breakdownBy] of [
  ["summary", null],
  ["summaryByArea", "area"],
] as const) {
  const timed = async (forget: boolean) => {
    const runs: number[] = [];
    let total = 0;
    for (let i = 0; i < RUNS; i++) {
      if (forget) forgetKeptTallies(database.db);
      const t0 = performance.now();
      total = (await summarize(database.db, c, { breakdownBy, k: 5 })).total;
      runs.push(Math.round(performance.now() - t0));
    }
    return { runs, total };
  };
  const full = await timed(true);
  forgetKeptTallies(database.db);
  const kept = await timed(false);
  out[name] = { medianMs: median(kept.runs), runsMs: kept.runs, fullMedianMs: median(full.runs), fullRunsMs: full.runs, total: kept.total };
}
await database.close();
console.log(JSON.stringify(out));
