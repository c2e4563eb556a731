import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, rateLimits, sessions } from "#db/schema";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { accountKey, bufferedKeyCount, flushBuffered, hit, hitBuffered } from "../ratelimit/ratelimit.server";
import { acceptInvitation, authenticate, createStaff, deactivate, findInvitation, invite, setRole } from "./accounts.server";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.dispose());

describe("staff accounts", () => {
  it("store argon2id hashes and sign in by email, whatever its case", async () => {
    const made = await createStaff(database.db, { email: "Maire@Example.org", password: "a long enough secret", role: "admin" });
    expect(made.ok && made.user.email).toBe("maire@example.org");
    expect(await authenticate(database.db, "MAIRE@example.org", "a long enough secret")).toMatchObject({ role: "admin" });
    expect(await authenticate(database.db, "maire@example.org", "wrong password here")).toBeNull();
    expect(await authenticate(database.db, "nobody@example.org", "a long enough secret")).toBeNull();
    expect(await createStaff(database.db, { email: "maire@example.org", password: "another long secret", role: "official" })).toEqual({
      ok: false,
      reason: "email_taken",
    });
  });

  it("invitations work once, within seven days, and the last administrator cannot be demoted or deactivated", async () => {
    const admin = await createStaff(database.db, { email: "admin2@example.org", password: "a long enough secret", role: "admin" });
    if (!admin.ok) throw new Error("fixture");
    const now = new Date();
    const invited = await invite(database.db, admin.user.id, { email: "agent@example.org", role: "official" }, now);
    if (!invited.ok) throw new Error(invited.reason);
    const { token } = invited;
    // An address that has an account already (here an administrator's) gets no invitation: it could never be used.
    expect(await invite(database.db, admin.user.id, { email: "Admin2@example.org", role: "moderator" }, now)).toEqual({
      ok: false,
      reason: "email_taken",
      account: { id: admin.user.id, role: "admin", active: true },
    });
    expect(await findInvitation(database.db, token, new Date(now.getTime() + 8 * 24 * 3600 * 1000))).toBeNull();
    const accepted = await acceptInvitation(database.db, token, "my own long password");
    expect(accepted.ok && accepted.user.role).toBe("official");
    expect(await acceptInvitation(database.db, token, "my own long password")).toEqual({ ok: false, reason: "invalid" });

    // Two admins now (maire@ and admin2@): one may be demoted, not the last.
    const all = await database.db.query.users.findMany();
    const [a1, a2] = all.filter((u) => u.role === "admin");
    expect(await setRole(database.db, a1.id, a2.id, "moderator")).toEqual({ ok: true });
    expect(await setRole(database.db, a1.id, a1.id, "official")).toEqual({ ok: false, reason: "last_admin" });
    expect(await deactivate(database.db, a1.id, a1.id)).toEqual({ ok: false, reason: "last_admin" });
    const actions = (await database.db.select().from(auditLog)).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(["staff.invite", "staff.join", "staff.role"]));
  });

  it("deactivation ends the account's sessions at once", async () => {
    const admin = (await database.db.query.users.findMany()).find((u) => u.role === "admin" && u.active)!;
    const agent = await createStaff(database.db, { email: "short-lived@example.org", password: "a long enough secret", role: "moderator" });
    if (!agent.ok) throw new Error("fixture");
    await database.db.insert(sessions).values({ id: "s1", userId: agent.user.id, expiresAt: new Date(Date.now() + 3600_000) });
    expect(await deactivate(database.db, admin.id, agent.user.id)).toEqual({ ok: true });
    expect(await database.db.select().from(sessions).where(eq(sessions.userId, agent.user.id))).toEqual([]);
    expect(await authenticate(database.db, "short-lived@example.org", "a long enough secret")).toBeNull();
  });
});

describe("rate limits", () => {
  it("count attempts per key in a window shared by every process", async () => {
    const key = accountKey("test", "someone@example.org");
    const t0 = new Date("2026-01-01T10:00:00Z");
    const limit = { limit: 3, windowSeconds: 60 };
    const results = [];
    for (let i = 0; i < 4; i++) results.push((await hit(database.db, key, limit, new Date(t0.getTime() + i * 1000))).allowed);
    expect(results).toEqual([true, true, true, false]);
    // A new window starts after 60 s.
    expect((await hit(database.db, key, limit, new Date(t0.getTime() + 61_000))).allowed).toBe(true);
    expect(key).not.toContain("someone");
  });

  it("buffered counters decide locally and add up in PostgreSQL, where other processes read them", async () => {
    const key = "test:buffered";
    const limit = { limit: 5, windowSeconds: 600 };
    const now = new Date();
    const decisions = Array.from({ length: 4 }, () => hitBuffered(database.db, key, limit, now).allowed);
    expect(decisions).toEqual([true, true, true, true]);
    await flushBuffered(now);
    // Another process adds two hits meanwhile; the next flush brings the total back.
    await hit(database.db, key, limit, now, 2);
    expect(hitBuffered(database.db, key, limit, now).allowed).toBe(true); // 4 known + 1 local
    await flushBuffered(now);
    expect(hitBuffered(database.db, key, limit, now).allowed).toBe(false); // 7 known + 1 local
    await flushBuffered(now);
    const [row] = await database.db.select().from(rateLimits).where(eq(rateLimits.key, key));
    expect(row.count).toBe(8);
  });

  it("buffered totals are forgotten once their window has ended", async () => {
    const limit = { limit: 5, windowSeconds: 60 };
    const now = new Date();
    for (let i = 0; i < 3; i++) hitBuffered(database.db, `submit:client:forget-${i}`, limit, now);
    await flushBuffered(now);
    const held = bufferedKeyCount();
    expect(held).toBeGreaterThanOrEqual(3);
    await flushBuffered(new Date(now.getTime() + 61 * 60_000));
    expect(bufferedKeyCount()).toBeLessThanOrEqual(held - 3);
  });
});
