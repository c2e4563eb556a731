import { and, count, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answers, consultations, participationCodes, responses } from "#db/schema";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { form, makeConsultation, validDemoAnswer } from "../../../tests/helpers/fixtures";
import type { ConsultationView } from "../consultations/types";
import { createParticipationCodes } from "../participation/codes.server";
import { receiptCodeFor } from "./receipt";
import { findReceipt, submitResponse } from "./submit.server";
import { parseAnswers } from "./validate.server";

let database: TestDatabase;
let open: ConsultationView;
beforeAll(async () => {
  database = await createTestDatabase();
  open = await makeConsultation(database.db);
});
afterAll(() => database.dispose());

const parsed = (c: ConsultationView) => {
  const r = parseAnswers(c.questions, form(validDemoAnswer));
  if (!r.ok) throw new Error("fixture answer should be valid");
  return r.answers;
};
const responsesOf = async (c: ConsultationView) => (await database.db.select({ n: count() }).from(responses).where(eq(responses.consultationId, c.id)))[0].n;

describe("submitting answers", () => {
  it("the same submission sent three times gives one receipt and one stored response", async () => {
    const submissionId = crypto.randomUUID();
    const input = { consultation: open, submissionId, locale: "fr" as const, channel: "web" as const, answers: parsed(open) };
    const before = await responsesOf(open);
    const results = [await submitResponse(database.db, input), await submitResponse(database.db, input), await submitResponse(database.db, input)];
    expect(results.map((r) => r.ok && r.receiptCode)).toEqual(Array(3).fill(await receiptCodeFor(submissionId)));
    expect(results.map((r) => r.ok && r.duplicate)).toEqual([false, true, true]);
    expect(await responsesOf(open)).toBe(before + 1);
  });

  it("two different submissions are two responses, each with its answers", async () => {
    const before = await responsesOf(open);
    for (const _ of [1, 2]) {
      const r = await submitResponse(database.db, {
        consultation: open,
        submissionId: crypto.randomUUID(),
        locale: "en",
        channel: "web",
        answers: parsed(open),
      });
      expect(r.ok).toBe(true);
    }
    expect(await responsesOf(open)).toBe(before + 2);
  });

  it("the same submission arriving concurrently is stored once", async () => {
    const submissionId = crypto.randomUUID();
    const before = await responsesOf(open);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        submitResponse(database.db, { consultation: open, submissionId, locale: "fr", channel: "offline", answers: parsed(open) }),
      ),
    );
    expect(new Set(results.map((r) => r.ok && r.receiptCode)).size).toBe(1);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await responsesOf(open)).toBe(before + 1);
  });

  it("stores one answer row per question answered, and the receipt says on which day", async () => {
    const submissionId = crypto.randomUUID();
    const r = await submitResponse(database.db, { consultation: open, submissionId, locale: "fr", channel: "web", answers: parsed(open) });
    expect(r.ok).toBe(true);
    const [row] = await database.db.select().from(responses).where(eq(responses.submissionId, submissionId));
    const stored = await database.db.select().from(answers).where(eq(answers.responseId, row.id));
    expect(stored).toHaveLength(parsed(open).length);
    // Every value comes back as parsed: ranking order, texts with accents and line breaks, "prefer not".
    const byQuestion = new Map(stored.map((a) => [a.questionId, a]));
    for (const a of parsed(open)) {
      expect(byQuestion.get(a.questionId)).toMatchObject({ optionIds: a.optionIds, text: a.text, number: a.number, preferNot: a.preferNot, hidden: false });
    }
    expect(row).toMatchObject({ locale: "fr", receiptCode: r.ok && r.receiptCode });
    expect(row.channel).toBe("web");
    expect(await findReceipt(database.db, row.receiptCode)).toEqual({ receivedAt: row.receivedAt });
    expect(await findReceipt(database.db, "ZZZZZZZZ")).toBeNull();
  });

  it("a closed or draft consultation refuses answers and stores nothing", async () => {
    const closed = await makeConsultation(database.db, { status: "closed" });
    const draft = await makeConsultation(database.db, { status: "draft" });
    const past = await makeConsultation(database.db, { closesAt: new Date(Date.now() - 1000) });
    for (const [c, reason] of [
      [closed, "closed"],
      [draft, "not_open"],
      [past, "closed"],
    ] as const) {
      const r = await submitResponse(database.db, { consultation: c, submissionId: crypto.randomUUID(), locale: "fr", channel: "web", answers: parsed(c) });
      expect(r).toEqual({ ok: false, reason });
      expect(await responsesOf(c)).toBe(0);
    }
  });

  it("a replay of an answer counted before closing still gets its receipt", async () => {
    const c = await makeConsultation(database.db);
    const submissionId = crypto.randomUUID();
    const first = await submitResponse(database.db, { consultation: c, submissionId, locale: "fr", channel: "web", answers: parsed(c) });
    const later = await submitResponse(database.db, {
      consultation: { ...c, status: "closed" },
      submissionId,
      locale: "fr",
      channel: "offline",
      answers: parsed(c),
    });
    expect(later).toMatchObject({ ok: true, duplicate: true, receiptCode: first.ok && first.receiptCode });
  });
});

