import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, consultations, participationCodes, referenceShares, responses } from "#db/schema";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { makeConsultation, makeOfficial } from "../../../tests/helpers/fixtures";
import { seedAnswers } from "../../../tests/helpers/seeded";
import { deleteDraft, duplicateConsultation, removeWithAnswers } from "./copy.server";
import { getConsultationBySlug } from "./queries.server";

let database: TestDatabase;
let actor: string;
beforeAll(async () => {
  database = await createTestDatabase();
  actor = await makeOfficial(database.db);
});
afterAll(() => database.dispose());

const reload = async (slug: string) => getConsultationBySlug(database.db, slug);
const auditOf = async (slug: string) => database.db.select().from(auditLog).where(eq(auditLog.targetId, slug));
const answersOf = async (id: string) => (await database.db.select().from(responses).where(eq(responses.consultationId, id))).length;

describe("duplicating a consultation", () => {
  it("copies texts, questions, answers to choose from, settings and reference shares into a new draft, without answers, codes, dates or publications", async () => {
    const now = new Date();
    const made = await makeConsultation(database.db, {
      status: "open",
      opensAt: new Date(now.getTime() - 10 * 86_400_000),
      closesAt: new Date(now.getTime() + 86_400_000),
    });
    await database.db.update(consultations).set({ retentionDays: 30 }).where(eq(consultations.id, made.id));
    const source = (await reload(made.slug))!;
    await seedAnswers(database.db, source, { count: 3, seed: 1, moderatorId: actor });
    await database.db.insert(participationCodes).values({ consultationId: source.id, codeHash: `h-${source.slug}` });
    const area = source.questions.find((q) => q.demographic === "area")!;
    await database.db
      .insert(referenceShares)
      .values(area.options.map((o, i) => ({ questionId: area.id, optionId: o.id, percent: String(20 + i * 10), source: "Census 2021" })));

    const copySlug = `${source.slug}-2027`;
    expect(await duplicateConsultation(database.db, actor, source, copySlug)).toEqual({ ok: true, slug: copySlug });
    const copy = (await reload(copySlug))!;
    expect(copy.id).not.toBe(source.id);
    expect(copy.status).toBe("draft");
    expect(copy.mode).toBe(source.mode);
    expect(copy.retentionDays).toBe(30);
    expect(copy.texts).toEqual(source.texts);
    expect([copy.opensAt, copy.closesAt, copy.outcome, copy.outcomePublishedAt, copy.openDataPublishedAt, copy.resultsPublishedAt]).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    const shape = (c: typeof copy) => c.questions.map((q) => ({ ...q, id: "", options: q.options.map((o) => ({ ...o, id: "" })) }));
    expect(shape(copy)).toEqual(shape(source));
    expect(await answersOf(copy.id)).toBe(0);
    expect(await answersOf(source.id)).toBe(3);
    expect(await database.db.select().from(participationCodes).where(eq(participationCodes.consultationId, copy.id))).toEqual([]);
    const copyArea = copy.questions.find((q) => q.demographic === "area")!;
    const shares = await database.db.select().from(referenceShares).where(eq(referenceShares.questionId, copyArea.id));
    expect(shares.map((s) => [copyArea.options.find((o) => o.id === s.optionId)!.code, Number(s.percent), s.source]).sort()).toEqual(
      area.options.map((o, i) => [o.code, 20 + i * 10, "Census 2021"]).sort(),
    );
    const [entry] = await auditOf(copySlug);
    expect(entry).toMatchObject({ actorId: actor, action: "consultation.duplicate", details: { from: source.slug } });
  });

  it("refuses an address already used, and writes nothing", async () => {
    const source = await makeConsultation(database.db);
    const other = await makeConsultation(database.db);
    expect(await duplicateConsultation(database.db, actor, source, other.slug)).toEqual({ ok: false, reason: "slug_taken" });
    expect(await auditOf(other.slug)).toEqual([]);
  });
});

describe("deleting", () => {
  it("deletes a draft that never opened, audited with its title", async () => {
    const c = await makeConsultation(database.db, { status: "draft" });
    expect(await deleteDraft(database.db, actor, c)).toEqual({ ok: true });
    expect(await reload(c.slug)).toBeNull();
    const [entry] = await auditOf(c.slug);
    expect(entry).toMatchObject({ action: "consultation.delete", details: { title: { fr: c.texts.fr.title, en: c.texts.en.title } } });
  });

  it("refuses a consultation that has opened, and keeps it", async () => {
    for (const status of ["open", "closed", "archived"] as const) {
      const c = await makeConsultation(database.db, { status });
      expect(await deleteDraft(database.db, actor, c)).toEqual({ ok: false, reason: "not_draft" });
      expect((await reload(c.slug))?.status).toBe(status);
      expect(await auditOf(c.slug)).toEqual([]);
    }
  });

  it("removes a consultation with its answers when asked to (the demo), saying how many went", async () => {
    const c = await makeConsultation(database.db, { status: "open", opensAt: new Date(Date.now() - 10 * 86_400_000) });
    await seedAnswers(database.db, c, { count: 4, seed: 2, moderatorId: actor });
    expect(await removeWithAnswers(database.db, actor, c)).toEqual({ ok: true, answers: 4 });
    expect(await reload(c.slug)).toBeNull();
    expect(await answersOf(c.id)).toBe(0);
    const [entry] = await auditOf(c.slug);
    expect(entry).toMatchObject({ action: "consultation.remove", details: { answers: 4 } });
  });
});
