import { deflateSync } from "node:zlib";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, referenceShares } from "#db/schema";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { form, makeConsultation, makeOfficial } from "../../../tests/helpers/fixtures";
import { parseFormData } from "~/forms/forms.server";
import { errorsOf } from "~/forms/result";
import { addQuestion } from "../consultations/questionnaire.server";
import { getConsultationBySlug } from "../consultations/queries.server";
import { checkLogo, LOGO_MAX_BYTES } from "./logo";
import { logoFile, readSettings, saveSettings, settingsSchema, type SettingsForm } from "./settings.server";

let database: TestDatabase;
let actor: string;
beforeAll(async () => {
  database = await createTestDatabase();
  actor = await makeOfficial(database.db, "admin@example.org");
});
afterAll(() => database.dispose());

const DEFAULTS = { municipality: "Commune de Test", contact: "https://test.example/contact", licence: "CC-BY-4.0" as const, timeZone: "America/Montreal" };

/** A PNG written by hand, chunk by chunk, with its CRCs: `width` × `height`, one grey row repeated. */
function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const byte of b) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.concat(Array.from({ length: height }, () => Buffer.concat([Buffer.from([0]), Buffer.alloc(width, 0x80)])));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** The start of a baseline JPEG: SOI, an APP0 segment, then a SOF0 giving `width` × `height`. */
function jpegHead(width: number, height: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xd9])]);
}

const validForm = (overrides: [string, string][] = []): [string, string][] => {
  const base: Record<string, string> = {
    version: "0",
    "name.fr": "Ville de Saint-Exemple",
    "name.en": "Town of Saint-Exemple",
    "shortName.fr": "Saint-Exemple",
    "shortName.en": "Saint-Exemple",
    "contact.email": "Mairie@Saint-Exemple.example",
    licence: "etalab-2.0",
    timeZone: "Europe/Paris",
    "references.area.rural": "27,5",
    "references.area.urban": "50",
    referenceSource: "Recensement 2021",
    "links[0].fr": "Site de la ville",
    "links[0].en": "Town website",
    "links[0].url": "https://saint-exemple.example",
  };
  for (const [k, v] of overrides) base[k] = v;
  return Object.entries(base);
};
const parse = (pairs: [string, string][]) => parseFormData(form(pairs), settingsSchema);
const valid = (pairs: [string, string][] = []): SettingsForm => {
  const parsed = parse(validForm(pairs));
  if (parsed.status !== "success") throw new Error(JSON.stringify(errorsOf(parsed.reply())));
  return parsed.value;
};

