import { like } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rateLimits } from "#db/schema";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { createStaff } from "./accounts.server";
import { SIGN_IN_LIMITS, signIn, type SignInResult } from "./signin.server";

let database: TestDatabase;
const PASSWORD = "the owner's long password";
const WRONG = "a guess that is wrong";
let n = 0;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.dispose());
beforeEach(async () => {
  await database.db.delete(rateLimits).where(like(rateLimits.key, "signin:%"));
});

async function account(): Promise<string> {
  const email = `owner-${n++}@example.org`;
  const made = await createStaff(database.db, { email, password: PASSWORD, role: "official" });
  if (!made.ok) throw new Error("fixture");
  return email;
}

const attempt = (email: string, password: string, clientAddress: string, now = new Date()) => signIn(database.db, { email, password, clientAddress }, now);
const reasonOf = (r: SignInResult) => (r.ok ? "ok" : r.reason);

describe("signing in", () => {
  it("lets the right password in and refuses a wrong one without saying which part was wrong", async () => {
    const email = await account();
    expect(reasonOf(await attempt(email.toUpperCase(), PASSWORD, "198.51.100.1"))).toBe("ok");
    expect(reasonOf(await attempt(email, WRONG, "198.51.100.1"))).toBe("invalid");
    expect(reasonOf(await attempt("nobody@example.org", PASSWORD, "198.51.100.1"))).toBe("invalid");
  });

  it("stops a client guessing one account after five failures, while the owner elsewhere still signs in", async () => {
    const email = await account();
    const attacker = "203.0.113.7";
    const results = [];
    for (let i = 0; i < 7; i++) results.push(reasonOf(await attempt(email, WRONG, attacker)));
    expect(results).toEqual(["invalid", "invalid", "invalid", "invalid", "invalid", "limited", "limited"]);
    // The guessing client is refused even with the right password…
    const refused = await attempt(email, PASSWORD, attacker);
    expect(refused).toMatchObject({ ok: false, reason: "limited" });
    if (!refused.ok && refused.reason === "limited") expect(refused.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    // …the owner, from their own address, is not.
    expect(reasonOf(await attempt(email, PASSWORD, "198.51.100.20"))).toBe("ok");
  });

  it("lets the guessing client try again once its window has passed", async () => {
    const email = await account();
    const t0 = new Date();
    for (let i = 0; i < SIGN_IN_LIMITS.pair.limit; i++) await attempt(email, WRONG, "203.0.113.8", t0);
    expect(reasonOf(await attempt(email, PASSWORD, "203.0.113.8", t0))).toBe("limited");
    expect(reasonOf(await attempt(email, PASSWORD, "203.0.113.8", new Date(t0.getTime() + 16 * 60_000)))).toBe("ok");
  });

  it("keeps the owner in while many addresses hammer the account past its cap", async () => {
    const email = await account();
    const cap = SIGN_IN_LIMITS.account.limit;
    for (let i = 0; i < cap + 5; i++) expect(reasonOf(await attempt(email, WRONG, `10.1.${i >> 8}.${i & 255}`))).toBe("invalid");
    // Past the cap, an address that has been failing here is refused at once…
    for (let i = 0; i < SIGN_IN_LIMITS.triesWhileAttacked - 1; i++) expect(reasonOf(await attempt(email, WRONG, "10.1.0.0"))).toBe("invalid");
    expect(reasonOf(await attempt(email, PASSWORD, "10.1.0.0"))).toBe("limited");
    // …a fresh address gets its couple of tries and no more…
    for (let i = 0; i < SIGN_IN_LIMITS.triesWhileAttacked; i++) expect(reasonOf(await attempt(email, WRONG, "10.9.9.9"))).toBe("invalid");
    expect(reasonOf(await attempt(email, WRONG, "10.9.9.9"))).toBe("limited");
    // …and the owner, who has not been guessing, signs in — even after one typo.
    expect(reasonOf(await attempt(email, "a typo in the password", "198.51.100.30"))).toBe("invalid");
    expect(reasonOf(await attempt(email, PASSWORD, "198.51.100.30"))).toBe("ok");
  });

  it("caps one client's failures over every account", async () => {
    const emails = [];
    for (let i = 0; i < SIGN_IN_LIMITS.client.limit + 1; i++) emails.push(`sprayed-${i}@example.org`);
    const sprayer = "203.0.113.99";
    for (const email of emails.slice(0, SIGN_IN_LIMITS.client.limit)) expect(reasonOf(await attempt(email, WRONG, sprayer))).toBe("invalid");
    const owner = await account();
    expect(reasonOf(await attempt(owner, PASSWORD, sprayer))).toBe("limited");
    expect(reasonOf(await attempt(owner, PASSWORD, "198.51.100.40"))).toBe("ok");
  });

  it("does not count a right password as a failure", async () => {
    const email = await account();
    const client = "198.51.100.50";
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < SIGN_IN_LIMITS.pair.limit - 1; i++) expect(reasonOf(await attempt(email, WRONG, client))).toBe("invalid");
      expect(reasonOf(await attempt(email, PASSWORD, client))).toBe("ok");
    }
    const counts = await database.db.select({ key: rateLimits.key, count: rateLimits.count }).from(rateLimits).where(like(rateLimits.key, "signin:%"));
    // 12 failures from this client and on this account; the 3 successes took their attempts back.
    expect(counts.filter((c) => c.key.startsWith("signin:client:")).map((c) => c.count)).toEqual([12]);
    expect(counts.filter((c) => c.key.startsWith("signin:account:")).map((c) => c.count)).toEqual([12]);
    expect(counts.filter((c) => c.key.startsWith("signin:pair:"))).toEqual([]);
  });

  it("stores no email address or client address in its counters", async () => {
    const email = await account();
    await attempt(email, WRONG, "192.0.2.77");
    const keys = (await database.db.select({ key: rateLimits.key }).from(rateLimits)).map((r) => r.key).join(" ");
    expect(keys).not.toContain("192.0.2.77");
    expect(keys).not.toContain(email.split("@")[0]);
  });
});
