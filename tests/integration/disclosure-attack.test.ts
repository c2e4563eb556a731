/**
 * A data journalist with every public version in hand (issue: "an attacker in the tests").
 *
 * For consultations of 12, 30, 80 and 300 answers (every question kind, "Other", prefer-not,
 * texts, some hidden by a moderator), the public figures are captured after every single answer
 * while results are shown live, then after closing and publishing the open data, after a paper
 * form entered in the grace period, after a moderator hides a text, after more paper forms and
 * after the texts are published. The attacker then:
 *
 * - reads each version for a count from 1 to k − 1 of people sharing an answer (how many
 *   answered a question is shown as it is: it is no one's answer);
 * - diffs consecutive versions: a change of fewer than k answers isolates those answers;
 * - solves, in each version, the linear system of every published count, group, total and
 *   "fewer than k" bound (row reduction, then bounds tightened until they hold still), and
 *   across consecutive versions with what it knows of time (a count never falls, and rises by
 *   at most the number of new answers to its question).
 *
 * It counts answers recovered and hidden counts determined; both must be 0. It is written
 * from the published rows and the questionnaire only: it never calls the protection code.
 */
import { writeFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consultations } from "#db/schema";
import { demoConsultation } from "~/domain/consultations/demo";
import { getConsultationBySlug } from "~/domain/consultations/queries.server";
import type { ConsultationView } from "~/domain/consultations/types";
import { listFreeText, moderate } from "~/domain/moderation/moderation.server";
import { openDataset } from "~/domain/opendata/opendata.server";
import { publishOpenData, publishResults, publishTexts } from "~/domain/opendata/publication.server";
import { refreshAfterAnswers } from "~/domain/opendata/public-figures.server";
import { enterPaperAnswer } from "~/domain/paper/entry.server";
import { summarize } from "~/domain/summary/summary.server";
import { setDatabaseForTests } from "~/platform/db.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { form, makeConsultation, makeOfficial, validDemoAnswer } from "../helpers/fixtures";
import { seedAnswers } from "../helpers/seeded";
import * as resultsRoute from "~/routes/resident/results";

const K = 5;
const SETTINGS = { k: K, timeZone: "Europe/Paris", licence: "CC-BY-4.0" as const };
const DAY = 24 * 3600 * 1000;

type Row = Record<string, string | number | boolean | null>;
/** One public version: the rows a reader has. */
type Version = Row[];

let database: TestDatabase;
let actor: string;
beforeAll(async () => {
  database = await createTestDatabase();
  setDatabaseForTests(database);
  actor = await makeOfficial(database.db, "attacker-fixture@example.org");
});
afterAll(() => database.dispose());

// ---------------------------------------------------------------------------
// What the reader knows: cells, and sums of cells.
// ---------------------------------------------------------------------------

/** A fine cell: the count of one answer to one question, one channel, or all answers. */
type Cell = string;

interface Known {
  /** Cells whose sum is published: exactly `lo` = `hi`, or a range ("fewer than k"). */
  sums: { cells: Cell[]; lo: number; hi: number }[];
  /** Cells published alone. */
  alone: Set<Cell>;
  responses: number | null;
}

/** The cells a published row counts (a group: its members), and the table it belongs to. */
function cellsOf(r: Row, c: ConsultationView): Cell[] | null {
  const q = r.question_code === null ? null : c.questions.find((x) => x.code === r.question_code)!;
  const code = r.option_code === null ? "" : String(r.option_code);
  if (!q) {
    if (r.kind === "responses") return ["responses"];
    if (r.kind === "channel" || r.kind === "combined") return code.split("|").map((ch) => `channel:${ch}`);
    return null;
  }
  const member = (m: string) => {
    if (m === "other" || m === "prefer_not") return `${q.code}:${m}`;
    if (q.kind === "ranking") return `${q.code}:first:${m}`;
    return `${q.code}:${q.kind === "scale" ? "scale" : "option"}:${m}`;
  };
  switch (r.kind) {
    case "answered":
      return [`${q.code}:answered`];
    case "option":
    case "scale":
    case "other":
    case "prefer_not":
      return [member(code)];
    case "combined":
      return code.split("|").map(member);
    case "rank_position":
      return [r.position === 1 ? `${q.code}:first:${code}` : `${q.code}:rank:${code}:${r.position}`];
    case "rank":
      return [`${q.code}:ranked`];
    case "texts":
      return [`${q.code}:texts`];
    case "theme":
      return [`${q.code}:theme:${code}`];
    default:
      return null;
  }
}

