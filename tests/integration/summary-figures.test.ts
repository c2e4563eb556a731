/**
 * Every figure of the staff summary, recomputed from what was sent.
 *
 * Several hundred answers come from a seed (tests/helpers/seeded.ts: every question
 * kind, skipped optionals, "Other", "prefer not to say", web/offline/paper, hidden
 * texts). This file works out every figure again from that record with its own
 * arithmetic — it never calls the summary code — and compares it with the page's
 * data (the summary route's loader, and `summarize` itself) and with summary.csv
 * (the route's download, parsed by csv-parse).
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSession } from "~/auth/session.server";
import { setDatabaseForTests } from "~/platform/db.server";
import { demoConsultation } from "~/domain/consultations/demo";
import type { ConsultationView, QuestionView } from "~/domain/consultations/types";
import { createStaff } from "~/domain/staff/accounts.server";
import { setReferenceShares, summarize, type Summary } from "~/domain/summary/summary.server";
import { loadEnv } from "~/platform/env.server";
import * as summaryCsvRoute from "~/routes/staff/consultations/summary-csv";
import * as summaryPage from "~/routes/staff/consultations/summary";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeConsultation } from "../helpers/fixtures";
import { seedAnswers, stored, type SentAnswer, type SentResponse } from "../helpers/seeded";

const SITE = loadEnv().QUORUM_ORIGIN;
const COUNT = 420;
let database: TestDatabase;
let c: ConsultationView;
let sent: SentResponse[];
let cookie: string;
/** Census shares for "area" (percent); "age" and "language" get none. */
const CENSUS: Record<string, number> = { rural: 30, suburban: 25, urban: 45 };

beforeAll(async () => {
  database = await createTestDatabase();
  setDatabaseForTests(database);
  const spec = demoConsultation(new Date());
  // Prefer-not on a scale and on a multiple choice too; the ranking stays optional.
  const questions = spec.questions.map((q) => (q.code === "support" || q.code === "measures" ? { ...q, allowPreferNot: true } : q));
  c = await makeConsultation(database.db, { questions, opensAt: new Date(Date.now() - 10 * 24 * 3600 * 1000) });
  const staff = await createStaff(database.db, { email: "moderator@example.org", password: "a moderator's long password", role: "moderator" });
  if (!staff.ok) throw new Error("fixture");
  cookie = /^(quorum_session=[^;]*)/.exec(await startSession(staff.user.id, database.db))![1];
  sent = await seedAnswers(database.db, c, { count: COUNT, seed: 20261128, moderatorId: staff.user.id, hideShare: 0.15 });
  const area = c.questions.find((q) => q.code === "area")!;
  await setReferenceShares(
    database.db,
    area.id,
    area.options.map((o) => ({ optionId: o.id, percent: CENSUS[o.code] })),
    "Census",
  );
}, 120_000);
afterAll(() => database.dispose());

// ---------------------------------------------------------------------------
// The figures, worked out again from the record of what was sent.
// ---------------------------------------------------------------------------

const ratio = (n: number, base: number) => (base === 0 ? 0 : n / base);
const average = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const textOf = (a: SentAnswer) => a.text ?? a.other;

/** The group a response falls in on the breakdown question (by code), or null. */
function groupOf(r: SentResponse, by: QuestionView): string | null {
  const a = r.answers[by.code];
  if (!a) return null;
  if (a.preferNot) return "prefer_not";
  if (a.options?.length) return by.options.find((o) => o.code === a.options![0])!.id;
  if (a.other !== undefined) return "other";
  return null;
}

interface Expected {
  answered: number;
  /** Row key (option code, other, prefer_not, 1–5) → count. */
  rows: Map<string, number>;
  valued: number;
  mean: number | null;
  ranks: Map<string, { ranked: number; mean: number | null; positions: number[] }>;
  texts: number;
}

