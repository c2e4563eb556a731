/** Staff accounts: creation, sign-in checks, roles, deactivation. No HTTP, no cookies. */
import { createHash, randomBytes } from "node:crypto";
import { and, asc, eq, gt, isNull } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { invitations, passwordResets, sessions, users, type Role } from "#db/schema";
import { decoyHash, hashPassword, verifyPassword } from "~/auth/password.server";
import { audit } from "../audit/audit.server";
import { enqueue, type Message } from "../mail/outbox.server";
import { accountForReset } from "./reset-links.server";
import { emailSchema, passwordSchema } from "./schemas.server";

export { emailSchema, roleSchema } from "./schemas.server";

export interface StaffRow {
  id: string;
  email: string;
  role: Role;
  active: boolean;
  createdAt: Date;
}

const newUserId = () => randomBytes(15).toString("base64url");

/** Why an account is not created: its email address is another account's. */
export type CreateStaffRefusal = "email_taken";

export type CreateStaffResult = { ok: true; user: StaffRow } | { ok: false; reason: CreateStaffRefusal };

export async function createStaff(db: DbOrTx, input: { email: string; password: string; role: Role }): Promise<CreateStaffResult> {
  const email = emailSchema.parse(input.email);
  const passwordHash = await hashPassword(passwordSchema.parse(input.password));
  const rows = await db
    .insert(users)
    .values({ id: newUserId(), email, passwordHash, role: input.role })
    .onConflictDoNothing({ target: [users.communeId, users.email] })
    .returning();
  if (rows.length === 0) return { ok: false, reason: "email_taken" };
  const { passwordHash: _, ...user } = rows[0];
  return { ok: true, user };
}

/** The active account matching email and password, or null (same work whether or not the account exists). */
export async function authenticate(db: DbOrTx, email: string, password: string): Promise<StaffRow | null> {
  const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  const ok = await verifyPassword(row?.passwordHash ?? (await decoyHash()), password);
  if (!row || !ok || !row.active) return null;
  const { passwordHash: _, ...user } = row;
  return user;
}

/**
 * Changes a password once the current one is proven. Every session of the account ends with
 * it (another device signed in with the old password is signed out); the caller starts a
 * fresh session for the person who made the change.
 */
/** Why a password is not changed: the current one given is not the account's. */
export type ChangePasswordRefusal = "wrong_password";

export async function changePassword(
  db: Db,
  userId: string,
  current: string,
  next: string,
): Promise<{ ok: true } | { ok: false; reason: ChangePasswordRefusal }> {
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  if (!row || !row.active || !(await verifyPassword(row.passwordHash, current))) return { ok: false, reason: "wrong_password" };
  const passwordHash = await hashPassword(passwordSchema.parse(next));
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    await audit(tx, { actorId: userId, action: "staff.password", targetType: "user", targetId: row.email });
  });
  return { ok: true };
}

export async function listStaff(db: DbOrTx): Promise<StaffRow[]> {
  return db
    .select({ id: users.id, email: users.email, role: users.role, active: users.active, createdAt: users.createdAt })
    .from(users)
    .orderBy(asc(users.email));
}

/** Why a role or an account's state does not change: no such account, or it is the last active administrator. */
export type StaffChangeRefusal = "not_found" | "last_admin";

export type StaffChange = { ok: true } | { ok: false; reason: StaffChangeRefusal };

async function activeAdmins(db: DbOrTx): Promise<number> {
  return (
    await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, "admin"), eq(users.active, true)))
  ).length;
}

export async function setRole(db: Db, actorId: string, userId: string, role: Role): Promise<StaffChange> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(users).where(eq(users.id, userId));
    if (!row) return { ok: false, reason: "not_found" } as const;
    if (row.role === role) return { ok: true } as const;
    if (row.role === "admin" && row.active && (await activeAdmins(tx)) <= 1) return { ok: false, reason: "last_admin" } as const;
    await tx.update(users).set({ role }).where(eq(users.id, userId));
    await audit(tx, { actorId, action: "staff.role", targetType: "user", targetId: row.email, details: { from: row.role, to: role } });
    return { ok: true } as const;
  });
}

