/**
 * Residents told when the results or the decision are out, without their address ever being
 * tied to their answer: the address lives in its own table, written in its own transaction, with
 * a random id, days only, and no reference to a submission, a receipt or a response. It is kept
 * until the notice is sent (then deleted), until the resident unsubscribes, or — unconfirmed — 7
 * days. docs/decisions/027-residents-told-of-the-outcome.md
 */
import { createHash, createHmac, randomUUID } from "node:crypto";
import { and, eq, inArray, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { consultations, notificationAddresses, type Lang } from "#db/schema";
import { enqueue, type Message } from "../mail/outbox.server";
import { clientKey, hit, installationSecret, type Limit } from "../ratelimit/ratelimit.server";
import type { ConsultationView } from "../consultations/types";

export const UNCONFIRMED_DAYS = 7;

/**
 * Confirmation emails one address receives, whoever asks and for whichever consultation: the
 * form can be sent by anyone, so without this cap it would mail a stranger on demand.
 */
export const CONFIRMATIONS_PER_ADDRESS: Limit = { limit: 3, windowSeconds: 24 * 3600 };

/** What a notice announces: the decision (with what was heard), or the results. */
export type NoticeOf = "outcome" | "results";

const digest = (token: string) => createHash("sha256").update(token).digest("hex");

/** The token of an address's links, made again from its id when a notice goes (the database keeps only its digest). */
async function tokenFor(db: DbOrTx, id: string): Promise<string> {
  return createHmac("sha256", await installationSecret(db))
    .update(`notify:${id}`)
    .digest("base64url")
    .slice(0, 32);
}

/** Today in UTC, as a date: the only time kept with an address. */
export const dayOf = (now: Date) => now.toISOString().slice(0, 10);

export interface NotifyMail {
  /** The confirmation email for `email` with its token. */
  confirm: (input: { email: string; lang: Lang; token: string }) => Message;
  /** The notice that the decision (`outcome`) or the results are out. */
  notice: (input: { email: string; lang: Lang; token: string; slug: string; what: NoticeOf }) => Message;
  domain: string;
  /** The municipality's time zone: the day a resident's message keeps is a day there. */
  timeZone: string;
}

/** Whether a consultation has something to tell: its outcome, its results or its open data are published. */
export function somethingOut(c: Pick<ConsultationView, "outcomePublishedAt" | "resultsPublishedAt" | "openDataPublishedAt">): boolean {
  return !!(c.outcomePublishedAt || c.resultsPublishedAt || c.openDataPublishedAt);
}

/**
 * A resident asks to be told: the address is kept unconfirmed and a confirmation email queued,
 * in one transaction of its own. Asking again for an unconfirmed address sends a new link; a
 * confirmed one is left as it is, and past CONFIRMATIONS_PER_ADDRESS nothing more is sent (the
 * answer is the same each time, so nobody learns who asked or how often).
 */
export async function askToBeTold(
  db: Db,
  c: Pick<ConsultationView, "id">,
  input: { email: string; lang: Lang },
  mail: NotifyMail,
  now = new Date(),
): Promise<void> {
  await db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: notificationAddresses.id, confirmedOn: notificationAddresses.confirmedOn })
      .from(notificationAddresses)
      .where(and(eq(notificationAddresses.consultationId, c.id), eq(notificationAddresses.email, input.email)));
    if (existing?.confirmedOn) return;
    const id = existing?.id ?? randomUUID();
    const token = await tokenFor(tx, id);
    if (existing)
      await tx
        .update(notificationAddresses)
        .set({ lang: input.lang, askedOn: dayOf(now) })
        .where(eq(notificationAddresses.id, id));
    else {
      // The same address sent twice at once: the second finds the first's row and sends nothing more.
      const added = await tx
        .insert(notificationAddresses)
        .values({ id, consultationId: c.id, email: input.email, lang: input.lang, tokenHash: digest(token), askedOn: dayOf(now) })
        .onConflictDoNothing()
        .returning({ id: notificationAddresses.id });
      if (!added.length) return;
    }
    // Keyed by a digest salted with the installation's secret: the counter holds no guessable form of the address.
    if (!(await hit(tx, await clientKey(tx, "notify-confirm", input.email), CONFIRMATIONS_PER_ADDRESS, now)).allowed) return;
    await enqueue(tx, mail.confirm({ email: input.email, lang: input.lang, token }), mail.domain, mail.timeZone);
  });
}

/** Why an address is not confirmed: its link leads to nothing kept any more. */
export type ConfirmRefusal = "gone";

export type ConfirmResult = { ok: true; slug: string; toldNow: boolean } | { ok: false; reason: ConfirmRefusal };

/**
 * Confirms an address from its link. When the results or the decision are already out, the
 * notice is queued at once and the address deleted.
 */
