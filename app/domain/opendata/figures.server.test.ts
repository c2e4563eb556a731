import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answers, auditLog, responses } from "#db/schema";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { form, makeConsultation, makeOfficial, validDemoAnswer } from "../../../tests/helpers/fixtures";
import { contentVersion } from "../consultations/cache.server";
import { saveOutcome } from "../consultations/outcome.server";
import { getConsultationBySlug } from "../consultations/queries.server";
import type { ConsultationView } from "../consultations/types";
import { moderate } from "../moderation/moderation.server";
import { enterPaperAnswer } from "../paper/entry.server";
import { listPublishedDatasets, openDataFiles } from "./opendata.server";
import { catalog, dataPackage } from "./package.server";
import { publishOpenData, publishResults } from "./publication.server";

const TZ = "Europe/Paris";
const DAY = 86_400_000;
const settings = { k: 5, timeZone: TZ, licence: "CC-BY-4.0" as const };
const publisher = { origin: "https://consultations.example.org", municipality: { fr: "Commune", en: "Commune" }, licence: "CC-BY-4.0" as const, contact: null };
let database: TestDatabase;
let actor: string;
beforeAll(async () => {
  database = await createTestDatabase();
  actor = await makeOfficial(database.db, "figures@example.org");
});
afterAll(() => database.dispose());

const reload = async (slug: string) => (await getConsultationBySlug(database.db, slug))!;
const parisDay = (d: Date) => new Intl.DateTimeFormat("sv-SE", { timeZone: TZ }).format(d);
const paper = (c: ConsultationView, now?: Date) =>
  enterPaperAnswer(database.db, {
    consultation: c,
    lang: "fr",
    form: form([["submission_id", crypto.randomUUID()], ["received_on", parisDay(new Date(c.closesAt!.getTime() - DAY))], ...validDemoAnswer]),
    actorId: actor,
    timeZone: TZ,
    now,
  });
const packageOf = async (c: ConsultationView) => dataPackage(c, await openDataFiles(database.db, c, settings), publisher);
const figureAudits = async (slug: string) =>
  (
    await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, slug), eq(auditLog.action, "figures.update")))
  ).map((r) => r.details);

describe("published figures", () => {
  it("are frozen by the first publication after closing, and a later paper form makes a new, dated version said everywhere", async () => {
    const c = await makeConsultation(database.db, { status: "closed", closesAt: new Date(Date.now() - 2 * DAY) });
    for (let i = 0; i < 6; i++) expect((await paper(c)).ok).toBe(true);
    expect((await reload(c.slug)).figuresVersion).toBe(0); // not published yet: no version to tell about
    expect(await figureAudits(c.slug)).toEqual([]);

    expect(await publishOpenData(database.db, actor, c, true)).toEqual({ ok: true });
    const published = await reload(c.slug);
    expect(published.figuresPublishedAt).toBeInstanceOf(Date);
    expect(published.figuresVersion).toBe(1);
    expect(published.figuresUpdatedAt).toBeNull();
    const first = await packageOf(published);
    expect(first.version).toBe("1.0.0");
    expect(first.modified).toBe(published.openDataPublishedAt!.toISOString());
    // Publishing the results too freezes nothing new.
    await publishResults(database.db, actor, published, true);
    expect((await reload(c.slug)).figuresPublishedAt).toEqual(published.figuresPublishedAt);

    await new Promise((r) => setTimeout(r, 5));
    // One late form alone does not move the public figures (decision 061): comparing versions would give it away.
    const late = await paper(published);
    expect(late.ok && late.figuresVersion).toBeNull();
    expect((await reload(c.slug)).figuresVersion).toBe(1);
    expect((await openDataFiles(database.db, await reload(c.slug), settings)).metadata.counts.responses).toBe(6);
    // Four more (k = 5 since the published figures): a new, dated version, said everywhere.
    for (let i = 0; i < 3; i++) expect((await paper(published)).ok && "quiet").toBe("quiet");
    const before = contentVersion();
    const fifth = await paper(published);
    expect(fifth.ok && fifth.figuresVersion).toBe(2);
    expect(contentVersion()).not.toBe(before);
    const updated = await reload(c.slug);
    expect(updated.figuresVersion).toBe(2);
    expect(updated.figuresUpdatedAt!.getTime()).toBeGreaterThan(updated.figuresPublishedAt!.getTime());
    expect(await figureAudits(c.slug)).toEqual([{ version: 2, cause: "paper_answer" }]);

    const files = await openDataFiles(database.db, updated, settings);
    expect(files.metadata.counts.responses).toBe(11);
    expect(files.metadata.figures).toEqual({
      version: "1.1.0",
      published: parisDay(updated.figuresPublishedAt!),
      updated: parisDay(updated.figuresUpdatedAt!),
      computed: parisDay(updated.figuresUpdatedAt!),
    });
    const second = dataPackage(updated, files, publisher);
    expect(second.version).toBe("1.1.0");
    expect(second.modified).toBe(updated.figuresUpdatedAt!.toISOString());
    const dataset = catalog(await listPublishedDatasets(database.db), publisher)["dcat:dataset"].find((d) => d["dct:identifier"] === c.slug)!;
    expect(dataset["dct:modified"]["@value"]).toBe(updated.figuresUpdatedAt!.toISOString());
  });

  it("change version when a moderator hides or restores a text after publication, each audited", async () => {
    const c = await makeConsultation(database.db, { status: "closed", closesAt: new Date(Date.now() - DAY) });
    expect((await paper(c)).ok).toBe(true);
    await saveOutcome(database.db, actor, c, {
      intent: "publish",
      version: c.version,
      fr: { heard: "Entendu", decided: "Décidé" },
      en: { heard: "Heard", decided: "Decided" },
    });
    expect((await reload(c.slug)).figuresVersion).toBe(1);
    const [text] = await database.db
      .select({ id: answers.id })
      .from(answers)
      .innerJoin(responses, eq(responses.id, answers.responseId))
      .where(and(eq(responses.consultationId, c.id), eq(answers.questionId, c.questions.find((q) => q.code === "comments")!.id)));
    expect(await moderate(database.db, actor, c.id, text.id, "hide", "Insult")).toEqual({ ok: true });
    expect(await moderate(database.db, actor, c.id, text.id, "restore", "Misread")).toEqual({ ok: true });
    expect((await reload(c.slug)).figuresVersion).toBe(3);
    expect(await figureAudits(c.slug)).toEqual([
      { version: 2, cause: "moderation.hide" },
      { version: 3, cause: "moderation.restore" },
    ]);
  });

  it("shown live while open are not frozen: they change with every answer and say so", async () => {
    const c = await makeConsultation(database.db, { status: "open", closesAt: new Date(Date.now() + DAY) });
    await publishResults(database.db, actor, c, true);
    expect((await reload(c.slug)).figuresPublishedAt).toBeNull();
    expect((await paper(c)).ok).toBe(true);
    expect(await figureAudits(c.slug)).toEqual([]);
  });

  it("after the grace period, a paper form is refused and the published figures stay as they are", async () => {
    const c = await makeConsultation(database.db, { status: "closed", closesAt: new Date(Date.now() - 20 * DAY) });
    await publishOpenData(database.db, actor, c, true);
    const refused = await paper(await reload(c.slug));
    expect(refused.ok ? "stored" : refused.reason).toBe("grace_over");
    const after = await reload(c.slug);
    expect([after.figuresVersion, after.figuresUpdatedAt]).toEqual([1, null]);
    expect(await figureAudits(c.slug)).toEqual([]);
  });
});