/** The tables whose cells add up to a total, as the questionnaire tells any reader. */
function additiveTables(c: ConsultationView): { total: Cell; cells: Cell[] }[] {
  const tables = [{ total: "responses", cells: ["web", "offline", "paper", "sms"].map((ch) => `channel:${ch}`) }];
  for (const q of c.questions) {
    const extra = [...(q.allowOther && q.kind === "single" ? [`${q.code}:other`] : []), ...(q.allowPreferNot ? [`${q.code}:prefer_not`] : [])];
    if (q.kind === "single") tables.push({ total: `${q.code}:answered`, cells: [...q.options.map((o) => `${q.code}:option:${o.code}`), ...extra] });
    if (q.kind === "scale") tables.push({ total: `${q.code}:answered`, cells: [1, 2, 3, 4, 5].map((v) => `${q.code}:scale:${v}`).concat(extra) });
    if (q.kind === "ranking") tables.push({ total: `${q.code}:answered`, cells: [...q.options.map((o) => `${q.code}:first:${o.code}`), ...extra] });
  }
  return tables;
}

function known(v: Version, c: ConsultationView): Known {
  const sums: Known["sums"] = [];
  const alone = new Set<Cell>();
  const answered = (code: unknown) => v.find((r) => r.kind === "answered" && r.question_code === code)?.count;
  for (const r of v) {
    const cells = cellsOf(r, c);
    if (!cells) continue;
    if (typeof r.count === "number") {
      sums.push({ cells, lo: r.count, hi: r.count });
      if (cells.length === 1) alone.add(cells[0]);
    } else if (r.withheld === "fewer") sums.push({ cells, lo: 1, hi: K - 1 });
    else if (r.withheld === "all_but_fewer" && typeof answered(r.question_code) === "number") {
      const a = answered(r.question_code) as number;
      sums.push({ cells, lo: a - K + 1, hi: a - 1 });
    }
  }
  const responses = v.find((r) => r.kind === "responses")?.count;
  return { sums, alone, responses: typeof responses === "number" ? responses : null };
}

// ---------------------------------------------------------------------------
// The solver: row reduction over the equalities, then bounds tightened over everything.
// ---------------------------------------------------------------------------

interface Bounds {
  lo: Map<string, number>;
  hi: Map<string, number>;
}

/** Variables are `${version}|${cell}`; every constraint is lo ≤ Σ vars ≤ hi (coefficients ±1). */
interface Constraint {
  plus: string[];
  minus: string[];
  lo: number;
  hi: number;
}

function tighten(vars: string[], constraints: Constraint[], ceiling: number): Bounds {
  const lo = new Map(vars.map((x) => [x, 0]));
  const hi = new Map(vars.map((x) => [x, ceiling]));
  for (let round = 0, changed = true; changed && round < 200; round++) {
    changed = false;
    for (const k of constraints) {
      const sumLo = k.plus.reduce((s, x) => s + lo.get(x)!, 0) - k.minus.reduce((s, x) => s + hi.get(x)!, 0);
      const sumHi = k.plus.reduce((s, x) => s + hi.get(x)!, 0) - k.minus.reduce((s, x) => s + lo.get(x)!, 0);
      for (const x of k.plus) {
        const l = Math.max(lo.get(x)!, k.lo - (sumHi - hi.get(x)!));
        const h = Math.min(hi.get(x)!, k.hi - (sumLo - lo.get(x)!));
        if (l > lo.get(x)! || h < hi.get(x)!) [changed] = [true, lo.set(x, l), hi.set(x, h)];
      }
      for (const x of k.minus) {
        // −x contributes: −hi(x) to sumLo and −lo(x) to sumHi.
        const l = Math.max(lo.get(x)!, -(k.hi - (sumLo + hi.get(x)!)));
        const h = Math.min(hi.get(x)!, -(k.lo - (sumHi + lo.get(x)!)));
        if (l > lo.get(x)! || h < hi.get(x)!) [changed] = [true, lo.set(x, l), hi.set(x, h)];
      }
    }
  }
  return { lo, hi };
}

