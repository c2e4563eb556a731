/**
 * The DCAT catalogue, checked the way a European data portal checks it before harvesting: the
 * catalogue the route serves, read as JSON-LD into RDF (jsonld to N-Quads, then an n3 store) and
 * validated by a SHACL engine (rdf-validate-shacl) against SEMIC's DCAT-AP 3.0.0 shapes, kept
 * unchanged in tests/fixtures/dcat-ap (decision 058).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import jsonld from "jsonld";
import { Parser, Store } from "n3";
import SHACLValidator from "rdf-validate-shacl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConsultationBySlug } from "~/domain/consultations/queries.server";
import { listPublishedDatasets } from "~/domain/opendata/opendata.server";
import { catalog } from "~/domain/opendata/package.server";
import { publishOpenData } from "~/domain/opendata/publication.server";
import { setDatabaseForTests } from "~/platform/db.server";
import { loadEnv } from "~/platform/env.server";
import * as catalogRoute from "~/routes/open-data/catalog";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeConsultation, makeOfficial } from "../helpers/fixtures";

const SH = "http://www.w3.org/ns/shacl#";
const SHAPES_IRI = "https://semiceu.github.io/DCAT-AP/releases/3.0.0/shacl/dcat-ap-SHACL.ttl";
const SHAPES = path.resolve(__dirname, "../fixtures/dcat-ap/3.0.0/dcat-ap-SHACL.ttl");

/** What a portal refuses outright: a property missing or repeated, a value of the wrong kind or datatype. */
const STRICT = ["sh:MinCountConstraintComponent", "sh:MaxCountConstraintComponent", "sh:NodeKindConstraintComponent", "sh:DatatypeConstraintComponent"];
/**
 * Class violations accepted, each with its reason (decision 058). None: every value the shapes
 * give a class range is typed in the catalogue itself — the languages, media types and file types
 * as the classes DCAT-AP names for them, the licence as dct:LicenseDocument, the pages as
 * foaf:Document, the download addresses as rdfs:Resource, the Frictionless profile as
 * dct:Standard, the publisher as foaf:Agent and its kind as skos:Concept.
 */
const ACCEPTED_CLASS_VIOLATIONS: Violation[] = [];

let database: TestDatabase;
let actor: string;
let validator: SHACLValidator;
const origin = () => loadEnv().QUORUM_ORIGIN;

beforeAll(async () => {
  database = await createTestDatabase();
  setDatabaseForTests(database);
  actor = await makeOfficial(database.db, "dcat@example.org");
  const shapes = new Store(new Parser({ baseIRI: SHAPES_IRI }).parse(readFileSync(SHAPES, "utf8")));
  validator = new SHACLValidator(shapes);
});
afterAll(() => database.dispose());

/** The catalogue as the route serves it, asked for with a forged host: its addresses must not follow it. */
async function served(): Promise<Record<string, unknown>> {
  const res = (await catalogRoute.loader({
    params: {},
    request: new Request("http://attacker.example/open-data/catalog.json", { headers: { Host: "attacker.example", "X-Forwarded-Host": "attacker.example" } }),
    context: {},
  } as never)) as Response;
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toBe("application/ld+json; charset=utf-8");
  const body = await res.text();
  expect(body).not.toContain("attacker.example");
  return JSON.parse(body);
}

interface Violation {
  component: string;
  path: string;
  focus: string;
  value: string;
}

/** JSON-LD → N-Quads → RDF dataset → SHACL report, one entry per result. */
async function validate(document: object): Promise<Violation[]> {
  // Safe mode: a term the context does not define, a relative IRI or any other lossy conversion is
  // an error, not a triple silently left out of what is validated.
  const nquads = (await jsonld.toRDF(
    document as jsonld.JsonLdDocument,
    { format: "application/n-quads", safe: true } as jsonld.Options.ToRdf,
  )) as unknown as string;
  const data = new Store(new Parser({ format: "application/n-quads" }).parse(nquads));
  expect(data.size).toBeGreaterThan(10);
  const report = await validator.validate(data);
  const results = report.results.map((r) => ({
    component: r.sourceConstraintComponent.value.replace(SH, "sh:"),
    path: r.path?.value ?? "",
    focus: r.focusNode?.termType === "BlankNode" ? "_:" : (r.focusNode?.value ?? ""),
    value: r.value?.value ?? "",
  }));
  expect(report.conforms).toBe(results.length === 0);
  return results;
}

/** The catalogue passes: no strict violation, only the accepted class ones, nothing else. */
function expectHarvestable(violations: Violation[]) {
  expect(violations.filter((v) => STRICT.includes(v.component))).toEqual([]);
  expect(violations.filter((v) => v.component === "sh:ClassConstraintComponent")).toEqual(ACCEPTED_CLASS_VIOLATIONS);
  expect(violations.filter((v) => v.component !== "sh:ClassConstraintComponent" && !STRICT.includes(v.component))).toEqual([]);
}

async function publishOne() {
  const c = await makeConsultation(database.db, { status: "closed", closesAt: new Date(Date.now() - 86_400_000) });
  expect(await publishOpenData(database.db, actor, c, true)).toEqual({ ok: true });
  return (await getConsultationBySlug(database.db, c.slug))!;
}

const ids = (v: unknown) => (Array.isArray(v) ? v : [v]).map((x: { "@id": string }) => x["@id"]);

