/**
 * The resident consultation route's answer to each refusal of `acceptAnswer`: the domain names
 * the refusal, the route gives it its status, its message (a key under `errors.`) above the form
 * or at the participation code, and when to try again. Verdicts reach the route as the server's
 * answer handler hands them over (`answered` in the load context), then a few through the domain.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabaseForTests } from "~/platform/db.server";
import type { ConsultationView } from "~/domain/consultations/types";
import { hashParticipationCode } from "~/domain/participation/codes.server";
import type { AcceptAnswerResult, AcceptRefusal } from "~/domain/responses/accept.server";
import { participationCodes } from "#db/schema";
import { loadEnv } from "~/platform/env.server";
import * as consultationRoute from "~/routes/resident/consultation";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeConsultation, validDemoAnswer } from "../helpers/fixtures";

const SITE = loadEnv().QUORUM_ORIGIN;
let database: TestDatabase;
let open: ConsultationView;

beforeAll(async () => {
  database = await createTestDatabase();
  setDatabaseForTests(database);
  open = await makeConsultation(database.db, { status: "open" });
});
afterAll(() => database.dispose());

interface Page {
  status: number;
  retryAfter: string | null;
  formError: string | null;
  errors: Record<string, { key: string }>;
  submissionId: string;
  /** Why, in one word, for a device that sent the answer offline (app/domain/responses/delivery.ts). */
  refusal: string | null;
}

async function answer(c: ConsultationView, pairs: [string, string][], answered?: AcceptAnswerResult): Promise<Page> {
  const request = new Request(`${SITE}/en/consultations/${c.slug}`, { method: "POST", body: new URLSearchParams(pairs), headers: { Origin: SITE } });
  const res = (await consultationRoute.action({
    request,
    params: { lang: "en", slug: c.slug },
    context: { clientAddress: "192.0.2.7", answered },
  } as never)) as Response;
  const body = res.status === 303 ? null : ((await res.json()) as Omit<Page, "status" | "retryAfter">);
  return {
    status: res.status,
    retryAfter: res.headers.get("Retry-After"),
    formError: body?.formError ?? null,
    errors: body?.errors ?? {},
    submissionId: body?.submissionId ?? "",
    refusal: res.headers.get("X-Quorum-Refusal"),
  };
}

const refused = (reason: AcceptRefusal, more: Partial<Extract<AcceptAnswerResult, { ok: false }>> = {}): AcceptAnswerResult => ({
  ok: false,
  reason,
  state: { values: {}, errors: {}, submissionId: "0d4b9c3e-6a0f-4d8e-9a55-0b3f4f1c2a10" },
  ...more,
});

describe("an answer refused", () => {
  it.each<[AcceptRefusal, number, string | null, string | null]>([
    ["form_expired", 400, "formExpired", null],
    ["invalid_answers", 400, null, null],
    ["closed", 409, "closed", null],
    ["not_open", 409, "notOpen", null],
    ["not_yet_open", 409, "notYetOpen", null],
    ["grace_over", 409, "closed", null],
    ["code_required", 400, null, "codeRequired"],
    ["code_invalid", 400, null, "codeInvalid"],
    ["code_used", 409, null, "codeUsed"],
    ["receipt_collision", 409, "receiptCollision", null],
    ["id_reused", 409, "idReused", null],
  ])("as %s answers %i with its message", async (reason, status, formError, codeError) => {
    const page = await answer(open, [], refused(reason));
    expect([page.status, page.formError, page.errors.participation_code?.key ?? null, page.retryAfter]).toEqual([status, formError, codeError, null]);
    expect(page.submissionId).toBe("0d4b9c3e-6a0f-4d8e-9a55-0b3f4f1c2a10");
  });

  it("with mistakes on a consultation that no longer takes answers says both", async () => {
    const mistake = { measures: { key: "required" } };
    const page = await answer(
      open,
      [],
      refused("invalid_answers", { window: "closed", state: { values: {}, errors: mistake, submissionId: crypto.randomUUID() } }),
    );
    expect([page.status, page.formError, page.errors]).toEqual([400, "closed", mistake]);
  });

  it("as too many, or while the database is away, says when to try again", async () => {
    const limited = await answer(open, [], refused("rate_limited", { retryAfterSeconds: 412 }));
    expect([limited.status, limited.formError, limited.retryAfter]).toEqual([429, "tooMany", "412"]);
    const away = await answer(open, [], refused("unavailable"));
    expect([away.status, away.formError, away.retryAfter]).toEqual([503, "unavailable", "30"]);
  });

  it("through the domain: a form without its id, a used code", async () => {
    const expired = await answer(open, validDemoAnswer);
    expect([expired.status, expired.formError]).toEqual([400, "formExpired"]);

    const withCodes = await makeConsultation(database.db, { status: "open", mode: "code" });
    await database.db.insert(participationCodes).values({ consultationId: withCodes.id, codeHash: hashParticipationCode("ROUTE-CODE1") });
    const first = await answer(withCodes, [["submission_id", crypto.randomUUID()], ["participation_code", "ROUTE-CODE1"], ...validDemoAnswer]);
    expect(first.status).toBe(303);
    const again = await answer(withCodes, [["submission_id", crypto.randomUUID()], ["participation_code", "ROUTE-CODE1"], ...validDemoAnswer]);
    expect([again.status, again.formError, again.errors.participation_code?.key, again.refusal]).toEqual([409, null, "codeUsed", "code"]);
    expect(expired.refusal).toBe("answers");
    expect((await answer(open, [], refused("closed"))).refusal).toBe("closed");
  });
});
