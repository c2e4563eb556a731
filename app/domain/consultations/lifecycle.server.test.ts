import { readFileSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "#db/client";
import { auditLog, consultations } from "#db/schema";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { makeConsultation, makeOfficial } from "../../../tests/helpers/fixtures";
import { listAudit } from "../audit/audit.server";
import { missingForOpening } from "./completeness";
import { closeExpired, transition } from "./lifecycle.server";
import { getConsultationBySlug } from "./queries.server";

let database: TestDatabase;
let actor: string;
beforeAll(async () => {
  database = await createTestDatabase();
  actor = await makeOfficial(database.db);
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
    const open = await reload(c.slug);
    expect(open.status).toBe("open");
    expect(open.version).toBe(c.version + 1);
  });

  it("“Open now” on a draft without an opening date records the moment as its opening; reopening keeps it", async () => {
    const c = await makeConsultation(database.db, { status: "draft", opensAt: null, closesAt: null });
    const before = Date.now();
    expect(await transition(database.db, actor, c, "open")).toEqual({ ok: true });
    const open = await reload(c.slug);
    expect(open.opensAt).not.toBeNull();
    expect(open.opensAt!.getTime()).toBeGreaterThanOrEqual(before);
    expect(open.opensAt!.getTime()).toBeLessThanOrEqual(Date.now());
    await transition(database.db, actor, open, "closed");
    expect(await transition(database.db, actor, await reload(c.slug), "open")).toEqual({ ok: true });
    expect((await reload(c.slug)).opensAt).toEqual(open.opensAt);
  });

  it("“Open now” brings a later scheduled opening forward, and keeps an earlier one", async () => {
    const later = await makeConsultation(database.db, { status: "draft", opensAt: new Date(Date.now() + 7 * 24 * 3600 * 1000) });
    await transition(database.db, actor, later, "open");
    expect((await reload(later.slug)).opensAt!.getTime()).toBeLessThanOrEqual(Date.now());
    const earlier = new Date(Date.now() - 3600 * 1000);
    const past = await makeConsultation(database.db, { status: "draft", opensAt: earlier });
    await transition(database.db, actor, past, "open");
    expect((await reload(past.slug)).opensAt).toEqual(earlier);
  });

  it("a consultation opened now before openings were recorded gets its opening from the audit log (migration 0009)", async () => {
    const openedAt = new Date("2026-11-02T08:15:00Z");
    const legacy = await makeConsultation(database.db, { status: "closed", opensAt: null });
    const noEntry = await makeConsultation(database.db, { status: "open", opensAt: null });
    const draft = await makeConsultation(database.db, { status: "draft", opensAt: null });
    for (const [slug, at] of [
      [legacy.slug, openedAt],
      [legacy.slug, new Date("2026-11-20T08:15:00Z")], // reopened later: the first opening counts
      [draft.slug, openedAt], // not possible today; a draft is left alone all the same
    ] as const)
      await database.db.insert(auditLog).values({ at, actorId: actor, action: "consultation.open", targetType: "consultation", targetId: slug });
    await database.db.execute(sql.raw(readFileSync(path.join(MIGRATIONS_FOLDER, "0009_opened_when_opened_now.sql"), "utf8")));
    const opensAt = async (id: string) => (await database.db.select({ at: consultations.opensAt }).from(consultations).where(eq(consultations.id, id)))[0].at;
    expect(await opensAt(legacy.id)).toEqual(openedAt);
    expect(await opensAt(noEntry.id)).toBeNull();
    expect(await opensAt(draft.id)).toBeNull();
  });

  it("needs a question, scale labels and two options per choice question", () => {
    const empty = { texts: { fr: {} as never, en: {} as never }, questions: [] };
    expect(missingForOpening(empty).some((m) => m.kind === "questions")).toBe(true);
  });

  it("follows draft → open → closed → archived, and refuses other moves", async () => {
    const c = await makeConsultation(database.db, { status: "draft" });
    expect(await transition(database.db, actor, c, "closed")).toEqual({ ok: false, reason: "not_allowed", status: "draft" });
    await transition(database.db, actor, c, "open");
    await transition(database.db, actor, await reload(c.slug), "closed");
    const closed = await reload(c.slug);
    expect(closed.status).toBe("closed");
    expect(closed.closesAt!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await transition(database.db, actor, closed, "archived")).toEqual({ ok: true });
    expect((await listAudit(database.db, { action: "consultation.archive" })).map((r) => r.targetId)).toContain(c.slug);
  });

  it("refused, says the status the consultation is in now, and records who moved it", async () => {
    const c = await makeConsultation(database.db, { status: "draft" });
    expect(await transition(database.db, actor, c, "open")).toEqual({ ok: true });
    const open = await reload(c.slug);
    expect(open.updatedBy).toBe(actor);
    // The same move sent again (the Back button): from the page loaded before, and from the page now.
    expect(await transition(database.db, actor, c, "open")).toEqual({ ok: false, reason: "not_allowed", status: "open" });
    expect(await transition(database.db, actor, open, "open")).toEqual({ ok: false, reason: "not_allowed", status: "open" });
  });

  it("closes once when two officials press “Close now” from the same page", async () => {
    const c = await makeConsultation(database.db);
    const [a, b] = await Promise.all([transition(database.db, actor, c, "closed"), transition(database.db, actor, c, "closed")]);
    expect([a, b].filter((r) => r.ok)).toHaveLength(1);
    // The one refused says where the consultation is now: closed by the other.
    expect([a, b].filter((r) => !r.ok)).toEqual([{ ok: false, reason: "not_allowed", status: "closed" }]);
    expect((await listAudit(database.db, { action: "consultation.close" })).filter((r) => r.targetId === c.slug)).toHaveLength(1);
  });

  it("closes consultations whose closing date has passed, and bumps their version", async () => {
    const c = await makeConsultation(database.db, { closesAt: new Date(Date.now() + 60_000) });
    await closeExpired(database.db, new Date(Date.now() + 120_000));
    const after = await reload(c.slug);
    expect(after.status).toBe("closed");
    expect(after.version).toBe(c.version + 1);
  });
});
