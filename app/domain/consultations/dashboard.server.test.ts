import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { responses } from "#db/schema";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { makeConsultation } from "../../../tests/helpers/fixtures";
import { participation } from "./dashboard.server";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.dispose());

describe("answers per day", () => {
  it("count a paper form on the day it was received, an online answer on the day it arrived (in the municipality's time zone)", async () => {
    const c = await makeConsultation(database.db);
    const typedIn = new Date("2026-12-05T16:00:00Z"); // 5 December, 17:00 in Paris
    const row = (n: number, channel: "web" | "paper", receivedAt: Date, paperReceivedOn: string | null = null) => ({
      consultationId: c.id,
      submissionId: crypto.randomUUID(),
      receiptCode: `DAY${n}${Date.now()}`,
      locale: "fr" as const,
      channel,
      receivedAt,
      paperReceivedOn,
    });
    await database.db.insert(responses).values([
      row(1, "web", new Date("2026-12-01T23:30:00Z")), // 2 December, 00:30 in Paris
      row(2, "paper", typedIn, "2026-11-28"),
      row(3, "paper", typedIn, "2026-11-28"),
      row(4, "paper", typedIn, "2026-12-01"),
      row(5, "web", typedIn),
    ]);
    const stats = await participation(database.db, c.id, "Europe/Paris");
    expect(stats.byDay).toEqual([
      { day: "2026-11-28", web: 0, offline: 0, paper: 2, sms: 0 },
      { day: "2026-12-01", web: 0, offline: 0, paper: 1, sms: 0 },
      { day: "2026-12-02", web: 1, offline: 0, paper: 0, sms: 0 },
      { day: "2026-12-05", web: 1, offline: 0, paper: 0, sms: 0 },
    ]);
    expect(stats.byChannel).toEqual({ web: 2, offline: 0, paper: 3, sms: 0 });
  });
});