function expectedFor(q: QuestionView, responses: SentResponse[]): Expected {
  const given = responses.map((r) => r.answers[q.code]).filter((a): a is SentAnswer => a !== undefined);
  const rows = new Map<string, number>();
  const count = (pred: (a: SentAnswer) => boolean) => given.filter(pred).length;
  if (q.kind === "single" || q.kind === "multiple")
    for (const o of q.options)
      rows.set(
        o.code,
        count((a) => !!a.options?.includes(o.code)),
      );
  if (q.kind === "scale")
    for (const v of [1, 2, 3, 4, 5])
      rows.set(
        String(v),
        count((a) => a.number === v),
      );
  if ((q.kind === "single" || q.kind === "multiple") && q.allowOther)
    rows.set(
      "other",
      count((a) => a.other !== undefined),
    );
  if (q.kind !== "short_text" && q.kind !== "long_text" && q.allowPreferNot)
    rows.set(
      "prefer_not",
      count((a) => a.preferNot === true),
    );
  const values = given.filter((a) => a.number !== undefined).map((a) => a.number!);
  const ranks = new Map<string, { ranked: number; mean: number | null; positions: number[] }>();
  if (q.kind === "ranking")
    for (const o of q.options) {
      const positions = given.filter((a) => a.ranks).map((a) => a.ranks![o.code]);
      ranks.set(o.code, {
        ranked: positions.length,
        mean: average(positions),
        positions: q.options.map((_, k) => positions.filter((p) => p === k + 1).length),
      });
    }
  return { answered: given.length, rows, valued: values.length, mean: average(values), ranks, texts: 0 };
}

function visibleTexts(q: QuestionView): { text: string; at: Date }[] {
  return sent
    .filter((r) => r.answers[q.code] && textOf(r.answers[q.code]) !== undefined && !r.hidden.has(q.code))
    .map((r) => ({ text: stored(textOf(r.answers[q.code])!), at: r.receivedAt }));
}

const question = (s: Summary, code: string) => s.questions.find((q) => q.code === code)!;

