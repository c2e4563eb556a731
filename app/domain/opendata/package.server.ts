/**
 * Standard descriptions of open data: a Frictionless Tabular Data Package per dataset
 * (datapackage.json, with a Table Schema) and a DCAT catalogue (JSON-LD) of every published
 * dataset, for portals to harvest.
 */
import { createHash } from "node:crypto";
import type { ConsultationView } from "../consultations/types";
import { figuresSemver } from "./figures.server";
import { openDataModified } from "./publication.server";
import { CSV_COLUMNS, FIELD_DESCRIPTIONS, licence, ROW_KINDS, type LicenceId, type openDataFiles } from "./opendata.server";
import { urls } from "~/urls";

export interface PublisherSettings {
  /** Public origin, no trailing slash (QUORUM_ORIGIN). */
  origin: string;
  /** The municipality's name in each language (its settings). */
  municipality: { fr: string; en: string };
  licence: LicenceId;
  /** The municipality's contact address, when it set one. */
  contact: string | null;
}

/** One name when both languages agree, else "French / English". */
const nameOf = (m: PublisherSettings["municipality"]) => (m.fr === m.en ? m.fr : `${m.fr} / ${m.en}`);

export const sha256 = (body: string) => createHash("sha256").update(body, "utf8").digest("hex");
const bytes = (body: string) => Buffer.byteLength(body, "utf8");

const TYPES: Record<(typeof CSV_COLUMNS)[number], { type: string; constraints?: Record<string, unknown>; trueValues?: string[]; falseValues?: string[] }> = {
  row: { type: "integer", constraints: { required: true, unique: true, minimum: 1 } },
  kind: { type: "string", constraints: { required: true, enum: [...ROW_KINDS] } },
  question_code: { type: "string" },
  question_fr: { type: "string" },
  question_en: { type: "string" },
  option_code: { type: "string" },
  option_fr: { type: "string" },
  option_en: { type: "string" },
  position: { type: "integer", constraints: { minimum: 1 } },
  count: { type: "integer", constraints: { minimum: 0 } },
  share: { type: "number", constraints: { minimum: 0, maximum: 1 } },
  mean: { type: "number", constraints: { minimum: 1 } },
  suppressed: { type: "boolean", constraints: { required: true }, trueValues: ["true"], falseValues: ["false"] },
  withheld: { type: "string", constraints: { enum: ["fewer", "all_but_fewer"] } },
  text: { type: "string" },
};

/** The Table Schema of the open-data table (CSV columns, JSON `results` rows). */
export function tableSchema() {
  return {
    fields: CSV_COLUMNS.map((name) => ({
      name,
      title: name,
      description: `${FIELD_DESCRIPTIONS[name].en} / ${FIELD_DESCRIPTIONS[name].fr}`,
      ...TYPES[name],
    })),
    missingValues: [""],
    primaryKey: ["row"],
  };
}

type Files = Awaited<ReturnType<typeof openDataFiles>>;

