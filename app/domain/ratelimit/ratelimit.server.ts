/**
 * Fixed-window counters in PostgreSQL, so several app processes share them.
 * Keys are hashes (never a raw IP address); rows are overwritten when their
 * window has passed, so the table stays as small as the set of active keys.
 */
import { createHash, randomBytes } from "node:crypto";
import { eq, lt, sql } from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "#db/client";
import { addCommuneHits, sweepCommuneHits } from "#db/communes";
import { meta, rateLimits } from "#db/schema";
import { communeKey, currentCommune } from "~/platform/commune.server";

export interface Limit {
  limit: number;
  windowSeconds: number;
}

export interface HitResult {
  allowed: boolean;
  count: number;
  retryAfterSeconds: number;
}

/** Counts one attempt under `key`; allowed while the count stays within the limit. */
export async function hit(db: DbOrTx, key: string, { limit, windowSeconds }: Limit, now = new Date(), by = 1): Promise<HitResult> {
  // Raw SQL parameters go as ISO strings: postgres.js does not take Date objects there.
  const windowStart = new Date(now.getTime() - windowSeconds * 1000).toISOString();
  const nowIso = now.toISOString();
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart: now, count: by })
    .onConflictDoUpdate({
      target: [rateLimits.communeId, rateLimits.key],
      set: {
        count: sql`case when ${rateLimits.windowStart} <= ${windowStart}::timestamptz then ${by}::int else ${rateLimits.count} + ${by}::int end`,
        windowStart: sql`case when ${rateLimits.windowStart} <= ${windowStart}::timestamptz then ${nowIso}::timestamptz else ${rateLimits.windowStart} end`,
      },
    })
    .returning({ count: rateLimits.count, windowStart: rateLimits.windowStart });
  const resetAt = row.windowStart.getTime() + windowSeconds * 1000;
  return { allowed: row.count <= limit, count: row.count, retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now.getTime()) / 1000)) };
}

/** Takes back one attempt counted under `key` (an attempt that turned out not to count, such as a right password). */
export async function refund(db: DbOrTx, key: string): Promise<void> {
  await db
    .update(rateLimits)
    .set({ count: sql`greatest(${rateLimits.count} - 1, 0)` })
    .where(eq(rateLimits.key, key));
}

/** Forgets a key (e.g. an account's failures after a successful sign-in). */
export async function clear(db: DbOrTx, key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}

/** Drops counters whose window ended long ago: the commune's own, and with many communes its buffered ones in the registry. */
export async function sweep(db: DbOrTx, olderThan: Date): Promise<void> {
  await db.delete(rateLimits).where(lt(rateLimits.windowStart, olderThan));
  const commune = currentCommune();
  if (commune) await sweepCommuneHits(db, commune.id, olderThan);
}

/** Each database's secret, once read (one per commune with many communes). */
const secrets = new Map<string, string>();

/** A random secret made once per database, shared by every process: salts the hashed client keys. */
export async function installationSecret(db: DbOrTx): Promise<string> {
  const held = secrets.get(communeKey());
  if (held) return held;
  await db
    .insert(meta)
    .values({ key: "installation_secret", value: randomBytes(32).toString("hex") })
    .onConflictDoNothing();
  const [row] = await db.select({ value: meta.value }).from(meta).where(eq(meta.key, "installation_secret"));
  secrets.set(communeKey(), row.value);
  return row.value;
}

/** A key for "this client" that cannot be turned back into an address. */
export async function clientKey(db: DbOrTx, scope: string, address: string | undefined): Promise<string> {
  const salt = await installationSecret(db);
  return `${scope}:client:${createHash("sha256")
    .update(`${salt}:${address ?? "unknown"}`)
    .digest("base64url")
    .slice(0, 32)}`;
}

/** A key for "this client trying this account": salted like clientKey, so neither the address nor the email can be read back. */
export async function pairKey(db: DbOrTx, scope: string, account: string, address: string | undefined): Promise<string> {
  const salt = await installationSecret(db);
  const digest = createHash("sha256")
    .update(`${salt}:${account.toLowerCase()}:${address ?? "unknown"}`)
    .digest("base64url");
  return `${scope}:pair:${digest.slice(0, 32)}`;
}

export function accountKey(scope: string, email: string): string {
  return `${scope}:account:${createHash("sha256").update(email.toLowerCase()).digest("base64url").slice(0, 32)}`;
}

// ---- Buffered counters ---------------------------------------------------------
// For limits on busy paths (resident submissions): each process decides from the
// last total it read plus its own hits since, and adds its hits to PostgreSQL once
// a second. Processes see each other within about a second; no write per request.

