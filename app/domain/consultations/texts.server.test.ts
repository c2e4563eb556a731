import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { form, makeConsultation } from "../../../tests/helpers/fixtures";
import { parseFormData } from "~/forms/forms.server";
import { listAudit } from "../audit/audit.server";
import { createStaff } from "../staff/accounts.server";
import { CONSULTATION_FIELDS } from "./completeness";
import { utcToZonedInput } from "./dates";
import { contentVersion } from "./cache.server";
import { getConsultationBySlug } from "./queries.server";
import { consultationSchemas, type ConsultationEdit } from "./schema.server";
import { createDraft, saveTexts } from "./texts.server";
import type { ConsultationView } from "./types";

const ZONE = "Europe/Paris";
let database: TestDatabase;
let anne: string;
let bruno: string;
beforeAll(async () => {
  database = await createTestDatabase();
  const ids: string[] = [];
  for (const email of ["anne@example.org", "bruno@example.org"]) {
    const made = await createStaff(database.db, { email, password: "long enough password", role: "official" });
    ids.push(made.ok ? made.user.id : "");
  }
  [anne, bruno] = ids;
});
afterAll(() => database.dispose());

const reload = async (slug: string) => (await getConsultationBySlug(database.db, slug))!;

/** The edit form as the page sends it: every field as loaded, the version, then the official's changes. */
function editForm(c: ConsultationView, changes: Record<string, string> = {}): ConsultationEdit {
  const pairs: Record<string, string> = {
    version: String(c.version),
    slug: c.slug,
    mode: c.mode,
    opensAt: utcToZonedInput(c.opensAt, ZONE),
    closesAt: utcToZonedInput(c.closesAt, ZONE),
    retentionDays: c.retentionDays ? String(c.retentionDays) : "",
  };
  for (const lang of ["fr", "en"] as const) for (const f of CONSULTATION_FIELDS) pairs[`${lang}.${f}`] = c.texts[lang][f];
  const submission = parseFormData(form(Object.entries({ ...pairs, ...changes })), consultationSchemas(ZONE).edit);
  if (submission.status !== "success") throw new Error(JSON.stringify(submission.reply().error));
  return submission.value;
}

describe("creating a draft", () => {
  it("stores what was typed, fills the rest empty, and refuses an address in use", async () => {
    const submission = parseFormData(
      form([
        ["slug", "Bancs-Connectes"],
        ["mode", "code"],
        ["fr.title", "Bancs connectés"],
        ["closesAt", "2031-03-01T18:00"],
      ]),
      consultationSchemas(ZONE).create,
    );
    if (submission.status !== "success") throw new Error("form");
    expect(await createDraft(database.db, anne, submission.value)).toEqual({ ok: true, slug: "bancs-connectes" });
    const c = await reload("bancs-connectes");
    expect(c).toMatchObject({ status: "draft", mode: "code", version: 1 });
    expect(c.texts.fr.title).toBe("Bancs connectés");
    expect(c.texts.en.title).toBe("");
    expect(c.closesAt!.toISOString()).toBe("2031-03-01T17:00:00.000Z");
    expect(await createDraft(database.db, bruno, submission.value)).toEqual({ ok: false, reason: "slug_taken" });
  });
});