export async function confirmAddress(db: Db, token: string, mail: NotifyMail, now = new Date()): Promise<ConfirmResult> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        id: notificationAddresses.id,
        email: notificationAddresses.email,
        lang: notificationAddresses.lang,
        slug: consultations.slug,
        outcome: consultations.outcomePublishedAt,
        results: consultations.resultsPublishedAt,
        openData: consultations.openDataPublishedAt,
      })
      .from(notificationAddresses)
      .innerJoin(consultations, eq(consultations.id, notificationAddresses.consultationId))
      .where(eq(notificationAddresses.tokenHash, digest(token)))
      .for("update");
    if (!row) return { ok: false, reason: "gone" } as const;
    if (somethingOut({ outcomePublishedAt: row.outcome, resultsPublishedAt: row.results, openDataPublishedAt: row.openData })) {
      const what: NoticeOf = row.outcome ? "outcome" : "results";
      await enqueue(tx, mail.notice({ email: row.email, lang: row.lang, token, slug: row.slug, what }), mail.domain, mail.timeZone);
      await tx.delete(notificationAddresses).where(eq(notificationAddresses.id, row.id));
      return { ok: true, slug: row.slug, toldNow: true } as const;
    }
    await tx
      .update(notificationAddresses)
      .set({ confirmedOn: sql`coalesce(${notificationAddresses.confirmedOn}, ${dayOf(now)}::date)` })
      .where(eq(notificationAddresses.id, row.id));
    return { ok: true, slug: row.slug, toldNow: false } as const;
  });
}

/** The consultation an address's link is for, while the address is kept. */
export async function findAddress(db: DbOrTx, token: string): Promise<{ slug: string; confirmed: boolean } | null> {
  const [row] = await db
    .select({ slug: consultations.slug, confirmedOn: notificationAddresses.confirmedOn })
    .from(notificationAddresses)
    .innerJoin(consultations, eq(consultations.id, notificationAddresses.consultationId))
    .where(eq(notificationAddresses.tokenHash, digest(token)));
  return row ? { slug: row.slug, confirmed: !!row.confirmedOn } : null;
}

/** Unsubscribes: the address is deleted. False when it was already gone. */
export async function forgetAddress(db: DbOrTx, token: string): Promise<boolean> {
  const rows = await db
    .delete(notificationAddresses)
    .where(eq(notificationAddresses.tokenHash, digest(token)))
    .returning({ id: notificationAddresses.id });
  return rows.length > 0;
}

/**
 * The results or the decision of `c` are out: one notice is queued for each confirmed address,
 * which is then deleted. Call it inside the transaction that publishes. Returns how many.
 */
export async function tellResidents(db: DbOrTx, c: Pick<ConsultationView, "id" | "slug">, what: NoticeOf, mail: NotifyMail): Promise<number> {
  const rows = await db
    .delete(notificationAddresses)
    .where(and(eq(notificationAddresses.consultationId, c.id), isNotNull(notificationAddresses.confirmedOn)))
    .returning({ id: notificationAddresses.id, email: notificationAddresses.email, lang: notificationAddresses.lang });
  for (const row of rows.sort((a, b) => a.email.localeCompare(b.email)))
    await enqueue(db, mail.notice({ email: row.email, lang: row.lang, token: await tokenFor(db, row.id), slug: c.slug, what }), mail.domain, mail.timeZone);
  return rows.length;
}

/** What staff see: how many addresses wait, never which. */
export async function notificationCounts(db: DbOrTx, consultationId: string): Promise<{ confirmed: number; unconfirmed: number }> {
  const [row] = await db
    .select({
      confirmed: sql<number>`count(*) filter (where ${notificationAddresses.confirmedOn} is not null)::int`,
      unconfirmed: sql<number>`count(*) filter (where ${notificationAddresses.confirmedOn} is null)::int`,
    })
    .from(notificationAddresses)
    .where(eq(notificationAddresses.consultationId, consultationId));
  return { confirmed: Number(row?.confirmed ?? 0), unconfirmed: Number(row?.unconfirmed ?? 0) };
}

/**
 * Unconfirmed addresses asked for more than 7 days ago are deleted; so are all the addresses of a
 * consultation archived without anything published (nobody will be told any more).
 */
export async function purgeUnconfirmed(db: DbOrTx, now = new Date()): Promise<number> {
  const before = dayOf(new Date(now.getTime() - UNCONFIRMED_DAYS * 24 * 3600_000));
  const unconfirmed = await db
    .delete(notificationAddresses)
    .where(and(isNull(notificationAddresses.confirmedOn), lt(notificationAddresses.askedOn, before)))
    .returning({ id: notificationAddresses.id });
  const archived = await db
    .delete(notificationAddresses)
    .where(inArray(notificationAddresses.consultationId, db.select({ id: consultations.id }).from(consultations).where(eq(consultations.status, "archived"))))
    .returning({ id: notificationAddresses.id });
  return unconfirmed.length + archived.length;
}