function compareWithPage(s: Summary, breakdownBy: string | null) {
  expect(s.total).toBe(COUNT);
  expect(s.byChannel).toEqual({
    web: sent.filter((r) => r.channel === "web").length,
    offline: sent.filter((r) => r.channel === "offline").length,
    paper: sent.filter((r) => r.channel === "paper").length,
    // The seeded answers come by web, offline and paper: none by SMS.
    sms: 0,
  });
  const by = breakdownBy ? c.questions.find((q) => q.code === breakdownBy)! : null;
  const groupKeys = by ? [...by.options.map((o) => o.id), "prefer_not"] : [];
  for (const q of c.questions) {
    const got = question(s, q.code);
    const want = expectedFor(q, sent);
    expect(got.answered, q.code).toBe(want.answered);
    expect(got.skipped, q.code).toBe(COUNT - want.answered);
    expect(
      got.rows.map((r) => [r.key, r.n, r.base]),
      `${q.code}: rows`,
    ).toEqual([...want.rows].map(([key, n]) => [key, n, want.answered]));
    for (const r of got.rows) expect(r.share).toBeCloseTo(ratio(want.rows.get(r.key)!, want.answered), 12);
    if (q.kind === "scale") {
      expect(got.scale!.valued).toBe(want.valued);
      expect(got.scale!.mean).toBeCloseTo(want.mean!, 10);
    }
    if (q.kind === "ranking") {
      for (const r of got.ranks!) {
        const w = want.ranks.get(r.code)!;
        expect(r.ranked).toBe(w.ranked);
        expect(r.meanPosition).toBeCloseTo(w.mean!, 10);
        expect(r.positions).toEqual(w.positions);
        expect(r.positions.reduce((a, b) => a + b, 0)).toBe(want.answered);
      }
    } else expect(got.ranks).toBeNull();
    // Free text: visible ones counted, the five latest shown, hidden ones nowhere.
    const visible = visibleTexts(q);
    expect(got.texts, `${q.code}: visible texts`).toBe(visible.length);
    const latest = [...visible].sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, 5);
    expect(got.excerpts).toEqual(latest.map((v) => v.text));
    const hidden = sent.filter((r) => r.hidden.has(q.code)).map((r) => stored(textOf(r.answers[q.code])!));
    for (const h of hidden) if (!visible.some((v) => v.text === h)) expect(got.excerpts).not.toContain(h);

    // Breakdown: each group's share of its own members who answered, with its n.
    if (!by || q.id === by.id) continue;
    for (const g of groupKeys) {
      const members = sent.filter((r) => groupOf(r, by) === g);
      const w = expectedFor(q, members);
      expect(got.groupAnswered[g], `${q.code}/${g}`).toBe(w.answered);
      for (const r of got.rows) {
        expect(r.groups[g].n, `${q.code}/${r.key}/${g}`).toBe(w.rows.get(r.key));
        expect(r.groups[g].base).toBe(w.answered);
        expect(r.groups[g].share).toBeCloseTo(ratio(w.rows.get(r.key)!, w.answered), 12);
      }
      if (q.kind === "scale") {
        expect(got.scale!.groups[g].n).toBe(w.valued);
        expect(got.scale!.groups[g].mean ?? null).toBeCloseTo(w.mean ?? 0, 10);
      }
      for (const r of got.ranks ?? []) {
        expect(r.groups[g].n).toBe(w.ranks.get(r.code)!.ranked);
        expect(r.groups[g].meanPosition).toBeCloseTo(w.ranks.get(r.code)!.mean!, 10);
      }
    }
  }
  if (by) {
    expect(s.breakdown!.groups.map((g) => [g.key, g.respondents])).toEqual(groupKeys.map((g) => [g, sent.filter((r) => groupOf(r, by) === g).length]));
    expect(s.breakdown!.ungrouped).toBe(sent.filter((r) => !r.answers[by.code]).length);
  }

  // Who has not been heard: shares of those placed in a group only.
  for (const q of c.questions.filter((x) => x.demographic)) {
    const rep = s.representation.find((r) => r.questionId === q.id)!;
    const placed = sent.filter((r) => r.answers[q.code]?.options?.length);
    expect(rep.base).toBe(placed.length);
    expect(rep.preferNot).toBe(sent.filter((r) => r.answers[q.code]?.preferNot).length);
    expect(rep.skipped).toBe(sent.filter((r) => !r.answers[q.code]).length);
    expect(rep.hasReference).toBe(q.code === "area");
    for (const row of rep.rows) {
      const n = placed.filter((r) => r.answers[q.code].options![0] === row.code).length;
      expect(row.count).toBe(n);
      expect(row.share).toBeCloseTo(n / placed.length, 12);
      if (q.code === "area") {
        const reference = CENSUS[row.code] / 100;
        expect(row.reference).toBeCloseTo(reference, 12);
        expect(row.ratio).toBeCloseTo(n / placed.length / reference, 10);
        expect(row.under).toBe(n / placed.length / reference < 0.8);
      } else expect([row.reference, row.ratio, row.under]).toEqual([null, null, false]);
    }
  }
}

// ---------------------------------------------------------------------------
// Running the routes as Remix runs them.
// ---------------------------------------------------------------------------

async function run(fn: (args: never) => unknown, path: string): Promise<Response> {
  const request = new Request(`${SITE}${path}`, { headers: { Cookie: cookie } });
  const res = (await fn({ request, params: { lang: "en", slug: c.slug }, context: { clientAddress: "192.0.2.1" } } as never)) as Response;
  expect(res.status).toBe(200);
  return res;
}

