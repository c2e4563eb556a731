import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { makeConsultation, makeOfficial } from "../../../tests/helpers/fixtures";
import { seedAnswers } from "../../../tests/helpers/seeded";
import { getConsultationBySlug } from "../consultations/queries.server";
import { summarize } from "../summary/summary.server";
import { residentDifferences } from "./protect";
import { publicFiguresTaken, readPublicFigures, residentView } from "./public-figures.server";
import { publishResults } from "./publication.server";

const K = 5;
const DAY = 86_400_000;
let database: TestDatabase;
let actor: string;
beforeAll(async () => {
  database = await createTestDatabase();
  actor = await makeOfficial(database.db, "public-figures@example.org");
});
afterAll(() => database.dispose());

describe("public figures as read", () => {
  it("without their free texts hold the same rows and quotes; the staff view counts the answers since from the exact summary", async () => {
    const c = await makeConsultation(database.db, { status: "open", opensAt: new Date(Date.now() - 10 * DAY), closesAt: new Date(Date.now() + DAY) });
    await seedAnswers(database.db, c, { count: 30, seed: 25, moderatorId: actor, hideShare: 0, days: 1 });
    expect(await publishResults(database.db, actor, c, true)).toEqual({ ok: true });
    const shown = (await getConsultationBySlug(database.db, c.slug))!;

    const full = (await readPublicFigures(database.db, c.id))!;
    expect(full.responses).toBe(30);
    expect(full.texts.length).toBeGreaterThanOrEqual(K);
    expect(await readPublicFigures(database.db, c.id, { texts: false })).toEqual({ ...full, texts: [] });
    expect(await publicFiguresTaken(database.db, c.id)).toEqual({ version: full.version, takenAt: full.takenAt, responses: 30 });

    // Two more answers: fewer than a step, so not in the public figures yet.
    await seedAnswers(database.db, shown, { count: 2, seed: 26, moderatorId: actor, hideShare: 0, days: 1 });
    const exact = await summarize(database.db, shown);
    expect(exact.total).toBe(32);
    const view = await residentView(database.db, shown, exact, K);
    expect(view).toMatchObject({ shown: true, responses: 30, since: 2, step: K, asOf: full.takenAt.toISOString() });
    // The questions whose texts are public, as the stored texts themselves say.
    expect(view.differences).toEqual(residentDifferences(exact, full.rows, new Set(full.texts.map((t) => t.questionCode))));
  });
});