/** Deactivates an account; its sessions end at once. */
export async function deactivate(db: Db, actorId: string, userId: string): Promise<StaffChange> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(users).where(eq(users.id, userId));
    if (!row) return { ok: false, reason: "not_found" } as const;
    if (row.role === "admin" && row.active && (await activeAdmins(tx)) <= 1) return { ok: false, reason: "last_admin" } as const;
    await tx.update(users).set({ active: false }).where(eq(users.id, userId));
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    await audit(tx, { actorId, action: "staff.deactivate", targetType: "user", targetId: row.email });
    return { ok: true } as const;
  });
}

export async function reactivate(db: DbOrTx, actorId: string, userId: string): Promise<StaffChange> {
  const rows = await db.update(users).set({ active: true }).where(eq(users.id, userId)).returning({ email: users.email });
  if (!rows.length) return { ok: false, reason: "not_found" };
  await audit(db, { actorId, action: "staff.reactivate", targetType: "user", targetId: rows[0].email });
  return { ok: true };
}

// ---- Invitations -------------------------------------------------------------

export const INVITATION_DAYS = 7;
const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

/** An email to send with a token (an invitation, a reset link): made from the token, queued in the same transaction. */
export interface TokenMail {
  compose: (token: string, email: string) => Message;
  /** The domain of the Message-ID. */
  domain: string;
}

/** Why no invitation is made: the address is already an account's (active or not, any role). */
export type InviteRefusal = "email_taken";

export type InviteResult =
  { ok: true; token: string; expiresAt: Date } | { ok: false; reason: InviteRefusal; account: { id: string; role: Role; active: boolean } };

/**
 * Creates a single-use invitation; returns the token, shown once to the admin (only its hash is
 * kept). With `mail`, the invitation is also queued as an email in the same transaction. An
 * address that already has an account is refused, with that account's id: the link could never
 * be used ("an account exists already").
 */
export async function invite(db: Db, actorId: string, input: { email: string; role: Role }, now = new Date(), mail?: TokenMail): Promise<InviteResult> {
  const token = randomBytes(24).toString("base64url");
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 24 * 3600 * 1000);
  const email = emailSchema.parse(input.email);
  return db.transaction(async (tx) => {
    const [account] = await tx.select({ id: users.id, role: users.role, active: users.active }).from(users).where(eq(users.email, email));
    if (account) return { ok: false, reason: "email_taken", account } as const;
    await tx.insert(invitations).values({ tokenHash: tokenHash(token), email, role: input.role, invitedBy: actorId, expiresAt });
    if (mail) await enqueue(tx, mail.compose(token, email), mail.domain);
    await audit(tx, { actorId, action: "staff.invite", targetType: "user", targetId: email, details: { role: input.role, emailed: !!mail } });
    return { ok: true, token, expiresAt } as const;
  });
}

// ---- Password resets -----------------------------------------------------------

export const RESET_MINUTES = 60;

/**
 * "Forgot your password": queues by email a single-use link valid one hour for the address
 * typed (only its digest is kept). The work is the same whether or not a staff account has the
 * address: the same token, digest and message, the same two rows in one transaction, and no
 * look-up of the account, so neither the time taken nor what is written tells a visitor whether
 * the address is a staff account's (docs/decisions/045). The outbox looks up the account when
 * the message goes: an address with no active account gets nothing, and its link and message are
 * deleted then. The caller answers the same either way.
 */
export async function requestReset(db: Db, address: string, mail: TokenMail, now = new Date()): Promise<void> {
  const email = emailSchema.parse(address);
  const token = randomBytes(24).toString("base64url");
  const message = mail.compose(token, email);
  await db.transaction(async (tx) => {
    await tx.insert(passwordResets).values({ email, tokenHash: tokenHash(token), expiresAt: new Date(now.getTime() + RESET_MINUTES * 60_000) });
    await enqueue(tx, message, mail.domain);
  });
}

