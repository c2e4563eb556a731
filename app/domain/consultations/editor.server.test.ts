import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { form, makeConsultation, validDemoAnswer } from "../../../tests/helpers/fixtures";
import { submitResponse } from "../responses/submit.server";
import { parseAnswers } from "../responses/validate.server";
import { createStaff } from "../staff/accounts.server";
import { missingForOpening } from "./completeness";
import { questionFormSchema, transition, updateQuestion, utcToZonedInput, zonedToUtc, addQuestion, removeQuestion } from "./editor.server";
import { getConsultationBySlug } from "./queries.server";

let database: TestDatabase;
let actor: string;
beforeAll(async () => {
  database = await createTestDatabase();
  const made = await createStaff(database.db, { email: "official@example.org", password: "long enough password", role: "official" });
  actor = made.ok ? made.user.id : "";
});
afterAll(() => database.dispose());

const reload = async (slug: string) => (await getConsultationBySlug(database.db, slug))!;

describe("opening a consultation", () => {
  it("is refused while a text is missing in one language, and lists what is missing", async () => {
    const c = await makeConsultation(database.db, { status: "draft" });
    const broken = { ...c, texts: { ...c.texts, en: { ...c.texts.en, summary: " " } } };
    const missing = missingForOpening(broken);
    expect(missing).toEqual([{ kind: "field", field: "summary", lang: "en" }]);
    const result = await transition(database.db, actor, broken, "open");
    expect(result).toEqual({ ok: false, reason: "incomplete", missing });
    expect((await reload(c.slug)).status).toBe("draft");
    expect(await transition(database.db, actor, c, "open")).toEqual({ ok: true });
    expect((await reload(c.slug)).status).toBe("open");
  });

  it("needs a question, scale labels and two options per choice question", () => {
    const empty = { texts: { fr: {} as never, en: {} as never }, questions: [] };
    expect(missingForOpening(empty).some((m) => m.kind === "questions")).toBe(true);
  });

  it("follows draft → open → closed → archived, and refuses other moves", async () => {
    const c = await makeConsultation(database.db, { status: "draft" });
    expect(await transition(database.db, actor, c, "closed")).toEqual({ ok: false, reason: "not_allowed" });
    await transition(database.db, actor, c, "open");
    await transition(database.db, actor, await reload(c.slug), "closed");
    const closed = await reload(c.slug);
    expect(closed.status).toBe("closed");
    expect(closed.closesAt!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await transition(database.db, actor, closed, "archived")).toEqual({ ok: true });
  });
});

const questionInput = (overrides: Record<string, unknown> = {}) =>
  questionFormSchema.parse({
    code: "extra",
    kind: "single",
    fr: { prompt: "Encore ?" },
    en: { prompt: "More?" },
    options: [
      { code: "a", fr: "A", en: "A" },
      { code: "b", fr: "B", en: "B" },
    ],
    ...overrides,
  });

describe("the questionnaire", () => {
  it("takes and removes questions only while draft", async () => {
    const c = await makeConsultation(database.db, { status: "draft" });
    expect(await addQuestion(database.db, actor, c, questionInput())).toEqual({ ok: true });
    const withExtra = await reload(c.slug);
    expect(withExtra.questions.at(-1)!.options.map((o) => o.code)).toEqual(["a", "b"]);
    expect(await addQuestion(database.db, actor, withExtra, questionInput())).toEqual({ ok: false, reason: "code_taken" });
    const open = await makeConsultation(database.db);
    expect(await addQuestion(database.db, actor, open, questionInput())).toEqual({ ok: false, reason: "locked" });
    expect(await removeQuestion(database.db, actor, open, open.questions[0].id)).toEqual({ ok: false, reason: "locked" });
    expect(await removeQuestion(database.db, actor, withExtra, withExtra.questions.at(-1)!.id)).toEqual({ ok: true });
    expect((await reload(c.slug)).questions.map((q) => q.position)).toEqual(c.questions.map((_, i) => i + 1));
  });

  it("once open, keeps wording editable but never orphans collected answers", async () => {
    const c = await makeConsultation(database.db);
    const parsed = parseAnswers(c.questions, form(validDemoAnswer));
    if (!parsed.ok) throw new Error("fixture");
    await submitResponse(database.db, { consultation: c, submissionId: crypto.randomUUID(), locale: "fr", channel: "web", answers: parsed.answers });
    const retention = c.questions.find((q) => q.code === "retention")!;
    const asForm = (removeCode?: string) =>
      questionInput({
        code: "retention",
        kind: "single",
        fr: { prompt: "Combien de temps, vraiment ?" },
        en: { prompt: "How long, really?" },
        options: retention.options.map((o) => ({ id: o.id, code: o.code, fr: o.labels.fr, en: o.labels.en, remove: o.code === removeCode ? "on" : "" })),
      });
    // "30d" was chosen: it stays. "1y" was not: it may go. The wording may change.
    expect(await updateQuestion(database.db, actor, c, retention.id, asForm("30d"))).toEqual({ ok: false, reason: "option_has_answers" });
    expect(await updateQuestion(database.db, actor, c, retention.id, asForm("1y"))).toEqual({ ok: true });
    const after = (await reload(c.slug)).questions.find((q) => q.code === "retention")!;
    expect(after.options.map((o) => o.code)).toEqual(["1d", "30d"]);
    expect(after.texts.en.prompt).toBe("How long, really?");
    expect(await updateQuestion(database.db, actor, c, retention.id, { ...asForm(), kind: "multiple" })).toEqual({ ok: false, reason: "kind_locked" });
  });
});

describe("dates typed in the municipality's time zone", () => {
  it("round-trip through UTC, across daylight saving time", () => {
    expect(zonedToUtc("2027-01-15T18:00", "Europe/Paris").toISOString()).toBe("2027-01-15T17:00:00.000Z");
    expect(zonedToUtc("2027-07-15T18:00", "Europe/Paris").toISOString()).toBe("2027-07-15T16:00:00.000Z");
    expect(zonedToUtc("2027-07-15T18:00", "America/Toronto").toISOString()).toBe("2027-07-15T22:00:00.000Z");
    expect(utcToZonedInput(new Date("2027-07-15T16:00:00Z"), "Europe/Paris")).toBe("2027-07-15T18:00");
  });
});
