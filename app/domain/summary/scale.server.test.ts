/**
 * The summary of a consultation too big to check by hand, against figures worked out here from
 * the answers as they were written: 2,600 responses to the demo questionnaire (every kind, skipped
 * questions, prefer not, "Other", hidden texts, responses received at the same second, themes in
 * use and one retired), for the whole and broken down by area. The latest texts go through each
 * way the summary finds them: among many texts (comments), among many texts all older than the
 * latest responses (the "Other" of measures), and among a few (elsewhere).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "#db/client";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { makeConsultation } from "../../../tests/helpers/fixtures";
import { random } from "../../../tests/helpers/seeded";
import type { ConsultationView } from "../consultations/types";
import { summarize, type Summary } from "./summary.server";

const N = 2600;

interface Answer {
  optionIds: string[] | null;
  text: string | null;
  number: number | null;
  preferNot: boolean;
  hidden: boolean;
  /** Filled once stored. */
  id?: number;
  themes: string[];
}
interface Resp {
  id: string;
  at: number;
  channel: "web" | "offline" | "paper" | "sms";
  answers: Record<string, Answer>;
}

let database: TestDatabase;
let c: ConsultationView;
const responses: Resp[] = [];
let themeIds: { inUse: string[]; retired: string };
/** The visible texts marked as quotes of a theme in use. */
const quotes: { code: string; theme: string; text: string; at: string; id: number }[] = [];

const q = (code: string) => c.questions.find((x) => x.code === code)!;
const opt = (code: string, option: string) => q(code).options.find((o) => o.code === option)!.id;
const answer = (a: Partial<Answer>): Answer => ({ optionIds: null, text: null, number: null, preferNot: false, hidden: false, themes: [], ...a });

beforeAll(async () => {
  database = await createTestDatabase();
  c = await makeConsultation(database.db);
  const db = database.db;
  const rnd = random(60);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const base = Date.UTC(2026, 10, 1, 8);
  const orders = [
    ["hours", "alerts", "trees", "opendata"],
    ["alerts", "trees", "hours", "opendata"],
    ["opendata", "hours", "alerts", "trees"],
    ["trees", "opendata", "alerts", "hours"],
  ];
  for (let i = 0; i < N; i++) {
    const a: Record<string, Answer> = {};
    // Every third response shares its second with the one before.
    const r: Resp = {
      id: crypto.randomUUID(),
      at: base + Math.floor(i / 3) * 3000 + (i % 3 === 2 ? 1000 : 0),
      channel: pick(["web", "web", "offline", "paper", "sms"]),
      answers: a,
    };
    a.support = answer({ number: 1 + Math.floor(rnd() * 5) });
    if (rnd() < 0.9) {
      const chosen = ["footfall", "air", "noise"].filter(() => rnd() < 0.5).map((o) => opt("measures", o));
      // The oldest 2,200 write an "Other"; nobody after them does.
      a.measures = answer({ optionIds: chosen, text: i < 2200 ? `Autre ${i}` : null });
      if (chosen.length === 0 && i >= 2200) a.measures.optionIds = [opt("measures", "none")];
    } else if (i < 2200) a.measures = answer({ optionIds: [], text: `Autre ${i}` });
    const ret = rnd();
    if (ret < 0.85) a.retention = answer({ optionIds: [opt("retention", pick(["1d", "30d", "1y"]))] });
    else if (ret < 0.95) a.retention = answer({ optionIds: [], text: `Une semaine (${i})`, hidden: rnd() < 0.2 });
    if (rnd() < 0.7) a.priorities = answer({ optionIds: pick(orders).map((o) => opt("priorities", o)) });
    if (rnd() < 0.012) a.elsewhere = answer({ text: `Ailleurs ${i}` });
    if (rnd() < 0.92) a.comments = answer({ text: `Commentaire ${i}`, hidden: rnd() < 0.03 });
    for (const [code, options] of [
      ["area", ["rural", "suburban", "urban"]],
      ["age", ["u18", "18-34", "35-54", "55-74", "75+"]],
    ] as const) {
      const x = rnd();
      if (x < 0.05) a[code] = answer({ preferNot: true });
      else if (x < 0.93) a[code] = answer({ optionIds: [opt(code, pick([...options]))] });
    }
    responses.push(r);
  }
  await db.execute(sql`insert into responses (id, consultation_id, submission_id, receipt_code, locale, channel, received_at)
    select x.id, ${c.id}, gen_random_uuid(), 'T' || replace(x.id::text, '-', ''), 'fr', x.channel, x.at
    from jsonb_to_recordset(${JSON.stringify(responses.map((r) => ({ id: r.id, channel: r.channel, at: new Date(r.at).toISOString() })))}::jsonb)
      as x(id uuid, channel text, at timestamptz)`);
  const rows = responses.flatMap((r) =>
    Object.entries(r.answers).map(([code, x]) => ({
      response_id: r.id,
      question_id: q(code).id,
      option_ids: x.optionIds,
      text: x.text,
      number: x.number,
      prefer_not: x.preferNot,
      hidden: x.hidden,
    })),
  );
  await db.execute(sql`insert into answers (response_id, question_id, option_ids, text, number, prefer_not, hidden)
    select x.response_id, x.question_id, x.option_ids, x.text, x.number, x.prefer_not, x.hidden
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as x(response_id uuid, question_id uuid, option_ids uuid[], text text, number int, prefer_not boolean, hidden boolean)`);
  const ids = await queryRows<{ id: number; response_id: string; question_id: string }>(
    db,
    sql`select a.id::int as id, a.response_id::text as response_id, a.question_id::text as question_id
        from answers a join responses r on r.id = a.response_id where r.consultation_id = ${c.id}`,
  );
  const byResponse = new Map(responses.map((r) => [r.id, r]));
  const codeOf = new Map(c.questions.map((x) => [x.id, x.code]));
  for (const row of ids) byResponse.get(row.response_id)!.answers[codeOf.get(row.question_id)!].id = Number(row.id);

  // Three themes, the last retired; texts tagged by a rule of their number, one in forty as a quote.
  const made = await queryRows<{ id: string; code: string }>(
    db,
    sql`insert into themes (consultation_id, code, labels, description, keywords, retired_at, created_at)
        select ${c.id}, x.code, jsonb_build_object('fr', x.code, 'en', x.code), '{"fr":"","en":""}', '{"fr":[],"en":[]}',
          case when x.code = 'gone' then now() end, now() + (x.n || ' seconds')::interval
        from (values ('privacy', 1), ('air', 2), ('gone', 3)) as x(code, n) returning id::text as id, code`,
  );
  const theme = (code: string) => made.find((m) => m.code === code)!.id;
  themeIds = { inUse: [theme("privacy"), theme("air")], retired: theme("gone") };
  const tags: { answer_id: number; theme_id: string; quote: boolean; at: string }[] = [];
  let tagged = 0;
  for (const r of responses)
    for (const [code, x] of Object.entries(r.answers)) {
      if (x.text === null || x.id === undefined) continue;
      for (const [k, t] of [theme("privacy"), theme("air"), theme("gone")].entries()) {
        if ((x.id + k) % (k + 2) !== 0) continue;
        const quote = tagged % 40 === 0;
        const at = new Date(base + 1000 * (10_000 - tagged)).toISOString();
        tags.push({ answer_id: x.id, theme_id: t, quote, at });
        x.themes.push(t);
        if (quote && !x.hidden && t !== theme("gone")) quotes.push({ code, theme: t, text: x.text, at, id: x.id });
        tagged++;
      }
    }
  await db.execute(sql`insert into answer_themes (answer_id, theme_id, quote, tagged_at)
    select x.answer_id, x.theme_id, x.quote, x.at from jsonb_to_recordset(${JSON.stringify(tags)}::jsonb)
      as x(answer_id bigint, theme_id uuid, quote boolean, at timestamptz)`);
}, 120_000);

