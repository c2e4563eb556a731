import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { responses } from "#db/schema";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { form, makeConsultation, validDemoAnswer } from "../../../tests/helpers/fixtures";
import type { ConsultationSpec, ConsultationView } from "../consultations/types";
import { acceptAnswer } from "./accept.server";
import { createParticipationCodes } from "../participation/codes.server";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.dispose());

const paper = (consultation: ConsultationView, pairs: [string, string][] = validDemoAnswer) =>
  acceptAnswer(database.db, {
    consultation,
    lang: "fr",
    form: form([["submission_id", crypto.randomUUID()], ...pairs]),
    channel: "paper",
    clientAddress: undefined,
    limit: null,
  });

const paperResponses = async (c: ConsultationView) =>
  (
    await database.db
      .select({ n: count() })
      .from(responses)
      .where(and(eq(responses.consultationId, c.id), eq(responses.channel, "paper")))
  )[0].n;

const with_ = (overrides: Partial<ConsultationSpec>) => makeConsultation(database.db, overrides);

describe("paper answers typed in by an official", () => {
  it("are stored with the channel paper, after the closing too, and without a participation code", async () => {
    const closed = await with_({ status: "closed", mode: "code", closesAt: new Date(Date.now() - 3_600_000) });
    const result = await paper(closed);
    expect(result.ok).toBe(true);
    expect(await paperResponses(closed)).toBe(1);
  });

  it("are refused, each for its own named reason, into an archived consultation, a draft, or one not yet open", async () => {
    const cases: [Partial<ConsultationSpec>, string][] = [
      [{ status: "archived" }, "closed"],
      [{ status: "draft" }, "not_open"],
      [{ status: "open", opensAt: new Date(Date.now() + 86_400_000) }, "not_yet_open"],
    ];
    for (const [overrides, reason] of cases) {
      const c = await with_(overrides);
      const result = await paper(c);
      expect(result.ok ? "stored" : result.reason, JSON.stringify(overrides)).toBe(reason);
      expect(await paperResponses(c)).toBe(0);
    }
  });

  it("with a mistake on a closed consultation, are refused for the mistake, not for the closing", async () => {
    const closed = await with_({ status: "closed", closesAt: new Date(Date.now() - 3_600_000) });
    const result = await paper(
      closed,
      validDemoAnswer.filter(([k]) => k !== "q.measures"),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe("invalid_answers");
    expect(result.window).toBeUndefined();
    expect(Object.keys(result.state.errors)).toEqual(["measures"]);
    expect(result.state.values["q.support"]).toEqual(["4"]);
  });

  it("are not rate limited, where residents' answers are", async () => {
    const open = await with_({});
    for (let i = 0; i < 3; i++) expect((await paper(open)).ok).toBe(true);
    const resident = () =>
      acceptAnswer(database.db, {
        consultation: open,
        lang: "fr",
        form: form([["submission_id", crypto.randomUUID()], ...validDemoAnswer]),
        channel: "web",
        clientAddress: "203.0.113.9",
        limit: { limit: 1, windowSeconds: 600 },
      });
    expect((await resident()).ok).toBe(true);
    const second = await resident();
    expect(second.ok ? "stored" : second.reason).toBe("rate_limited");
  });

  it("with a form that cannot be read, are refused as such", async () => {
    const open = await with_({});
    const result = await acceptAnswer(database.db, {
      consultation: open,
      lang: "en",
      form: form(validDemoAnswer),
      channel: "paper",
      clientAddress: undefined,
      limit: null,
    });
    expect(result.ok ? "stored" : result.reason).toBe("form_expired");
  });
});

describe("residents' answers", () => {
  const resident = (consultation: ConsultationView, pairs: [string, string][]) =>
    acceptAnswer(database.db, {
      consultation,
      lang: "en",
      form: form([["submission_id", crypto.randomUUID()], ...pairs]),
      channel: "web",
      clientAddress: "203.0.113.10",
      limit: null,
    });

  it("with a mistake on a closed consultation, are refused for the mistake and name the closing too", async () => {
    const closed = await with_({ status: "closed", closesAt: new Date(Date.now() - 3_600_000) });
    const result = await resident(
      closed,
      validDemoAnswer.filter(([k]) => k !== "q.measures"),
    );
    expect(result.ok ? "stored" : [result.reason, result.window, Object.keys(result.state.errors)]).toEqual(["invalid_answers", "closed", ["measures"]]);
  });

  it("in code mode, are refused by name without a code and with an unknown one, keeping the form's id", async () => {
    const withCodes = await with_({ mode: "code" });
    const missing = await resident(withCodes, validDemoAnswer);
    expect(missing.ok ? "stored" : missing.reason).toBe("code_required");
    const unknown = await resident(withCodes, [["participation_code", "NOTAC-ODE22"], ...validDemoAnswer]);
    expect(unknown.ok ? "stored" : [unknown.reason, unknown.state.errors]).toEqual(["code_invalid", {}]);
  });

  it("in code mode, with a mistake in the answers, say what is wrong with the code at the same time, and spend no code", async () => {
    const withCodes = await with_({ mode: "code" });
    const [good, used] = await createParticipationCodes(database.db, withCodes.id, 2);
    expect((await resident(withCodes, [["participation_code", used], ...validDemoAnswer])).ok).toBe(true);
    const mistaken = validDemoAnswer.filter(([k]) => k !== "q.measures");
    const said = async (code: string | null) => {
      const result = await resident(withCodes, code === null ? mistaken : [["participation_code", code], ...mistaken]);
      return result.ok ? "stored" : [result.reason, result.code ?? null, Object.keys(result.state.errors)];
    };
    expect(await said(null)).toEqual(["invalid_answers", "code_required", ["measures"]]);
    expect(await said("NOTAC-ODE22")).toEqual(["invalid_answers", "code_invalid", ["measures"]]);
    expect(await said(used)).toEqual(["invalid_answers", "code_used", ["measures"]]);
    expect(await said(good)).toEqual(["invalid_answers", null, ["measures"]]);
    // The good code was only read: corrected, the answer is stored with it.
    expect((await resident(withCodes, [["participation_code", good], ...validDemoAnswer])).ok).toBe(true);
  });

  it("in code mode, read a code for a broken form only within the client's limit, and never once closed", async () => {
    const withCodes = await with_({ mode: "code" });
    const mistaken = [["participation_code", "NOTAC-ODE22"], ...validDemoAnswer.filter(([k]) => k !== "q.measures")] as [string, string][];
    const guess = (c: ConsultationView) =>
      acceptAnswer(database.db, {
        consultation: c,
        lang: "en",
        form: form([["submission_id", crypto.randomUUID()], ...mistaken]),
        channel: "web",
        clientAddress: "198.51.100.77",
        limit: { limit: 2, windowSeconds: 3600 },
      });
    const codes = [];
    for (let i = 0; i < 4; i++) {
      const r = await guess(withCodes);
      codes.push(r.ok ? "stored" : (r.code ?? null));
    }
    // Two readings, then the answers' mistakes alone: codes cannot be tried faster than answers sent.
    expect(codes).toEqual(["code_invalid", "code_invalid", null, null]);
    const closed = await with_({ mode: "code", status: "closed", closesAt: new Date(Date.now() - 3_600_000) });
    const late = await resident(closed, mistaken);
    expect(late.ok ? "stored" : [late.reason, late.code ?? null]).toEqual(["invalid_answers", null]);
  });
});
