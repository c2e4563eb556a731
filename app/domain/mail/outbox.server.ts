/**
 * The outbox: every email is a row written in the same transaction as what caused it (an
 * invitation, a reset, a resident's request), and a worker sends due rows with retries and
 * backoff. A mail server that is down or refuses delays a message; it is never dropped, and each
 * try carries the same Message-ID. Docs: docs/decisions/026-email-through-an-outbox.md.
 */
import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray, isNull, like, lt, lte, or, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { outbox, users, type Lang, type OutboxStatus } from "#db/schema";
import { audit } from "../audit/audit.server";
import { localDay } from "../consultations/dates";
import { accountForReset, forgetUnusableResets } from "../staff/reset-links.server";

export const MESSAGE_KINDS = ["staff.invite", "staff.reset", "notify.confirm", "notify.outcome", "notify.results"] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** Messages to residents: their address is blanked once sent, and staff never see it. */
export const isResidentKind = (kind: string) => kind.startsWith("notify.");

export interface Message {
  kind: MessageKind;
  to: string;
  lang: Lang;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
}

/** Tries before a message is marked failed (an administrator can send it again): about three days of a mail server down. */
export const MAX_ATTEMPTS = 45;
/**
 * How long a worker holds the messages it claimed; another process takes them after that. Longer
 * than a batch can take with the transport's timeouts (app/platform/mail.server.ts: 60 s a message).
 */
const HOLD_MS = 10 * 60_000;

/** The wait after a failed try: 30 s, 1 min, 2 min… at most 2 h. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 2 * 3600_000);
}

/**
 * The only time a resident's message keeps: the day it happened in the municipality's time zone,
 * stored as that calendar date at 00:00 UTC (read it back with `formatDay`, never as an instant).
 */
export const dayOnly = (at: Date, timeZone: string) => new Date(`${localDay(at, timeZone)}T00:00:00Z`);

/** A failure as staff may read it: a resident's address never (SMTP replies quote the recipient). */
function failureOf(error: unknown, resident: boolean): string {
  const e = error as { code?: string; responseCode?: number; message?: string };
  if (resident) return [e.code, e.responseCode].filter(Boolean).join(" ") || "error";
  return (e.message ?? String(error)).replace(/\s+/g, " ").slice(0, 300);
}

/**
 * Adds a message; call it inside the transaction that makes it necessary. `timeZone` (the
 * municipality's) names the day a resident's message keeps.
 */
export async function enqueue(db: DbOrTx, message: Message, domain: string, timeZone = "UTC"): Promise<void> {
  const now = new Date();
  await db.insert(outbox).values({
    kind: message.kind,
    recipient: message.to,
    lang: message.lang,
    subject: message.subject,
    textBody: message.text,
    htmlBody: message.html,
    headers: message.headers ?? {},
    messageId: `<${randomUUID()}@${domain}>`,
    // A resident's message keeps no time finer than the day (nothing to set beside an answer's); it is due at once.
    ...(isResidentKind(message.kind) ? { createdAt: dayOnly(now, timeZone), nextAttemptAt: new Date(now.toISOString().slice(0, 10)) } : {}),
  });
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  messageId: string;
}

/** What sends one message (nodemailer over SMTP in the app; anything in tests). Throws when it was not accepted. */
export type Send = (mail: OutgoingMail) => Promise<void>;

export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
  /** Password resets for an address with no account to receive them: deleted, never sent. */
  withheld: number;
}

/**
 * A password reset is queued for whatever address was typed, account or not, so that asking
 * tells the visitor nothing (docs/decisions/045); here, out of the visitor's sight, is where the
 * account is looked up. Without an active account that had the address when the reset was asked,
 * the message and the address's unusable links are deleted, and nothing about the address is kept.
 * With one, the request is audited when its link is sent.
 */
async function resetHasAccount(db: DbOrTx, id: number): Promise<boolean> {
  const found = await db.select({ id: users.id }).from(outbox).innerJoin(users, accountForReset(outbox.recipient, outbox.createdAt)).where(eq(outbox.id, id));
  return found.length > 0;
}

async function withholdReset(db: DbOrTx, row: { id: number; recipient: string | null }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(outbox).where(eq(outbox.id, row.id));
    if (row.recipient) await forgetUnusableResets(tx, row.recipient);
  });
}

/**
 * Sends what is due, a batch at a time, until nothing is; safe with several processes (rows are
 * claimed). `timeZone` (the municipality's) names the day a resident's message was sent.
 */
