import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { form, makeConsultation, makeOfficial } from "../../../tests/helpers/fixtures";
import { parseFormData } from "~/forms/forms.server";
import { getConsultationBySlug } from "../consultations/queries.server";
import { addQuestion } from "../consultations/questionnaire.server";
import { questionsSchema } from "../consultations/schema.server";
import type { ConsultationView } from "../consultations/types";
import { DEMOGRAPHIC_CODES, readSettings, saveSettings, seedSettings, settingsSchema } from "../settings/settings.server";
import { listReferenceShares, saveReferences } from "./references.server";

let database: TestDatabase;
let c: ConsultationView;
beforeAll(async () => {
  database = await createTestDatabase();
  c = await makeConsultation(database.db);
});
afterAll(() => database.dispose());

const question = (code: string) => c.questions.find((q) => q.code === code)!;

describe("reference shares", () => {
  it("are saved for a demographic question, in percent with two decimals, only for its own answers", async () => {
    const area = question("area");
    const [rural, urban] = [area.options.find((o) => o.code === "rural")!, area.options.find((o) => o.code === "urban")!];
    const foreign = question("age").options[0];
    const share = { [rural.id]: 27.5, [urban.id]: 50, [foreign.id]: 10 };
    expect(await saveReferences(database.db, c, { questionId: area.id, source: "Recensement 2021", share })).toEqual({ ok: true });
    const saved = await listReferenceShares(database.db, c.id);
    expect(saved.map(({ optionId, percent, source }) => ({ optionId, percent, source })).sort((a, b) => a.percent.localeCompare(b.percent))).toEqual([
      { optionId: rural.id, percent: "27.50", source: "Recensement 2021" },
      { optionId: urban.id, percent: "50.00", source: "Recensement 2021" },
    ]);
  });

  it("replace the question's earlier ones", async () => {
    const area = question("area");
    await saveReferences(database.db, c, { questionId: area.id, source: "Enquête", share: { [area.options[0].id]: 12 } });
    expect((await listReferenceShares(database.db, c.id)).map((s) => [s.optionId, s.percent, s.source])).toEqual([[area.options[0].id, "12.00", "Enquête"]]);
  });

  it("are refused as not_found for a question that is not demographic or not the consultation's", async () => {
    const other = await makeConsultation(database.db);
    for (const questionId of [question("support").id, other.questions.find((q) => q.code === "area")!.id])
      expect(await saveReferences(database.db, c, { questionId, source: "", share: {} })).toEqual({ ok: false, reason: "not_found" });
  });
});

describe("the municipality's default reference shares", () => {
  const DEFAULTS = { municipality: "Saint-Damien", contact: null, licence: "CC-BY-4.0" as const, timeZone: "America/Toronto" };
  /** Every standard answer's share, as an administrator types them on the French settings page. */
  const TYPED: Record<string, Record<string, string>> = {
    area: { rural: "30", suburban: "25,5", urban: "44,5" },
    age: { u18: "19", "18-34": "22", "35-54": "26,5", "55-74": "22", "75-plus": "10,5" },
    language: { fr: "70", en: "25", other: "5" },
  };

  it("use the standard questions' answer codes, and every one reaches a new demographic question", async () => {
    const admin = await makeOfficial(database.db, "admin-refs@example.org");
    const pairs: [string, string][] = [
      ["version", "0"],
      ["name.fr", "Saint-Damien"],
      ["name.en", "Saint-Damien"],
      ["shortName.fr", "Saint-Damien"],
      ["shortName.en", "Saint-Damien"],
      ["licence", "CC-BY-4.0"],
      ["timeZone", "America/Toronto"],
      ["referenceSource", "Recensement 2021"],
    ];
    for (const [d, shares] of Object.entries(TYPED)) for (const [code, v] of Object.entries(shares)) pairs.push([`references.${d}.${code}`, v]);
    const parsed = parseFormData(form(pairs), settingsSchema);
    if (parsed.status !== "success") throw new Error(JSON.stringify(parsed.reply()));
    expect(await saveSettings(database.db, admin, DEFAULTS, parsed.value, null)).toMatchObject({ ok: true });
    // The settings offer exactly the standard answers.
    for (const [d, shares] of Object.entries(TYPED)) expect(DEMOGRAPHIC_CODES[d as "area"]).toEqual(Object.keys(shares));

    const draft = await makeConsultation(database.db, { status: "draft", questions: [] });
    for (const demographic of ["area", "age", "language"]) {
      const now = (await getConsultationBySlug(database.db, draft.slug))!;
      const add = parseFormData(
        form([
          ["intent", "add"],
          ["version", String(now.version)],
          ["code", ""],
          ["kind", "single"],
          ["demographic", demographic],
          ["fr.prompt", ""],
          ["en.prompt", ""],
        ]),
        questionsSchema,
      );
      if (add.status !== "success" || add.value.intent !== "add") throw new Error(JSON.stringify(add.reply()));
      const { intent: _intent, version: _version, ...q } = add.value;
      expect(await addQuestion(database.db, admin, now, now.version, q)).toEqual({ ok: true });
    }
    const made = (await getConsultationBySlug(database.db, draft.slug))!;
    const shares = await listReferenceShares(database.db, made.id);
    const got: Record<string, Record<string, string>> = {};
    for (const q of made.questions)
      got[q.demographic!] = Object.fromEntries(q.options.map((o) => [o.code, shares.find((s) => s.optionId === o.id)?.percent ?? "none"]));
    const expected = Object.fromEntries(
      Object.entries(TYPED).map(([d, v]) => [
        d,
        Object.fromEntries(Object.entries(v).map(([code, typed]) => [code, Number(typed.replace(",", ".")).toFixed(2)])),
      ]),
    );
    expect(got).toEqual(expected);
    expect(new Set(shares.map((s) => s.source))).toEqual(new Set(["Recensement 2021"]));
  });

  it("saved under the former code 75+ are read as the standard 75-plus", async () => {
    const fresh = await createTestDatabase();
    try {
      await seedSettings(fresh.db, { references: { age: { "55-74": 22, "75+": 10.5 }, language: { fr: 60, both: 10 } } });
      const { municipality } = await readSettings(fresh.db, DEFAULTS);
      expect(municipality.references).toEqual({ age: { "55-74": 22, "75-plus": 10.5 }, language: { fr: 60 } });
    } finally {
      await fresh.dispose();
    }
  });
});