export function dataPackage(c: ConsultationView, files: Files, s: PublisherSettings) {
  const address = (path: string) => `${s.origin}${path}`;
  const lic = licence(s.licence);
  const m = files.metadata;
  return {
    profile: "tabular-data-package",
    name: c.slug,
    id: address(urls.openData.datapackage(c.slug)),
    title: `${m.title.fr} / ${m.title.en}`,
    description: `${m.summary.fr}\n\n${m.summary.en}`,
    titles: m.title,
    descriptions: m.summary,
    languages: ["fr", "en"],
    keywords: ["consultation", "participation"],
    homepage: address(urls.openData.list("fr")),
    // 1.0.0 as first published; the minor number counts later changes of the figures (decision 036).
    version: figuresSemver(c),
    created: c.openDataPublishedAt?.toISOString(),
    modified: openDataModified(c)?.toISOString(),
    licenses: [{ name: lic.id, path: lic.url, title: lic.title }],
    publisher: { title: nameOf(s.municipality), ...(s.contact ? { email: s.contact } : {}) },
    contributors: [{ title: nameOf(s.municipality), role: "publisher", ...(s.contact ? { email: s.contact } : {}) }],
    temporal: { opened: m.opened, closed: m.closed, timeZone: m.timeZone },
    disclosure: m.disclosure,
    resources: [
      {
        profile: "tabular-data-resource",
        name: `${c.slug}-results`,
        title: "Résultats agrégés et textes libres visibles / Aggregate results and visible free texts",
        description: `${m.disclosure.rule.fr}\n\n${m.disclosure.rule.en}`,
        path: address(urls.openData.csv(c.slug)),
        format: "csv",
        mediatype: "text/csv",
        encoding: "utf-8",
        bytes: bytes(files.csv),
        hash: `sha256:${sha256(files.csv)}`,
        dialect: { delimiter: ",", lineTerminator: "\r\n", quoteChar: '"', doubleQuote: true, header: true },
        schema: tableSchema(),
      },
    ],
    // A tabular package holds tabular resources only: the JSON copy (the same rows with the
    // metadata, not a table) is described beside them, as the DCAT catalogue does.
    alternateFormats: [
      {
        name: `${c.slug}-results-json`,
        title: "Les mêmes lignes en JSON, avec les métadonnées / The same rows as JSON, with the metadata",
        path: address(urls.openData.json(c.slug)),
        format: "json",
        mediatype: "application/json",
        encoding: "utf-8",
        bytes: bytes(files.json),
        hash: `sha256:${sha256(files.json)}`,
      },
    ],
  };
}

export interface PublishedDataset {
  slug: string;
  texts: Record<"fr" | "en", { title: string; summary: string }>;
  publishedAt: Date | null;
  /** The last change of the dataset: texts published since, or figures updated since. */
  modified?: Date | null;
}

/** The EU Publications Office's authority tables and IANA's media types: the IRIs DCAT-AP asks for. */
const EU_AUTHORITY = "http://publications.europa.eu/resource/authority";
const IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types";
/** The kind of publisher, from the ADMS publisher-type vocabulary DCAT-AP recommends. */
const LOCAL_AUTHORITY = "http://purl.org/adms/publishertype/LocalAuthority";
const FRICTIONLESS_PACKAGE = "https://specs.frictionlessdata.io/tabular-data-package/";

/** A link to a resource, typed with the class DCAT-AP gives the property's values (decision 058). */
const node = (id: string, type: string) => ({ "@id": id, "@type": type });

/**
 * DCAT catalogue (JSON-LD) of the published datasets, and only those, shaped to the DCAT-AP 3.0.0
 * profile European portals harvest (decision 058): every address from the configured origin,
 * languages, media types and file types named by the authorities' IRIs, and every linked
 * resource typed with the class the profile gives it.
 */
