/**
 * How useful the public figures are (decision 061), for consultations of 12, 30, 80 and 300
 * answers to the demo (the same seeded answers as the tests): per size,
 * - coverage: the share of exact answer cells (each answer to a choice, scale or ranking question,
 *   and each channel) a reader gets a figure for, alone or inside a group;
 * - error: the mean absolute difference between the share a reader can read for a cell (its own;
 *   a group's split evenly between its members; 0 when withheld) and the exact share;
 * - informative questions: choice, scale and ranking questions with at least one figure that
 *   splits their answers (not only how many answered).
 *
 * `npx tsx bench/utility.ts` prints a table (and JSON with `--json`); `npm run bench` runs it too.
 * Runs on embedded PGlite, nothing else needed.
 */
import { eq } from "drizzle-orm";
import { consultations } from "../db/schema";
import { demoConsultation } from "../app/domain/consultations/demo";
import { getConsultationBySlug } from "../app/domain/consultations/queries.server";
import type { ConsultationView } from "../app/domain/consultations/types";
import { openDataset } from "../app/domain/opendata/opendata.server";
import { summarize, type Summary } from "../app/domain/summary/summary.server";
import { migrateDatabase, openDatabase } from "../db/client";
import { makeConsultation, makeOfficial } from "../tests/helpers/fixtures";
import { seedAnswers } from "../tests/helpers/seeded";

export const SIZES = [12, 30, 80, 300];
const K = 5;
const SETTINGS = { k: K, timeZone: "Europe/Paris", licence: "CC-BY-4.0" as const };

type Row = { kind: unknown; question_code: unknown; option_code: unknown; position?: unknown; count: unknown };

export interface Utility {
  size: number;
  cells: number;
  coverage: number;
  meanAbsoluteError: number;
  informative: number;
  questions: number;
}

/** Every exact answer cell with its share, and where a public row could carry it. */
function exactCells(s: Summary): { q: string | null; keys: string[]; share: number; base: number }[] {
  const out: { q: string | null; keys: string[]; share: number; base: number }[] = [];
  for (const ch of ["web", "offline", "paper"] as const) out.push({ q: null, keys: [ch], share: s.total ? s.byChannel[ch] / s.total : 0, base: s.total });
  for (const q of s.questions) {
    if (q.kind === "ranking" && q.ranks) {
      for (const r of q.ranks) out.push({ q: q.code, keys: [r.code], share: q.answered ? (r.positions[0] ?? 0) / q.answered : 0, base: q.answered });
      for (const r of q.rows.filter((x) => x.kind === "prefer_not")) out.push({ q: q.code, keys: ["prefer_not"], share: r.share, base: q.answered });
    } else if (q.kind === "single" || q.kind === "multiple" || q.kind === "scale")
      for (const r of q.rows) out.push({ q: q.code, keys: [r.key], share: r.share, base: q.answered });
  }
  return out;
}

/** The code a public row gives its answer (older files wrote none for "Other" and prefer-not). */
const codeOf = (r: Row) => (r.option_code === null || r.option_code === undefined ? String(r.kind) : String(r.option_code));

export function utilityOf(size: number, exact: Summary, rows: Row[]): Utility {
  const cells = exactCells(exact);
  let covered = 0;
  let error = 0;
  for (const cell of cells) {
    const mine = rows.filter((r) => (r.question_code ?? null) === cell.q && typeof r.count === "number");
    const answerRow = (r: Row) =>
      ["option", "other", "prefer_not", "scale", "channel", "combined"].includes(String(r.kind)) || (r.kind === "rank_position" && Number(r.position) === 1);
    const alone = mine.find((r) => answerRow(r) && r.kind !== "combined" && codeOf(r) === cell.keys[0]);
    const group = mine.find((r) => r.kind === "combined" && String(r.option_code).split("|").includes(cell.keys[0]));
    const read = alone
      ? (alone.count as number) / (cell.base || 1)
      : group
        ? (group.count as number) / (cell.base || 1) / String(group.option_code).split("|").length
        : null;
    if (read !== null) covered++;
    error += Math.abs((read ?? 0) - cell.share);
  }
  const asked = exact.questions.filter((q) => ["single", "multiple", "scale", "ranking"].includes(q.kind));
  const informative = asked.filter((q) =>
    rows.some(
      (r) =>
        r.question_code === q.code &&
        typeof r.count === "number" &&
        r.count > 0 &&
        r.count < q.answered &&
        ["option", "other", "prefer_not", "scale", "combined", "rank_position"].includes(String(r.kind)),
    ),
  ).length;
  return { size, cells: cells.length, coverage: covered / cells.length, meanAbsoluteError: error / cells.length, informative, questions: asked.length };
}

export async function measureUtility(sizes = SIZES): Promise<Utility[]> {
  const out: Utility[] = [];
  for (const [i, size] of sizes.entries()) {
    const database = await openDatabase({ dataDir: "memory://" });
    await migrateDatabase(database);
    try {
      const actor = await makeOfficial(database.db, "utility@example.org");
      const spec = demoConsultation(new Date());
      const questions = spec.questions.map((q) =>
        q.code === "support" || q.code === "measures" || q.code === "priorities" ? { ...q, allowPreferNot: true } : q,
      );
      const made = await makeConsultation(database.db, { questions, opensAt: new Date(Date.now() - 10 * 86_400_000) });
      await seedAnswers(database.db, made, { count: size, seed: 100 + i, moderatorId: actor, hideShare: 0.1 });
      await database.db
        .update(consultations)
        .set({ status: "closed", closesAt: new Date(), openDataPublishedAt: new Date() })
        .where(eq(consultations.id, made.id));
      const c = (await getConsultationBySlug(database.db, made.slug)) as ConsultationView;
      const { rows } = await openDataset(database.db, c, SETTINGS);
      out.push(utilityOf(size, await summarize(database.db, c), rows));
    } finally {
      await database.close();
    }
  }
  return out;
}

const percent = (x: number) => `${(x * 100).toFixed(1)} %`;

export function utilityTable(results: Utility[]): string {
  const lines = ["| answers | cells with a figure | mean absolute error of shares | questions with a figure |", "| --- | --- | --- | --- |"];
  for (const u of results)
    lines.push(`| ${u.size} | ${percent(u.coverage)} | ${(u.meanAbsoluteError * 100).toFixed(2)} points | ${u.informative} of ${u.questions} |`);
  return lines.join("\n");
}

if (process.argv[1]?.endsWith("bench/utility.ts")) {
  const results = await measureUtility();
  console.log(process.argv.includes("--json") ? JSON.stringify(results, null, 2) : utilityTable(results));
  process.exit(0);
}
