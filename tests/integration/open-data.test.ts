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

const isCount = (r: Row) => !["mean", "text"].includes(String(r.kind));
const idOf = (r: Row) => `${r.kind}|${r.question_code ?? ""}|${r.option_code ?? ""}|${r.position ?? ""}`;

/** The sums a reader knows hold: each a list of row ids that add up to the first. */
function equations(rows: Row[]): string[][] {
  const eqs: string[][] = [];
  const find = (pred: (r: Row) => boolean) => rows.filter(pred);
  eqs.push([idOf(find((r) => r.kind === "responses")[0]), ...find((r) => r.kind === "channel").map(idOf)]);
  for (const q of c.questions) {
    const mine = find((r) => r.question_code === q.code);
    const answered = idOf(mine.find((r) => r.kind === "answered")!);
    const parts = mine.filter((r) => ["option", "other", "prefer_not", "scale"].includes(String(r.kind)));
    const ranks = mine.filter((r) => r.kind === "rank");
    if (q.kind === "ranking" && ranks.length) {
      // Everyone ranks every item: each item's count is the number who ranked.
      const preferNot = parts.filter((r) => r.kind === "prefer_not");
      for (const item of ranks) {
        eqs.push([answered, idOf(item), ...preferNot.map(idOf)]);
        eqs.push([idOf(item), ...mine.filter((r) => r.kind === "rank_position" && r.option_code === item.option_code).map(idOf)]);
      }
      for (let p = 1; p <= ranks.length; p++) eqs.push([idOf(ranks[0]), ...mine.filter((r) => r.kind === "rank_position" && r.position === p).map(idOf)]);
    } else if (parts.length) eqs.push([answered, ...parts.map(idOf)]);
  }
  return eqs;
}