export async function deliverDue(db: DbOrTx, send: Send, now: () => Date = () => new Date(), batch = 5, timeZone = "UTC"): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0, withheld: 0 };
  for (;;) {
    const at = now();
    const claimed = await db
      .update(outbox)
      .set({ lockedUntil: new Date(at.getTime() + HOLD_MS), attempts: sql`${outbox.attempts} + 1` })
      .where(
        inArray(
          outbox.id,
          db
            .select({ id: outbox.id })
            .from(outbox)
            .where(and(eq(outbox.status, "pending"), lte(outbox.nextAttemptAt, at), or(isNull(outbox.lockedUntil), lte(outbox.lockedUntil, at))))
            .orderBy(outbox.id)
            .limit(batch)
            .for("update", { skipLocked: true }),
        ),
      )
      .returning();
    if (!claimed.length) return report;
    for (const row of claimed.sort((a, b) => a.id - b.id)) {
      const resident = isResidentKind(row.kind);
      const reset = row.kind === "staff.reset";
      if (reset && !(await resetHasAccount(db, row.id))) {
        await withholdReset(db, row);
        report.withheld += 1;
        continue;
      }
      let failure: unknown = null;
      try {
        if (!row.recipient) throw new Error("no recipient");
        await send({ to: row.recipient, subject: row.subject, text: row.textBody, html: row.htmlBody, headers: row.headers, messageId: row.messageId });
      } catch (error) {
        failure = error;
      }
      if (failure === null) {
        // Sent: the links it carried (invitation, reset, confirmation) are not kept, nor a resident's address.
        await db.transaction(async (tx) => {
          await tx
            .update(outbox)
            .set({
              status: "sent",
              sentAt: resident ? dayOnly(now(), timeZone) : now(),
              lockedUntil: null,
              lastError: null,
              textBody: "",
              htmlBody: "",
              headers: {},
              ...(resident ? { recipient: null } : {}),
            })
            .where(eq(outbox.id, row.id));
          if (reset && row.recipient) {
            const askedAt = row.createdAt.toISOString();
            await audit(tx, { actorId: null, action: "staff.reset_request", targetType: "user", targetId: row.recipient, details: { askedAt } });
          }
        });
        report.sent += 1;
        continue;
      }
      const failed = row.attempts >= MAX_ATTEMPTS;
      await db
        .update(outbox)
        .set({
          status: failed ? "failed" : "pending",
          lockedUntil: null,
          lastError: failureOf(failure, resident),
          nextAttemptAt: new Date(now().getTime() + backoffMs(row.attempts)),
        })
        .where(eq(outbox.id, row.id));
      if (failed) report.failed += 1;
      else report.retrying += 1;
    }
  }
}

export interface OutboxRow {
  id: number;
  kind: string;
  /** The staff recipient; null for a resident's message (staff see only that it exists). */
  recipient: string | null;
  subject: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/** What administrators see: counts by state, and the latest messages (residents' addresses never shown). */
export async function outboxOverview(db: DbOrTx, limit = 50): Promise<{ counts: Record<OutboxStatus, number>; rows: OutboxRow[] }> {
  const grouped = await db
    .select({ status: outbox.status, n: sql<number>`count(*)::int` })
    .from(outbox)
    .groupBy(outbox.status);
  const counts: Record<OutboxStatus, number> = { pending: 0, sent: 0, failed: 0 };
  for (const g of grouped) counts[g.status] = Number(g.n);
  const rows = await db
    .select({
      id: outbox.id,
      kind: outbox.kind,
      recipient: outbox.recipient,
      subject: outbox.subject,
      status: outbox.status,
      attempts: outbox.attempts,
      nextAttemptAt: outbox.nextAttemptAt,
      lastError: outbox.lastError,
      createdAt: outbox.createdAt,
      sentAt: outbox.sentAt,
    })
    .from(outbox)
    .orderBy(sql`case ${outbox.status} when 'failed' then 0 when 'pending' then 1 else 2 end`, desc(outbox.id))
    .limit(limit);
  return { counts, rows: rows.map((r) => ({ ...r, recipient: isResidentKind(r.kind) ? null : r.recipient })) };
}

/** Why a message is not queued again: there is no failed message with that id (sent, pending, or gone). */
export type RetryRefusal = "not_failed";

/** Puts a failed message back in the queue, to be tried at once (audited). */
export async function retryMessage(db: Db, actorId: string, id: number): Promise<{ ok: true } | { ok: false; reason: RetryRefusal }> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(outbox)
      .set({ status: "pending", attempts: 0, nextAttemptAt: new Date(), lockedUntil: null })
      .where(and(eq(outbox.id, id), eq(outbox.status, "failed")))
      .returning({ kind: outbox.kind });
    if (!rows.length) return { ok: false, reason: "not_failed" } as const;
    await audit(tx, { actorId, action: "mail.retry", targetType: "message", targetId: String(id), details: { kind: rows[0].kind } });
    return { ok: true } as const;
  });
}

/**
 * Keeps the outbox small: sent messages go after 30 days; a resident's message that could not
 * be sent goes after 7 days with its address.
 */
export async function purgeOutbox(db: DbOrTx, now = new Date()): Promise<void> {
  const day = 24 * 3600_000;
  await db.delete(outbox).where(and(eq(outbox.status, "sent"), lt(outbox.createdAt, new Date(now.getTime() - 30 * day))));
  // A failed message's links have expired after 7 days (invitations: 7 days; resets: 1 hour).
  await db.delete(outbox).where(and(eq(outbox.status, "failed"), lt(outbox.createdAt, new Date(now.getTime() - 7 * day))));
  await db.delete(outbox).where(and(like(outbox.kind, "notify.%"), lt(outbox.createdAt, new Date(now.getTime() - 7 * day))));
}
