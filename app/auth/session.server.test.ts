import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, sessions } from "#db/schema";
import { setDatabaseForTests } from "~/platform/db.server";
import { authenticate, createStaff } from "~/domain/staff/accounts.server";
import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";
import { changeOwnPassword, getStaff, startSession } from "./session.server";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  setDatabaseForTests(database);
});
afterAll(() => database.dispose());

/** The cookie a browser would send back after receiving this Set-Cookie. */
const cookieOf = (setCookie: string) => /^(quorum_session=[^;]*)/.exec(setCookie)![1];
const requestWith = (setCookie: string) => new Request("http://quorum.test/en/staff", { headers: { Cookie: cookieOf(setCookie) } });
const idOf = (setCookie: string) => cookieOf(setCookie).split("=")[1];

async function staffMember(email: string) {
  const made = await createStaff(database.db, { email, password: "the first long password", role: "official" });
  if (!made.ok) throw new Error("fixture");
  return made.user;
}

describe("changing one's password", () => {
  it("ends every other session and continues this one under a new id", async () => {
    const user = await staffMember("two-devices@example.org");
    const laptop = await startSession(user.id, database.db);
    const phone = await startSession(user.id, database.db);
    const { staff } = await getStaff(requestWith(laptop));
    expect(staff?.sessionId).toBe(idOf(laptop));

    const changed = await changeOwnPassword(database.db, staff!, "the first long password", "the second long password");
    expect(changed.ok).toBe(true);
    if (!changed.ok) return;

    // The phone is signed out; so is the laptop's old session id, wherever it was copied.
    expect((await getStaff(requestWith(phone))).staff).toBeNull();
    expect((await getStaff(requestWith(laptop))).staff).toBeNull();
    // The laptop carries on under the new cookie.
    const renewed = (await getStaff(requestWith(changed.setCookie))).staff;
    expect(renewed).toMatchObject({ id: user.id });
    expect(renewed!.sessionId).not.toBe(idOf(laptop));
    expect(renewed!.sessionId).not.toBe(idOf(phone));
    const left = await database.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, user.id));
    expect(left.map((s) => s.id)).toEqual([idOf(changed.setCookie)]);

    expect(await authenticate(database.db, user.email, "the second long password")).not.toBeNull();
    expect(await authenticate(database.db, user.email, "the first long password")).toBeNull();
    const audited = await database.db.select().from(auditLog).where(eq(auditLog.targetId, user.email));
    expect(audited.map((a) => [a.action, a.actorId])).toEqual([["staff.password", user.id]]);
  });

  it("with a wrong current password changes nothing and ends no session", async () => {
    const user = await staffMember("mistyped@example.org");
    const laptop = await startSession(user.id, database.db);
    const phone = await startSession(user.id, database.db);
    const { staff } = await getStaff(requestWith(laptop));

    expect(await changeOwnPassword(database.db, staff!, "not the password at all", "the second long password")).toEqual({
      ok: false,
      reason: "wrong_password",
    });
    expect((await getStaff(requestWith(phone))).staff).toMatchObject({ id: user.id });
    expect((await getStaff(requestWith(laptop))).staff).toMatchObject({ id: user.id, sessionId: idOf(laptop) });
    expect(await authenticate(database.db, user.email, "the first long password")).not.toBeNull();
  });

  it("leaves other accounts' sessions alone", async () => {
    const a = await staffMember("changes@example.org");
    const b = await staffMember("bystander@example.org");
    const aCookie = await startSession(a.id, database.db);
    const bCookie = await startSession(b.id, database.db);
    const { staff } = await getStaff(requestWith(aCookie));
    expect((await changeOwnPassword(database.db, staff!, "the first long password", "the second long password")).ok).toBe(true);
    expect((await getStaff(requestWith(bCookie))).staff).toMatchObject({ id: b.id });
  });
});
