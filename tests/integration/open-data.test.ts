/**
 * Open data, checked from the outside: the published files (the route's own downloads) read
 * back with csv-parse in strict mode and compared row for row with the JSON; every withheld
 * count attacked with the sums a reader has; every figure recomputed from the record of what
 * was sent (tests/helpers/seeded.ts) with this file's own arithmetic and its own suppression
 * rule — it never calls the open-data or summary code to work them out.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import AjvDraft04 from "ajv-draft-04";
import { parse } from "csv-parse/sync";
import { eq } from "drizzle-orm";
import { consultations } from "#db/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabaseForTests } from "~/platform/db.server";
import { demoConsultation } from "~/domain/consultations/demo";
import { getConsultationBySlug } from "~/domain/consultations/queries.server";
import type { ConsultationView, QuestionView } from "~/domain/consultations/types";
import { csvCell, CSV_COLUMNS } from "~/domain/opendata/opendata.server";
import { publishTexts } from "~/domain/opendata/publication.server";
import { createStaff } from "~/domain/staff/accounts.server";
import * as openDataFile from "~/routes/open-data/file";
import * as dataPackageRoute from "~/routes/open-data/datapackage";
import * as catalogRoute from "~/routes/open-data/catalog";
import * as resultsRoute from "~/routes/resident/results";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeConsultation } from "../helpers/fixtures";
import { seedAnswers, stored, type SentAnswer, type SentResponse } from "../helpers/seeded";

const K = 5;
/** Small enough that many counts fall under K, large enough that many do not. */
const COUNT = 45;
let database: TestDatabase;
let c: ConsultationView;
let sent: SentResponse[];
type Row = Record<string, string | number | boolean | null>;
let json: { metadata: Record<string, unknown> & { disclosure: { k: number } }; results: Row[] };
let csvText: string;
let withoutTexts: { json: typeof json; csv: string };

async function download(file: string): Promise<Response> {
  return (await openDataFile.loader({ params: { file }, request: new Request(`http://localhost/open-data/${file}`), context: {} })) as Response;
}

beforeAll(async () => {
  database = await createTestDatabase();
  setDatabaseForTests(database);
  const spec = demoConsultation(new Date());
  const questions = spec.questions.map((q) => (q.code === "support" || q.code === "measures" ? { ...q, allowPreferNot: true } : q));
  const made = await makeConsultation(database.db, { questions, opensAt: new Date(Date.now() - 10 * 24 * 3600 * 1000) });
  const staff = await createStaff(database.db, { email: "moderator@example.org", password: "a moderator's long password", role: "moderator" });
  if (!staff.ok) throw new Error("fixture");
  sent = await seedAnswers(database.db, made, { count: COUNT, seed: 7, moderatorId: staff.user.id, hideShare: 0.15 });
  // Closed at 23:30 UTC on 27 November: already the 28th in Paris; published the 29th there.
  await database.db
    .update(consultations)
    .set({ status: "closed", closesAt: new Date("2026-11-27T23:30:00Z"), openDataPublishedAt: new Date("2026-11-28T23:30:00Z") })
    .where(eq(consultations.id, made.id));
  // Figures first: the free texts wait for a moderator's choice.
  const before = (await getConsultationBySlug(database.db, made.slug))!;
  withoutTexts = { json: await (await download(`${before.slug}.json`)).json(), csv: await (await download(`${before.slug}.csv`)).text() };
  const chosen = await publishTexts(database.db, staff.user.id, before, true);
  if (!chosen.ok) throw new Error("fixture");
  c = (await getConsultationBySlug(database.db, made.slug))!;
  json = await (await download(`${c.slug}.json`)).json();
  csvText = await (await download(`${c.slug}.csv`)).text();
  for (const r of expectedRows()) raw.set(r.id, r.n);
}, 120_000);
afterAll(() => database.dispose());