describe("editing texts and settings while someone else does", () => {
  it("refuses the second save made from a page the first one overtook, and keeps the first", async () => {
    const loaded = await makeConsultation(database.db, { status: "draft" });
    // Anne and Bruno both opened the edit page at the same version.
    const annes = editForm(loaded, { "en.title": "Sensors on the square (Anne)" });
    const brunos = editForm(loaded, { "en.title": "Sensors, market square (Bruno)", "fr.summary": "Résumé de Bruno" });
    expect(await saveTexts(database.db, anne, loaded, annes)).toEqual({ ok: true, slug: loaded.slug });

    // Bruno's request arrives after Anne's save: the page it came from is stale.
    const now = await reload(loaded.slug);
    expect(now.version).toBe(loaded.version + 1);
    expect(await saveTexts(database.db, bruno, now, brunos)).toEqual({ ok: false, reason: "stale" });
    // Even if the route had read the consultation before Anne's save landed, the write is conditional.
    expect(await saveTexts(database.db, bruno, loaded, brunos)).toEqual({ ok: false, reason: "stale" });

    const after = await reload(loaded.slug);
    expect(after.texts.en.title).toBe("Sensors on the square (Anne)");
    expect(after.texts.fr.summary).toBe(loaded.texts.fr.summary);
    expect(after.version).toBe(loaded.version + 1);
    const edits = (await listAudit(database.db, { action: "consultation.edit" })).filter((r) => r.targetId === loaded.slug);
    expect(edits.map((r) => r.actorEmail)).toEqual(["anne@example.org"]);

    // Having seen what Anne saved, Bruno saves again from the current version: his text wins, on purpose.
    expect(await saveTexts(database.db, bruno, after, editForm(after, { "en.title": "Sensors, market square (Bruno)" }))).toEqual({
      ok: true,
      slug: loaded.slug,
    });
    expect((await reload(loaded.slug)).texts.en.title).toBe("Sensors, market square (Bruno)");
  });

  it("lets only one of two simultaneous saves from the same version through", async () => {
    const loaded = await makeConsultation(database.db, { status: "draft" });
    const results = await Promise.all([
      saveTexts(database.db, anne, loaded, editForm(loaded, { "en.title": "A" })),
      saveTexts(database.db, bruno, loaded, editForm(loaded, { "en.title": "B" })),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: "stale" }]);
    const after = await reload(loaded.slug);
    expect(after.version).toBe(loaded.version + 1);
    expect(["A", "B"]).toContain(after.texts.en.title);
  });

  it("changes the address only while draft, and never to one in use", async () => {
    const other = await makeConsultation(database.db, { status: "draft" });
    const draft = await makeConsultation(database.db, { status: "draft" });
    expect(await saveTexts(database.db, anne, draft, editForm(draft, { slug: other.slug }))).toEqual({ ok: false, reason: "slug_taken" });
    expect((await reload(draft.slug)).version).toBe(draft.version);
    const open = await makeConsultation(database.db);
    expect(await saveTexts(database.db, anne, open, editForm(open, { slug: `${open.slug}-x` }))).toEqual({ ok: false, reason: "slug_locked" });
    expect(await saveTexts(database.db, anne, draft, editForm(draft, { slug: `${draft.slug}-renamed` }))).toEqual({ ok: true, slug: `${draft.slug}-renamed` });
  });
});

describe("a consultation residents can see", () => {
  it("keeps every text: emptying one is refused, with each emptied text named, and nothing is saved", async () => {
    const open = await makeConsultation(database.db);
    const scheduled = await makeConsultation(database.db, { opensAt: new Date(Date.now() + 86_400_000) });
    for (const c of [open, scheduled]) {
      expect(c.status).toBe("open");
      const refused = await saveTexts(database.db, anne, c, editForm(c, { "fr.title": "  ", "en.dataPurpose": "", "fr.summary": "Nouveau résumé" }));
      expect(refused).toEqual({
        ok: false,
        reason: "texts_missing",
        missing: [
          { field: "title", lang: "fr" },
          { field: "dataPurpose", lang: "en" },
        ],
      });
      const after = await reload(c.slug);
      expect(after.version).toBe(c.version);
      expect(after.texts.fr.title).toBe(c.texts.fr.title);
      expect(after.texts.fr.summary).toBe(c.texts.fr.summary);
    }
    // A draft may be saved half-written, as before.
    const draft = await makeConsultation(database.db, { status: "draft" });
    expect(await saveTexts(database.db, anne, draft, editForm(draft, { "fr.title": "" }))).toMatchObject({ ok: true });
  });
});

describe("what residents see after a save", () => {
  it("changes once the save has committed, and not for a refused one", async () => {
    const loaded = await makeConsultation(database.db, { status: "draft" });
    const before = contentVersion();
    const write = saveTexts(database.db, anne, loaded, editForm(loaded, { "en.title": "Sensors, version 2" }));
    // Whatever renders while the write is in flight still sees the old version, so what it keeps is thrown away after.
    const seenDuringWrite = contentVersion();
    expect(await write).toMatchObject({ ok: true });
    expect(seenDuringWrite).toBe(before);
    // The version is a name (a number per commune with many communes): only whether it moved counts.
    const after = contentVersion();
    expect(after).not.toBe(before);
    expect(await saveTexts(database.db, anne, loaded, editForm(loaded, { "en.title": "Stale" }))).toEqual({ ok: false, reason: "stale" });
    expect(contentVersion()).toBe(after);
  });
});
