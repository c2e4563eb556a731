import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { makeConsultation, makeOfficial } from "../../../tests/helpers/fixtures";
import { saveOutcome } from "./outcome.server";
import { getConsultationBySlug } from "./queries.server";
import type { OutcomeForm } from "./schema.server";
import type { ConsultationView } from "./types";

let database: TestDatabase;
let actor: string;
beforeAll(async () => {
  database = await createTestDatabase();
  actor = await makeOfficial(database.db);
});
afterAll(() => database.dispose());

const reload = async (slug: string) => (await getConsultationBySlug(database.db, slug))!;
const outcome = (c: ConsultationView, intent: OutcomeForm["intent"], heard = "Vous voulez moins de capteurs."): OutcomeForm => ({
  intent,
  version: c.version,
  fr: { heard, decided: "Deux capteurs seulement." },
  en: { heard: "You want fewer sensors.", decided: "Two sensors only." },
});

describe("the outcome", () => {
  it("is published once closed and complete in both languages", async () => {
    const open = await makeConsultation(database.db);
    expect(await saveOutcome(database.db, actor, open, outcome(open, "publish"))).toEqual({ ok: false, reason: "not_closed" });
    const closed = await makeConsultation(database.db, { status: "closed" });
    expect(await saveOutcome(database.db, actor, closed, outcome(closed, "publish", ""))).toEqual({ ok: false, reason: "incomplete", missing: ["fr.heard"] });
    expect(await saveOutcome(database.db, actor, closed, outcome(closed, "publish"))).toEqual({ ok: true });
    const after = await reload(closed.slug);
    expect(after.outcomePublishedAt).not.toBeNull();
    expect(after.outcome?.en.decided).toBe("Two sensors only.");
  });

  it("published with an empty English part is refused, naming each empty part", async () => {
    const c = await makeConsultation(database.db, { status: "closed" });
    const form = { ...outcome(c, "publish"), en: { heard: "  ", decided: "" } };
    expect(await saveOutcome(database.db, actor, c, form)).toEqual({ ok: false, reason: "incomplete", missing: ["en.heard", "en.decided"] });
    expect((await reload(c.slug)).outcomePublishedAt).toBeNull();
  });

  it("remembers the figures' version it was written on, and who saved it", async () => {
    const c = await makeConsultation(database.db, { status: "closed" });
    expect(await saveOutcome(database.db, actor, c, outcome(c, "publish"))).toEqual({ ok: true });
    const published = await reload(c.slug);
    expect([published.figuresVersion, published.outcomeFiguresVersion, published.updatedBy]).toEqual([1, 1, actor]);
  });

  it("written from a page someone else's save overtook, is refused and leaves theirs", async () => {
    const c = await makeConsultation(database.db, { status: "closed" });
    expect(await saveOutcome(database.db, actor, c, outcome(c, "save", "Première version"))).toEqual({ ok: true });
    expect(await saveOutcome(database.db, actor, c, outcome(c, "save", "Version concurrente"))).toEqual({ ok: false, reason: "stale" });
    const now = await reload(c.slug);
    expect(await saveOutcome(database.db, actor, now, outcome(c, "publish", "Version concurrente"))).toEqual({ ok: false, reason: "stale" });
    expect(now.outcome?.fr.heard).toBe("Première version");
    expect(now.outcomePublishedAt).toBeNull();
  });
});
