/**
 * The letters and paper routes as Remix runs them: a batch form sent twice makes one batch and
 * both answers lead to the same letters (POST → 303 → GET); showing letters is audited, a HEAD
 * is not; the short address leads to the consultation; the paper page refuses after the grace period,
 * and a household's code used or unknown.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, codeBatches, participationCodes } from "#db/schema";
import { startSession } from "~/auth/session.server";
import { setDatabaseForTests } from "~/platform/db.server";
import { shortCodeFor } from "~/domain/consultations/short.server";
import { hashParticipationCode } from "~/domain/participation/codes.server";
import { createStaff } from "~/domain/staff/accounts.server";
import { loadEnv } from "~/platform/env.server";
import * as shortRoute from "~/routes/resident/short-address";
import * as codesRoute from "~/routes/staff/consultations/codes";
import * as lettersRoute from "~/routes/staff/consultations/codes-batch";
import * as paperRoute from "~/routes/staff/consultations/paper";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeConsultation, validDemoAnswer } from "../helpers/fixtures";

process.env.QUORUM_CODE_SECRET ??= "an integration test secret, long enough to be one";
const SITE = loadEnv().QUORUM_ORIGIN;
let database: TestDatabase;
let cookie: string;

beforeAll(async () => {
  database = await createTestDatabase();
  setDatabaseForTests(database);
  const official = await createStaff(database.db, { email: "letters-official@example.org", password: "a long enough password", role: "official" });
  if (!official.ok) throw new Error("fixture");
  cookie = /^(quorum_session=[^;]*)/.exec(await startSession(official.user.id, database.db))![1];
});
afterAll(() => database.dispose());

async function run(fn: (args: never) => unknown, request: Request, params: Record<string, string>): Promise<Response> {
  try {
    return (await fn({ request, params, context: { clientAddress: "192.0.2.1" } } as never)) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
const get = (path: string, method = "GET") => new Request(`${SITE}${path}`, { method, headers: { Cookie: cookie } });
const post = (path: string, form: Record<string, string> | [string, string][]) =>
  new Request(`${SITE}${path}`, { method: "POST", body: new URLSearchParams(form), headers: { Origin: SITE, Cookie: cookie } });
/** A complete paper form received yesterday (a day that has begun wherever the municipality is), with a household's code. */
const paperAnswer = (code: string): [string, string][] => [
  ["submission_id", crypto.randomUUID()],
  ["received_on", new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)],
  ["participation_code", code],
  ...validDemoAnswer,
];

