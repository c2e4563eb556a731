/**
 * Themes in every output: the summary (counts, shares, breakdown, quotes), summary.csv, the
 * raw export and open data — each checked against the tags this test set, counted here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { consultations } from "#db/schema";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { form, makeConsultation, makeOfficial, validDemoAnswer } from "../../../tests/helpers/fixtures";
import type { ConsultationView } from "../consultations/types";
import { exportRows } from "../exports/raw.server";
import { listFreeText, moderate } from "../moderation/moderation.server";
import { openDataset } from "../opendata/opendata.server";
import { submitResponse } from "../responses/submit.server";
import { parseAnswers } from "../responses/validate.server";
import { summaryRows } from "../summary/csv.server";
import { summarize } from "../summary/summary.server";
import { createTheme, markQuote, retireTheme, tagAnswers } from "./themes.server";

let database: TestDatabase;
let c: ConsultationView;

/** Comment, area, and the themes the test puts on it (by label). */
const SENT: { text: string; area: string; themes: string[]; hidden?: boolean }[] = [
  { text: "c1", area: "rural", themes: ["Sensors", "Privacy", "Big"] },
  { text: "c2", area: "rural", themes: ["Sensors", "Big"] },
  { text: "c3", area: "urban", themes: ["Sensors", "Big"] },
  { text: "c4", area: "urban", themes: ["Sensors", "Big"] },
  { text: "c5", area: "suburban", themes: ["Sensors", "Big"] },
  { text: "c6", area: "urban", themes: ["Sensors", "Privacy"] },
  { text: "c7", area: "rural", themes: [] },
  { text: "c8 hidden", area: "rural", themes: ["Sensors", "Privacy"], hidden: true },
  { text: "c9", area: "urban", themes: ["Old"] },
];
const LABELS = ["Sensors", "Privacy", "Empty", "Big", "Old"];
const SETTINGS = { k: 5, timeZone: "Europe/Paris", licence: "CC-BY-4.0" as const };
const ids: Record<string, string> = {};
const codes: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  const actor = await makeOfficial(database.db, "outputs@example.org");
  c = await makeConsultation(database.db);
  for (const s of SENT) {
    const pairs = validDemoAnswer.filter(([k]) => !["q.comments", "q.elsewhere", "q.area"].includes(k));
    const parsed = parseAnswers(c.questions, form([...pairs, ["q.comments", s.text], ["q.area", s.area]]));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await submitResponse(database.db, { consultation: c, submissionId: crypto.randomUUID(), locale: "en", channel: "web", answers: parsed.answers });
  }
  const { items } = await listFreeText(database.db, c.id, { limit: 100, questionCode: "comments" });
  const answerOf = (text: string) => items.find((i) => i.text === text)!.answerId;
  for (const label of LABELS) {
    const made = await createTheme(database.db, actor, c.id, {
      labels: { fr: `${label} fr`, en: label },
      description: { fr: "", en: "" },
      keywords: { fr: [], en: [] },
    });
    if (!made.ok) throw new Error();
    ids[label] = made.id;
    codes[label] = made.code;
  }
  for (const label of LABELS) {
    const tagged = SENT.filter((s) => s.themes.includes(label)).map((s) => answerOf(s.text));
    if (tagged.length) await tagAnswers(database.db, actor, c.id, ids[label], tagged);
  }
  await markQuote(database.db, actor, c.id, ids.Privacy, answerOf("c6"), true);
  await markQuote(database.db, actor, c.id, ids.Privacy, answerOf("c8 hidden"), true);
  await markQuote(database.db, actor, c.id, ids.Sensors, answerOf("c3"), true);
  await retireTheme(database.db, actor, c.id, ids.Old, true);
  for (const s of SENT.filter((x) => x.hidden)) await moderate(database.db, actor, c.id, answerOf(s.text), "hide", "test");
});
afterAll(() => database.dispose());

/** What the test itself counts: visible texts carrying the theme (optionally in one area). */
const expected = (label: string, area?: string) => SENT.filter((s) => !s.hidden && s.themes.includes(label) && (!area || s.area === area)).length;
const visible = (area?: string) => SENT.filter((s) => !s.hidden && (!area || s.area === area)).length;