describe("a logo is what its bytes are", () => {
  it("takes PNG, JPEG and WebP with their sizes, and refuses SVG, other bytes, empty and large files", () => {
    expect(checkLogo(png(120, 60))).toEqual({ ok: true, image: { contentType: "image/png", width: 120, height: 60 } });
    expect(checkLogo(jpegHead(300, 100))).toEqual({ ok: true, image: { contentType: "image/jpeg", width: 300, height: 100 } });
    const webp = Buffer.alloc(30);
    webp.write("RIFF", 0, "ascii");
    webp.write("WEBPVP8X", 8, "ascii");
    webp.writeUIntLE(199, 24, 3);
    webp.writeUIntLE(49, 27, 3);
    expect(checkLogo(webp)).toEqual({ ok: true, image: { contentType: "image/webp", width: 200, height: 50 } });
    expect(checkLogo(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'))).toEqual({ ok: false, reason: "logo_not_image" });
    expect(checkLogo(Buffer.from("GIF89a\x01\x00\x01\x00"))).toEqual({ ok: false, reason: "logo_not_image" });
    expect(checkLogo(Buffer.alloc(0))).toEqual({ ok: false, reason: "logo_empty" });
    expect(checkLogo(Buffer.concat([png(10, 10), Buffer.alloc(LOGO_MAX_BYTES)]))).toEqual({ ok: false, reason: "logo_too_large" });
  });
});

describe("settings", () => {
  it("come from the environment until an administrator saves them", async () => {
    const s = await readSettings(database.db, DEFAULTS);
    expect(s.saved).toBe(false);
    expect(s.version).toBe(0);
    expect(s.municipality.name).toEqual({ fr: "Commune de Test", en: "Commune de Test" });
    expect(s.municipality.contact.web).toBe("https://test.example/contact");
    expect(s.municipality.timeZone).toBe("America/Montreal");
  });

  it("name every field a person got wrong, in the form's own words", () => {
    const errors = errorsOf(
      parse(
        validForm([
          ["name.en", ""],
          ["contact.email", "mairie"],
          ["timeZone", "Mars/Olympus"],
          ["references.age.u18", "120"],
          ["links[1].url", "http://plain.example"],
        ]),
      ).reply(),
    );
    // A link half filled in, once the rest is right.
    expect(errorsOf(parse(validForm([["links[1].fr", "Sans adresse"]])).reply())["links[1].url"]).toEqual({ key: "linkIncomplete" });
    expect(errors["name.en"]).toEqual({ key: "required" });
    expect(errors["contact.email"]).toEqual({ key: "emailFormat" });
    expect(errors.timeZone).toEqual({ key: "timeZone" });
    expect(errors["references.age.u18"]?.key).toBe("percent");
    expect(errors["links[1].url"]).toEqual({ key: "httpsUrl" });
  });

  it("refuse a line break in a one-line text and an address carrying a NUL, and keep line breaks in postal addresses", () => {
    const errors = errorsOf(
      parse(
        validForm([
          ["name.fr", "Saint-Damien\r\nBcc: x@evil.example"],
          ["shortName.en", "St\nDamien"],
          ["privacyOfficer.name", "Anne\u2028Martin"],
          ["contact.email", "v@example.org\u0000evil"],
          ["contact.address", "1 place de la Mairie\r\n12345 Saint-Damien"],
        ]),
      ).reply(),
    );
    expect(errors["name.fr"]).toEqual({ key: "oneLine" });
    expect(errors["shortName.en"]).toEqual({ key: "oneLine" });
    expect(errors["privacyOfficer.name"]).toEqual({ key: "oneLine" });
    // Not stripped into another address (v@example.orgevil): refused.
    expect(errors["contact.email"]).toEqual({ key: "emailFormat" });
    expect(errors["contact.address"]).toBeUndefined();
  });

  it("are saved with the logo, audited with what changed, and refused when someone saved meanwhile", async () => {
    const logo = png(120, 60);
    const saved = await saveSettings(database.db, actor, DEFAULTS, valid(), logo);
    expect(saved.ok).toBe(true);
    const s = await readSettings(database.db, DEFAULTS);
    expect(s.version).toBe(1);
    expect(s.municipality.contact.email).toBe("mairie@saint-exemple.example");
    expect(s.municipality.references).toEqual({ area: { rural: 27.5, urban: 50 } });
    expect(s.municipality.footerLinks).toEqual([{ label: { fr: "Site de la ville", en: "Town website" }, url: "https://saint-exemple.example" }]);
    expect(s.municipality.logo).toMatchObject({ contentType: "image/png", width: 120, height: 60 });
    const file = await logoFile(database.db, `${s.municipality.logo!.digest}.png`);
    expect(file?.bytes.equals(logo)).toBe(true);
    expect(await logoFile(database.db, `${s.municipality.logo!.digest}.jpg`)).toBeNull();
    expect(await logoFile(database.db, "../../etc/passwd")).toBeNull();
    // A second administrator with the page loaded before the save is refused, and nothing changes.
    expect(await saveSettings(database.db, actor, DEFAULTS, valid([["name.fr", "Autre"]]), null)).toEqual({ ok: false, reason: "stale" });
    // A bad logo changes nothing either.
    expect(await saveSettings(database.db, actor, DEFAULTS, valid([["version", "1"]]), Buffer.from("<svg/>"))).toEqual({ ok: false, reason: "logo_not_image" });
    expect((await readSettings(database.db, DEFAULTS)).version).toBe(1);
    // Keeping the logo, then removing it.
    const again = await saveSettings(database.db, actor, DEFAULTS, valid([["version", "1"]]), null);
    expect(again).toEqual({ ok: true, changed: [] });
    expect((await readSettings(database.db, DEFAULTS)).municipality.logo).not.toBeNull();
    await saveSettings(
      database.db,
      actor,
      DEFAULTS,
      valid([
        ["version", "2"],
        ["removeLogo", "on"],
      ]),
      null,
    );
    expect((await readSettings(database.db, DEFAULTS)).municipality.logo).toBeNull();
    const audits = await database.db.select().from(auditLog).where(eq(auditLog.action, "settings.save"));
    expect(audits).toHaveLength(3);
    expect(audits[0].details).toMatchObject({ changed: expect.arrayContaining(["name", "logo", "references", "licence"]) });
  });

  it("give a new demographic question its default reference shares, still editable there", async () => {
    const c = await makeConsultation(database.db, { status: "draft", questions: [] });
    const added = await addQuestion(database.db, actor, c, c.version, {
      code: "where",
      kind: "single",
      required: false,
      demographic: "area",
      allowOther: false,
      allowPreferNot: true,
      fr: { prompt: "Où habitez-vous ?", help: "", scaleLow: "", scaleHigh: "" },
      en: { prompt: "Where do you live?", help: "", scaleLow: "", scaleHigh: "" },
      options: [
        { code: "rural", fr: "Campagne", en: "Countryside", remove: false },
        { code: "suburban", fr: "Périphérie", en: "Outskirts", remove: false },
        { code: "urban", fr: "Centre", en: "Centre", remove: false },
      ],
    } as unknown as Parameters<typeof addQuestion>[4]);
    expect(added).toEqual({ ok: true });
    const q = (await getConsultationBySlug(database.db, c.slug))!.questions[0];
    const shares = await database.db.select().from(referenceShares).where(eq(referenceShares.questionId, q.id));
    const byCode = Object.fromEntries(shares.map((s) => [q.options.find((o) => o.id === s.optionId)!.code, [Number(s.percent), s.source]]));
    expect(byCode).toEqual({ rural: [27.5, "Recensement 2021"], urban: [50, "Recensement 2021"] });
  });
});