describe("letters", () => {
  it("a batch form sent twice makes one batch; both answers redirect (303) to the same letters", async () => {
    const c = await makeConsultation(database.db, { status: "open", mode: "code" });
    const params = { lang: "en", slug: c.slug };
    const form = { label: "rang Saint-Joseph", count: "4", request_id: crypto.randomUUID() };
    const first = await run(codesRoute.action, post(`/en/staff/consultations/${c.slug}/codes`, form), params);
    const again = await run(codesRoute.action, post(`/en/staff/consultations/${c.slug}/codes`, form), params);
    expect([first.status, again.status]).toEqual([303, 303]);
    const [batch] = await database.db.select().from(codeBatches).where(eq(codeBatches.consultationId, c.id));
    expect(first.headers.get("Location")).toBe(`/en/staff/consultations/${c.slug}/codes/${batch.id}?made=1#done`);
    expect(again.headers.get("Location")).toBe(`/en/staff/consultations/${c.slug}/codes/${batch.id}#main`);
    expect(await database.db.select().from(codeBatches).where(eq(codeBatches.consultationId, c.id))).toHaveLength(1);

    const letters = async (method: string) =>
      run(lettersRoute.loader, get(`/en/staff/consultations/${c.slug}/codes/${batch.id}`, method), { ...params, batch: batch.id });
    const shown = await letters("GET");
    expect(shown.status).toBe(200);
    const data = (await shown.json()) as { codes: { code: string }[]; printed: { sides: { fr: { shortUrl: string; qrSvg: string } } } };
    expect(data.codes).toHaveLength(4);
    expect(data.printed.sides.fr.shortUrl).toBe(`${SITE}/fr/c/${shortCodeFor(c.id)}`);
    expect(data.printed.sides.fr.qrSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    await letters("HEAD");
    const printedAudits = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, c.slug), eq(auditLog.action, "codes.print")));
    expect(printedAudits.map((a) => a.details)).toEqual([{ batch: batch.id, count: 4 }]);
  });

  it("a batch form with mistakes comes back with a message per field and makes nothing", async () => {
    const c = await makeConsultation(database.db, { status: "open", mode: "code" });
    const res = await run(codesRoute.action, post(`/en/staff/consultations/${c.slug}/codes`, { label: "", count: "0", request_id: crypto.randomUUID() }), {
      lang: "en",
      slug: c.slug,
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { result: { error: Record<string, { key: string }[]> } };
    expect(Object.keys(body.result.error).sort()).toEqual(["count", "label"]);
    expect(await database.db.select().from(codeBatches).where(eq(codeBatches.consultationId, c.id))).toHaveLength(0);
  });

  it("the short address leads to the consultation in the language asked; a draft or an unknown code is not found", async () => {
    const open = await makeConsultation(database.db, { status: "open" });
    const draft = await makeConsultation(database.db, { status: "draft" });
    const res = await run(shortRoute.loader, new Request(`${SITE}/fr/c/x`), { lang: "fr", short: shortCodeFor(open.id).toLowerCase() });
    expect([res.status, res.headers.get("Location")]).toEqual([302, `/fr/consultations/${open.slug}`]);
    expect((await run(shortRoute.loader, new Request(`${SITE}/en/c/x`), { lang: "en", short: shortCodeFor(draft.id) })).status).toBe(404);
    expect((await run(shortRoute.loader, new Request(`${SITE}/en/c/x`), { lang: "en", short: "222222" })).status).toBe(404);
  });
});

describe("paper entry", () => {
  it("after the grace period is refused with 409 and a message; the grace period is set by a form (303)", async () => {
    const c = await makeConsultation(database.db, { status: "closed", closesAt: new Date(Date.now() - 20 * 86_400_000) });
    const params = { lang: "en", slug: c.slug };
    const path = `/en/staff/consultations/${c.slug}/paper`;
    const late = await run(paperRoute.action, post(path, { submission_id: crypto.randomUUID(), received_on: "2020-01-01" }), params);
    expect(late.status).toBe(409);
    expect(((await late.json()) as { state: { formError: string } }).state.formError).toBe("staffErrors.paperGraceOver");
    const wrong = await run(paperRoute.action, post(path, { intent: "grace", days: "-3" }), params);
    expect(wrong.status).toBe(400);
    const set = await run(paperRoute.action, post(path, { intent: "grace", days: "30" }), params);
    expect([set.status, set.headers.get("Location")]).toEqual([303, `${path}?as=en&done=grace#done`]);
  });

  it("with a household's code already used is refused with 409, an unknown code with 400, each said at the code", async () => {
    const c = await makeConsultation(database.db, { status: "open", mode: "code" });
    await database.db.insert(participationCodes).values({ consultationId: c.id, codeHash: hashParticipationCode("PAPER-ROUTE") });
    const path = `/en/staff/consultations/${c.slug}/paper`;
    const enter = async (code: string) => {
      const res = await run(paperRoute.action, post(path, paperAnswer(code)), { lang: "en", slug: c.slug });
      const body = (await res.json()) as { receipt: string | null; state: { formError: string | null; errors: Record<string, { key: string }> } | null };
      return [res.status, body.state?.formError ?? null, body.state?.errors.participation_code?.key ?? null, body.receipt !== null];
    };
    expect(await enter("PAPER-ROUTE")).toEqual([200, null, null, true]);
    expect(await enter("PAPER-ROUTE")).toEqual([409, null, "paperCodeUsed", false]);
    expect(await enter("NOTAC-ODE22")).toEqual([400, null, "paperCodeInvalid", false]);
  });
});