describe("themes in the summary", () => {
  it("counts each active theme over the visible texts, hidden ones and retired themes left out", async () => {
    const s = await summarize(database.db, c);
    const q = s.questions.find((x) => x.code === "comments")!;
    expect(q.texts).toBe(visible());
    expect(q.themes.map((t) => [t.code, t.n, t.base, t.share])).toEqual(
      ["Sensors", "Privacy", "Empty", "Big"].map((l) => [codes[l], expected(l), visible(), expected(l) / visible()]),
    );
    expect(q.themes.find((t) => t.code === codes.Privacy)!.quotes).toEqual(["c6"]);
    expect(s.questions.find((x) => x.code === "support")!.themes).toEqual([]);
  });

  it("breaks each theme down by a demographic question, over each group's visible texts", async () => {
    const s = await summarize(database.db, c, { breakdownBy: "area" });
    const area = c.questions.find((x) => x.code === "area")!;
    const q = s.questions.find((x) => x.code === "comments")!;
    for (const o of area.options) {
      expect(q.groupTexts[o.id]).toBe(visible(o.code));
      for (const label of ["Sensors", "Privacy"]) {
        const cell = q.themes.find((t) => t.code === codes[label])!.groups[o.id];
        expect([cell.n, cell.base]).toEqual([expected(label, o.code), visible(o.code)]);
      }
    }
  });

  it("summary.csv carries a theme row per theme and per group", async () => {
    const rows = summaryRows(await summarize(database.db, c, { breakdownBy: "area" }));
    const whole = rows.filter((r) => r.kind === "theme" && r.question_code === "comments" && !r.group_by);
    expect(whole.map((r) => [r.item, r.item_en, r.count, r.base])).toEqual(
      ["Sensors", "Privacy", "Empty", "Big"].map((l) => [codes[l], l, expected(l), visible()]),
    );
    const rural = rows.find((r) => r.kind === "theme" && r.question_code === "comments" && r.item === codes.Sensors && r.group === "rural")!;
    expect([rural.count, rural.base]).toEqual([expected("Sensors", "rural"), visible("rural")]);
  });
});

describe("themes in the raw export", () => {
  it("gives each visible text its active themes' names in the export's language, and their codes; a hidden text none", async () => {
    // Retired themes left out; a text a moderator hid carries no theme; no theme is an empty cell (null).
    const active = (s: (typeof SENT)[number]) => (s.hidden ? [] : s.themes.filter((l) => l !== "Old"));
    const joined = (labels: string[], sep: string) => (labels.length ? labels.join(sep) : null);
    const rows = [];
    for await (const r of exportRows(database.db, c, "en", "Europe/Paris")) rows.push(r);
    const byText = Object.fromEntries(rows.map((r) => [String(r.comments), r]));
    for (const s of SENT) {
      expect(byText[s.text].comments_theme_codes, s.text).toBe(
        joined(
          active(s).map((l) => codes[l]),
          ";",
        ),
      );
      expect(byText[s.text].comments_themes, s.text).toBe(joined(active(s), "; "));
    }
    expect(byText["c8 hidden"].comments_hidden).toBe(true);
    const french = [];
    for await (const r of exportRows(database.db, c, "fr", "Europe/Paris")) french.push(r);
    for (const s of SENT) {
      const row = french.find((r) => r.comments === s.text)!;
      expect(row.comments_themes, s.text).toBe(
        joined(
          active(s).map((l) => `${l} fr`),
          "; ",
        ),
      );
    }
  });
});

describe("themes in open data", () => {
  it("publishes theme counts with small counts withheld, and quotes only with the texts", async () => {
    // Shown to the public (live results): the public figures are taken when first read.
    await database.db.update(consultations).set({ resultsPublishedAt: new Date() }).where(eq(consultations.id, c.id));
    c = { ...c, resultsPublishedAt: new Date() };
    const closed = await openDataset(database.db, { ...c, textsPublishedAt: null }, SETTINGS);
    const theme = (label: string) => closed.rows.find((r) => r.kind === "theme" && r.question_code === "comments" && r.option_code === codes[label])!;
    expect(expected("Sensors")).toBeGreaterThanOrEqual(SETTINGS.k);
    expect(theme("Sensors")).toMatchObject({
      count: expected("Sensors"),
      share: Math.round((expected("Sensors") / visible()) * 10_000) / 10_000,
      suppressed: false,
    });
    expect(expected("Privacy")).toBeLessThan(SETTINGS.k);
    expect(theme("Privacy")).toMatchObject({ count: null, share: null, suppressed: true });
    expect(theme("Empty")).toMatchObject({ count: 0 });
    // Texts may carry several themes: no sum to subtract Privacy from, so the other themes stay shown.
    expect(expected("Big")).toBeGreaterThanOrEqual(SETTINGS.k);
    expect(theme("Big")).toMatchObject({ count: expected("Big"), suppressed: false });
    expect(closed.rows.find((r) => r.kind === "texts" && r.question_code === "comments")).toMatchObject({ count: visible() });
    expect(closed.rows.some((r) => r.option_code === codes.Old)).toBe(false);
    expect(closed.rows.filter((r) => r.kind === "quote")).toEqual([]);
    const published = await openDataset(database.db, { ...c, textsPublishedAt: new Date() }, SETTINGS);
    // Quotes follow their theme's count: Sensors' is shown, Privacy's (fewer than k texts) is not; a hidden text never.
    expect(published.rows.filter((r) => r.kind === "quote").map((r) => [r.option_code, r.text])).toEqual([[codes.Sensors, "c3"]]);
  });
});