/** Variables an exact linear combination of the equalities pins (reduced row echelon form). */
function pinnedByEquations(vars: string[], constraints: Constraint[]): Set<string> {
  const index = new Map(vars.map((x, i) => [x, i]));
  const m = constraints
    .filter((k) => k.lo === k.hi)
    .map((k) => {
      const row = new Array(vars.length + 1).fill(0);
      for (const x of k.plus) row[index.get(x)!] += 1;
      for (const x of k.minus) row[index.get(x)!] -= 1;
      row[vars.length] = k.lo;
      return row;
    });
  let lead = 0;
  for (let col = 0; col < vars.length && lead < m.length; col++) {
    const pivot = m.findIndex((r, i) => i >= lead && Math.abs(r[col]) > 1e-9);
    if (pivot < 0) continue;
    [m[lead], m[pivot]] = [m[pivot], m[lead]];
    const p = m[lead][col];
    m[lead] = m[lead].map((x) => x / p);
    for (let i = 0; i < m.length; i++) if (i !== lead && Math.abs(m[i][col]) > 1e-9) m[i] = m[i].map((x, j) => x - m[i][col] * m[lead][j]);
    lead++;
  }
  return new Set(vars.filter((_, j) => m.some((r) => Math.abs(r[j] - 1) < 1e-9 && r.every((x, i) => i === j || i === vars.length || Math.abs(x) < 1e-9))));
}

interface Attack {
  /** Answers isolated: a public count from 1 to k − 1, or two versions fewer than k answers apart. */
  recovered: string[];
  /** Cells not published alone whose value the attacker works out (other than 0). */
  determined: string[];
  /** Members of a group the attacker finds were 0: nobody chose them, which tells nothing about anyone. */
  zeros: string[];
}

