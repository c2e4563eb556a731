import { eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "#db/schema";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { form, makeConsultation, makeOfficial, validDemoAnswer } from "../../../tests/helpers/fixtures";
import type { ConsultationView } from "../consultations/types";
import { listFreeText, moderate } from "../moderation/moderation.server";
import { submitResponse } from "../responses/submit.server";
import { parseAnswers } from "../responses/validate.server";
import { listQueue, UNTAGGED } from "./queue.server";
import { suggestionsFor } from "./suggestions.server";
import {
  createTheme,
  listThemes,
  markQuote,
  mergeThemes,
  rejectSuggestions,
  retireTheme,
  tagAnswers,
  untagAnswers,
  updateTheme,
  type ThemeInput,
} from "./themes.server";

let database: TestDatabase;
let actor: string;

const COMMENTS = [
  "Trop de capteurs dans ma rue.",
  "La qualité de l'air près de l’école m’inquiète.",
  "Trop de capteurs dans ma rue !",
  "Privacy matters: no cameras please.",
  "Les caméras filment ma vie privée.",
  "Merci pour les bancs.",
];

async function answersFor(c: ConsultationView, comments: string[]) {
  for (const text of comments) {
    const parsed = parseAnswers(c.questions, form([...validDemoAnswer.filter(([k]) => k !== "q.comments" && k !== "q.elsewhere"), ["q.comments", text]]));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await submitResponse(database.db, { consultation: c, submissionId: crypto.randomUUID(), locale: "fr", channel: "web", answers: parsed.answers });
  }
  const { items } = await listFreeText(database.db, c.id, { limit: 1000 });
  return (text: string) => items.find((i) => i.text === text)!.answerId;
}

const theme = (fr: string, en: string, kw: { fr?: string[]; en?: string[] } = {}): ThemeInput => ({
  labels: { fr, en },
  description: { fr: "", en: "" },
  keywords: { fr: kw.fr ?? [], en: kw.en ?? [] },
});

beforeAll(async () => {
  database = await createTestDatabase();
  actor = await makeOfficial(database.db, "themes@example.org");
});
afterAll(() => database.dispose());

describe("the codebook", () => {
  it("creates themes with codes in order and refuses a label already in use, in either language", async () => {
    const c = await makeConsultation(database.db);
    const a = await createTheme(database.db, actor, c.id, theme("Capteurs", "Sensors"));
    const b = await createTheme(database.db, actor, c.id, theme("Air", "Air quality"));
    expect(a).toMatchObject({ ok: true, code: "t1" });
    expect(b).toMatchObject({ ok: true, code: "t2" });
    expect(await createTheme(database.db, actor, c.id, theme("capteurs ", "Devices"))).toEqual({ ok: false, reason: "duplicate_label" });
    expect(await createTheme(database.db, actor, c.id, theme("Appareils", "SENSORS"))).toEqual({ ok: false, reason: "duplicate_label" });
    const renamed = await updateTheme(database.db, actor, c.id, a.ok ? a.id : "", theme("Capteurs en ville", "Sensors in town", { fr: ["capteur"] }));
    expect(renamed).toEqual({ ok: true });
    const list = await listThemes(database.db, c.id);
    expect(list.map((t) => [t.code, t.labels.en, t.keywords.fr])).toEqual([
      ["t1", "Sensors in town", ["capteur"]],
      ["t2", "Air quality", []],
    ]);
    const actions = (await database.db.select({ action: auditLog.action }).from(auditLog).where(like(auditLog.action, "themes.%"))).map((r) => r.action);
    expect(actions.filter((x) => x === "themes.create").length).toBeGreaterThanOrEqual(2);
    expect(actions).toContain("themes.update");
  });

  it("a theme of another consultation is not found", async () => {
    const c = await makeConsultation(database.db);
    const other = await makeConsultation(database.db);
    const t = await createTheme(database.db, actor, other.id, theme("X", "X"));
    if (!t.ok) throw new Error();
    expect(await updateTheme(database.db, actor, c.id, t.id, theme("Y", "Y"))).toEqual({ ok: false, reason: "not_found" });
    expect(await updateTheme(database.db, actor, c.id, "not-a-uuid", theme("Y", "Y"))).toEqual({ ok: false, reason: "not_found" });
  });
});

describe("tagging", () => {
  it("tags several answers at once, once each, and untags", async () => {
    const c = await makeConsultation(database.db);
    const id = await answersFor(c, COMMENTS);
    const t = await createTheme(database.db, actor, c.id, theme("Capteurs", "Sensors"));
    const u = await createTheme(database.db, actor, c.id, theme("Vie privée", "Privacy"));
    if (!t.ok || !u.ok) throw new Error();
    const first = id(COMMENTS[0]);
    expect(await tagAnswers(database.db, actor, c.id, t.id, [first, id(COMMENTS[2]), first])).toEqual({ ok: true, changed: 2 });
    expect(await tagAnswers(database.db, actor, c.id, t.id, [first])).toEqual({ ok: true, changed: 0 });
    expect(await tagAnswers(database.db, actor, c.id, u.id, [first, id(COMMENTS[4])])).toEqual({ ok: true, changed: 2 });
    const byTheme = async (theme: string) => (await listQueue(database.db, c.id, { theme })).items.map((i) => i.text).sort();
    expect(await byTheme(t.id)).toEqual([COMMENTS[0], COMMENTS[2]].sort());
    expect(await byTheme(u.id)).toEqual([COMMENTS[0], COMMENTS[4]].sort());
    expect(await byTheme(UNTAGGED)).toEqual([COMMENTS[1], COMMENTS[3], COMMENTS[5]].sort());
    // A page past the end still says how many there are; a page of 2 holds 2.
    expect(await listQueue(database.db, c.id, { offset: 100 })).toEqual({ items: [], total: COMMENTS.length });
    const page = await listQueue(database.db, c.id, { limit: 2, offset: 2 });
    expect([page.items.length, page.total]).toEqual([2, COMMENTS.length]);
    expect(await untagAnswers(database.db, actor, c.id, u.id, [first])).toEqual({ ok: true, changed: 1 });
    expect(await byTheme(u.id)).toEqual([COMMENTS[4]]);
    const counts = Object.fromEntries((await listThemes(database.db, c.id)).map((x) => [x.code, x.count]));
    expect(counts).toEqual({ t1: 2, t2: 1 });
  });

  it("answers of another consultation are never tagged", async () => {
    const c = await makeConsultation(database.db);
    const other = await makeConsultation(database.db);
    const id = await answersFor(other, ["Ailleurs"]);
    const t = await createTheme(database.db, actor, c.id, theme("A", "A"));
    if (!t.ok) throw new Error();
    expect(await tagAnswers(database.db, actor, c.id, t.id, [id("Ailleurs")])).toEqual({ ok: false, reason: "no_answers" });
  });

  it("searches with the French and English configurations: capteurs finds capteur, sensor finds sensors", async () => {
    const c = await makeConsultation(database.db);
    await answersFor(c, ["Un capteur près du parc", "More sensors downtown", "Rien à signaler"]);
    const found = async (search: string) => (await listQueue(database.db, c.id, { search })).items.map((i) => i.text).sort();
    expect(await found("capteurs")).toEqual(["Un capteur près du parc"]);
    expect(await found("sensor")).toEqual(["More sensors downtown"]);
    expect(await found("parcs capteurs")).toEqual(["Un capteur près du parc"]);
  });

  it("hidden answers are left out of the queue, the counts and tagging", async () => {
    const c = await makeConsultation(database.db);
    const id = await answersFor(c, ["Capteur un", "Capteur deux, insultant"]);
    const t = await createTheme(database.db, actor, c.id, theme("Capteurs", "Sensors", { fr: ["capteur"] }));
    if (!t.ok) throw new Error();
    expect(await tagAnswers(database.db, actor, c.id, t.id, [id("Capteur un"), id("Capteur deux, insultant")])).toEqual({ ok: true, changed: 2 });
    expect(await moderate(database.db, actor, c.id, id("Capteur deux, insultant"), "hide", "Insult")).toEqual({ ok: true });
    expect((await listThemes(database.db, c.id))[0].count).toBe(1);
    expect((await listQueue(database.db, c.id, { theme: t.id })).total).toBe(1);
    expect(await markQuote(database.db, actor, c.id, t.id, id("Capteur deux, insultant"), true)).toEqual({ ok: false, reason: "not_tagged" });
    const u = await createTheme(database.db, actor, c.id, theme("Autre", "Other", { fr: ["insultant"] }));
    if (!u.ok) throw new Error();
    expect(await tagAnswers(database.db, actor, c.id, u.id, [id("Capteur deux, insultant")])).toEqual({ ok: false, reason: "no_answers" });
    expect(await suggestionsFor(database.db, c.id)).toEqual([]);
  });

  it("a theme has at most three representative quotes", async () => {
    const c = await makeConsultation(database.db);
    const texts = ["Q1", "Q2", "Q3", "Q4"];
    const id = await answersFor(c, texts);
    const t = await createTheme(database.db, actor, c.id, theme("Q", "Q"));
    if (!t.ok) throw new Error();
    await tagAnswers(database.db, actor, c.id, t.id, texts.map(id));
    for (const x of texts.slice(0, 3)) expect(await markQuote(database.db, actor, c.id, t.id, id(x), true)).toEqual({ ok: true });
    expect(await markQuote(database.db, actor, c.id, t.id, id("Q4"), true)).toEqual({ ok: false, reason: "too_many_quotes" });
    expect(await markQuote(database.db, actor, c.id, t.id, id("Q1"), false)).toEqual({ ok: true });
    expect(await markQuote(database.db, actor, c.id, t.id, id("Q4"), true)).toEqual({ ok: true });
    expect((await listThemes(database.db, c.id))[0].quotes).toBe(3);
  });
});

describe("after an action, the lists keep the texts acted on", () => {
  it("texts just acted on stay on the page, in their place, where the filter no longer shows them", async () => {
    const c = await makeConsultation(database.db);
    const id = await answersFor(c, COMMENTS);
    const t = await createTheme(database.db, actor, c.id, theme("Capteurs", "Sensors"));
    if (!t.ok) throw new Error();
    const untagged = async (keep?: number[]) => await listQueue(database.db, c.id, { theme: UNTAGGED, keep });
    const before = (await untagged()).items.map((i) => i.text);
    expect(await tagAnswers(database.db, actor, c.id, t.id, [id(COMMENTS[1]), id(COMMENTS[3])])).toEqual({ ok: true, changed: 2 });
    // Without keep they leave the untagged queue; kept, they are where they were, marked, with their new theme.
    expect((await untagged()).items.map((i) => i.text)).toEqual(before.filter((x) => x !== COMMENTS[1] && x !== COMMENTS[3]));
    const kept = await untagged([id(COMMENTS[1]), id(COMMENTS[3])]);
    expect(kept.items.map((i) => i.text)).toEqual(before);
    expect(kept.items.filter((i) => i.kept).map((i) => [i.text, i.tags.map((x) => x.themeId)])).toEqual([COMMENTS[3], COMMENTS[1]].map((x) => [x, [t.id]]));
    expect(kept.total).toBe(COMMENTS.length - 2);
    // A text already on the page is not listed twice; a text of another consultation is never shown.
    const other = await makeConsultation(database.db);
    const elsewhere = await answersFor(other, ["Ailleurs"]);
    const again = await untagged([id(COMMENTS[0]), elsewhere("Ailleurs")]);
    expect(again.items.map((i) => i.text)).toEqual(before.filter((x) => x !== COMMENTS[1] && x !== COMMENTS[3]));
    expect(again.items.some((i) => i.kept)).toBe(false);
  });

  it("a text hidden from the visible texts stays in its place on the moderation page, once", async () => {
    const c = await makeConsultation(database.db);
    const id = await answersFor(c, COMMENTS);
    const visible = async (keep?: number[]) => await listFreeText(database.db, c.id, { state: "visible", keep });
    const before = (await visible()).items.map((i) => i.text);
    expect(await moderate(database.db, actor, c.id, id(COMMENTS[2]), "hide", "Doublon")).toEqual({ ok: true });
    expect((await visible()).items.map((i) => i.text)).toEqual(before.filter((x) => x !== COMMENTS[2]));
    const kept = await visible([id(COMMENTS[2])]);
    expect(kept.items.map((i) => i.text)).toEqual(before);
    expect(kept.items.filter((i) => i.kept).map((i) => [i.text, i.hidden, i.hiddenReason])).toEqual([[COMMENTS[2], true, "Doublon"]]);
    expect(kept.total).toBe(COMMENTS.length - 1);
  });
});

describe("merging and retiring", () => {
  it("moves the tags to the target without duplicates, keeps the keywords and retires the source", async () => {
    const c = await makeConsultation(database.db);
    const id = await answersFor(c, COMMENTS);
    const cams = await createTheme(database.db, actor, c.id, theme("Caméras", "Cameras", { fr: ["caméra"], en: ["camera"] }));
    const priv = await createTheme(database.db, actor, c.id, theme("Vie privée", "Privacy", { fr: ["vie privée"], en: ["privacy"] }));
    if (!cams.ok || !priv.ok) throw new Error();
    await tagAnswers(database.db, actor, c.id, cams.id, [id(COMMENTS[3]), id(COMMENTS[4])]);
    await tagAnswers(database.db, actor, c.id, priv.id, [id(COMMENTS[4]), id(COMMENTS[0])]);
    await markQuote(database.db, actor, c.id, cams.id, id(COMMENTS[4]), true);
    expect(await mergeThemes(database.db, actor, c.id, cams.id, cams.id)).toEqual({ ok: false, reason: "same_theme" });
    expect(await mergeThemes(database.db, actor, c.id, cams.id, priv.id)).toEqual({ ok: true, moved: 1 });
    const list = await listThemes(database.db, c.id);
    const target = list.find((t) => t.id === priv.id)!;
    const source = list.find((t) => t.id === cams.id)!;
    expect(target.count).toBe(3);
    expect(target.quotes).toBe(1);
    expect(target.keywords).toEqual({ fr: ["vie privée", "caméra"], en: ["privacy", "camera"] });
    expect(source).toMatchObject({ count: 0, mergedInto: priv.id });
    expect(source.retiredAt).not.toBeNull();
    expect((await listQueue(database.db, c.id, { theme: priv.id })).items.map((i) => i.text).sort()).toEqual([COMMENTS[0], COMMENTS[3], COMMENTS[4]].sort());
    expect(await tagAnswers(database.db, actor, c.id, cams.id, [id(COMMENTS[5])])).toEqual({ ok: false, reason: "retired" });
    const [merge] = await database.db.select().from(auditLog).where(eq(auditLog.action, "themes.merge"));
    expect(merge).toMatchObject({ actorId: actor, targetId: cams.id, details: { into: priv.id, moved: 1 } });
  });

  it("a retired theme leaves the suggestions and untagged filter; restored, it is back", async () => {
    const c = await makeConsultation(database.db);
    const id = await answersFor(c, ["Un capteur de plus"]);
    const t = await createTheme(database.db, actor, c.id, theme("Capteurs", "Sensors", { fr: ["capteurs"] }));
    if (!t.ok) throw new Error();
    await tagAnswers(database.db, actor, c.id, t.id, [id("Un capteur de plus")]);
    expect((await listQueue(database.db, c.id, { theme: UNTAGGED })).total).toBe(0);
    expect(await retireTheme(database.db, actor, c.id, t.id, true)).toEqual({ ok: true });
    expect((await listQueue(database.db, c.id, { theme: UNTAGGED })).total).toBe(1);
    expect(await suggestionsFor(database.db, c.id)).toEqual([]);
    expect(await retireTheme(database.db, actor, c.id, t.id, false)).toEqual({ ok: true });
    expect((await listQueue(database.db, c.id, { theme: UNTAGGED })).total).toBe(0);
  });
});

describe("suggestions", () => {
  it("suggest themes in both languages, highlight the matched words and group near-duplicates", async () => {
    const c = await makeConsultation(database.db);
    const id = await answersFor(c, COMMENTS);
    const sensors = await createTheme(database.db, actor, c.id, theme("Capteurs", "Sensors", { fr: ["capteur"], en: ["sensor"] }));
    const air = await createTheme(database.db, actor, c.id, theme("Air", "Air", { fr: ["air", "école"] }));
    const priv = await createTheme(database.db, actor, c.id, theme("Vie privée", "Privacy", { fr: ["vie privée", "caméra"], en: ["privacy"] }));
    if (!sensors.ok || !air.ok || !priv.ok) throw new Error();
    const groups = await suggestionsFor(database.db, c.id);
    const view = groups.map((g) => ({
      theme: g.themeId,
      answers: g.answers.map((a) => a.answerId),
      hits: g.answers[0].segments.filter((s) => s.hit).map((s) => s.text),
    }));
    expect(view).toEqual([
      { theme: sensors.id, answers: [id(COMMENTS[0]), id(COMMENTS[2])], hits: ["capteurs"] },
      { theme: air.id, answers: [id(COMMENTS[1])], hits: ["air", "école"] },
      { theme: priv.id, answers: [id(COMMENTS[3])], hits: ["Privacy", "cameras"] },
      { theme: priv.id, answers: [id(COMMENTS[4])], hits: ["caméras", "vie", "privée"] },
    ]);
    // Nothing was tagged by suggesting.
    expect((await listQueue(database.db, c.id, { theme: UNTAGGED })).total).toBe(COMMENTS.length);
  });

  it("an accepted group is tagged and leaves the suggestions; a rejected one is not suggested again", async () => {
    const c = await makeConsultation(database.db);
    const id = await answersFor(c, COMMENTS);
    const sensors = await createTheme(database.db, actor, c.id, theme("Capteurs", "Sensors", { fr: ["capteur"] }));
    const air = await createTheme(database.db, actor, c.id, theme("Air", "Air", { fr: ["air"] }));
    if (!sensors.ok || !air.ok) throw new Error();
    const groups = await suggestionsFor(database.db, c.id);
    const group = groups.find((g) => g.themeId === sensors.id)!;
    expect(
      await tagAnswers(
        database.db,
        actor,
        c.id,
        sensors.id,
        group.answers.map((a) => a.answerId),
      ),
    ).toEqual({ ok: true, changed: 2 });
    expect(await rejectSuggestions(database.db, actor, c.id, air.id, [id(COMMENTS[1])])).toEqual({ ok: true, changed: 1 });
    expect(await suggestionsFor(database.db, c.id)).toEqual([]);
    expect((await listQueue(database.db, c.id, { theme: sensors.id })).total).toBe(2);
    expect((await listQueue(database.db, c.id, { theme: air.id })).total).toBe(0);
  });
});
