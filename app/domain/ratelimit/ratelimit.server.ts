/**
 * Fixed-window counters in PostgreSQL, so several app processes share them.
 * Keys are hashes (never a raw IP address); rows are overwritten when their
 * window has passed, so the table stays as small as the set of active keys.
 */
import { createHash, randomBytes } from "node:crypto";
import { eq, lt, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { meta, rateLimits } from "#db/schema";

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
export async function hit(db: Db, key: string, { limit, windowSeconds }: Limit, now = new Date()): Promise<HitResult> {
  // Raw SQL parameters go as ISO strings: postgres.js does not take Date objects there.
  const windowStart = new Date(now.getTime() - windowSeconds * 1000).toISOString();
  const nowIso = now.toISOString();
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart: now, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${rateLimits.windowStart} <= ${windowStart}::timestamptz then 1 else ${rateLimits.count} + 1 end`,
        windowStart: sql`case when ${rateLimits.windowStart} <= ${windowStart}::timestamptz then ${nowIso}::timestamptz else ${rateLimits.windowStart} end`,
      },
    })
    .returning({ count: rateLimits.count, windowStart: rateLimits.windowStart });
  const resetAt = row.windowStart.getTime() + windowSeconds * 1000;
  return { allowed: row.count <= limit, count: row.count, retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now.getTime()) / 1000)) };
}

/** Forgets a key (e.g. an account's failures after a successful sign-in). */
export async function clear(db: Db, key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}

/** Drops counters whose window ended long ago. */
export async function sweep(db: Db, olderThan: Date): Promise<void> {
  await db.delete(rateLimits).where(lt(rateLimits.windowStart, olderThan));
}

let secret: string | undefined;

/** A random secret made once per database, shared by every process: salts the hashed client keys. */
export async function installationSecret(db: Db): Promise<string> {
  if (secret) return secret;
  await db.insert(meta).values({ key: "installation_secret", value: randomBytes(32).toString("hex") }).onConflictDoNothing();
  const [row] = await db.select({ value: meta.value }).from(meta).where(eq(meta.key, "installation_secret"));
  secret = row.value;
  return secret;
}

/** A key for "this client" that cannot be turned back into an address. */
export async function clientKey(db: Db, scope: string, address: string | undefined): Promise<string> {
  const salt = await installationSecret(db);
  return `${scope}:client:${createHash("sha256").update(`${salt}:${address ?? "unknown"}`).digest("base64url").slice(0, 32)}`;
}

export function accountKey(scope: string, email: string): string {
  return `${scope}:account:${createHash("sha256").update(email.toLowerCase()).digest("base64url").slice(0, 32)}`;
}