function attack(versions: Version[], c: ConsultationView): Attack {
  const recovered: string[] = [];
  const determined = new Set<string>();
  const zeros = new Set<string>();
  const tables = additiveTables(c);
  const ks = versions.map((v) => known(v, c));
  const allCells = (k: Known) => new Set([...k.sums.flatMap((s) => s.cells), ...tables.flatMap((t) => [t.total, ...t.cells])]);

  ks.forEach((k, i) => {
    // How many answered a question is no one's answer; every other count is people sharing an answer.
    for (const s of k.sums)
      if (s.lo === s.hi && s.lo >= 1 && s.lo < K && !s.cells.every((x) => x.endsWith(":answered"))) recovered.push(`v${i}: ${s.cells.join("+")} = ${s.lo}`);
  });
  for (let i = 1; i < ks.length; i++) {
    const [a, b] = [ks[i - 1].responses, ks[i].responses];
    if (a !== null && b !== null && b - a >= 1 && b - a < K) recovered.push(`v${i - 1}→v${i}: ${b - a} answer(s) apart`);
  }

  // One version alone, then each pair of consecutive versions together.
  const systems: number[][] = ks.map((_, i) => [i]);
  for (let i = 1; i < ks.length; i++) systems.push([i - 1, i]);
  for (const which of systems) {
    const vars: string[] = [];
    const constraints: Constraint[] = [];
    for (const i of which) {
      const k = ks[i];
      if (k.responses === null) continue;
      const cells = allCells(k);
      vars.push(...[...cells].map((x) => `${i}|${x}`));
      for (const s of k.sums) constraints.push({ plus: s.cells.map((x) => `${i}|${x}`), minus: [], lo: s.lo, hi: s.hi });
      for (const t of tables) constraints.push({ plus: t.cells.map((x) => `${i}|${x}`), minus: [`${i}|${t.total}`], lo: 0, hi: 0 });
      // Everyone who answered a multiple choice ticked something: its cells add up to at least who answered.
      for (const q of c.questions.filter((x) => x.kind === "multiple")) {
        const ticks = [
          ...q.options.map((o) => `${q.code}:option:${o.code}`),
          ...(q.allowOther ? [`${q.code}:other`] : []),
          ...(q.allowPreferNot ? [`${q.code}:prefer_not`] : []),
        ];
        for (const x of [...ticks, `${q.code}:answered`]) if (!cells.has(x)) vars.push(`${i}|${x}`);
        constraints.push({ plus: ticks.map((x) => `${i}|${x}`), minus: [`${i}|${q.code}:answered`], lo: 0, hi: 1_000_000 });
      }
    }
    if (which.length === 2 && ks[which[0]].responses !== null && ks[which[1]].responses !== null) {
      const [i, j] = which;
      const grew = ks[j].responses! - ks[i].responses!;
      // Answers are never taken back: an answer count never falls, and rises by at most the new answers.
      for (const x of allCells(ks[i])) {
        if (!allCells(ks[j]).has(x) || /:(texts|theme:)/.test(x)) continue;
        constraints.push({ plus: [`${j}|${x}`], minus: [`${i}|${x}`], lo: 0, hi: grew });
      }
    }
    const unique = [...new Set(vars)];
    const ceiling = Math.max(...which.map((i) => ks[i].responses ?? 0));
    // Variables the questionnaire names but no version publishes are bounded like the others.
    const { lo, hi } = tighten(unique, constraints, ceiling);
    const pinned = pinnedByEquations(unique, constraints);
    for (const x of unique) {
      const [i, cell] = x.split("|");
      if (ks[Number(i)].alone.has(cell) || cell === "responses") continue;
      // Nobody answered yet: every cell is 0, and that tells nothing about anyone.
      if (ks[Number(i)].responses === 0) continue;
      if (lo.get(x)! < hi.get(x)! && !pinned.has(x)) continue;
      (hi.get(x)! === 0 ? zeros : determined).add(`v${i}: ${cell} = ${lo.get(x)}`);
    }
  }
  return { recovered, determined: [...determined], zeros: [...zeros] };
}

// ---------------------------------------------------------------------------
// The journey: live results from the first answer, closing, grace period, moderation, texts.
// ---------------------------------------------------------------------------

const parisDay = (d: Date) => new Intl.DateTimeFormat("sv-SE", { timeZone: SETTINGS.timeZone }).format(d);

async function journey(size: number, seed: number): Promise<{ c: ConsultationView; versions: Version[]; exact: Version[] }> {
  const spec = demoConsultation(new Date());
  const questions = spec.questions.map((q) => (q.code === "support" || q.code === "measures" || q.code === "priorities" ? { ...q, allowPreferNot: true } : q));
  const made = await makeConsultation(database.db, { questions, opensAt: new Date(Date.now() - 10 * DAY), closesAt: new Date(Date.now() + DAY) });
  const versions: Version[] = [];
  const exact: Version[] = [];
  const reload = async () => (await getConsultationBySlug(database.db, made.slug))!;
  const capture = async () => {
    const c = await reload();
    versions.push((await openDataset(database.db, c, SETTINGS)).rows.map((r) => ({ ...r })));
    // What publishing exact figures would have shown (for the attack's own check).
    const s = await summarize(database.db, c);
    exact.push([{ kind: "responses", question_code: null, option_code: null, count: s.total }]);
  };
  expect(await publishResults(database.db, actor, made, true)).toEqual({ ok: true });
  for (let i = 0; i < size; i++) {
    await seedAnswers(database.db, made, { count: 1, seed: seed * 1000 + i, moderatorId: actor, hideShare: 0, days: 1 });
    await refreshAfterAnswers(database.db, await reload(), K, () => {});
    await capture();
  }
  // A moderator hides some texts while open.
  const { items } = await listFreeText(database.db, made.id, { limit: 10_000 });
  for (const item of items.filter((_, i) => i % 7 === 3))
    expect((await moderate(database.db, actor, made.id, item.answerId, "hide", "off-topic")).ok).toBe(true);
  await capture();
  // Closed, open data published, then the grace period.
  await database.db
    .update(consultations)
    .set({ status: "closed", closesAt: new Date(Date.now() - DAY) })
    .where(eq(consultations.id, made.id));
  expect(await publishOpenData(database.db, actor, await reload(), true)).toEqual({ ok: true });
  await capture();
  const paper = async () => {
    const c = await reload();
    const entered = await enterPaperAnswer(database.db, {
      consultation: c,
      lang: "fr",
      form: form([["submission_id", crypto.randomUUID()], ["received_on", parisDay(new Date(c.closesAt!.getTime() - DAY))], ...validDemoAnswer]),
      actorId: actor,
      timeZone: SETTINGS.timeZone,
    });
    expect(entered.ok).toBe(true);
    await capture();
  };
  await paper();
  const [visible] = (await listFreeText(database.db, made.id, { limit: 10_000 })).items.filter((x) => !x.hidden);
  if (visible) expect((await moderate(database.db, actor, made.id, visible.answerId, "hide", "insult")).ok).toBe(true);
  await capture();
  for (let i = 0; i < 4; i++) await paper();
  expect(await publishTexts(database.db, actor, await reload(), true)).toEqual({ ok: true });
  await capture();
  return { c: await reload(), versions, exact };
}