/** The withheld counts a reader could work out exactly from the published ones (linear algebra over the sums). */
function recomputable(rows: Row[]): string[] {
  const unknown = rows.filter((r) => isCount(r) && r.count === null && r.suppressed).map(idOf);
  const index = new Map(unknown.map((id, i) => [id, i]));
  const m: number[][] = [];
  for (const [total, ...cells] of equations(rows)) {
    const row = new Array(unknown.length).fill(0);
    for (const [id, sign] of [[total, 1] as const, ...cells.map((id) => [id, -1] as const)]) if (index.has(id)) row[index.get(id)!] += sign;
    m.push(row);
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
  it("publishes no count from 1 to k − 1, and withholds some here", () => {
    const counts = json.results.filter((r) => typeof r.count === "number").map((r) => r.count as number);
    expect(counts.filter((n) => n >= 1 && n < K)).toEqual([]);
    expect(json.results.filter((r) => r.suppressed).length).toBeGreaterThan(3);
  });

  it("lets no withheld count be worked out from totals and the other cells", () => {
    expect(recomputable(json.results)).toEqual([]);
  });

  it("the attack itself works: with secondary suppression undone, it finds the cells", () => {
    // Publish every secondary cell again (those ≥ k): the primary ones become recomputable.
    const undone = json.results.map((r) => (r.suppressed && isCount(r) && raw.get(idOf(r))! >= K ? { ...r, count: raw.get(idOf(r))!, suppressed: false } : r));
    expect(recomputable(undone).length).toBeGreaterThan(0);
  });

  it("withholds shares and means that would give a withheld count away", () => {
    for (const r of json.results) if (r.count === null && isCount(r) && r.kind !== "answered") expect(r.share).toBeNull();
    for (const q of c.questions.filter((x) => x.kind === "scale")) {
      const mine = json.results.filter((r) => r.question_code === q.code);
      if (mine.some((r) => r.suppressed && r.kind !== "mean")) expect(mine.find((r) => r.kind === "mean")!.mean).toBeNull();
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
  for (const ch of ["web", "offline", "paper"]) put("channel", "", ch, "", sent.filter((r) => r.channel === ch).length);
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
    if ((q.kind === "single" || q.kind === "multiple") && (q.allowOther || other)) put("other", q.code, "", "", other);
    const preferNot = n((a) => a.preferNot === true);
    if (q.kind !== "short_text" && q.kind !== "long_text" && (q.allowPreferNot || preferNot)) put("prefer_not", q.code, "", "", preferNot);
    if (q.kind === "ranking")
      for (const o of q.options) {
        put(
          "rank",
          q.code,
          o.code,
          "",
          n((a) => a.ranks?.[o.code] !== undefined),
        );
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
  }
  return out;
}

/**
 * This file's own suppression: withhold 1…k−1; then, while some sum has exactly one withheld
 * term, withhold its smallest published non-zero part (first in order on a tie), else a zero
 * part, else its total.
 */
function ownSuppression(rows: { id: string; n: number }[], sums: string[][]): Set<string> {
  const n = new Map(rows.map((r) => [r.id, r.n]));
  const out = new Set(rows.filter((r) => r.n > 0 && r.n < K).map((r) => r.id));
  let again = true;
  while (again) {
    again = false;
    for (const [total, ...parts] of sums) {
      const hidden = [total, ...parts].filter((id) => out.has(id));
      if (hidden.length !== 1 || parts.length === 0) continue;
      const left = parts.filter((id) => !out.has(id) && id !== total);
      const nonZero = left.filter((id) => n.get(id)! > 0);
      const pool = nonZero.length ? nonZero : left;
      const min = Math.min(...pool.map((id) => n.get(id)!));
      out.add(pool.find((id) => n.get(id) === min) ?? total);
      again = true;
    }
  }
  return out;
}

describe("recomputed from what was sent", () => {
  it("gives every count, and withholds exactly the cells an independent rule withholds", () => {
    const rows = expectedRows();
    // The ranking's count per item is the number who ranked: one figure, the question's answered when nobody preferred not to say.
    const sums = equations(json.results).map((e) =>
      e.map((id) => {
        const [kind, q] = id.split("|");
        const preferNot = raw.get(`prefer_not|${q}||`);
        return kind === "rank" && !preferNot && raw.get(id) === raw.get(`answered|${q}||`) ? `answered|${q}||` : id;
      }),
    );
    const withheld = ownSuppression(
      rows,
      sums.map((e) => [...new Set(e)]),
    );
    const published = new Map(json.results.filter(isCount).map((r) => [idOf(r), r]));
    expect([...published.keys()].sort()).toEqual(rows.map((r) => r.id).sort());
    for (const r of rows) {
      const alias =
        r.id.startsWith("rank|") &&
        withheld.has(r.id.replace(/^rank\|([^|]*)\|.*$/, "answered|$1||")) &&
        raw.get(r.id) === raw.get(r.id.replace(/^rank\|([^|]*)\|.*$/, "answered|$1||"));
      const out = withheld.has(r.id) || alias;
      expect({ id: r.id, count: published.get(r.id)!.count }).toEqual({ id: r.id, count: out ? null : r.n });
    }
  });

  it("publishes the visible texts, each question's sorted by text, not in arrival order", () => {
    for (const q of c.questions) {
      const visible = sent
        .filter((r) => r.answers[q.code] && (r.answers[q.code].text ?? r.answers[q.code].other) !== undefined && !r.hidden.has(q.code))
        .map((r) => stored((r.answers[q.code].text ?? r.answers[q.code].other)!));
      const published = json.results.filter((r) => r.kind === "text" && r.question_code === q.code).map((r) => r.text);
      expect(published).toEqual([...visible].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
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
  type Item = { kind: string; code: string; count: number | null; share: number | null };
  type Question = {
    code: string;
    answered: number | null;
    items: Item[];
    ranks: { mean: number | null; first: number | null }[];
    shown: string[];
    more: number;
  };
  type Page = { responses: number | null; channels: Record<string, number | null>; questions: Question[]; live: boolean; textsPublished: boolean };
  async function page(lang: "fr" | "en"): Promise<Page> {
    const res = (await resultsRoute.loader({
      params: { lang, slug: c.slug },
      request: new Request(`http://localhost/${lang}/consultations/${c.slug}/results`),
      context: {},
    } as never)) as Response;
    expect(res.status).toBe(200);
    return res.json();
  }

  it("gives every figure as recomputed from what was sent, withheld exactly where the open data withholds", async () => {
    for (const lang of ["fr", "en"] as const) {
      const d = await page(lang);
      const figure = (id: string, shown: number | null) => {
        const withheld = json.results.find((r) => idOf(r) === id)!.count === null;
        expect(shown, id).toBe(withheld ? null : raw.get(id));
        if (shown !== null) expect(shown === 0 || shown >= K, id).toBe(true);
      };
      figure("responses|||", d.responses);
      for (const ch of ["web", "offline", "paper"]) figure(`channel||${ch}|`, d.channels[ch]);
      for (const q of d.questions) {
        figure(`answered|${q.code}||`, q.answered);
        for (const i of q.items) {
          const id = `${i.kind}|${q.code}|${i.kind === "option" || i.kind === "scale" ? i.code : ""}|`;
          figure(id, i.count);
          // The share's base is who answered the question, counted here from what was sent.
          if (i.share !== null) expect(i.share).toBeCloseTo(raw.get(id)! / raw.get(`answered|${q.code}||`)!, 3);
        }
      }
      // Every count the open data gives for a question's options appears on the page, and nothing else.
      const onPage = d.questions.flatMap((q) => q.items.map((i) => `${i.kind}|${q.code}|${i.kind === "option" || i.kind === "scale" ? i.code : ""}|`)).sort();
      const inOpenData = json.results
        .filter((r) => ["option", "other", "prefer_not", "scale"].includes(String(r.kind)))
        .map(idOf)
        .sort();
      expect(onPage).toEqual(inOpenData);
    }
  });

  it("shows a few published texts per question, never a hidden one, and counts the rest", async () => {
    const d = await page("en");
    expect(d.textsPublished).toBe(true);
    let shownAny = 0;
    for (const q of c.questions) {
      const visible = sent
        .filter((r) => r.answers[q.code] && (r.answers[q.code].text ?? r.answers[q.code].other) !== undefined && !r.hidden.has(q.code))
        .map((r) => stored((r.answers[q.code].text ?? r.answers[q.code].other)!));
      const mine = d.questions.find((x) => x.code === q.code)!;
      expect(mine.shown.length).toBe(Math.min(5, visible.length));
      expect(mine.shown.length + mine.more).toBe(visible.length);
      for (const t of mine.shown) expect(visible).toContain(t);
      shownAny += mine.shown.length;
    }
    expect(shownAny).toBeGreaterThan(5);
  });
});
