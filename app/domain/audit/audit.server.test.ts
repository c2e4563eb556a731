import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { form, makeConsultation, makeOfficial, validDemoAnswer } from "../../../tests/helpers/fixtures";
import { auditSentence } from "~/i18n/audit";
import { tFor } from "~/i18n/i18n";
import { transition } from "../consultations/lifecycle.server";
import { listFreeText, moderate } from "../moderation/moderation.server";
import { submitResponse } from "../responses/submit.server";
import { parseAnswers } from "../responses/validate.server";
import { createTheme, markQuote, mergeThemes, tagAnswers } from "../themes/themes.server";
import { audit, listAudit } from "./audit.server";
import { auditCsv } from "./csv.server";

let database: TestDatabase;
let actor: string;
beforeAll(async () => {
  database = await createTestDatabase();
  actor = await makeOfficial(database.db);
});
afterAll(() => database.dispose());

const text = async (stream: NodeJS.ReadableStream) => {
  let out = "";
  for await (const chunk of stream) out += chunk.toString();
  return out;
};

describe("the audit log names what it is about", () => {
  it("says themes by their names, a free text by its question, and the consultation, in the page's language, never a code or an id", async () => {
    const c = await makeConsultation(database.db, { status: "open" });
    const parsed = parseAnswers(c.questions, form([...validDemoAnswer.filter(([k]) => k !== "q.comments"), ["q.comments", "Pas de caméras."]]));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await submitResponse(database.db, { consultation: c, submissionId: crypto.randomUUID(), locale: "fr", channel: "web", answers: parsed.answers });
    const { items } = await listFreeText(database.db, c.id, { limit: 100 });
    const answerId = items.find((i) => i.text === "Pas de caméras.")!.answerId;
    const noun = { labels: { fr: "Vie privée", en: "Privacy" }, description: { fr: "", en: "" }, keywords: { fr: [], en: [] } };
    const privacy = await createTheme(database.db, actor, c.id, noun);
    const cameras = await createTheme(database.db, actor, c.id, { ...noun, labels: { fr: "Caméras", en: "Cameras" } });
    if (!privacy.ok || !cameras.ok) throw new Error("fixture");
    expect(await tagAnswers(database.db, actor, c.id, privacy.id, [answerId])).toEqual({ ok: true, changed: 1 });
    expect(await markQuote(database.db, actor, c.id, privacy.id, answerId, true)).toEqual({ ok: true });
    expect(await moderate(database.db, actor, c.id, answerId, "hide", "Hors sujet")).toMatchObject({ ok: true });
    expect((await mergeThemes(database.db, actor, c.id, cameras.id, privacy.id)).ok).toBe(true);

    const comments = c.questions.find((q) => q.code === "comments")!.texts;
    const rows = await listAudit(database.db, { consultation: c.slug });
    const sentences = (lang: "fr" | "en") => rows.map((r) => auditSentence(tFor(lang), lang, r));
    // French sentences carry no-break spaces (French typography): compared with every space as one.
    const [fr, en] = [sentences("fr").map((s) => s.replace(/\s+/g, " ")), sentences("en")];
    // The demo's French title has its own no-break spaces: read the same way.
    const title = (lang: "fr" | "en") => c.texts[lang].title.replace(/\s+/g, " ");
    expect(fr).toContain(`official@example.org a créé le thème « Vie privée » pour la consultation « ${title("fr")} »`);
    expect(fr).toContain(`official@example.org a appliqué le thème « Vie privée » à 1 réponse de la consultation « ${title("fr")} »`);
    expect(en).toContain(`official@example.org applied the theme “Privacy” to 1 answer of the consultation “${title("en")}”`);
    expect(fr).toContain(
      `official@example.org a retenu une réponse à la question « ${comments.fr.prompt.replace(/\s+/g, " ")} » comme citation représentative du thème « Vie privée » (consultation « ${title("fr")} »)`,
    );
    expect(en).toContain(`official@example.org hid a free-text answer to the question “${comments.en.prompt}” of the consultation “${title("en")}”`);
    expect(fr).toContain(`official@example.org a fusionné le thème « Caméras » dans « Vie privée » (0 réponse déplacée), consultation « ${title("fr")} »`);
    for (const sentence of [...fr, ...en]) {
      expect(sentence).not.toMatch(/\bt\d+\b|n° \d|no\. \d/);
      expect(sentence).not.toContain(String(answerId));
    }
  });

  it("says a question by its wording, kept in the entry once the question is removed", async () => {
    const draft = await makeConsultation(database.db, { status: "draft" });
    const prompt = { fr: "Quel horaire ?", en: "Which hours?" };
    await audit(database.db, {
      actorId: actor,
      action: "question.remove",
      targetType: "consultation",
      targetId: draft.slug,
      details: { code: "gone", prompt },
    });
    const kept = draft.questions[0];
    await audit(database.db, { actorId: actor, action: "question.edit", targetType: "consultation", targetId: draft.slug, details: { code: kept.code } });
    const rows = await listAudit(database.db, { consultation: draft.slug });
    const en = rows.map((r) => auditSentence(tFor("en"), "en", r));
    expect(en).toContain(`official@example.org removed the question “Which hours?” from the consultation “${draft.texts.en.title}”`);
    expect(en).toContain(`official@example.org edited the question “${kept.texts.en.prompt}” of the consultation “${draft.texts.en.title}”`);
  });
});

describe("the audit log's filters and CSV", () => {
  it("filters by consultation and gives each entry the consultation's titles", async () => {
    const a = await makeConsultation(database.db, { status: "draft" });
    const b = await makeConsultation(database.db, { status: "draft" });
    await transition(database.db, actor, a, "open");
    await transition(database.db, actor, b, "open");
    const rows = await listAudit(database.db, { consultation: a.slug });
    expect(rows.map((r) => [r.action, r.targetId])).toEqual([["consultation.open", a.slug]]);
    expect(rows[0].titles?.fr.title).toBe(a.texts.fr.title);
  });

  it("writes CSV that a spreadsheet cannot run as a formula, in the standard or the French dialect", async () => {
    await audit(database.db, { actorId: actor, action: "moderation.hide", targetType: "answer", targetId: "1", reason: '=HYPERLINK("x")' });
    const row = {
      at: "2026-11-28T10:00:00.000Z",
      actor: "a@example.org",
      action: "moderation.hide",
      sentence: "a hid it; really, yes",
      target_type: "answer",
      target: "1",
      reason: '=HYPERLINK("x")',
      details: "",
    };
    for (const [dialect, delimiter] of [
      ["standard", ","],
      ["fr", ";"],
    ] as const) {
      const csv = await text(auditCsv([row], dialect));
      const [header, parsed] = parse(csv, { delimiter, bom: true }) as string[][];
      expect(header).toEqual(["at", "actor", "action", "sentence", "target_type", "target", "reason", "details"]);
      expect(parsed[3]).toBe("a hid it; really, yes");
      expect(parsed[6]).toBe('\'=HYPERLINK("x")');
    }
  });
});
