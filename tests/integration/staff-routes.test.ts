/**
 * Staff routes run as Remix runs them (loader/action with a Request), against a database
 * of their own: sign-in and its `next`, the staff accounts form, and which downloads
 * reach the audit log.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, themes, users } from "#db/schema";
import { startSession } from "~/auth/session.server";
import { setDatabaseForTests } from "~/platform/db.server";
import { submitResponse } from "~/domain/responses/submit.server";
import { parseAnswers } from "~/domain/responses/validate.server";
import { createStaff } from "~/domain/staff/accounts.server";
import { listQueue } from "~/domain/themes/queue.server";
import * as exportCsv from "~/routes/staff/consultations/export-csv";
import * as exportJson from "~/routes/staff/consultations/export-json";
import * as summaryCsv from "~/routes/staff/consultations/summary-csv";
import { loadEnv } from "~/platform/env.server";
import * as login from "~/routes/staff/account/login";
import * as themesRoute from "~/routes/staff/consultations/themes";
import * as usersRoute from "~/routes/staff/admin/users";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { form, makeConsultation, validDemoAnswer } from "../helpers/fixtures";
import { HOSTILE_NEXT } from "../helpers/hostile-next";

/** Requests come from the configured public origin, as the HTTP server builds them. */
const SITE = loadEnv().QUORUM_ORIGIN;
const PASSWORD = "an administrator's long password";
let database: TestDatabase;
let adminId: string;
let cookie: string;

beforeAll(async () => {
  database = await createTestDatabase();
  setDatabaseForTests(database);
  const admin = await createStaff(database.db, { email: "admin@example.org", password: PASSWORD, role: "admin" });
  if (!admin.ok) throw new Error("fixture");
  adminId = admin.user.id;
  cookie = /^(quorum_session=[^;]*)/.exec(await startSession(adminId, database.db))![1];
});
afterAll(() => database.dispose());