export function catalog(datasets: PublishedDataset[], s: PublisherSettings) {
  const lic = licence(s.licence);
  const both = (fr: string, en: string) => [
    { "@value": fr, "@language": "fr" },
    { "@value": en, "@language": "en" },
  ];
  const licenceDocument = node(lic.url, "dct:LicenseDocument");
  const languages = [node(`${EU_AUTHORITY}/language/FRA`, "dct:LinguisticSystem"), node(`${EU_AUTHORITY}/language/ENG`, "dct:LinguisticSystem")];
  const dateTime = (d: Date) => ({ "@value": d.toISOString(), "@type": "xsd:dateTime" });
  const publisher = {
    "@type": "foaf:Agent",
    "foaf:name": both(s.municipality.fr, s.municipality.en),
    // A concept carries its label (the vocabulary's own, in English): the profile requires one.
    "dct:type": { ...node(LOCAL_AUTHORITY, "skos:Concept"), "skos:prefLabel": { "@value": "Local Authority", "@language": "en" } },
    ...(s.contact ? { "foaf:mbox": { "@id": `mailto:${s.contact}` } } : {}),
  };
  const contactPoint = s.contact
    ? {
        "dcat:contactPoint": {
          "@type": ["vcard:Kind", "vcard:Organization"],
          "vcard:fn": nameOf(s.municipality),
          "vcard:hasEmail": { "@id": `mailto:${s.contact}` },
        },
      }
    : {};
  const published = datasets.filter((d): d is PublishedDataset & { publishedAt: Date } => !!d.publishedAt);
  const modifiedOf = (d: PublishedDataset & { publishedAt: Date }) => d.modified ?? d.publishedAt;
  const latest = published.reduce<Date | null>((m, d) => (!m || modifiedOf(d) > m ? modifiedOf(d) : m), null);
  return {
    "@context": {
      dcat: "http://www.w3.org/ns/dcat#",
      dct: "http://purl.org/dc/terms/",
      foaf: "http://xmlns.com/foaf/0.1/",
      rdfs: "http://www.w3.org/2000/01/rdf-schema#",
      skos: "http://www.w3.org/2004/02/skos/core#",
      vcard: "http://www.w3.org/2006/vcard/ns#",
      xsd: "http://www.w3.org/2001/XMLSchema#",
    },
    "@id": `${s.origin}${urls.openData.catalog()}`,
    "@type": "dcat:Catalog",
    "dct:title": both(`Données ouvertes des consultations – ${s.municipality.fr}`, `Consultation open data – ${s.municipality.en}`),
    "dct:description": both(
      `Résultats des consultations publiques – ${s.municipality.fr}. Un jeu de données par consultation close dont les données ouvertes sont publiées, avec les chiffres agrégés et, quand un modérateur les publie, les textes libres visibles, en CSV et en JSON, décrits par un paquet de données Frictionless. Aucune donnée personnelle.`,
      `Results of public consultations – ${s.municipality.en}. One dataset per closed consultation whose open data is published, with the aggregate figures and, once a moderator publishes them, the visible free texts, as CSV and JSON, described by a Frictionless data package. No personal data.`,
    ),
    "dct:publisher": publisher,
    "dct:language": languages,
    "foaf:homepage": node(`${s.origin}${urls.openData.list("fr")}`, "foaf:Document"),
    "dct:license": licenceDocument,
    ...(latest ? { "dct:modified": dateTime(latest) } : {}),
    "dcat:dataset": published.map((d) => {
      const datapackage = `${s.origin}${urls.openData.datapackage(d.slug)}`;
      const distribution = (url: string, mediaType: "text/csv" | "application/json", fileType: "CSV" | "JSON") => ({
        "@type": "dcat:Distribution",
        "dcat:accessURL": node(url, "rdfs:Resource"),
        "dcat:downloadURL": node(url, "rdfs:Resource"),
        "dcat:mediaType": node(`${IANA_MEDIA_TYPES}/${mediaType}`, "dct:MediaType"),
        "dct:format": node(`${EU_AUTHORITY}/file-type/${fileType}`, "dct:MediaTypeOrExtent"),
        "dct:license": licenceDocument,
      });
      return {
        "@id": datapackage,
        "@type": "dcat:Dataset",
        "dct:identifier": d.slug,
        "dct:title": both(d.texts.fr.title, d.texts.en.title),
        "dct:description": both(d.texts.fr.summary, d.texts.en.summary),
        "dct:issued": dateTime(d.publishedAt),
        "dct:modified": dateTime(modifiedOf(d)),
        "dct:publisher": publisher,
        ...contactPoint,
        "dct:language": languages,
        "dct:license": licenceDocument,
        // The results page residents read, in each language.
        "dcat:landingPage": [
          node(`${s.origin}${urls.results("fr", d.slug)}`, "foaf:Document"),
          node(`${s.origin}${urls.results("en", d.slug)}`, "foaf:Document"),
        ],
        "dcat:distribution": [
          distribution(`${s.origin}${urls.openData.csv(d.slug)}`, "text/csv", "CSV"),
          distribution(`${s.origin}${urls.openData.json(d.slug)}`, "application/json", "JSON"),
          { ...distribution(datapackage, "application/json", "JSON"), "dct:conformsTo": node(FRICTIONLESS_PACKAGE, "dct:Standard") },
        ],
      };
    }),
  };
}
