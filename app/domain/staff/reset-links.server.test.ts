/**
 * "Forgot your password" tells a visitor nothing: an address with no staff account costs the same
 * statements, digests and rows as an account's, and only the outbox, when the message goes, finds
 * out which it was. Only an account that had the address when the link was asked ever receives it.
 */
import type { PGlite } from "@electric-sql/pglite";
import { and, eq } from "drizzle-orm";
import type { Sql } from "postgres";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "#db/client";
import * as schema from "#db/schema";
import { auditLog, outbox, passwordResets } from "#db/schema";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { makeOfficial } from "../../../tests/helpers/fixtures";
import { compose } from "../mail/messages";
import { deliverDue, type OutgoingMail, type Send } from "../mail/outbox.server";
import { DEMO_MUNICIPALITY, defaultMunicipality, type Municipality } from "../settings/settings.server";
import { createStaff, deactivate, findReset, reactivate, requestReset, resetPassword, type TokenMail } from "./accounts.server";

/** Every digest and random token made while a reset is asked, counted. */
const made = vi.hoisted(() => ({ createHash: 0, randomBytes: 0 }));
vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return {
    ...actual,
    createHash: (...args: Parameters<typeof actual.createHash>) => {
      made.createHash += 1;
      return actual.createHash(...args);
    },
    randomBytes: (size: number) => {
      made.randomBytes += 1;
      return actual.randomBytes(size);
    },
  };
});

const ORIGIN = "https://consult.example.org";
const m: Municipality = { ...defaultMunicipality({ municipality: "X", contact: null, licence: "CC-BY-4.0", timeZone: "Europe/Paris" }), ...DEMO_MUNICIPALITY };

let database: TestDatabase;
let actor: string;
beforeAll(async () => {
  database = await createTestDatabase();
  actor = await makeOfficial(database.db, "actor@example.org");
});
afterAll(() => database.dispose());

/** The links composed, by address: what the message would carry, sent or not. */
let tokens: Map<string, string[]>;
const mail: TokenMail = {
  domain: "consult.example.org",
  compose: (token, email) => {
    tokens.set(email, [...(tokens.get(email) ?? []), token]);
    return compose({ kind: "staff.reset", to: email, lang: "en", municipality: m, link: `${ORIGIN}/en/staff/reset/${token}`, params: { minutes: 60 } });
  },
};
let sent: OutgoingMail[];
const send: Send = async (message) => {
  sent.push(message);
};
beforeEach(() => {
  tokens = new Map();
  sent = [];
});
const tokenFor = (email: string) => tokens.get(email)!.at(-1)!;
const db = () => database.db;

/** The same database with every statement it is sent written down. */
async function watched(): Promise<{ db: Db; statements: { text: string; params: string[] }[] }> {
  const statements: { text: string; params: string[] }[] = [];
  const logger = { logQuery: (text: string, params: unknown[]) => statements.push({ text, params: params.map((p) => typeof p) }) };
  const client = db().$client;
  const handle =
    database.kind === "pglite"
      ? (await import("drizzle-orm/pglite")).drizzle(client as PGlite, { schema, logger })
      : (await import("drizzle-orm/postgres-js")).drizzle(client as Sql, { schema, logger });
  return { db: handle, statements };
}

const everything = async () => ({
  passwordResets: await db().select().from(passwordResets),
  outbox: await db().select().from(outbox),
  auditLog: await db().select().from(auditLog),
});
const added = <T extends { id: unknown }>(before: T[], after: T[]) => after.filter((row) => !before.some((b) => b.id === row.id));

