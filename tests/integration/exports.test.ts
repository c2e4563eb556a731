/**
 * The staff exports (export.csv, export.json, summary.csv) and the open data's dates, taken
 * as an official takes them: a draft opened with "Open now", four answers (one a paper form
 * recorded as written), a text tagged with a theme and then hidden, the routes' own downloads
 * read back with csv-parse in strict mode and JSON.parse. The clock stands at 23:30 UTC, which
 * is already the next day in the municipality (Europe/Paris, UTC+1 or UTC+2): every day in
 * the files must be that next day, worked out here by adding a day to the UTC date.
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startSession } from "~/auth/session.server";
import { getConsultationBySlug } from "~/domain/consultations/queries.server";
import type { ConsultationView } from "~/domain/consultations/types";
import { listFreeText, moderate } from "~/domain/moderation/moderation.server";
import { enterPaperAnswer } from "~/domain/paper/entry.server";
import { submitResponse } from "~/domain/responses/submit.server";
import { parseAnswers } from "~/domain/responses/validate.server";
import { createStaff } from "~/domain/staff/accounts.server";
import { createTheme, tagAnswers } from "~/domain/themes/themes.server";
import { setDatabaseForTests } from "~/platform/db.server";
import { loadEnv } from "~/platform/env.server";
import * as dataPackageRoute from "~/routes/open-data/datapackage";
import * as openDataFile from "~/routes/open-data/file";
import * as exportCsv from "~/routes/staff/consultations/export-csv";
import * as exportJson from "~/routes/staff/consultations/export-json";
import * as overview from "~/routes/staff/consultations/overview";
import * as summaryCsv from "~/routes/staff/consultations/summary-csv";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { form, makeConsultation } from "../helpers/fixtures";

const SITE = loadEnv().QUORUM_ORIGIN;
const STRICT = { bom: true, columns: true, record_delimiter: "\r\n", relax_quotes: false, relax_column_count: false, skip_empty_lines: false } as const;

/** 23:30 UTC today: the clock of the whole file. */
const utcToday = new Date().toISOString().slice(0, 10);
const NOW = new Date(`${utcToday}T23:30:00Z`);
/** The municipality's day at NOW: Paris is one or two hours ahead, so the UTC date plus one. */
const [y, m, d] = utcToday.split("-").map(Number);
const PARIS_DAY = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);

let database: TestDatabase;
let c: ConsultationView;
let cookie: string;
let officialId: string;