describe("a consultation changed by another process", () => {
  // Answers are judged on a view of the consultation that may be a few seconds old (the
  // consultation cache); what is stored follows the consultation as it is in the database.
  const closeInDatabase = (c: ConsultationView) =>
    database.db.update(consultations).set({ status: "closed", closesAt: new Date() }).where(eq(consultations.id, c.id));

  it("an answer judged on a view read before the closing is refused as closed, and nothing is stored", async () => {
    const c = await makeConsultation(database.db);
    await closeInDatabase(c);
    for (const channel of ["web", "offline"] as const) {
      const r = await submitResponse(database.db, { consultation: c, submissionId: crypto.randomUUID(), locale: "fr", channel, answers: parsed(c) });
      expect(r).toEqual({ ok: false, reason: "closed" });
    }
    expect(await responsesOf(c)).toBe(0);
  });

  it("in code mode, the refused answer spends no code", async () => {
    const c = await makeConsultation(database.db, { mode: "code" });
    const [code] = await createParticipationCodes(database.db, c.id, 1);
    await closeInDatabase(c);
    const r = await submitResponse(database.db, {
      consultation: c,
      submissionId: crypto.randomUUID(),
      locale: "fr",
      channel: "web",
      answers: parsed(c),
      participationCode: code,
    });
    expect(r).toEqual({ ok: false, reason: "closed" });
    expect(await responsesOf(c)).toBe(0);
    const used = await database.db
      .select()
      .from(participationCodes)
      .where(and(eq(participationCodes.consultationId, c.id), isNotNull(participationCodes.usedAt)));
    expect(used).toHaveLength(0);
  });

  it("an opening moved later since the view was read refuses with not yet open", async () => {
    const c = await makeConsultation(database.db);
    await database.db
      .update(consultations)
      .set({ opensAt: new Date(Date.now() + 3_600_000) })
      .where(eq(consultations.id, c.id));
    const r = await submitResponse(database.db, { consultation: c, submissionId: crypto.randomUUID(), locale: "fr", channel: "web", answers: parsed(c) });
    expect(r).toEqual({ ok: false, reason: "not_yet_open" });
    expect(await responsesOf(c)).toBe(0);
  });

  it("a paper form is still entered after the closing, during the grace period", async () => {
    const c = await makeConsultation(database.db);
    await closeInDatabase(c);
    const closed = { ...c, status: "closed" as const, closesAt: new Date(Date.now() - 1_000) };
    const r = await submitResponse(database.db, {
      consultation: closed,
      submissionId: crypto.randomUUID(),
      locale: "fr",
      channel: "paper",
      answers: parsed(c),
    });
    expect(r).toMatchObject({ ok: true, duplicate: false });
    expect(await responsesOf(c)).toBe(1);
  });
});

describe("participation codes", () => {
  it("a code is spent once, with the answer, and only for its consultation", async () => {
    const c = await makeConsultation(database.db, { mode: "code" });
    const other = await makeConsultation(database.db, { mode: "code" });
    const [code, spare] = await createParticipationCodes(database.db, c.id, 2);
    const [otherCode] = await createParticipationCodes(database.db, other.id, 1);
    const submit = (participationCode?: string, submissionId = crypto.randomUUID()) =>
      submitResponse(database.db, { consultation: c, submissionId, locale: "fr", channel: "web", answers: parsed(c), participationCode });

    expect(await submit(undefined)).toEqual({ ok: false, reason: "code_required" });
    expect(await submit("AAAAA-AAAAA")).toEqual({ ok: false, reason: "code_invalid" });
    expect(await submit(otherCode)).toEqual({ ok: false, reason: "code_invalid" });
    const id = crypto.randomUUID();
    expect((await submit(code.toLowerCase().replace("-", " "), id)).ok).toBe(true);
    // The same submission again is the same answer, not a second use of the code.
    expect(await submit(code, id)).toMatchObject({ ok: true, duplicate: true });
    expect(await submit(code)).toEqual({ ok: false, reason: "code_used" });
    expect(await responsesOf(c)).toBe(1);
    const used = await database.db.select().from(participationCodes).where(isNotNull(participationCodes.usedAt));
    expect(used.filter((u) => u.consultationId === c.id)).toHaveLength(1);
    expect(spare).not.toBe(code);
  });

  it("codes are stored hashed, never in clear", async () => {
    const c = await makeConsultation(database.db, { mode: "code" });
    const codes = await createParticipationCodes(database.db, c.id, 5);
    const rows = await database.db.select().from(participationCodes).where(eq(participationCodes.consultationId, c.id));
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
      for (const code of codes) expect(row.codeHash).not.toContain(code.replace("-", ""));
    }
  });

  it("when storing an answer fails, nothing of the response is stored", async () => {
    const before = await responsesOf(open);
    const broken = [...parsed(open), { questionId: crypto.randomUUID(), optionIds: null, text: "x", number: null, preferNot: false }];
    await expect(
      submitResponse(database.db, { consultation: open, submissionId: crypto.randomUUID(), locale: "fr", channel: "web", answers: broken }),
    ).rejects.toThrow();
    expect(await responsesOf(open)).toBe(before);
  });

  it("when storing the answer fails, the code is not spent", async () => {
    const c = await makeConsultation(database.db, { mode: "code" });
    const [code] = await createParticipationCodes(database.db, c.id, 1);
    const broken = [{ questionId: crypto.randomUUID(), optionIds: null, text: "x", number: null, preferNot: false }];
    await expect(
      submitResponse(database.db, {
        consultation: c,
        submissionId: crypto.randomUUID(),
        locale: "fr",
        channel: "web",
        answers: broken,
        participationCode: code,
      }),
    ).rejects.toThrow();
    expect(await responsesOf(c)).toBe(0);
    const r = await submitResponse(database.db, {
      consultation: c,
      submissionId: crypto.randomUUID(),
      locale: "fr",
      channel: "web",
      answers: parsed(c),
      participationCode: code,
    });
    expect(r.ok).toBe(true);
  });
});
