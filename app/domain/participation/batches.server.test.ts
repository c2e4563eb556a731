import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, participationCodes } from "#db/schema";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { form, makeConsultation, makeOfficial, validDemoAnswer } from "../../../tests/helpers/fixtures";
import { acceptAnswer } from "../responses/accept.server";
import { RECEIPT_ALPHABET } from "../responses/receipt";
import type { ConsultationView } from "../consultations/types";
import { batchCodesToPrint, cancelCodeBatch, createCodeBatch, listCodeBatches } from "./batches.server";
import { hashParticipationCode } from "./codes.server";

const SECRET = "a test secret of at least thirty-two characters";
let database: TestDatabase;
let actor: string;
beforeAll(async () => {
  database = await createTestDatabase();
  actor = await makeOfficial(database.db, "letters@example.org");
});
afterAll(() => database.dispose());

const answerOnline = (c: ConsultationView, code: string) =>
  acceptAnswer(database.db, {
    consultation: c,
    lang: "fr",
    form: form([["submission_id", crypto.randomUUID()], ["participation_code", code], ...validDemoAnswer]),
    channel: "web",
    clientAddress: "198.51.100.7",
    limit: null,
  });
const storedCodes = async (c: ConsultationView) => database.db.select().from(participationCodes).where(eq(participationCodes.consultationId, c.id));

describe("a named batch of letters", () => {
  it("is made once per form: the same form sent again finds the batch it made", async () => {
    const c = await makeConsultation(database.db, { status: "open", mode: "code" });
    const requestId = crypto.randomUUID();
    const first = await createCodeBatch(database.db, actor, { consultation: c, label: "rang Saint-Joseph", size: 5, requestId, secret: SECRET });
    const again = await createCodeBatch(database.db, actor, { consultation: c, label: "rang Saint-Joseph", size: 5, requestId, secret: SECRET });
    expect(first.ok && first.created).toBe(true);
    expect(again).toEqual({ ok: true, batchId: first.ok ? first.batchId : "", created: false });
    expect(await storedCodes(c)).toHaveLength(5);
    const [batch] = await listCodeBatches(database.db, c.id);
    expect(batch).toMatchObject({ label: "rang Saint-Joseph", size: 5, used: 0, voided: 0, cancelledAt: null });
    const audits = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, c.slug), eq(auditLog.action, "codes.batch")));
    expect(audits.map((a) => a.details)).toEqual([{ batch: batch.id, label: "rang Saint-Joseph", count: 5 }]);
  });

  it("prints codes that work online once, again the same on a reprint (used ones left out), and none with another secret", async () => {
    const c = await makeConsultation(database.db, { status: "open", mode: "code" });
    const made = await createCodeBatch(database.db, actor, { consultation: c, label: "Centre", size: 4, requestId: crypto.randomUUID(), secret: SECRET });
    if (!made.ok) throw new Error("batch");
    const printed = await batchCodesToPrint(database.db, c.id, made.batchId, SECRET);
    if (!printed.ok) throw new Error(printed.reason);
    expect(printed.codes.map((x) => x.index)).toEqual([1, 2, 3, 4]);
    for (const { code } of printed.codes) expect(code).toMatch(new RegExp(`^[${RECEIPT_ALPHABET}]{5}-[${RECEIPT_ALPHABET}]{5}$`));
    // The database holds hashes only: each printed code is one of them, and no code is stored in clear.
    const rows = await storedCodes(c);
    expect(new Set(rows.map((r) => r.codeHash))).toEqual(new Set(printed.codes.map((x) => hashParticipationCode(x.code))));
    expect(JSON.stringify(rows)).not.toContain(printed.codes[0].code);

    expect((await answerOnline(c, printed.codes[1].code)).ok).toBe(true);
    const twice = await answerOnline(c, printed.codes[1].code);
    expect(twice.ok ? "stored" : twice.reason).toBe("code_used");

    const reprint = await batchCodesToPrint(database.db, c.id, made.batchId, SECRET);
    expect(reprint.ok && reprint.codes).toEqual([printed.codes[0], printed.codes[2], printed.codes[3]]);
    expect(reprint.ok && reprint.used).toBe(1);
    expect(await batchCodesToPrint(database.db, c.id, made.batchId, "another secret, also long enough to be one")).toEqual({
      ok: false,
      reason: "secret_changed",
    });
  });

  it("cancelled, voids its unused codes (refused online), keeps answers given, and is audited", async () => {
    const c = await makeConsultation(database.db, { status: "open", mode: "code" });
    const made = await createCodeBatch(database.db, actor, { consultation: c, label: "Nord", size: 3, requestId: crypto.randomUUID(), secret: SECRET });
    if (!made.ok) throw new Error("batch");
    const printed = await batchCodesToPrint(database.db, c.id, made.batchId, SECRET);
    if (!printed.ok) throw new Error("print");
    expect((await answerOnline(c, printed.codes[0].code)).ok).toBe(true);

    expect(await cancelCodeBatch(database.db, actor, c, made.batchId)).toEqual({ ok: true, voided: 2 });
    expect(await cancelCodeBatch(database.db, actor, c, made.batchId)).toEqual({ ok: false, reason: "cancelled" });
    const refused = await answerOnline(c, printed.codes[1].code);
    expect(refused.ok ? "stored" : refused.reason).toBe("code_invalid");
    expect(await batchCodesToPrint(database.db, c.id, made.batchId, SECRET)).toEqual({ ok: false, reason: "cancelled" });
    const [batch] = await listCodeBatches(database.db, c.id);
    expect([batch.used, batch.voided, batch.cancelledAt instanceof Date]).toEqual([1, 2, true]);
    const audits = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, c.slug), eq(auditLog.action, "codes.cancel")));
    expect(audits.map((a) => a.details)).toEqual([{ batch: made.batchId, label: "Nord", voided: 2 }]);
  });

  it("is refused for a consultation without codes, and a batch of another consultation is not found", async () => {
    const open = await makeConsultation(database.db, { status: "open", mode: "open" });
    expect(await createCodeBatch(database.db, actor, { consultation: open, label: "x", size: 2, requestId: crypto.randomUUID(), secret: SECRET })).toEqual({
      ok: false,
      reason: "not_code_mode",
    });
    const a = await makeConsultation(database.db, { status: "open", mode: "code" });
    const b = await makeConsultation(database.db, { status: "open", mode: "code" });
    const made = await createCodeBatch(database.db, actor, { consultation: a, label: "A", size: 1, requestId: crypto.randomUUID(), secret: SECRET });
    if (!made.ok) throw new Error("batch");
    expect(await batchCodesToPrint(database.db, b.id, made.batchId, SECRET)).toEqual({ ok: false, reason: "not_found" });
    expect(await cancelCodeBatch(database.db, actor, b, made.batchId)).toEqual({ ok: false, reason: "not_found" });
  });
});
