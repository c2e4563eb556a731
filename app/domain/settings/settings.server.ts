/**
 * The municipality's own settings: its name, logo, contacts, privacy officer, open-data licence,
 * time zone, default reference shares and footer links. One row, read by every page (through a
 * short cache, app/settings.server.ts) and changed by administrators, audited.
 */
import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "#db/client";
import { logos, settings, type Bilingual, type Demographic } from "#db/schema";
import { audit } from "../audit/audit.server";
import { phraseFor, phrasesFor } from "./in-sentence";
import { DEMOGRAPHICS } from "../consultations/lists";
import { STANDARD_DEMOGRAPHICS } from "../consultations/standard";
import { checkLogo, LOGO_EXTENSIONS, type LogoRefusal, type LogoType } from "./logo";
import { urls } from "~/urls";

export const LICENCES = ["CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "ODbL-1.0", "etalab-2.0"] as const;
export type Licence = (typeof LICENCES)[number];

/**
 * The standard answers of the demographic questions, by code: the reference shares are set for
 * these, the very codes a new demographic question gets (consultations/standard.ts), so that
 * every default reaches it.
 */
export const DEMOGRAPHIC_CODES: Record<Demographic, readonly string[]> = {
  area: STANDARD_DEMOGRAPHICS.area.options.map((o) => o.code),
  age: STANDARD_DEMOGRAPHICS.age.options.map((o) => o.code),
  language: STANDARD_DEMOGRAPHICS.language.options.map((o) => o.code),
};

/**
 * Codes that settings saved before the settings took the standard questions' codes: "75+" is
 * the standard "75-plus". ("both", "Les deux", has no standard answer: it is not carried over.)
 */
const FORMER_CODES: Partial<Record<Demographic, Record<string, string>>> = { age: { "75+": "75-plus" } };

/** Saved default shares under the standard codes only (former codes read as their standard one). */
export function standardReferences(references: Municipality["references"] | undefined): Municipality["references"] {
  const out: Municipality["references"] = {};
  for (const demographic of DEMOGRAPHICS) {
    const shares: Record<string, number> = {};
    for (const [code, value] of Object.entries(references?.[demographic] ?? {})) {
      const standard = FORMER_CODES[demographic]?.[code] ?? code;
      if (DEMOGRAPHIC_CODES[demographic].includes(standard) && typeof value === "number") shares[standard] ??= value;
    }
    if (Object.keys(shares).length) out[demographic] = shares;
  }
  return out;
}

export const FOOTER_LINKS = 3;

export interface FooterLink {
  label: Bilingual<string>;
  url: string;
}

export interface Municipality {
  name: Bilingual<string>;
  shortName: Bilingual<string>;
  /** The name as a sentence says it: "la commune de Saint-Damien" / "the Municipality of Saint-Damien" (in-sentence.ts). */
  inSentence: Bilingual<string>;
  contact: { email: string; phone: string; address: string; web: string };
  privacyOfficer: { name: string; email: string; address: string };
  licence: Licence;
  timeZone: string;
  /** Per demographic question, per standard answer code: the share of the population, 0–100. */
  references: Partial<Record<Demographic, Record<string, number>>>;
  referenceSource: string;
  footerLinks: FooterLink[];
  logo: { digest: string; contentType: LogoType; width: number; height: number } | null;
}

export interface SettingsRow {
  municipality: Municipality;
  version: number;
  /** Whether an administrator (or the demo) has saved settings; otherwise they come from the environment. */
  saved: boolean;
}

/** Where the settings start before an administrator saves any: the deployment's environment. */
export interface SettingsDefaults {
  /** One name for both languages (QUORUM_MUNICIPALITY), or each its own (a commune of the registry). */
  municipality: string | { fr: string; en: string };
  contact: string | null;
  licence: Licence;
  timeZone: string;
}

export function defaultMunicipality(d: SettingsDefaults): Municipality {
  const contact = d.contact ?? "";
  const name = typeof d.municipality === "string" ? { fr: d.municipality, en: d.municipality } : d.municipality;
  return {
    name,
    shortName: { ...name },
    inSentence: phrasesFor(name),
    contact: { email: contact.includes("@") ? contact : "", phone: "", address: "", web: contact.includes("@") ? "" : contact },
    privacyOfficer: { name: "", email: "", address: "" },
    licence: d.licence,
    timeZone: d.timeZone,
    references: {},
    referenceSource: "",
    footerLinks: [],
    logo: null,
  };
}

/** A line break or another character that ends a line: refused where a text is shown on one line (names, titles, subjects). */
const LINE_BREAK = /[\r\n\v\f\u0085\u2028\u2029]/;
const multiline = (max: number) => z.string().trim().max(max, "tooLong").default("");
const text = (max: number) => multiline(max).refine((v) => !LINE_BREAK.test(v), "oneLine");
const required = (max: number) =>
  z
    .string({ error: "required" })
    .trim()
    .min(1, "required")
    .max(max, "tooLong")
    .refine((v) => !LINE_BREAK.test(v), "oneLine");
const anEmail = z.email();
const optionalEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "tooLong")
  .refine((v) => v === "" || anEmail.safeParse(v).success, "emailFormat")
  .optional()
  .transform((v) => v ?? "");