describe("the DCAT catalogue against the DCAT-AP 3.0.0 SHACL shapes", () => {
  it("the shapes are SEMIC's, unchanged, and the validator finds what they require", async () => {
    const text = readFileSync(SHAPES, "utf8");
    expect(text).toContain(`<${SHAPES_IRI}#dcat:CatalogShape> a shacl:NodeShape`);
    expect(text.split("\n")).toHaveLength(2322);
    // A catalogue without its mandatory description, and a distribution with a literal media type,
    // fail: the check can fail.
    const broken = {
      "@context": { dcat: "http://www.w3.org/ns/dcat#", dct: "http://purl.org/dc/terms/", foaf: "http://xmlns.com/foaf/0.1/" },
      "@id": "https://example.org/catalog",
      "@type": "dcat:Catalog",
      "dct:title": "Catalogue",
      "dct:publisher": { "@type": "foaf:Agent", "foaf:name": "Commune" },
      "dcat:dataset": {
        "@id": "https://example.org/dataset",
        "@type": "dcat:Dataset",
        "dct:title": "Dataset",
        "dct:description": "Dataset",
        "dcat:distribution": {
          "@type": "dcat:Distribution",
          "dcat:accessURL": { "@id": "https://example.org/file.csv", "@type": "rdfs:Resource" },
          "dcat:mediaType": "text/csv",
        },
      },
    };
    const found = await validate({ ...broken, "@context": { ...broken["@context"], rdfs: "http://www.w3.org/2000/01/rdf-schema#" } });
    expect(found).toHaveLength(3);
    expect(found).toEqual(
      expect.arrayContaining([
        { component: "sh:MinCountConstraintComponent", path: "http://purl.org/dc/terms/description", focus: "https://example.org/catalog", value: "" },
        { component: "sh:ClassConstraintComponent", path: "http://www.w3.org/ns/dcat#mediaType", focus: "_:", value: "text/csv" },
        { component: "sh:NodeKindConstraintComponent", path: "http://www.w3.org/ns/dcat#mediaType", focus: "_:", value: "text/csv" },
      ]),
    );
  });

  it("an empty catalogue, then one and two published consultations, as the route serves them: no violation", async () => {
    expectHarvestable(await validate(await served()));
    const first = await publishOne();
    const one = await served();
    expect(ids(one["dcat:dataset"])).toEqual([`${origin()}/open-data/${first.slug}/datapackage.json`]);
    expectHarvestable(await validate(one));
    const second = await publishOne();
    const two = await served();
    expect(ids(two["dcat:dataset"]).sort()).toEqual(
      [`${origin()}/open-data/${first.slug}/datapackage.json`, `${origin()}/open-data/${second.slug}/datapackage.json`].sort(),
    );
    expectHarvestable(await validate(two));
  });

  it("with the municipality's contact address (a contact point) and each licence: no violation", async () => {
    if (!(await listPublishedDatasets(database.db)).length) await publishOne();
    const list = await listPublishedDatasets(database.db);
    for (const licence of ["CC-BY-4.0", "etalab-2.0", "ODbL-1.0"] as const) {
      const document = catalog(list, {
        origin: "https://consultations.example.org",
        municipality: { fr: "Mairie", en: "Town hall" },
        licence,
        contact: "mairie@example.org",
      });
      expectHarvestable(await validate(document));
    }
  });

  it("names languages, media types and file types by the authorities' IRIs, and describes the catalogue in both languages", async () => {
    if (!(await listPublishedDatasets(database.db)).length) await publishOne();
    const body = await served();
    const languages = ["http://publications.europa.eu/resource/authority/language/FRA", "http://publications.europa.eu/resource/authority/language/ENG"];
    expect(ids(body["dct:language"])).toEqual(languages);
    expect((body["dct:description"] as { "@language": string }[]).map((d) => d["@language"])).toEqual(["fr", "en"]);
    // The catalogue's last change is its datasets' latest (ISO 8601 in UTC sorts as text).
    const changes = (body["dcat:dataset"] as { "dct:modified": { "@value": string } }[]).map((d) => d["dct:modified"]["@value"]).sort();
    expect(body["dct:modified"]).toEqual({ "@value": changes[changes.length - 1], "@type": "xsd:dateTime" });
    const [dataset] = body["dcat:dataset"] as Record<string, unknown>[];
    expect(ids(dataset["dct:language"])).toEqual(languages);
    const distributions = dataset["dcat:distribution"] as Record<string, unknown>[];
    expect(distributions.map((d) => ids(d["dcat:mediaType"])[0])).toEqual([
      "https://www.iana.org/assignments/media-types/text/csv",
      "https://www.iana.org/assignments/media-types/application/json",
      "https://www.iana.org/assignments/media-types/application/json",
    ]);
    expect(distributions.map((d) => ids(d["dct:format"])[0])).toEqual([
      "http://publications.europa.eu/resource/authority/file-type/CSV",
      "http://publications.europa.eu/resource/authority/file-type/JSON",
      "http://publications.europa.eu/resource/authority/file-type/JSON",
    ]);
    for (const d of distributions)
      for (const url of [...ids(d["dcat:accessURL"]), ...ids(d["dcat:downloadURL"])]) expect(url.startsWith(`${origin()}/open-data/`)).toBe(true);
  });
});
