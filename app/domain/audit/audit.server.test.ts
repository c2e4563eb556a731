import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { makeConsultation, makeOfficial } from "../../../tests/helpers/fixtures";
import { transition } from "../consultations/lifecycle.server";
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