async function run(fn: (args: never) => unknown, request: Request, params: Record<string, string>): Promise<Response> {
  try {
    return (await fn({ request, params, context: { clientAddress: "192.0.2.1" } } as never)) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
const get = (path: string) => new Request(`${SITE}${path}`, { headers: { Cookie: cookie } });
const post = (path: string, fields: Record<string, string>) =>
  new Request(`${SITE}${path}`, { method: "POST", body: new URLSearchParams(fields), headers: { Origin: SITE, Cookie: cookie } });
const staffFile = async (loader: (args: never) => unknown, file: string) => {
  const res = await run(loader, get(`/en/staff/consultations/${c.slug}/${file}`), { lang: "en", slug: c.slug });
  expect(res.status, file).toBe(200);
  return res.text();
};

let tick = 0;
/** The next second: answers arrive one after the other, in the order they are sent. */
const later = () => vi.setSystemTime(new Date(NOW.getTime() + ++tick * 1000));

async function answer(pairs: [string, string][], locale: "fr" | "en") {
  later();
  const parsed = parseAnswers(c.questions, form(pairs));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const sent = await submitResponse(database.db, { consultation: c, submissionId: crypto.randomUUID(), locale, channel: "web", answers: parsed.answers });
  if (!sent.ok) throw new Error(sent.reason);
}

beforeAll(async () => {
  database = await createTestDatabase();
  setDatabaseForTests(database);
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
  const official = await createStaff(database.db, { email: "official@example.org", password: "an official's long password", role: "official" });
  if (!official.ok) throw new Error("fixture");
  officialId = official.user.id;
  cookie = /^(quorum_session=[^;]*)/.exec(await startSession(officialId, database.db))![1];
  // A draft with no opening date, opened with "Open now" on its page.
  const draft = await makeConsultation(database.db, { status: "draft", opensAt: null, closesAt: null });
  const opened = await run(overview.action, post(`/en/staff/consultations/${draft.slug}`, { intent: "open", confirmed: "yes" }), {
    lang: "en",
    slug: draft.slug,
  });
  expect(opened.status).toBe(302);
  c = (await getConsultationBySlug(database.db, draft.slug))!;
  expect(c.status).toBe("open");

  await answer(
    [
      ["q.support", "4"],
      ["q.measures", "air"],
      ["q.measures", "__other"],
      ["q.measures.other", "Le pollen"],
      ["q.retention", "30d"],
      ["q.comments", "Des capteurs, oui, mais ce texte sera masqué"],
      ["q.area", "rural"],
      ["q.age", "18-34"],
    ],
    "fr",
  );
  await answer(
    [
      ["q.support", "2"],
      ["q.measures", "noise"],
      ["q.retention", "1d"],
      ["q.priorities.rank.hours", "1"],
      ["q.priorities.rank.alerts", "2"],
      ["q.priorities.rank.trees", "3"],
      ["q.priorities.rank.opendata", "4"],
      ["q.comments", "Sensors near the school please"],
      ["q.area", "rural"],
    ],
    "en",
  );
  // Nothing but the required questions.
  await answer(
    [
      ["q.support", "3"],
      ["q.measures", "none"],
      ["q.retention", "1y"],
    ],
    "fr",
  );
  // A paper form recorded as written: two boxes on the age question, one of them "prefer not".
  later();
  const paper = await enterPaperAnswer(database.db, {
    consultation: c,
    lang: "fr",
    actorId: officialId,
    timeZone: "Europe/Paris",
    form: form([
      ["submission_id", crypto.randomUUID()],
      ["received_on", PARIS_DAY],
      ["as_written", "on"],
      ["q.support", "5"],
      ["q.measures", "air"],
      ["q.retention", "30d"],
      ["q.area", "rural"],
      ["q.age", "18-34"],
      ["q.age", "__prefer_not"],
    ]),
  });
  if (!paper.ok) throw new Error(JSON.stringify(paper.state.errors));
  expect(paper.asWritten).toEqual(["age"]);

  // Both comments carry a theme; then the first is hidden by a moderator.
  const theme = await createTheme(database.db, officialId, c.id, {
    labels: { fr: "Capteurs", en: "Sensors" },
    description: { fr: "", en: "" },
    keywords: { fr: [], en: [] },
  });
  if (!theme.ok) throw new Error("fixture");
  const texts = (await listFreeText(database.db, c.id, { questionCode: "comments" })).items;
  expect(texts).toHaveLength(2);
  expect(
    await tagAnswers(
      database.db,
      officialId,
      c.id,
      theme.id,
      texts.map((t) => t.answerId),
    ),
  ).toEqual({ ok: true, changed: 2 });
  const hidden = texts.find((t) => t.text.startsWith("Des capteurs"))!;
  expect(await moderate(database.db, officialId, c.id, hidden.answerId, "hide", "insulte")).toEqual({ ok: true });
}, 120_000);

afterAll(async () => {
  vi.useRealTimers();
  await database.dispose();
});

describe("export.json", () => {
  it("gives the day it was exported in the municipality's time zone", async () => {
    const json = JSON.parse(await staffFile(exportJson.loader, "export.json"));
    expect(json.consultation).toEqual({ slug: c.slug, title: c.texts.en.title, language: "en", status: "open", exportedAt: PARIS_DAY });
  });

  const responses = async () => {
    const json = JSON.parse(await staffFile(exportJson.loader, "export.json")) as { columns: string[]; responses: Record<string, unknown>[] };
    expect(json.responses).toHaveLength(4);
    return json;
  };

  it('has every column in every response, null where a cell is empty (never missing, never ""), numbers as numbers', async () => {
    const json = await responses();
    for (const [i, r] of json.responses.entries()) {
      expect(Object.keys(r), `response ${i + 1}`).toEqual(json.columns);
      for (const [k, v] of Object.entries(r)) {
        expect(v, `${i + 1} ${k}: no empty string`).not.toBe("");
        if (k === "response" || k === "support" || k.startsWith("measures.") || k.startsWith("priorities."))
          expect(v === null || typeof v === "number", `${i + 1} ${k} = ${JSON.stringify(v)}`).toBe(true);
      }
    }
    const [first, second, third, fourth] = json.responses;
    expect([first.response, first.day, first.support, first["measures.air"], first["measures.noise"], first.measures_other]).toEqual([
      1,
      PARIS_DAY,
      4,
      1,
      0,
      "Le pollen",
    ]);
    // A visible "Other" text without a theme: no theme is null, as any empty cell.
    expect([first.measures_themes, first.measures_theme_codes]).toEqual([null, null]);
    expect([second["priorities.hours"], second["priorities.opendata"], second.comments_theme_codes]).toEqual([1, 4, "t1"]);
    // Not answered: null.
    const unanswered = ["comments", "comments_hidden", "comments_themes", "priorities", "priorities.hours", "area", "area_label", "age", "age_label"];
    expect(unanswered.map((k) => third[k])).toEqual(unanswered.map(() => null));
    expect([third.measures_other, third.measures_other_hidden, third.paper_received_on, third.as_written]).toEqual([null, null, null, null]);
    expect([fourth.channel, fourth.paper_received_on, fourth.as_written, fourth.age]).toEqual(["paper", PARIS_DAY, "age:unclear(18-34;prefer_not)", null]);
  });

  it("writes flags as JSON booleans", async () => {
    const json = await responses();
    for (const [i, r] of json.responses.entries())
      for (const [k, v] of Object.entries(r))
        if (k.endsWith("_hidden")) expect(v === null || typeof v === "boolean", `${i + 1} ${k} = ${JSON.stringify(v)}`).toBe(true);
    const [first, second] = json.responses;
    expect([first.comments_hidden, first.measures_other_hidden, second.comments_hidden]).toEqual([true, false, false]);
  });
});

describe("export.csv", () => {
  const records = async (): Promise<Record<string, string>[]> => parse(await staffFile(exportCsv.loader, "export.csv"), STRICT);

  it("dates every answer and paper form in the municipality's day", async () => {
    const rows = await records();
    expect(rows.map((r) => r.day)).toEqual([PARIS_DAY, PARIS_DAY, PARIS_DAY, PARIS_DAY]);
    expect(rows.map((r) => r.paper_received_on)).toEqual(["", "", "", PARIS_DAY]);
  });

  it("gives no theme to a text a moderator hid", async () => {
    const [hidden, visible] = await records();
    expect([hidden.comments_hidden, hidden.comments_themes, hidden.comments_theme_codes]).toEqual(["true", "", ""]);
    expect([visible.comments_hidden, visible.comments_themes, visible.comments_theme_codes]).toEqual(["false", "Sensors", "t1"]);
  });

  it("writes no internal value: a paper form's marks as the rest of the export names them", async () => {
    const rows = await records();
    expect(rows[3].as_written).toBe("age:unclear(18-34;prefer_not)");
    for (const r of rows) for (const [k, v] of Object.entries(r)) expect(v, k).not.toMatch(/__/);
  });
});

describe("summary.csv", () => {
  for (const breakdown of ["", "?breakdown=area"]) {
    it(`leaves the share empty where its base is 0, and only there${breakdown}`, async () => {
      const rows: Record<string, string>[] = parse(await staffFile(summaryCsv.loader, `summary.csv${breakdown}`), STRICT);
      const zero = rows.filter((r) => r.base === "0");
      // "elsewhere" was answered by nobody: its texts row has a base of 0 (and, by area, every group but rural too).
      expect(zero.some((r) => r.kind === "texts" && r.question_code === "elsewhere")).toBe(true);
      if (breakdown) expect(zero.some((r) => r.kind === "option" && r.group === "urban")).toBe(true);
      for (const r of zero) expect(r.share, `${r.kind} ${r.question_code} ${r.item} ${r.group}`).toBe("");
      for (const r of rows.filter((x) => x.base !== "" && x.base !== "0"))
        expect(r.share, `${r.kind} ${r.question_code} ${r.item} ${r.group}`).toBe(String(Math.round((Number(r.count) / Number(r.base)) * 10_000) / 10_000));
    });
  }
});

describe("open data of a consultation opened with “Open now”", () => {
  it("says the day it opened, in the JSON metadata and the data package", async () => {
    for (const intent of ["close", "publishOpenData"]) {
      const res = await run(overview.action, post(`/en/staff/consultations/${c.slug}`, { intent, confirmed: "yes" }), { lang: "en", slug: c.slug });
      expect(res.status, intent).toBe(302);
    }
    const file = (await openDataFile.loader({
      params: { file: `${c.slug}.json` },
      request: new Request(`http://localhost/open-data/${c.slug}.json`),
      context: {},
    })) as Response;
    const json = (await file.json()) as { metadata: { opened: string | null; closed: string | null; published: string | null } };
    expect([json.metadata.opened, json.metadata.closed, json.metadata.published]).toEqual([PARIS_DAY, PARIS_DAY, PARIS_DAY]);
    const pkg = (await (
      (await dataPackageRoute.loader({
        params: { slug: c.slug },
        request: new Request(`http://localhost/open-data/${c.slug}/datapackage.json`),
        context: {},
      })) as Response
    ).json()) as { temporal: { opened: string | null; closed: string | null } };
    expect(pkg.temporal).toMatchObject({ opened: PARIS_DAY, closed: PARIS_DAY });
  });
});