afterAll(async () => {
  await database?.dispose();
});

// ---- The figures, worked out from the answers as written ----

type Group = string | null;
/** A response's group on the area question, as the summary defines it. */
function groupOf(r: Resp): Group {
  const a = r.answers.area;
  if (!a) return null;
  if (a.preferNot) return "prefer_not";
  if (a.optionIds?.length) return a.optionIds[0];
  return a.text !== null ? "other" : null;
}
const inGroup = (g: Group | "") => responses.filter((r) => g === "" || groupOf(r) === g);
const answersTo = (code: string, g: Group | "") => inGroup(g).flatMap((r) => (r.answers[code] ? [r.answers[code]] : []));
const visibleTexts = (code: string, g: Group | "") => answersTo(code, g).filter((a) => a.text !== null && !a.hidden);

function checkQuestion(s: Summary, code: string, keys: (Group | "")[]) {
  const got = s.questions.find((x) => x.code === code)!;
  const all = answersTo(code, "");
  expect(got.answered, `${code} answered`).toBe(all.length);
  expect(got.skipped).toBe(N - all.length);
  expect(got.preferNot).toBe(all.filter((a) => a.preferNot).length);
  expect(got.other).toBe(all.filter((a) => a.text !== null && a.optionIds !== null).length);
  expect(got.texts).toBe(visibleTexts(code, "").length);
  for (const k of keys) {
    const mine = answersTo(code, k);
    if (k !== "") expect(got.groupAnswered[k!], `${code} answered in ${k}`).toBe(mine.length);
    for (const row of got.rows) {
      const n =
        row.kind === "option"
          ? mine.filter((a) => a.optionIds?.includes(row.optionId!)).length
          : row.kind === "scale"
            ? mine.filter((a) => a.number === Number(row.key)).length
            : row.kind === "other"
              ? mine.filter((a) => a.text !== null && a.optionIds !== null).length
              : mine.filter((a) => a.preferNot).length;
      const cell = k === "" ? row : row.groups[k!];
      expect({ n: cell.n, base: cell.base }, `${code} ${row.key} in ${k}`).toEqual({ n, base: mine.length });
      expect(cell.share).toBeCloseTo(mine.length ? n / mine.length : 0, 12);
    }
    if (got.scale) {
      const valued = mine.filter((a) => a.number !== null);
      const mean = valued.length ? valued.reduce((t, a) => t + a.number!, 0) / valued.length : null;
      const gotMean = k === "" ? got.scale.mean : got.scale.groups[k!].mean;
      if (mean === null) expect(gotMean).toBeNull();
      else expect(gotMean).toBeCloseTo(mean, 12);
      expect(k === "" ? got.scale.valued : got.scale.groups[k!].n).toBe(valued.length);
    }
    for (const rank of got.ranks ?? []) {
      const positions = mine.flatMap((a) => (a.optionIds?.includes(rank.optionId) ? [a.optionIds.indexOf(rank.optionId) + 1] : []));
      const mean = positions.length ? positions.reduce((t, p) => t + p, 0) / positions.length : null;
      const got1 = k === "" ? { n: rank.ranked, meanPosition: rank.meanPosition } : rank.groups[k!];
      expect(got1.n, `${code} ${rank.code} ranked in ${k}`).toBe(positions.length);
      if (mean === null) expect(got1.meanPosition).toBeNull();
      else expect(got1.meanPosition).toBeCloseTo(mean, 12);
      if (k === "") expect(rank.positions).toEqual([1, 2, 3, 4].map((p) => positions.filter((x) => x === p).length));
    }
    const texts = visibleTexts(code, k);
    for (const th of got.themes) {
      const cell = k === "" ? th : th.groups[k!];
      expect({ n: cell.n, base: cell.base }, `${code} theme ${th.code} in ${k}`).toEqual({
        n: texts.filter((a) => a.themes.includes(th.themeId)).length,
        base: texts.length,
      });
    }
  }
  // The latest five visible texts: newest received first, then the newest answer.
  const latest = responses
    .flatMap((r) => (r.answers[code] && r.answers[code].text !== null && !r.answers[code].hidden ? [{ at: r.at, a: r.answers[code] }] : []))
    .sort((x, y) => y.at - x.at || y.a.id! - x.a.id!)
    .slice(0, 5)
    .map((x) => x.a.text);
  expect(got.excerpts, `${code} latest texts`).toEqual(latest);
  const themed = all.some((a) => a.text !== null && !a.hidden && a.themes.some((t) => themeIds.inUse.includes(t)));
  const freeText = code === "elsewhere" || code === "comments";
  expect(got.themes.map((t) => t.themeId)).toEqual(freeText || themed ? themeIds.inUse : []);
  // Each theme's quotes, in the order they were tagged.
  for (const th of got.themes)
    expect(th.quotes, `${code} quotes of ${th.code}`).toEqual(
      quotes
        .filter((x) => x.code === code && x.theme === th.themeId)
        .sort((x, y) => x.at.localeCompare(y.at) || x.id - y.id)
        .map((x) => x.text),
    );
}