interface Pending {
  db: Db;
  /** With many communes, the commune whose counter it is (its counters are kept in the registry, decision 067). */
  communeId: number | null;
  /** The key as the database holds it (the map's key also names the commune). */
  clientKey: string;
  limit: Limit;
  hits: number;
}
const pending = new Map<string, Pending>();
const known = new Map<string, { count: number; windowEnd: number }>();
let flushTimer: NodeJS.Timeout | undefined;
let lastForget = 0;

export const FLUSH_MS = 1_000;
const FORGET_EVERY_MS = 60_000;

/** Drops the totals of windows that have ended: one entry per client address would otherwise pile up. */
function forgetEnded(now: number): void {
  if (now - lastForget < FORGET_EVERY_MS) return;
  lastForget = now;
  for (const [key, entry] of known) if (entry.windowEnd <= now) known.delete(key);
}

/** How many clients this process holds a total for (for tests). */
export function bufferedKeyCount(): number {
  return known.size;
}

/**
 * Adds the hits held since the last flush in a transaction that does not wait for the disk at its
 * commit (`synchronous_commit` off for it alone): a counter lost to a crash costs a client at most
 * a second of attempts (decision 065). One transaction for the one database; with many communes,
 * one statement for all of them, into the registry's counters (decision 067): a transaction per
 * commune and second took, spread over 500 communes, as many statements as the answers did.
 */
export async function flushBuffered(now = new Date()): Promise<void> {
  flushTimer = undefined;
  forgetEnded(now.getTime());
  const byDb = new Map<Db, [string, Pending][]>();
  const inCommunes: [string, Pending & { communeId: number }][] = [];
  for (const [key, entry] of [...pending]) {
    pending.delete(key);
    if (entry.communeId !== null) {
      inCommunes.push([key, { ...entry, communeId: entry.communeId }]);
      continue;
    }
    const list = byDb.get(entry.db);
    if (list) list.push([key, entry]);
    else byDb.set(entry.db, [[key, entry]]);
  }
  const batches: [Db, [string, Pending][], (tx: Tx) => Promise<HitResult[]>][] = [...byDb].map(([db, entries]) => [
    db,
    entries,
    async (tx) => {
      const out: HitResult[] = [];
      for (const [, entry] of entries) out.push(await hit(tx, entry.clientKey, entry.limit, now, entry.hits));
      return out;
    },
  ]);
  // Every commune's counters in one statement, on any commune's connection (it names the registry's table).
  if (inCommunes.length)
    batches.push([
      inCommunes[0][1].db,
      inCommunes,
      async (tx) => {
        const totals = await addCommuneHits(
          tx,
          inCommunes.map(([, e]) => ({ communeId: e.communeId, key: e.clientKey, windowSeconds: e.limit.windowSeconds, hits: e.hits })),
          now,
        );
        return totals.map(({ count, windowStart }, i) => {
          const resetAt = windowStart.getTime() + inCommunes[i][1].limit.windowSeconds * 1000;
          return { allowed: count <= inCommunes[i][1].limit.limit, count, retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now.getTime()) / 1000)) };
        });
      },
    ]);
  for (const [db, entries, add] of batches) {
    try {
      const results = await db.transaction(async (tx) => {
        await tx.execute(sql`set local synchronous_commit = off`);
        return await add(tx);
      });
      entries.forEach(([key], i) => known.set(key, { count: results[i].count, windowEnd: now.getTime() + results[i].retryAfterSeconds * 1000 }));
    } catch {
      // The database is away: keep the hits for the next flush.
      for (const [key, entry] of entries) {
        const again = pending.get(key);
        pending.set(key, { ...entry, hits: entry.hits + (again?.hits ?? 0) });
      }
    }
  }
  if (pending.size && !flushTimer) {
    flushTimer = setTimeout(() => void flushBuffered(), FLUSH_MS);
    flushTimer.unref();
  }
}

export function hitBuffered(db: Db, clientKey: string, limit: Limit, now = new Date()): HitResult {
  // One client's counts in one commune: the same address in another commune is counted there.
  const key = `${communeKey()}${clientKey}`;
  const seen = known.get(key);
  if (seen && seen.windowEnd <= now.getTime()) known.delete(key);
  const base = known.get(key);
  const mine = pending.get(key);
  const count = (base?.count ?? 0) + (mine?.hits ?? 0) + 1;
  pending.set(key, { db, communeId: currentCommune()?.id ?? null, clientKey, limit, hits: (mine?.hits ?? 0) + 1 });
  if (!flushTimer) {
    flushTimer = setTimeout(() => void flushBuffered(), FLUSH_MS);
    flushTimer.unref();
  }
  const windowEnd = base?.windowEnd ?? now.getTime() + limit.windowSeconds * 1000;
  return { allowed: count <= limit.limit, count, retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now.getTime()) / 1000)) };
}
