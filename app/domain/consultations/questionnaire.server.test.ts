import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { form, makeConsultation, makeOfficial, validDemoAnswer } from "../../../tests/helpers/fixtures";
import { parseFormData } from "~/forms/forms.server";
import { submitResponse } from "../responses/submit.server";
import { parseAnswers } from "../responses/validate.server";
import { getConsultationBySlug } from "./queries.server";
import { addQuestion, moveQuestion, removeQuestion, updateQuestion, type QuestionInput } from "./questionnaire.server";
import { questionsSchema } from "./schema.server";
import type { QuestionView } from "./types";

let database: TestDatabase;
let actor: string;
beforeAll(async () => {
  database = await createTestDatabase();
  actor = await makeOfficial(database.db);
});
afterAll(() => database.dispose());

const reload = async (slug: string) => (await getConsultationBySlug(database.db, slug))!;

/** A question form as the builder posts it, read by the route's schema. */
function question(
  fields: Record<string, string>,
  rows: [string, string, string, string?][] = [
    ["a", "A", "A"],
    ["b", "B", "B"],
  ],
): QuestionInput {
  const pairs: [string, string][] = [
    ["intent", "add"],
    ["version", "1"],
    ["code", "extra"],
    ["kind", "single"],
    ["fr.prompt", "Encore ?"],
    ["en.prompt", "More?"],
  ];
  rows.forEach(([code, fr, en, id], i) => {
    pairs.push([`options[${i}].code`, code], [`options[${i}].fr`, fr], [`options[${i}].en`, en]);
    if (id) pairs.push([`options[${i}].id`, id]);
  });
  const merged = new Map(pairs);
  for (const [k, v] of Object.entries(fields)) merged.set(k, v);
  const submission = parseFormData(form([...merged]), questionsSchema);
  if (submission.status !== "success" || (submission.value.intent !== "add" && submission.value.intent !== "save"))
    throw new Error(JSON.stringify(submission.reply().error));
  const { intent: _intent, version: _version, ...q } = submission.value as Extract<typeof submission.value, { intent: "add" }>;
  return q;
}

const rowsOf = (q: QuestionView, change: (code: string) => string = (c) => c): [string, string, string, string][] =>
  q.options.map((o) => [change(o.code), o.labels.fr, o.labels.en, o.id]);

describe("the questionnaire", () => {
  it("takes and removes questions only while draft", async () => {
    const c = await makeConsultation(database.db, { status: "draft" });
    expect(await addQuestion(database.db, actor, c, c.version, question({}))).toEqual({ ok: true });
    const withExtra = await reload(c.slug);
    expect(withExtra.questions.at(-1)!.options.map((o) => o.code)).toEqual(["a", "b"]);
    expect(await addQuestion(database.db, actor, withExtra, withExtra.version, question({}))).toEqual({ ok: false, reason: "code_taken" });
    expect((await reload(c.slug)).version).toBe(withExtra.version);
    const open = await makeConsultation(database.db);
    expect(await addQuestion(database.db, actor, open, open.version, question({}))).toEqual({ ok: false, reason: "locked" });
    expect(await removeQuestion(database.db, actor, open, open.version, open.questions[0].id)).toEqual({ ok: false, reason: "locked" });
    expect(await removeQuestion(database.db, actor, withExtra, withExtra.version, withExtra.questions.at(-1)!.id)).toEqual({ ok: true });
    expect((await reload(c.slug)).questions.map((q) => q.position)).toEqual(c.questions.map((_, i) => i + 1));
  });

  it("once open, keeps wording editable but never orphans collected answers", async () => {
    const c = await makeConsultation(database.db);
    const parsed = parseAnswers(c.questions, form(validDemoAnswer));
    if (!parsed.ok) throw new Error("fixture");
    await submitResponse(database.db, { consultation: c, submissionId: crypto.randomUUID(), locale: "fr", channel: "web", answers: parsed.answers });
    const retention = c.questions.find((q) => q.code === "retention")!;
    const asForm = (removeCode?: string, kind = "single") => {
      const fields: Record<string, string> = { code: "retention", kind, "fr.prompt": "Combien de temps, vraiment ?", "en.prompt": "How long, really?" };
      retention.options.forEach((o, i) => {
        if (o.code === removeCode) fields[`options[${i}].remove`] = "on";
      });
      return question(fields, rowsOf(retention));
    };
    // "30d" was chosen: it stays. "1y" was not: it may go. The wording may change.
    expect(await updateQuestion(database.db, actor, c, c.version, retention.id, asForm("30d"))).toEqual({ ok: false, reason: "option_has_answers" });
    expect((await reload(c.slug)).version).toBe(c.version);
    expect(await updateQuestion(database.db, actor, c, c.version, retention.id, asForm("1y"))).toEqual({ ok: true });
    const now = await reload(c.slug);
    const after = now.questions.find((q) => q.code === "retention")!;
    expect(after.options.map((o) => o.code)).toEqual(["1d", "30d"]);
    expect(after.texts.en.prompt).toBe("How long, really?");
    expect(await updateQuestion(database.db, actor, now, now.version, retention.id, asForm(undefined, "multiple"))).toEqual({
      ok: false,
      reason: "kind_locked",
    });
  });

  it("lets two answers swap their codes in one save", async () => {
    const c = await makeConsultation(database.db, { status: "draft" });
    const retention = c.questions.find((q) => q.code === "retention")!;
    const swap: Record<string, string> = { "1d": "30d", "30d": "1d" };
    const q = question(
      { code: "retention", "fr.prompt": retention.texts.fr.prompt, "en.prompt": retention.texts.en.prompt },
      rowsOf(retention, (code) => swap[code] ?? code),
    );
    expect(await updateQuestion(database.db, actor, c, c.version, retention.id, q)).toEqual({ ok: true });
    const after = (await reload(c.slug)).questions.find((x) => x.code === "retention")!;
    expect(after.options.map((o) => [o.id, o.code])).toEqual(retention.options.map((o) => [o.id, swap[o.code] ?? o.code]));
  });

  it("refuses an edit, a move or a removal made from a page someone else's change overtook", async () => {
    const c = await makeConsultation(database.db, { status: "draft" });
    const [first, second] = c.questions;
    // Someone moves the first question down: the page everyone else holds is now stale.
    expect(await moveQuestion(database.db, c, c.version, first.id, "down")).toEqual({ ok: true });
    const moved = await reload(c.slug);
    expect(moved.questions.slice(0, 2).map((q) => q.id)).toEqual([second.id, first.id]);
    expect(moved.version).toBe(c.version + 1);
    // The same click from the old page would move it back: refused instead.
    expect(await moveQuestion(database.db, c, c.version, first.id, "down")).toEqual({ ok: false, reason: "stale" });
    expect(await moveQuestion(database.db, moved, c.version, first.id, "down")).toEqual({ ok: false, reason: "stale" });
    // Even a move that would change nothing now says the page is out of date.
    expect(await moveQuestion(database.db, moved, c.version, moved.questions.at(-1)!.id, "down")).toEqual({ ok: false, reason: "stale" });
    expect(await moveQuestion(database.db, moved, moved.version, moved.questions.at(-1)!.id, "down")).toEqual({ ok: true });
    expect(await removeQuestion(database.db, actor, moved, c.version, second.id)).toEqual({ ok: false, reason: "stale" });
    const edit = question({ code: first.code, kind: first.kind, "fr.prompt": "Changé", "en.prompt": "Changed" }, rowsOf(first));
    expect(await updateQuestion(database.db, actor, moved, c.version, first.id, edit)).toEqual({ ok: false, reason: "stale" });
    expect(await addQuestion(database.db, actor, moved, c.version, question({}))).toEqual({ ok: false, reason: "stale" });
    const after = await reload(c.slug);
    expect(after.version).toBe(moved.version);
    expect(after.questions.map((q) => q.id)).toEqual(moved.questions.map((q) => q.id));
    expect(after.questions.map((q) => [q.id, q.texts.fr.prompt])).toEqual(moved.questions.map((q) => [q.id, q.texts.fr.prompt]));
  });
});