describe("the summary of 2,600 responses", () => {
  it("has the shape that takes every way through (so the checks below mean something)", () => {
    expect(visibleTexts("comments", "").length).toBeGreaterThan(2000);
    expect(visibleTexts("measures", "").length).toBeGreaterThan(2000);
    expect(visibleTexts("elsewhere", "").length).toBeGreaterThan(5);
    expect(visibleTexts("elsewhere", "").length).toBeLessThan(100);
    expect(new Set(responses.map((r) => r.at)).size).toBeLessThan(N);
    expect(quotes.length).toBeGreaterThan(5);
  });

  it("counts every question for the whole as worked out from the answers", async () => {
    const s = await summarize(database.db, c);
    expect(s.total).toBe(N);
    expect(s.byChannel).toEqual({
      web: responses.filter((r) => r.channel === "web").length,
      offline: responses.filter((r) => r.channel === "offline").length,
      paper: responses.filter((r) => r.channel === "paper").length,
      sms: responses.filter((r) => r.channel === "sms").length,
    });
    expect(s.breakdown).toBeNull();
    for (const x of c.questions) checkQuestion(s, x.code, [""]);
  });

  it("counts every question in every area group, and the groups themselves", async () => {
    const s = await summarize(database.db, c, { breakdownBy: "area", k: 5 });
    const groups = [...q("area").options.map((o) => o.id), "prefer_not"];
    expect(s.breakdown!.groups.map((g) => [g.key, g.respondents])).toEqual(groups.map((g) => [g, inGroup(g).length]));
    expect(s.breakdown!.ungrouped).toBe(inGroup(null).length);
    for (const x of c.questions) if (x.code !== "area") checkQuestion(s, x.code, ["", ...groups]);
  });
});