/** The account a reset link is for, while it is unused and within its hour; else null. */
export async function findReset(db: DbOrTx, token: string, now = new Date()): Promise<{ email: string } | null> {
  const [row] = await db
    .select({ email: users.email })
    .from(passwordResets)
    .innerJoin(users, accountForReset(passwordResets.email, passwordResets.createdAt))
    .where(and(eq(passwordResets.tokenHash, tokenHash(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)));
  return row ?? null;
}

/** Why a password is not reset: the link was used, has expired or never existed (or its account is inactive). */
export type ResetRefusal = "invalid";

/**
 * Sets a new password with a reset link, once: the link is spent, every other link of the
 * account too, and every session of the account ends. Refused as `invalid` when the link was
 * used, has expired or never existed, or when no active account had its address when it was asked.
 */
export async function resetPassword(
  db: Db,
  token: string,
  password: string,
  now = new Date(),
): Promise<{ ok: true; user: StaffRow } | { ok: false; reason: ResetRefusal }> {
  const passwordHash = await hashPassword(passwordSchema.parse(password));
  return db.transaction(async (tx) => {
    const spent = await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.tokenHash, tokenHash(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)))
      .returning({ id: passwordResets.id });
    if (!spent.length) return { ok: false, reason: "invalid" } as const;
    const [account] = await tx
      .select({ id: users.id })
      .from(passwordResets)
      .innerJoin(users, accountForReset(passwordResets.email, passwordResets.createdAt))
      .where(eq(passwordResets.id, spent[0].id));
    if (!account) return { ok: false, reason: "invalid" } as const;
    const [row] = await tx.update(users).set({ passwordHash }).where(eq(users.id, account.id)).returning();
    await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.email, row.email), isNull(passwordResets.usedAt)));
    await tx.delete(sessions).where(eq(sessions.userId, row.id));
    await audit(tx, { actorId: row.id, action: "staff.reset", targetType: "user", targetId: row.email });
    const { passwordHash: _, ...user } = row;
    return { ok: true, user } as const;
  });
}

export async function findInvitation(db: DbOrTx, token: string, now = new Date()) {
  const [row] = await db
    .select({ id: invitations.id, email: invitations.email, role: invitations.role, expiresAt: invitations.expiresAt })
    .from(invitations)
    .where(and(eq(invitations.tokenHash, tokenHash(token)), isNull(invitations.usedAt), gt(invitations.expiresAt, now)));
  return row ?? null;
}

class EmailTaken extends Error {}

/** Why an invitation is not accepted: the link was used, has expired or never existed, or its address has an account now. */
export type InvitationRefusal = "invalid" | "email_taken";

export type AcceptInvitationResult = { ok: true; user: StaffRow } | { ok: false; reason: InvitationRefusal };

/** Uses an invitation once: creates the account with the chosen password. */
export async function acceptInvitation(db: Db, token: string, password: string, now = new Date()): Promise<AcceptInvitationResult> {
  const passwordHash = await hashPassword(passwordSchema.parse(password));
  return db
    .transaction(async (tx) => {
      const spent = await tx
        .update(invitations)
        .set({ usedAt: now })
        .where(and(eq(invitations.tokenHash, tokenHash(token)), isNull(invitations.usedAt), gt(invitations.expiresAt, now)))
        .returning({ email: invitations.email, role: invitations.role });
      if (!spent.length) return { ok: false, reason: "invalid" } as const;
      const rows = await tx
        .insert(users)
        .values({ id: newUserId(), email: spent[0].email, passwordHash, role: spent[0].role })
        .onConflictDoNothing({ target: [users.communeId, users.email] })
        .returning();
      if (!rows.length) throw new EmailTaken();
      const { passwordHash: _, ...user } = rows[0];
      await audit(tx, { actorId: user.id, action: "staff.join", targetType: "user", targetId: user.email, details: { role: user.role } });
      return { ok: true, user } as const;
    })
    .catch((error: unknown) => {
      if (error instanceof EmailTaken) return { ok: false, reason: "email_taken" } as const;
      throw error;
    });
}
