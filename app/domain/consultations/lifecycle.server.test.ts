import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