/** Runs a loader or action; a thrown Response (redirect, 403) is the answer too. */
async function run(fn: (args: never) => unknown, request: Request, params: Record<string, string>): Promise<Response> {
  try {
    return (await fn({ request, params, context: { clientAddress: "192.0.2.1" } } as never)) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const get = (path: string, { method = "GET", signedIn = true } = {}) => new Request(`${SITE}${path}`, { method, headers: signedIn ? { Cookie: cookie } : {} });
const post = (path: string, form: Record<string, string>, { signedIn = true } = {}) =>
  new Request(`${SITE}${path}`, {
    method: "POST",
    body: new URLSearchParams(form),
    headers: { Origin: SITE, ...(signedIn ? { Cookie: cookie } : {}) },
  });

describe("downloads and the audit log", () => {
  const downloads = [
    ["export.csv", exportCsv.loader, "export.csv"],
    ["export.json", exportJson.loader, "export.json"],
    ["summary.csv", summaryCsv.loader, "export.summary"],
  ] as const;

  const auditedFor = async (slug: string) =>
    (await database.db.select({ action: auditLog.action, actorId: auditLog.actorId }).from(auditLog).where(eq(auditLog.targetId, slug))).map((r) => r.action);

  it.each(downloads)("HEAD %s answers without writing an audit entry", async (file, loader) => {
    const c = await makeConsultation(database.db);
    const res = await run(loader, get(`/en/staff/consultations/${c.slug}/${file}`, { method: "HEAD" }), { lang: "en", slug: c.slug });
    expect(res.status).toBe(200);
    await res.body?.cancel();
    expect(await auditedFor(c.slug)).toEqual([]);
  });

  it.each(downloads)("GET %s is audited once, under the staff member's name", async (file, loader, action) => {
    const c = await makeConsultation(database.db);
    const res = await run(loader, get(`/en/staff/consultations/${c.slug}/${file}`), { lang: "en", slug: c.slug });
    expect(res.status).toBe(200);
    expect((await res.text()).length).toBeGreaterThan(0);
    const rows = await database.db.select().from(auditLog).where(eq(auditLog.targetId, c.slug));
    expect(rows.map((r) => [r.action, r.actorId, r.targetType])).toEqual([[action, adminId, "consultation"]]);
  });

  it("a download refused for want of a session writes nothing", async () => {
    const c = await makeConsultation(database.db);
    const res = await run(summaryCsv.loader, get(`/en/staff/consultations/${c.slug}/summary.csv`, { signedIn: false }), { lang: "en", slug: c.slug });
    expect(res.status).toBe(302);
    expect(await auditedFor(c.slug)).toEqual([]);
  });
});

describe("sign-in and where it leads", () => {
  it.each(HOSTILE_NEXT.map((n) => [JSON.stringify(n).slice(0, 60), n]))("a signed-in GET with next=%s stays in the staff area", async (_, next) => {
    const res = await run(login.loader, get(`/en/staff/login?next=${encodeURIComponent(next)}`), { lang: "en" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/en/staff");
  });

  it("a signed-in GET with a next inside the staff area goes there", async () => {
    const res = await run(login.loader, get(`/en/staff/login?next=${encodeURIComponent("/en/staff/users?x=1")}`), { lang: "en" });
    expect(res.headers.get("Location")).toBe("/en/staff/users?x=1");
  });

  it("a successful sign-in with the review's next lands on the staff home, with a session cookie", async () => {
    const form = { email: "ADMIN@example.org", password: PASSWORD, next: "/en/staff/../../%5Cevil.example/phish" };
    const res = await run(login.action, post("/en/staff/login", form, { signedIn: false }), { lang: "en" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/en/staff#main");
    expect(res.headers.get("Set-Cookie")).toMatch(/^quorum_session=\w+/);
  });

  it("a refused sign-in gives the email back, never the password, and keeps next", async () => {
    const form = { email: "admin@example.org", password: "not the right password", next: "/en/staff/users" };
    const res = await run(login.action, post("/en/staff/login", form, { signedIn: false }), { lang: "en" });
    expect(res.status).toBe(400);
    const { result } = (await res.json()) as { result: { initialValue: Record<string, string>; error: Record<string, { key: string }[]> } };
    expect(result.initialValue).toEqual({ email: "admin@example.org", next: "/en/staff/users" });
    expect(result.error[""]).toEqual([{ key: "signInFailed" }]);
    expect(JSON.stringify(result)).not.toContain("not the right password");
  });

  it("an email that is not one is a field message, and nothing is counted", async () => {
    const res = await run(login.action, post("/en/staff/login", { email: "javascript:alert(1)", password: "x" }, { signedIn: false }), { lang: "en" });
    expect(res.status).toBe(400);
    const { result } = (await res.json()) as { result: { error: Record<string, { key: string }[]> } };
    expect(result.error.email).toEqual([{ key: "emailFormat" }]);
  });
});

describe("the staff accounts form", () => {
  const answer = async (form: Record<string, string>) => {
    const res = await run(usersRoute.action, post("/en/staff/users", form), { lang: "en" });
    return {
      status: res.status,
      body:
        res.status === 302
          ? null
          : ((await res.json()) as {
              intent: string | null;
              result: { error: Record<string, { key: string }[]>; initialValue: Record<string, string> | null };
            }),
    };
  };

  it.each([
    ["none", "none"],
    ["empty", ""],
    ["upper case", "INVITE"],
    ["__proto__", "__proto__"],
    ["constructor", "constructor"],
    ["ten thousand characters", "x".repeat(10_000)],
  ])("refuses an unknown intent (%s) with 400 and a message", async (_, intent) => {
    const { status, body } = await answer({ intent, userId: "x" });
    expect(status).toBe(400);
    expect(body!.result.error.intent).toEqual([{ key: "unknownAction" }]);
  });

  it("refuses a missing intent with 400", async () => {
    const { status, body } = await answer({ email: "a@example.org" });
    expect(status).toBe(400);
    expect(body!.result.error.intent).toEqual([{ key: "unknownAction" }]);
  });

  it("gives back what was typed in a refused invitation", async () => {
    const { status, body } = await answer({ intent: "invite", email: "not an email", role: "moderator" });
    expect(status).toBe(400);
    expect(body!.intent).toBe("invite");
    expect(body!.result.error.email).toEqual([{ key: "emailFormat" }]);
    expect(body!.result.initialValue).toMatchObject({ email: "not an email", role: "moderator" });
  });

  it("changes a role, refuses an unknown account with 409, and never demotes the last administrator", async () => {
    const other = await createStaff(database.db, { email: "someone@example.org", password: PASSWORD, role: "official" });
    if (!other.ok) throw new Error("fixture");
    expect((await answer({ intent: "role", userId: other.user.id, role: "moderator" })).status).toBe(302);
    expect((await database.db.select({ role: users.role }).from(users).where(eq(users.id, other.user.id)))[0].role).toBe("moderator");
    const unknown = await answer({ intent: "role", userId: "no-such-account", role: "admin" });
    expect([unknown.status, unknown.body!.result.error[""]]).toEqual([409, [{ key: "notFound" }]]);
    const last = await answer({ intent: "deactivate", userId: adminId });
    expect([last.status, last.body!.result.error[""]]).toEqual([409, [{ key: "lastAdmin" }]]);
    const badRole = await answer({ intent: "role", userId: other.user.id, role: "root" });
    expect([badRole.status, badRole.body!.result.error.role]).toEqual([400, [{ key: "invalid" }]]);
  });
});

describe("the themes page", () => {
  const cookieOf = async (role: "moderator" | "official" | "admin") => {
    const made = await createStaff(database.db, { email: `${role}-themes-${Date.now()}@example.org`, password: PASSWORD, role });
    if (!made.ok) throw new Error("fixture");
    return /^(quorum_session=[^;]*)/.exec(await startSession(made.user.id, database.db))![1];
  };
  const as = (request: Request, who: string | null) => {
    const headers = new Headers(request.headers);
    headers.delete("Cookie");
    if (who) headers.set("Cookie", who);
    return new Request(request, { headers });
  };

  it.each(["moderator", "official", "admin"] as const)("a %s opens the page and creates a theme, audited", async (role) => {
    const c = await makeConsultation(database.db);
    const who = await cookieOf(role);
    const path = `/en/staff/consultations/${c.slug}/themes`;
    expect((await run(themesRoute.loader, as(get(path), who), { lang: "en", slug: c.slug })).status).toBe(200);
    const form = { intent: "create", "fr.label": "Capteurs", "en.label": "Sensors", "fr.keywords": "capteur, caméra", "en.keywords": "sensor" };
    const res = await run(themesRoute.action, as(post(path, form), who), { lang: "en", slug: c.slug });
    expect(res.status).toBe(302);
    const [saved] = await database.db.select().from(themes).where(eq(themes.consultationId, c.id));
    // Back to the theme created, which the page confirms beside.
    expect(res.headers.get("Location")).toBe(`${path}?at=theme-${saved.id}&done=themes-create#theme-${saved.id}`);
    expect(saved).toMatchObject({ code: "t1", labels: { fr: "Capteurs", en: "Sensors" }, keywords: { fr: ["capteur", "caméra"], en: ["sensor"] } });
    const [entry] = await database.db.select().from(auditLog).where(eq(auditLog.targetId, saved.id));
    expect(entry.action).toBe("themes.create");
  });

  it("signed out, the page and its form lead to the sign-in, and nothing is written", async () => {
    const c = await makeConsultation(database.db);
    const path = `/en/staff/consultations/${c.slug}/themes`;
    expect((await run(themesRoute.loader, get(path, { signedIn: false }), { lang: "en", slug: c.slug })).status).toBe(302);
    const res = await run(themesRoute.action, post(path, { intent: "create", "fr.label": "A", "en.label": "A" }, { signedIn: false }), {
      lang: "en",
      slug: c.slug,
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toContain("/en/staff/login");
    expect(await database.db.select().from(themes).where(eq(themes.consultationId, c.id))).toEqual([]);
  });

  it("a theme without a name comes back with a message and what was typed; a name in use is refused", async () => {
    const c = await makeConsultation(database.db);
    const path = `/en/staff/consultations/${c.slug}/themes`;
    const bad = await run(themesRoute.action, post(path, { intent: "create", "fr.label": "  ", "en.label": "Noise", "en.keywords": "noise, loud" }), {
      lang: "en",
      slug: c.slug,
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { result: { error: Record<string, { key: string }[]>; initialValue: Record<string, unknown> } };
    expect(body.result.error["fr.label"]).toEqual([{ key: "required" }]);
    expect(body.result.initialValue).toMatchObject({ en: { label: "Noise", keywords: "noise, loud" } });
    const form = { intent: "create", "fr.label": "Bruit", "en.label": "Noise" };
    expect((await run(themesRoute.action, post(path, form), { lang: "en", slug: c.slug })).status).toBe(302);
    const again = await run(themesRoute.action, post(path, { ...form, "fr.label": "Vacarme" }), { lang: "en", slug: c.slug });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { result: { error: Record<string, { key: string }[]> } }).result.error["fr.label"]).toEqual([{ key: "duplicateLabel" }]);
  });

  it("tags several selected answers at once and accepts a suggestion group, each audited", async () => {
    const c = await makeConsultation(database.db);
    const path = `/en/staff/consultations/${c.slug}/themes`;
    const texts = ["Trop de capteurs ici", "trop de capteurs ici !", "Des bancs, merci"];
    for (const text of texts) {
      const parsed = parseAnswers(c.questions, form([...validDemoAnswer.filter(([k]) => k !== "q.comments"), ["q.comments", text]]));
      if (!parsed.ok) throw new Error("fixture");
      await submitResponse(database.db, { consultation: c, submissionId: crypto.randomUUID(), locale: "fr", channel: "web", answers: parsed.answers });
    }
    const create = { intent: "create", "fr.label": "Capteurs", "en.label": "Sensors", "fr.keywords": "capteur" };
    expect((await run(themesRoute.action, post(path, create), { lang: "en", slug: c.slug })).status).toBe(302);
    const [theme] = await database.db.select().from(themes).where(eq(themes.consultationId, c.id));
    const { items } = await listQueue(database.db, c.id, { questionCode: "comments" });
    const id = (text: string) => String(items.find((i) => i.text === text)!.answerId);
    // The suggestion: the two near-duplicates are one group, accepted with one decision.
    const page = (await (await run(themesRoute.loader, get(path), { lang: "en", slug: c.slug })).json()) as {
      suggestions: { groups: { id: string; count: number }[] };
    };
    expect(page.suggestions.groups.map((g) => g.count)).toEqual([2]);
    const accept = new URLSearchParams([
      ["intent", "accept"],
      ["pick", page.suggestions.groups[0].id],
    ]);
    const accepted = await run(themesRoute.action, new Request(`${SITE}${path}`, { method: "POST", body: accept, headers: { Origin: SITE, Cookie: cookie } }), {
      lang: "en",
      slug: c.slug,
    });
    expect(accepted.status).toBe(302);
    expect((await listQueue(database.db, c.id, { theme: theme.id })).total).toBe(2);
    // Bulk: two answers selected at once (one already tagged stays as it was).
    const bulk = new URLSearchParams([
      ["intent", "tag"],
      ["themeId", theme.id],
      ["answerId", id("Des bancs, merci")],
      ["answerId", id("Trop de capteurs ici")],
    ]);
    const tagged = await run(themesRoute.action, new Request(`${SITE}${path}`, { method: "POST", body: bulk, headers: { Origin: SITE, Cookie: cookie } }), {
      lang: "en",
      slug: c.slug,
    });
    expect(tagged.status).toBe(302);
    // Back to the texts tagged, the first of them where the page lands.
    expect(tagged.headers.get("Location")).toBe(
      `${path}?at=answer-${id("Des bancs, merci")}.answer-${id("Trop de capteurs ici")}&done=themes-tag#answer-${id("Des bancs, merci")}`,
    );
    expect((await listQueue(database.db, c.id, { theme: theme.id })).total).toBe(3);
    const actions = (await database.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetId, theme.id))).map((r) => r.action);
    expect(actions.sort()).toEqual(["themes.create", "themes.tag", "themes.tag"]);
  });

  it.each([
    ["an unknown intent", { intent: "drop" }, 400],
    ["tagging without answers", { intent: "tag", themeId: "00000000-0000-4000-8000-000000000000" }, 400],
    ["a theme id that is not one", { intent: "retire", themeId: "../../x" }, 400],
    ["a theme of nowhere", { intent: "retire", themeId: "00000000-0000-4000-8000-000000000000" }, 409],
    ["a suggestion no longer there", { intent: "accept", pick: "0123456789abcdef0123" }, 409],
  ])("%s is refused with a message, never a 500", async (_, form, status) => {
    const c = await makeConsultation(database.db);
    const res = await run(themesRoute.action, post(`/en/staff/consultations/${c.slug}/themes`, form as Record<string, string>), { lang: "en", slug: c.slug });
    expect(res.status).toBe(status);
  });
});