describe("demographic questions", () => {
  it("come with their standard bilingual answers when none are typed, and stay editable", async () => {
    const c = await makeConsultation(database.db, { status: "draft", questions: [] });
    expect(await addQuestion(database.db, actor, c, c.version, question({ code: "", demographic: "age", "fr.prompt": "", "en.prompt": "" }, []))).toEqual({
      ok: true,
    });
    const added = (await reload(c.slug)).questions.at(-1)!;
    expect(added.code).toBe("age");
    expect(added.kind).toBe("single");
    expect(added.texts.fr.prompt).toBe("Quel âge avez-vous\u202f?");
    expect(added.texts.en.prompt).toBe("How old are you?");
    expect(added.options.map((o) => [o.code, o.labels.fr, o.labels.en])).toEqual([
      ["u18", "Moins de 18 ans", "Under 18"],
      ["18-34", "18 à 34 ans", "18 to 34"],
      ["35-54", "35 à 54 ans", "35 to 54"],
      ["55-74", "55 à 74 ans", "55 to 74"],
      ["75-plus", "75 ans et plus", "75 and over"],
    ]);
    // Edited like any other: one label changed, one answer removed, the code kept when left empty.
    const now = await reload(c.slug);
    const rows = rowsOf(added).map((r): [string, string, string, string] => (r[0] === "75-plus" ? [r[0], "75 ans ou plus", "75 or older", r[3]] : r));
    expect(
      await updateQuestion(
        database.db,
        actor,
        now,
        now.version,
        added.id,
        question({ code: "", demographic: "age", "fr.prompt": "Votre âge ?", "options[0].remove": "on" }, rows),
      ),
    ).toEqual({
      ok: true,
    });
    const edited = (await reload(c.slug)).questions.at(-1)!;
    expect(edited.code).toBe("age");
    // Saved with French typography: the plain space typed before "?" becomes a narrow no-break one.
    expect(edited.texts.fr.prompt).toBe("Votre âge\u202f?");
    expect(edited.options.map((o) => o.code)).toEqual(["18-34", "35-54", "55-74", "75-plus"]);
    expect(edited.options.at(-1)!.labels).toEqual({ fr: "75 ans ou plus", en: "75 or older" });
  });

  it("keeps the answers typed for a demographic question instead of the standard ones", async () => {
    const c = await makeConsultation(database.db, { status: "draft", questions: [] });
    const typed = question({ code: "where", demographic: "area" }, [
      ["village", "Au village", "In the village"],
      ["farm", "À la ferme", "On a farm"],
    ]);
    expect(await addQuestion(database.db, actor, c, c.version, typed)).toEqual({ ok: true });
    expect((await reload(c.slug)).questions.at(-1)!.options.map((o) => o.code)).toEqual(["village", "farm"]);
  });

  it("a question that is not demographic still needs its code", () => {
    expect(() => question({ code: "" })).toThrow(/codeFormat/);
  });
});