/** Asks a reset for `email` and says what it took: statements, digests, tokens and rows written. */
async function cost(email: string) {
  const { db: handle, statements } = await watched();
  const before = await everything();
  made.createHash = 0;
  made.randomBytes = 0;
  await requestReset(handle, email, mail);
  const digests = { createHash: made.createHash, randomBytes: made.randomBytes };
  const after = await everything();
  const [message] = added(before.outbox, after.outbox);
  const [reset] = added(before.passwordResets, after.passwordResets);
  return {
    statements,
    digests,
    written: {
      passwordResets: added(before.passwordResets, after.passwordResets).length,
      outbox: added(before.outbox, after.outbox).length,
      auditLog: added(before.auditLog, after.auditLog).length,
    },
    // The message as stored, with what is the visitor's own (the address) and random (the link) set aside.
    message: message && {
      ...message,
      id: null,
      messageId: null,
      createdAt: null,
      nextAttemptAt: null,
      recipient: null,
      textBody: message.textBody.replaceAll(email, "ADDRESS").replace(/\/staff\/reset\/\S+/, "/staff/reset/TOKEN"),
      htmlBody: message.htmlBody.replaceAll(email, "ADDRESS").replace(/\/staff\/reset\/[^"]+/, "/staff/reset/TOKEN"),
    },
    reset: reset && { ...reset, id: null, email: null, tokenHash: reset.tokenHash.length, createdAt: null, expiresAt: null },
  };
}

describe("asking for a new password", () => {
  it("costs an address with no account the same statements, digests and rows as a staff account's", async () => {
    await makeOfficial(db(), "staff@example.org");
    const known = await cost("staff@example.org");
    const unknown = await cost("nobody@example.org");
    // The same statements in the same order, with parameters of the same kinds.
    expect(unknown.statements).toEqual(known.statements);
    expect(known.statements.map((s) => s.text.split(" ").slice(0, 3).join(" "))).toEqual(['insert into "password_resets"', 'insert into "outbox"']);
    // One random token and one digest of it, either way.
    expect(unknown.digests).toEqual(known.digests);
    expect(known.digests).toEqual({ createHash: 1, randomBytes: 1 });
    // The same rows: a link (its digest only) and a message waiting to go; no audit entry yet.
    expect(unknown.written).toEqual({ passwordResets: 1, outbox: 1, auditLog: 0 });
    expect(known.written).toEqual(unknown.written);
    expect(unknown.message).toEqual(known.message);
    expect(known.message).toMatchObject({ kind: "staff.reset", status: "pending", attempts: 0 });
    expect(unknown.reset).toEqual(known.reset);
    expect(known.reset).toEqual({ communeId: 1, id: null, email: null, tokenHash: 64, expiresAt: null, usedAt: null, createdAt: null });
    // Only when the messages go does it matter which address was an account's.
    expect(await deliverDue(db(), send)).toEqual({ sent: 1, retrying: 0, failed: 0, withheld: 1 });
    expect(sent.map((s) => s.to)).toEqual(["staff@example.org"]);
  });

  it("sends a working link only to the staff account; an address with no account gets nothing and leaves nothing", async () => {
    await makeOfficial(db(), "clerk@example.org");
    await requestReset(db(), "clerk@example.org", mail);
    await requestReset(db(), "stranger@example.org", mail);
    expect(await deliverDue(db(), send)).toEqual({ sent: 1, retrying: 0, failed: 0, withheld: 1 });
    expect(sent.map((s) => s.to)).toEqual(["clerk@example.org"]);
    expect(sent[0].text).toContain(`${ORIGIN}/en/staff/reset/${tokenFor("clerk@example.org")}`);
    expect(await findReset(db(), tokenFor("clerk@example.org"))).toEqual({ email: "clerk@example.org" });
    // The stranger's link was made like any other, and is nowhere now: no message, no link, no audit entry.
    expect(await findReset(db(), tokenFor("stranger@example.org"))).toBeNull();
    expect(await resetPassword(db(), tokenFor("stranger@example.org"), "a brand new password")).toEqual({ ok: false, reason: "invalid" });
    expect(await db().select().from(outbox).where(eq(outbox.recipient, "stranger@example.org"))).toEqual([]);
    expect(await db().select().from(passwordResets).where(eq(passwordResets.email, "stranger@example.org"))).toEqual([]);
    const entries = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "staff.reset_request"), eq(auditLog.targetId, "clerk@example.org")));
    expect(entries).toHaveLength(1);
    expect(entries[0].details).toEqual({ askedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(JSON.stringify(await db().select().from(auditLog))).not.toContain("stranger@example.org");
    // Nothing is tried again: the stranger's message is gone, the clerk's sent once.
    expect(await deliverDue(db(), send)).toEqual({ sent: 0, retrying: 0, failed: 0, withheld: 0 });
    expect(sent).toHaveLength(1);
    expect((await resetPassword(db(), tokenFor("clerk@example.org"), "a brand new password")).ok).toBe(true);
  });

  it("sends nothing usable to an account deactivated, or made, after the link was asked", async () => {
    // Deactivated between the asking and the sending: withheld, and not usable once reactivated.
    const agent = await makeOfficial(db(), "agent@example.org");
    await requestReset(db(), "agent@example.org", mail);
    expect(await deactivate(db(), actor, agent)).toEqual({ ok: true });
    expect(await deliverDue(db(), send)).toEqual({ sent: 0, retrying: 0, failed: 0, withheld: 1 });
    expect(await reactivate(db(), actor, agent)).toEqual({ ok: true });
    expect(await findReset(db(), tokenFor("agent@example.org"))).toBeNull();
    expect(await resetPassword(db(), tokenFor("agent@example.org"), "a brand new password")).toEqual({ ok: false, reason: "invalid" });

    // Asked for an address before it was an account's: the account made since gets neither the email nor a link that works.
    await requestReset(db(), "newcomer@example.org", mail);
    const early = tokenFor("newcomer@example.org");
    expect((await createStaff(db(), { email: "newcomer@example.org", password: "long enough password", role: "moderator" })).ok).toBe(true);
    // A link asked once the account exists, before the outbox ran: that one is sent, and works.
    await requestReset(db(), "newcomer@example.org", mail);
    const late = tokenFor("newcomer@example.org");
    expect(await deliverDue(db(), send)).toEqual({ sent: 1, retrying: 0, failed: 0, withheld: 1 });
    expect(sent.map((s) => s.to)).toEqual(["newcomer@example.org"]);
    expect(sent[0].text).toContain(late);
    expect(await findReset(db(), early)).toBeNull();
    expect(await resetPassword(db(), early, "a brand new password")).toEqual({ ok: false, reason: "invalid" });
    expect(await findReset(db(), late)).toEqual({ email: "newcomer@example.org" });
  });
});