describe("the open-data files", () => {
  it("hold no free text until a moderator publishes the texts, then the same figures and the texts", () => {
    expect(withoutTexts.json.results.filter((r) => r.kind === "text")).toEqual([]);
    expect(withoutTexts.json.metadata.texts).toEqual({ published: false, on: null });
    const sentTexts = sent.flatMap((r) => Object.values(r.answers).flatMap((a) => [a.text, a.other].filter((t): t is string => !!t)));
    expect(sentTexts.length).toBeGreaterThan(10);
    for (const text of sentTexts) expect(withoutTexts.csv).not.toContain(stored(text).slice(0, 40).split("\n")[0]);
    expect(json.metadata.texts).toEqual({ published: true, on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect(json.results.filter((r) => r.kind === "text").length).toBeGreaterThan(0);
    const figures = (rows: Row[]) => rows.filter((r) => r.kind !== "text");
    expect(figures(json.results)).toEqual(figures(withoutTexts.json.results));
  });

  it("CSV is strict RFC 4180 without a byte-order mark, and says the same as the JSON, row for row", () => {
    expect(csvText.charCodeAt(0)).not.toBe(0xfeff);
    const records: string[][] = parse(csvText, {
      bom: false,
      record_delimiter: "\r\n",
      relax_quotes: false,
      relax_column_count: false,
      skip_empty_lines: false,
    });
    expect(records[0]).toEqual([...CSV_COLUMNS]);
    expect(records.length - 1).toBe(json.results.length);
    json.results.forEach((row, i) => {
      const expected = CSV_COLUMNS.map((k) => {
        const v = csvCell(row[k] ?? null);
        return v === null ? "" : String(v);
      });
      expect(records[i + 1]).toEqual(expected);
    });
    // Every field with CR, LF, a quote or a comma is quoted: outside quotes, no bare line break.
    const outsideQuotes = csvText.replace(/"(?:[^"]|"")*"/g, "");
    expect(outsideQuotes.replace(/\r\n/g, "")).not.toMatch(/[\r\n"]/);
  });

  it("neutralises every text that would start a formula, and says so", () => {
    const records: string[][] = parse(csvText, { bom: false, record_delimiter: "\r\n" });
    for (const r of records) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(json.results.some((r) => typeof r.text === "string" && r.text.startsWith("=1+1"))).toBe(true);
    expect(csvText).toContain("'=1+1");
  });

  it("gives days in the municipality's time zone and the threshold k", () => {
    expect(json.metadata.closed).toBe("2026-11-28");
    expect(json.metadata.published).toBe("2026-11-29");
    expect(json.metadata.disclosure.k).toBe(K);
  });
});

// ---------------------------------------------------------------------------
// What a reader can do with the published figures.
// ---------------------------------------------------------------------------

const isCount = (r: Row) => !["mean", "text", "quote"].includes(String(r.kind));
const idOf = (r: Row) => `${r.kind}|${r.question_code ?? ""}|${r.option_code ?? ""}|${r.position ?? ""}`;
const questionOf = (code: unknown) => c.questions.find((q) => q.code === code)!;

/** The exact cells (ids of `raw`) a published count holds: itself, or a group's members. */
function membersOf(r: Row): string[] {
  if (r.kind !== "combined") return [idOf(r)];
  const codes = String(r.option_code).split("|");
  if (r.question_code === null) return codes.map((ch) => `channel||${ch}|`);
  const q = questionOf(r.question_code);
  return codes.map((code) => {
    if (code === "other" || code === "prefer_not") return `${code}|${q.code}|${code}|`;
    if (q.kind === "ranking") return `rank_position|${q.code}|${code}|1`;
    return `${q.kind === "scale" ? "scale" : "option"}|${q.code}|${code}|`;
  });
}

/** The rows of an additive table a reader sees (one answer each): the cells that add up to its total. */
function additiveParts(rows: Row[], q: QuestionView): Row[] {
  const mine = rows.filter((r) => r.question_code === q.code);
  if (q.kind === "ranking" && mine.some((r) => r.kind === "rank")) return [];
  if (q.kind === "ranking") return mine.filter((r) => (r.kind === "rank_position" && r.position === 1) || r.kind === "combined" || r.kind === "prefer_not");
  if (q.kind === "single" || q.kind === "scale") return mine.filter((r) => ["option", "other", "prefer_not", "scale", "combined"].includes(String(r.kind)));
  return [];
}

/**
 * The exact cells a reader could work out from what is published (linear algebra): unknowns are
 * the cells not published alone; equations are each published count (the sum of what it holds)
 * and each additive table's total.
 */
function recomputable(rows: Row[]): string[] {
  const shownAlone = new Set(rows.filter((r) => isCount(r) && r.count !== null && r.kind !== "combined").map(idOf));
  const unknown = [...raw.keys()].filter((id) => !shownAlone.has(id));
  const index = new Map(unknown.map((id, i) => [id, i]));
  const m: number[][] = [];
  const equation = (ids: string[]) => {
    const row = new Array(unknown.length).fill(0);
    for (const id of ids) if (index.has(id)) row[index.get(id)!] += 1;
    if (row.some((x) => x !== 0)) m.push(row);
  };
  for (const r of rows) if (isCount(r) && r.count !== null && r.kind === "combined") equation(membersOf(r));
  equation(["web", "offline", "paper", "sms"].map((ch) => `channel||${ch}|`));
  for (const q of c.questions) {
    if (q.kind === "single") equation([...raw.keys()].filter((id) => /^(option|other|prefer_not)\|/.test(id) && id.split("|")[1] === q.code));
    if (q.kind === "scale") equation([...raw.keys()].filter((id) => /^(scale|prefer_not)\|/.test(id) && id.split("|")[1] === q.code));
    if (q.kind === "ranking")
      equation([...raw.keys()].filter((id) => id.split("|")[1] === q.code && (/^rank_position\|.*\|1$/.test(id) || id.startsWith("prefer_not|"))));
  }
  // Reduced row echelon form; an unknown is determined when a row is its unit vector.
  let lead = 0;
  for (let col = 0; col < unknown.length && lead < m.length; col++) {
    const pivot = m.findIndex((r, i) => i >= lead && Math.abs(r[col]) > 1e-9);
    if (pivot < 0) continue;
    [m[lead], m[pivot]] = [m[pivot], m[lead]];
    const p = m[lead][col];
    m[lead] = m[lead].map((x) => x / p);
    for (let i = 0; i < m.length; i++) if (i !== lead && Math.abs(m[i][col]) > 1e-9) m[i] = m[i].map((x, j) => x - m[i][col] * m[lead][j]);
    lead++;
  }
  return unknown.filter((_, j) => m.some((r) => Math.abs(r[j] - 1) < 1e-9 && r.every((x, i) => i === j || Math.abs(x) < 1e-9)));
}

describe("small counts", () => {
  it("publishes no count from 1 to k − 1; here it groups rare answers and withholds some counts", () => {
    const counts = json.results.filter((r) => typeof r.count === "number").map((r) => r.count as number);
    expect(counts.filter((n) => n >= 1 && n < K)).toEqual([]);
    expect(json.results.filter((r) => r.kind === "combined").length).toBeGreaterThan(0);
  });

  it("every count is the exact number of what it holds; a withheld one is what it says (fewer than k, or all but)", () => {
    // Texts and themes are counted again in app/domain/themes/outputs.server.test.ts.
    for (const r of json.results.filter((x) => isCount(x) && x.kind !== "texts" && x.kind !== "theme")) {
      const exact = membersOf(r).reduce((sum, id) => sum + raw.get(id)!, 0);
      if (r.count !== null) expect({ id: idOf(r), count: r.count }).toEqual({ id: idOf(r), count: exact });
      else if (r.withheld === "all_but_fewer") {
        const base = r.kind === "theme" ? null : raw.get(`answered|${r.question_code}||`)!;
        if (base !== null) expect(base - exact, idOf(r)).toBeGreaterThanOrEqual(1);
        if (base !== null) expect(base - exact, idOf(r)).toBeLessThan(K);
      } else if (r.kind !== "texts" && r.kind !== "theme") {
        expect(exact, idOf(r)).toBeGreaterThanOrEqual(1);
        expect(exact, idOf(r)).toBeLessThan(K);
      }
      expect(r.suppressed).toBe(r.count === null);
    }
  });

  it("a one-answer table's rows hold each answer once, add up to who answered, and a group holds at least two", () => {
    for (const q of c.questions) {
      const parts = additiveParts(json.results, q);
      if (!parts.length) continue;
      const members = parts.flatMap(membersOf);
      expect(new Set(members).size, q.code).toBe(members.length);
      const answered = raw.get(`answered|${q.code}||`)!;
      expect(
        members.reduce((s, id) => s + raw.get(id)!, 0),
        q.code,
      ).toBe(answered);
      for (const r of parts) if (r.kind === "combined") expect(membersOf(r).length).toBeGreaterThan(1);
    }
  });

  it("lets no hidden count be worked out from totals, groups and the other cells", () => {
    expect(recomputable(json.results)).toEqual([]);
  });

  it("the attack itself works: with a group's members shown but one, it finds the last", () => {
    const group = json.results.find((r) => r.kind === "combined" && r.question_code !== null)!;
    const [last, ...others] = membersOf(group).reverse();
    const leaked = others.map((id) => {
      const [kind, q, option, position] = id.split("|");
      return { kind, question_code: q, option_code: option, position: position ? Number(position) : null, count: raw.get(id)! } as Row;
    });
    expect(recomputable([...json.results, ...leaked])).toContain(last);
  });

  it("gives a mean only where every value of its scale is shown, and shares only beside their counts", () => {
    for (const r of json.results) if (r.count === null && isCount(r)) expect(r.share).toBeNull();
    for (const q of c.questions.filter((x) => x.kind === "scale")) {
      const mine = json.results.filter((r) => r.question_code === q.code);
      const mean = mine.find((r) => r.kind === "mean");
      if (mine.some((r) => r.kind === "combined" || r.suppressed)) expect(mean).toBeUndefined();
    }
  });
});

// ---------------------------------------------------------------------------
// Every figure again, from what was sent.
// ---------------------------------------------------------------------------

/** id → the true count, from the record of what was sent. */
const raw = new Map<string, number>();
const given = (q: QuestionView) => sent.map((r) => r.answers[q.code]).filter((a): a is SentAnswer => a !== undefined);

function expectedRows(): { id: string; n: number }[] {
  const out: { id: string; n: number }[] = [];
  const put = (kind: string, q: string, option = "", position = "", n: number) => out.push({ id: `${kind}|${q}|${option}|${position}`, n });
  put("responses", "", "", "", sent.length);
  for (const ch of ["web", "offline", "paper", "sms"]) put("channel", "", ch, "", sent.filter((r) => r.channel === ch).length);
  for (const q of c.questions) {
    const as = given(q);
    const n = (pred: (a: SentAnswer) => boolean) => as.filter(pred).length;
    put("answered", q.code, "", "", as.length);
    if (q.kind === "single" || q.kind === "multiple")
      for (const o of q.options)
        put(
          "option",
          q.code,
          o.code,
          "",
          n((a) => !!a.options?.includes(o.code)),
        );
    if (q.kind === "scale")
      for (const v of [1, 2, 3, 4, 5])
        put(
          "scale",
          q.code,
          String(v),
          "",
          n((a) => a.number === v),
        );
    const other = n((a) => a.other !== undefined);
    if ((q.kind === "single" || q.kind === "multiple") && (q.allowOther || other)) put("other", q.code, "other", "", other);
    const preferNot = n((a) => a.preferNot === true);
    if (q.kind !== "short_text" && q.kind !== "long_text" && (q.allowPreferNot || preferNot)) put("prefer_not", q.code, "prefer_not", "", preferNot);
    if (q.kind === "ranking")
      for (const o of q.options)
        q.options.forEach((_, i) =>
          put(
            "rank_position",
            q.code,
            o.code,
            String(i + 1),
            n((a) => a.ranks?.[o.code] === i + 1),
          ),
        );
  }
  return out;
}

describe("recomputed from what was sent", () => {
  it("publishes the visible texts where there are at least k and their count is shown, each question's sorted by text", () => {
    let open = 0;
    for (const q of c.questions) {
      const visible = sent
        .filter((r) => r.answers[q.code] && (r.answers[q.code].text ?? r.answers[q.code].other) !== undefined && !r.hidden.has(q.code))
        .map((r) => stored((r.answers[q.code].text ?? r.answers[q.code].other)!));
      // "Other" texts follow the "Other" count: shown alone, at least k.
      const otherAlone = json.results.some((r) => r.question_code === q.code && r.kind === "other" && typeof r.count === "number" && r.count >= K);
      const textsOpen = visible.length >= K && (q.kind === "short_text" || q.kind === "long_text" || otherAlone);
      const published = json.results.filter((r) => r.kind === "text" && r.question_code === q.code).map((r) => r.text);
      expect(published, q.code).toEqual(textsOpen ? [...visible].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) : []);
      if (textsOpen) open++;
    }
    expect(open).toBeGreaterThan(0);
    const comments = c.questions.find((q) => q.code === "comments")!;
    const arrival = sent.filter((r) => r.answers.comments && !r.hidden.has("comments")).map((r) => stored(r.answers.comments.text!));
    const published = json.results.filter((r) => r.kind === "text" && r.question_code === comments.code).map((r) => r.text);
    expect(published).not.toEqual(arrival);
  });
});

describe("standard metadata", () => {
  async function get(route: { loader: (args: never) => Promise<Response> }, url: string, params: Record<string, string>, headers: Record<string, string> = {}) {
    return route.loader({ params, request: new Request(`http://localhost${url}`, { headers }), context: {} } as never);
  }

  it("datapackage.json is a valid Tabular Data Package whose sizes, hashes and schema match the files", async () => {
    const res = await get(dataPackageRoute, `/open-data/${c.slug}/datapackage.json`, { slug: c.slug });
    expect(res.status).toBe(200);
    const descriptor = await res.json();
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const schema = JSON.parse(readFileSync(path.resolve(__dirname, "../../docs/schemas/tabular-data-package.schema.json"), "utf8"));
    const validate = ajv.compile(schema);
    expect(validate(descriptor), ajv.errorsText(validate.errors)).toBe(true);
    // And with the official Tabular Data Package profile (draft-04), unchanged.
    const official = new AjvDraft04({ allErrors: true, strict: false });
    // The profile's formats are checked too: email, uri and date-time as ajv-formats knows them;
    // "textarea" is only a hint for editors (any string), declared so that nothing is ignored.
    addFormats(official);
    official.addFormat("textarea", true);
    const profile = JSON.parse(readFileSync(path.resolve(__dirname, "../fixtures/frictionless/tabular-data-package.json"), "utf8"));
    const validateOfficial = official.compile(profile);
    expect(validateOfficial(descriptor), official.errorsText(validateOfficial.errors)).toBe(true);
    expect(descriptor.licenses[0].name).toBe("CC-BY-4.0");
    expect(descriptor.languages).toEqual(["fr", "en"]);
    expect(descriptor.disclosure.k).toBe(K);
    expect(descriptor.resources).toHaveLength(1);
    const [csv] = descriptor.resources;
    const [jsonFile] = descriptor.alternateFormats;
    expect(csv.bytes).toBe(Buffer.byteLength(csvText, "utf8"));
    expect(csv.hash).toBe(`sha256:${createHash("sha256").update(csvText).digest("hex")}`);
    const jsonText = await (await download(`${c.slug}.json`)).text();
    expect(jsonFile.hash).toBe(`sha256:${createHash("sha256").update(jsonText).digest("hex")}`);
    expect(csv.schema.fields.map((f: { name: string }) => f.name)).toEqual([...CSV_COLUMNS]);
    // Every row fits the schema's types and allowed values.
    const kinds = csv.schema.fields.find((f: { name: string }) => f.name === "kind").constraints.enum;
    for (const r of json.results) {
      expect(kinds).toContain(r.kind);
      for (const f of csv.schema.fields as { name: string; type: string }[]) {
        const v = r[f.name];
        if (v === null) continue;
        if (f.type === "integer") expect(Number.isInteger(v)).toBe(true);
        if (f.type === "number") expect(typeof v).toBe("number");
        if (f.type === "boolean") expect(typeof v).toBe("boolean");
        if (f.type === "string") expect(typeof v).toBe("string");
      }
    }
    expect(new Set(json.results.map((r) => r.row)).size).toBe(json.results.length);
  });

  it("the catalogue lists the published datasets and nothing else", async () => {
    const unpublished = await makeConsultation(database.db);
    const body = await (await get(catalogRoute, "/open-data/catalog.json", {})).json();
    const ids = body["dcat:dataset"].map((d: { "dct:identifier": string }) => d["dct:identifier"]);
    expect(ids).toContain(c.slug);
    expect(ids).not.toContain(unpublished.slug);
    expect(body["@type"]).toBe("dcat:Catalog");
    // Each dataset points to the results page residents read, which exists.
    const mine = body["dcat:dataset"].find((d: { "dct:identifier": string }) => d["dct:identifier"] === c.slug);
    const pages = mine["dcat:landingPage"].map((p: { "@id": string }) => new URL(p["@id"]).pathname);
    expect(pages).toEqual([`/fr/consultations/${c.slug}/results`, `/en/consultations/${c.slug}/results`]);
    for (const pathname of pages) {
      const [, lang] = pathname.split("/");
      const res = (await resultsRoute.loader({
        params: { lang, slug: c.slug },
        request: new Request(`http://localhost${pathname}`),
        context: {},
      } as never)) as Response;
      expect(res.status).toBe(200);
    }
    expect((await get(dataPackageRoute, `/open-data/${unpublished.slug}/datapackage.json`, { slug: unpublished.slug }).catch((e: Response) => e)).status).toBe(
      404,
    );
  });

  it("answers 304 to a current copy of every open-data file", async () => {
    const files: [typeof catalogRoute, string, Record<string, string>][] = [
      [openDataFile, `/open-data/${c.slug}.csv`, { file: `${c.slug}.csv` }],
      [openDataFile, `/open-data/${c.slug}.json`, { file: `${c.slug}.json` }],
      [dataPackageRoute, `/open-data/${c.slug}/datapackage.json`, { slug: c.slug }],
      [catalogRoute, "/open-data/catalog.json", {}],
    ];
    for (const [route, url, params] of files) {
      const first = await get(route, url, params);
      const etag = first.headers.get("ETag")!;
      const lastModified = first.headers.get("Last-Modified")!;
      expect(etag).toMatch(/^"[^"]+"$/);
      expect(lastModified).toMatch(/GMT$/);
      expect((await get(route, url, params, { "If-None-Match": etag })).status).toBe(304);
      expect((await get(route, url, params, { "If-Modified-Since": lastModified })).status).toBe(304);
      expect((await get(route, url, params, { "If-None-Match": '"other"' })).status).toBe(200);
    }
  });
});

describe("the public results page", () => {
  type Figure = { n: number; share: number | null } | { withheld: string };
  type Item = { kind: string; code: string; figure: Figure };
  type Question = { code: string; answered: Figure | null; items: Item[]; shown: string[]; more: number };
  type Page = {
    responses: Figure | null;
    channels: { code: string; figure: Figure }[];
    questions: Question[];
    live: boolean;
    textsPublished: boolean;
    k: number;
  };
  async function page(lang: "fr" | "en"): Promise<Page> {
    const res = (await resultsRoute.loader({
      params: { lang, slug: c.slug },
      request: new Request(`http://localhost/${lang}/consultations/${c.slug}/results`),
      context: {},
    } as never)) as Response;
    expect(res.status).toBe(200);
    return res.json();
  }
  const shownN = (f: Figure | null) => (f && "n" in f ? f.n : null);

  it("gives every figure the open data gives, counted again from what was sent, each share from its exact count once", async () => {
    for (const lang of ["fr", "en"] as const) {
      const d = await page(lang);
      expect(d.k).toBe(K);
      expect(shownN(d.responses)).toBe(sent.length);
      for (const ch of d.channels) {
        const members = ch.code.split("|");
        expect(shownN(ch.figure)).toBe(sent.filter((r) => members.includes(r.channel)).length);
      }
      for (const q of d.questions) {
        const answered = raw.get(`answered|${q.code}||`)!;
        expect(shownN(q.answered)).toBe(answered >= K ? answered : null);
        const rows = json.results.filter((r) => r.question_code === q.code);
        for (const i of q.items) {
          const r = rows.find((x) => String(x.option_code) === i.code && x.kind === i.kind)!;
          const exact = membersOf(r).reduce((sum, id) => sum + raw.get(id)!, 0);
          if ("n" in i.figure) {
            expect(i.figure.n).toBe(exact);
            // D1: the page's share is the exact ratio (formatted once when shown), not a rounded share rounded again.
            expect(i.figure.share).toBe(exact / answered);
          } else expect(r.count).toBeNull();
        }
      }
      // Every count the open data gives for a question's answers appears on the page, and nothing else.
      const onPage = d.questions.flatMap((q) => q.items.map((i) => `${q.code}|${i.kind}|${i.code}`)).sort();
      const inOpenData = json.results
        .filter((r) => ["option", "other", "prefer_not", "scale", "combined"].includes(String(r.kind)) && r.question_code !== null)
        .filter((r) => !(r.kind === "prefer_not" && json.results.some((x) => x.question_code === r.question_code && x.kind === "rank")))
        .map((r) => `${r.question_code}|${r.kind}|${r.option_code}`)
        .concat(
          json.results
            .filter(
              (r) => r.kind === "rank_position" && r.position === 1 && !json.results.some((x) => x.question_code === r.question_code && x.kind === "rank"),
            )
            .map((r) => `${r.question_code}|rank_position|${r.option_code}`),
        )
        .sort();
      expect(onPage).toEqual(inOpenData);
    }
  });

  it("shows a few published texts per question, never a hidden one, and counts the rest", async () => {
    const d = await page("en");
    expect(d.textsPublished).toBe(true);
    let shownAny = 0;
    for (const q of c.questions) {
      const published = json.results.filter((r) => r.kind === "text" && r.question_code === q.code).map((r) => String(r.text));
      const hidden = sent.filter((r) => r.answers[q.code] && r.hidden.has(q.code)).map((r) => stored((r.answers[q.code].text ?? r.answers[q.code].other)!));
      const mine = d.questions.find((x) => x.code === q.code)!;
      expect(mine.shown.length).toBe(Math.min(5, published.length));
      expect(mine.shown.length + mine.more).toBe(published.length);
      for (const t of mine.shown) expect(published).toContain(t);
      for (const t of mine.shown) expect(hidden).not.toContain(t);
      shownAny += mine.shown.length;
    }
    expect(shownAny).toBeGreaterThan(5);
  });
});
