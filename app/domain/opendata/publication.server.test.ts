import { eq } from "drizzle-orm";
import { auditLog } from "#db/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { makeConsultation, makeOfficial } from "../../../tests/helpers/fixtures";
import { contentVersion } from "../consultations/cache.server";
import { getConsultationBySlug } from "../consultations/queries.server";
import { resultsVisible } from "../consultations/rules";
import { openDataModified, publishOpenData, publishResults, publishTexts } from "./publication.server";

let database: TestDatabase;
let actor: string;
beforeAll(async () => {
  database = await createTestDatabase();
  actor = await makeOfficial(database.db);
});
afterAll(() => database.dispose());

const reload = async (slug: string) => (await getConsultationBySlug(database.db, slug))!;
const actions = async (slug: string) =>
  (await database.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetId, slug))).map((r) => r.action).sort();

describe("publication choices", () => {
  it("show results live while open, and withdraw them, each audited and seen by resident pages at once", async () => {
    const c = await makeConsultation(database.db, { status: "open" });
    expect(resultsVisible(c)).toBe(false);
    const before = contentVersion();
    expect(await publishResults(database.db, actor, c, true)).toEqual({ ok: true });
    expect(contentVersion()).not.toBe(before);
    const shown = await reload(c.slug);
    expect(shown.resultsPublishedAt).toBeInstanceOf(Date);
    expect(resultsVisible(shown)).toBe(true);
    // Live results are not open data: that waits for the close.
    expect(await publishOpenData(database.db, actor, shown, true)).toEqual({ ok: false, reason: "not_closed" });
    expect(await publishResults(database.db, actor, shown, false)).toEqual({ ok: true });
    expect(resultsVisible(await reload(c.slug))).toBe(false);
    expect(await actions(c.slug)).toEqual(["results.publish", "results.unpublish"]);
  });

  it("refuse a draft, and change nothing", async () => {
    const c = await makeConsultation(database.db, { status: "draft" });
    const before = contentVersion();
    expect(await publishResults(database.db, actor, c, true)).toEqual({ ok: false, reason: "draft" });
    expect(await publishTexts(database.db, actor, c, true)).toEqual({ ok: false, reason: "draft" });
    expect(contentVersion()).toBe(before);
    const after = await reload(c.slug);
    expect([after.resultsPublishedAt, after.textsPublishedAt]).toEqual([null, null]);
    expect(await actions(c.slug)).toEqual([]);
  });

  it("publish open data once closed, which shows the results; texts are a choice of their own", async () => {
    const c = await makeConsultation(database.db, { status: "closed" });
    expect(await publishOpenData(database.db, actor, c, true)).toEqual({ ok: true });
    const published = await reload(c.slug);
    expect(resultsVisible(published)).toBe(true);
    expect(published.textsPublishedAt).toBeNull();
    expect(openDataModified(published)).toEqual(published.openDataPublishedAt);
    await new Promise((r) => setTimeout(r, 5));
    expect(await publishTexts(database.db, actor, published, true)).toEqual({ ok: true });
    const withTexts = await reload(c.slug);
    expect(withTexts.textsPublishedAt!.getTime()).toBeGreaterThan(withTexts.openDataPublishedAt!.getTime());
    // The files changed: their Last-Modified follows.
    expect(openDataModified(withTexts)).toEqual(withTexts.textsPublishedAt);
    expect(await actions(c.slug)).toEqual(["opendata.publish", "texts.publish"]);
  });
});