describe.each([
  [12, 1],
  [30, 2],
  [80, 3],
  [300, 4],
])("a consultation of %i answers, every public version in hand", (size, seed) => {
  let run: Awaited<ReturnType<typeof journey>>;
  beforeAll(async () => {
    run = await journey(size, seed);
  }, 600_000);

  it("recovers no answer and determines no hidden count", () => {
    const found = attack(run.versions, run.c);
    if (process.env.ATTACK_DEBUG) {
      writeFileSync(`/tmp/attack-${size}.json`, JSON.stringify({ found, versions: run.versions.map((v) => v.filter((r) => r.kind !== "text")) }, null, 1));
    }
    expect(found.recovered).toEqual([]);
    expect(found.determined).toEqual([]);
    // It had something to work on: grouped answers in some version.
    expect(run.versions.some((v) => v.some((r) => r.kind === "combined"))).toBe(true);
  });

  it("shows figures: every version after the first k answers carries counts beyond the total", () => {
    const informative = run.versions.filter((v) => v.some((r) => r.question_code !== null && typeof r.count === "number" && r.count > 0));
    expect(informative.length).toBeGreaterThan(0);
    const last = run.versions[run.versions.length - 1];
    // Every choice question answered by at least k people shows at least one figure of its own.
    for (const q of run.c.questions.filter((x) => ["single", "multiple", "scale", "ranking"].includes(x.kind))) {
      const answered = last.find((r) => r.kind === "answered" && r.question_code === q.code)?.count;
      if (typeof answered !== "number" || answered < K) continue;
      const figures = last.filter((r) => r.question_code === q.code && r.kind !== "answered" && typeof r.count === "number");
      expect(figures.length, q.code).toBeGreaterThan(0);
    }
  });

  it("the results page residents read shows grouped figures, not dashes", async () => {
    const res = (await resultsRoute.loader({
      params: { lang: "fr", slug: run.c.slug },
      request: new Request(`http://localhost/fr/consultations/${run.c.slug}/results`),
      context: {},
    } as never)) as Response;
    const page = (await res.json()) as { questions: { items: { kind: string; figure: { n?: number } }[] }[] };
    const items = page.questions.flatMap((q) => q.items);
    expect(items.filter((i) => typeof i.figure.n === "number").length).toBeGreaterThan(items.length / 2);
    if (size <= 30) expect(items.some((i) => i.kind === "combined" && typeof i.figure.n === "number")).toBe(true);
  });

  it("the attack itself works: exact figures published after each answer give answers away", () => {
    const found = attack(run.exact, run.c);
    expect(found.recovered.length).toBeGreaterThan(0);
  });
});