const webAddress = z
  .string()
  .trim()
  .max(500, "tooLong")
  .default("")
  .refine((v) => v === "" || /^https:\/\/[^\s/$.?#][^\s]*$/i.test(v), "httpsUrl");
const share = z.preprocess(
  (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : v.trim().replace(",", ".")) : v),
  z.coerce.number({ error: "percent" }).min(0, "percent").max(100, "percent").optional(),
);

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("fr", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const linkRow = z.object({ fr: text(60), en: text(60), url: webAddress });

/** The settings form: flat names such as `name.fr`, `contact.email`, `links[0].url`, `references.area.rural`. */
export const settingsSchema = z
  .object({
    /** The version the form was loaded at (0 before the first save). */
    version: z.coerce.number().int().min(0),
    name: z.object({ fr: required(120), en: required(120) }),
    shortName: z.object({ fr: required(40), en: required(40) }),
    // Left blank, it is made from the name (in-sentence.ts).
    inSentence: z.object({ fr: text(160), en: text(160) }).prefault({}),
    // Empty fields are not sent back by the form layer: a section left blank is parsed as blank.
    contact: z.object({ email: optionalEmail, phone: text(40), address: multiline(300), web: webAddress }).prefault({}),
    privacyOfficer: z.object({ name: text(120), email: optionalEmail, address: multiline(300) }).prefault({}),
    licence: z.enum(LICENCES, { error: "invalid" }),
    timeZone: required(60).refine(isTimeZone, "timeZone"),
    references: z
      .object({
        area: z.record(z.string(), share).prefault({}),
        age: z.record(z.string(), share).prefault({}),
        language: z.record(z.string(), share).prefault({}),
      })
      .prefault({}),
    referenceSource: text(200),
    links: z.array(linkRow.prefault({})).max(FOOTER_LINKS).prefault([]),
    removeLogo: z.preprocess((v) => v === "on" || v === "true", z.boolean()).default(false),
  })
  .superRefine((v, ctx) => {
    for (const [i, link] of v.links.entries()) {
      const any = link.fr || link.en || link.url;
      if (!any) continue;
      for (const field of ["fr", "en", "url"] as const)
        if (!link[field]) ctx.addIssue({ code: "custom", message: "linkIncomplete", path: ["links", i, field] });
    }
    for (const demographic of DEMOGRAPHICS) {
      const values = Object.values(v.references[demographic]).filter((n): n is number => typeof n === "number");
      if (values.length && values.reduce((a, b) => a + b, 0) > 100.5)
        ctx.addIssue({ code: "custom", message: "sharesOver100", path: ["references", demographic, DEMOGRAPHIC_CODES[demographic][0]] });
    }
  });
export type SettingsForm = z.infer<typeof settingsSchema>;

function fromForm(form: SettingsForm, logo: Municipality["logo"]): Municipality {
  const references: Municipality["references"] = {};
  for (const demographic of DEMOGRAPHICS) {
    const shares: Record<string, number> = {};
    for (const code of DEMOGRAPHIC_CODES[demographic]) {
      const value = form.references[demographic][code];
      if (typeof value === "number") shares[code] = value;
    }
    if (Object.keys(shares).length) references[demographic] = shares;
  }
  return {
    name: form.name,
    shortName: form.shortName,
    inSentence: { fr: form.inSentence.fr || phraseFor("fr", form.name.fr), en: form.inSentence.en || phraseFor("en", form.name.en) },
    contact: form.contact,
    privacyOfficer: form.privacyOfficer,
    licence: form.licence,
    timeZone: form.timeZone,
    references,
    referenceSource: form.referenceSource,
    footerLinks: form.links.filter((l) => l.url).map((l) => ({ label: { fr: l.fr, en: l.en }, url: l.url })),
    logo,
  };
}

/** JSON with keys in order (PostgreSQL's jsonb does not keep the order they were written in). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** The settings now: the saved row, or the environment's defaults (version 0) before any is saved. */
export async function readSettings(db: DbOrTx, defaults: SettingsDefaults): Promise<SettingsRow> {
  const [row] = await db.select().from(settings).where(eq(settings.id, 1));
  if (!row) return { municipality: defaultMunicipality(defaults), version: 0, saved: false };
  const saved = row.data as Partial<Municipality>;
  const municipality = { ...defaultMunicipality(defaults), ...saved, references: standardReferences(saved.references) };
  // Settings saved before the name had a sentence form: made from the saved name.
  const made = phrasesFor(municipality.name);
  municipality.inSentence = { fr: saved.inSentence?.fr || made.fr, en: saved.inSentence?.en || made.en };
  return { municipality, version: row.version, saved: true };
}

/** Why settings are not saved: another administrator saved since the form was loaded (`stale`), or the logo sent is refused. */
export type SettingsRefusal = "stale" | LogoRefusal;

export type SaveSettingsResult = { ok: true; changed: string[] } | { ok: false; reason: SettingsRefusal };

/**
 * Saves the settings (and a new logo, when given) in one transaction; refused as `stale` when
 * another administrator saved since the form was loaded (`form.version`, 0 before the first save).
 * The audit entry names the sections that changed.
 */
export async function saveSettings(
  db: Db,
  actorId: string,
  defaults: SettingsDefaults,
  form: SettingsForm,
  logoBytes: Uint8Array | null,
): Promise<SaveSettingsResult> {
  let upload: { digest: string; contentType: LogoType; width: number; height: number; data: string } | null = null;
  if (logoBytes) {
    const checked = checkLogo(logoBytes);
    if (!checked.ok) return { ok: false, reason: checked.reason };
    const digest = createHash("sha256").update(logoBytes).digest("hex").slice(0, 32);
    upload = { digest, ...checked.image, data: Buffer.from(logoBytes).toString("base64") };
  }
  return db.transaction(async (tx) => {
    const current = await readSettings(tx, defaults);
    if (current.version !== form.version) return { ok: false, reason: "stale" } as const;
    const logo = upload
      ? { digest: upload.digest, contentType: upload.contentType, width: upload.width, height: upload.height }
      : form.removeLogo
        ? null
        : current.municipality.logo;
    if (upload)
      await tx
        .insert(logos)
        .values({ digest: upload.digest, contentType: upload.contentType, data: upload.data })
        .onConflictDoNothing({ target: [logos.communeId, logos.digest] });
    const next = fromForm(form, logo);
    const changed = (Object.keys(next) as (keyof Municipality)[]).filter((key) => canonical(next[key]) !== canonical(current.municipality[key]));
    const data = next as unknown as Record<string, unknown>;
    // Written only over the version read: of two administrators saving at once, the second is refused.
    const written = await tx
      .insert(settings)
      .values({ id: 1, data, version: 1 })
      .onConflictDoUpdate({
        target: [settings.communeId, settings.id],
        set: { data, version: sql`${settings.version} + 1`, updatedAt: new Date() },
        setWhere: eq(settings.version, form.version),
      })
      .returning({ version: settings.version });
    if (!written.length) return { ok: false, reason: "stale" } as const;
    await audit(tx, { actorId, action: "settings.save", targetType: "settings", targetId: "municipality", details: { changed } });
    return { ok: true, changed } as const;
  });
}

/**
 * The demo's settings, written with the demo consultation (never over saved ones): a name, a
 * contact and census-like shares to try things with. Licence and time zone stay the deployment's.
 */
export const DEMO_MUNICIPALITY: Partial<Municipality> = {
  name: { fr: "Commune de Quorum", en: "Municipality of Quorum" },
  shortName: { fr: "Commune de Quorum", en: "Quorum Municipality" },
  inSentence: { fr: "la commune de Quorum", en: "the Municipality of Quorum" },
  contact: { email: "mairie@quorum.example", phone: "+33 1 23 45 67 89", address: "1 place de la Mairie, 00000 Quorum", web: "" },
  privacyOfficer: { name: "Délégué à la protection des données / Data protection officer", email: "dpo@quorum.example", address: "" },
  references: { area: { rural: 30, suburban: 30, urban: 40 }, age: { u18: 20, "18-34": 22, "35-54": 26, "55-74": 22, "75-plus": 10 } },
  referenceSource: "Valeurs de démonstration / Demo values",
};

export async function seedSettings(db: DbOrTx, municipality: Partial<Municipality> = DEMO_MUNICIPALITY): Promise<void> {
  await db
    .insert(settings)
    .values({ id: 1, data: municipality as Record<string, unknown> })
    .onConflictDoNothing({ target: [settings.communeId, settings.id] });
}

/** What an administrator (or the demo) saved, without the environment's defaults: nothing before any save. */
export async function savedMunicipality(db: DbOrTx): Promise<Partial<Municipality>> {
  const [row] = await db.select({ data: settings.data }).from(settings).where(eq(settings.id, 1));
  return (row?.data ?? {}) as Partial<Municipality>;
}

/** A logo by the name it is served at (`{digest}.{ext}`), or null. */
export async function logoFile(db: DbOrTx, file: string): Promise<{ contentType: string; bytes: Buffer } | null> {
  const match = /^([0-9a-f]{32})\.(png|jpg|webp)$/.exec(file);
  if (!match) return null;
  const [row] = await db.select().from(logos).where(eq(logos.digest, match[1]));
  if (!row || LOGO_EXTENSIONS[row.contentType as LogoType] !== match[2]) return null;
  return { contentType: row.contentType, bytes: Buffer.from(row.data, "base64") };
}

/** One name when both languages agree, else "French / English" (sheets printed for both). */
export function bothNames(name: Bilingual<string>): string {
  return name.fr === name.en ? name.fr : `${name.fr} / ${name.en}`;
}

export function logoPath(logo: NonNullable<Municipality["logo"]>): string {
  return urls.logo(`${logo.digest}.${LOGO_EXTENSIONS[logo.contentType]}`);
}