type CsvRow = Record<string, string>;
async function csvRows(breakdown: string | null, french = false): Promise<CsvRow[]> {
  const query = [breakdown ? `breakdown=${breakdown}` : "", french ? "format=fr" : ""].filter(Boolean).join("&");
  const res = await run(summaryCsvRoute.loader, `/en/staff/consultations/${c.slug}/summary.csv${query ? `?${query}` : ""}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  expect([...bytes.subarray(0, 3)], "UTF-8 byte-order mark").toEqual([0xef, 0xbb, 0xbf]);
  return parse(bytes, { bom: true, columns: true, delimiter: french ? ";" : "," }) as CsvRow[];
}

/** Four decimals, rounded half up as a spreadsheet would show it. */
const four = (x: number) => Math.round(x * 10_000) / 10_000;

describe(`the summary of ${COUNT} seeded answers, against figures worked out again from what was sent`, () => {
  it("the page's data: counts, shares and their bases, scale prefer-not, ranking positions, texts, who has not been heard", async () => {
    compareWithPage(await summarize(database.db, c), null);
    const page = (await (await run(summaryPage.loader, `/en/staff/consultations/${c.slug}/summary`)).json()) as { summary: Summary };
    compareWithPage(page.summary, null);
  });

  it("the page's data with a breakdown by area: every cell a share of the group, Other and prefer-not included", async () => {
    const page = (await (await run(summaryPage.loader, `/en/staff/consultations/${c.slug}/summary?breakdown=area`)).json()) as { summary: Summary };
    compareWithPage(page.summary, "area");
    compareWithPage(await summarize(database.db, c, { breakdownBy: "age" }), "age");
  });

  it("the seed reaches every case the figures have to handle", () => {
    const all = sent.flatMap((r) => Object.entries(r.answers));
    expect(new Set(sent.map((r) => r.channel))).toEqual(new Set(["web", "offline", "paper"]));
    expect(all.some(([code, a]) => code === "support" && a.preferNot)).toBe(true);
    expect(all.some(([code, a]) => code === "measures" && a.other !== undefined)).toBe(true);
    expect(all.some(([code, a]) => code === "retention" && a.other !== undefined)).toBe(true);
    expect(sent.some((r) => !r.answers.priorities)).toBe(true);
    expect(sent.some((r) => r.hidden.size > 0)).toBe(true);
    expect(sent.some((r) => r.answers.area?.preferNot)).toBe(true);
  });

  it("summary.csv for French-locale spreadsheets (?format=fr) holds the same cells, with semicolons and decimal commas", async () => {
    const standard = await csvRows("area");
    const french = await csvRows("area", true);
    expect(french).toHaveLength(standard.length);
    const numeric = new Set(["count", "base", "share", "mean", "reference", "position"]);
    let commas = 0;
    french.forEach((row, i) => {
      for (const [k, v] of Object.entries(standard[i])) {
        if (!numeric.has(k)) expect(row[k], `${i} ${k}`).toBe(v);
        else {
          expect(row[k], `${i} ${k}: no decimal point`).not.toContain(".");
          expect(row[k].replace(",", "."), `${i} ${k}`).toBe(v);
          if (row[k].includes(",")) commas++;
        }
      }
    });
    expect(commas, "shares and means written with a decimal comma").toBeGreaterThan(100);
  });

  for (const breakdown of [null, "area"]) {
    it(`summary.csv${breakdown ? ` with ?breakdown=${breakdown}` : ""} holds the same figures, each with its base`, async () => {
      const rows = await csvRows(breakdown);
      const by = breakdown ? c.questions.find((q) => q.code === breakdown)! : null;
      const key = (r: CsvRow) => [r.kind, r.question_code, r.item, r.position, r.group].join("|");
      const got = new Map(rows.map((r) => [key(r), r]));
      expect(got.size, "no row twice").toBe(rows.length);
      const want = new Map<string, Partial<CsvRow>>();
      const put = (k: Partial<CsvRow>, values: { count?: number; base?: number; mean?: number | null; reference?: number; under?: boolean }) => {
        const row: Partial<CsvRow> = { kind: "", question_code: "", item: "", position: "", group: "", ...k };
        // No share of nothing: where the base is 0 the share cell is empty.
        const share = values.base === undefined || values.base === 0 ? {} : { share: ratio(values.count!, values.base) };
        want.set(key(row as CsvRow), { ...row, ...values, ...share } as never);
      };
      put({ kind: "responses" }, { count: COUNT });
      for (const ch of ["web", "offline", "paper", "sms"])
        put({ kind: "channel", item: ch }, { count: sent.filter((r) => r.channel === ch).length, base: COUNT });
      const groups: [string, SentResponse[]][] = by
        ? [
            ...by.options.map((o): [string, SentResponse[]] => [o.code, sent.filter((r) => groupOf(r, by) === o.id)]),
            ["prefer_not", sent.filter((r) => groupOf(r, by) === "prefer_not")],
          ]
        : [];
      for (const q of c.questions) {
        const w = expectedFor(q, sent);
        const qk = { question_code: q.code };
        put({ kind: "answered", ...qk }, { count: w.answered, base: COUNT });
        const kindOf = (k: string) => (k === "other" || k === "prefer_not" ? k : q.kind === "scale" ? "scale" : "option");
        const slices: [string, SentResponse[]][] = [["", sent], ...(q.id === by?.id ? [] : groups)];
        for (const [group, members] of slices) {
          const g = expectedFor(q, members);
          for (const [k, n] of g.rows) put({ kind: kindOf(k), ...qk, item: k, group }, { count: n, base: g.answered });
          if (q.kind === "scale") put({ kind: "mean", ...qk, group }, { count: g.valued, mean: g.mean });
          for (const [code, r] of g.ranks) {
            put({ kind: "rank", ...qk, item: code, group }, { count: r.ranked, mean: r.mean });
            if (!group) r.positions.forEach((n, k) => put({ kind: "rank_position", ...qk, item: code, position: String(k + 1) }, { count: n, base: r.ranked }));
          }
        }
        if (q.kind === "short_text" || q.kind === "long_text") put({ kind: "texts", ...qk }, { count: visibleTexts(q).length, base: w.answered });
      }
      for (const q of c.questions.filter((x) => x.demographic)) {
        const placed = sent.filter((r) => r.answers[q.code]?.options?.length);
        for (const o of q.options) {
          const n = placed.filter((r) => r.answers[q.code].options![0] === o.code).length;
          const reference = q.code === "area" ? CENSUS[o.code] / 100 : undefined;
          put(
            { kind: "representation", question_code: q.code, item: o.code },
            { count: n, base: placed.length, ...(reference === undefined ? {} : { reference, under: n / placed.length / reference < 0.8 }) },
          );
        }
      }

      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      const numberOr = (s: string) => (s === "" ? null : Number(s));
      for (const [k, w] of want) {
        const r = got.get(k)!;
        const v = w as unknown as { count?: number; base?: number; share?: number; mean?: number | null; reference?: number; under?: boolean };
        expect(numberOr(r.count), `${k} count`).toBe(v.count ?? null);
        expect(numberOr(r.base), `${k} base`).toBe(v.base ?? null);
        expect(numberOr(r.share), `${k} share`).toBe(v.share === undefined ? null : four(v.share));
        if (v.mean === undefined || v.mean === null) expect(r.mean, `${k} mean`).toBe("");
        else expect(Math.abs(Number(r.mean) - v.mean), `${k} mean`).toBeLessThanOrEqual(0.00005 + 1e-12);
        expect(numberOr(r.reference), `${k} reference`).toBe(v.reference ?? null);
        expect(r.under, `${k} under`).toBe(v.under === undefined ? "" : String(v.under));
        // Rankings never carry a share.
        if (r.kind === "rank") expect(r.share).toBe("");
      }
      // Both languages, and names for the rows that are not options.
      const retention = c.questions.find((q) => q.code === "retention")!;
      const one = got.get(["option", "retention", "30d", "", ""].join("|"))!;
      expect([one.question_fr, one.question_en, one.item_fr, one.item_en]).toEqual([
        retention.texts.fr.prompt,
        retention.texts.en.prompt,
        retention.options[1].labels.fr,
        retention.options[1].labels.en,
      ]);
      expect(got.get(["prefer_not", "support", "prefer_not", "", ""].join("|"))!.item_en).toBe("Prefer not to say");
      if (by) {
        const cell = rows.find((r) => r.kind === "other" && r.question_code === "retention" && r.group === "rural")!;
        expect([cell.group_by, cell.group_fr, cell.group_en]).toEqual(["area", "À la campagne", "In the countryside"]);
      }
    });
  }
});
