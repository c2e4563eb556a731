/**
 * Consultations as resident pages read them, kept in memory for a few seconds
 * (most requests are for the same few consultations) and served stale while
 * the database cannot be reached, so a resident in the middle of a form still
 * gets their page back with their answers.
 */
import { isDatabaseUnavailable, type DbOrTx } from "#db/client";
import { communeKey } from "~/platform/commune.server";
import { getConsultationBySlug } from "./queries.server";
import type { ConsultationView } from "./types";

export const FRESH_MS = 2_000;
export const STALE_MS = 10 * 60_000;
/** After a failed refresh, how long the stale copy is served without asking the database again. */
export const RETRY_MS = 1_000;

interface Entry {
  value: ConsultationView | null;
  at: number;
  failedAt?: number;
}
const cache = new Map<string, Entry>();
/** One read per slug at a time: requests arriving meanwhile wait for it instead of adding theirs. */
const reading = new Map<string, Promise<ConsultationView | null>>();

export async function getConsultationCached(db: DbOrTx, slug: string, now = Date.now()): Promise<ConsultationView | null> {
  // With many communes, two may use the same slug: each keeps its own.
  const key = `${communeKey()}${slug}`;
  const hit = cache.get(key);
  if (hit && now - hit.at < FRESH_MS) return hit.value;
  const usable = hit && hit.value && now - hit.at < STALE_MS ? hit.value : null;
  // The database was just found unreachable: the last copy serves at once, without queueing behind it.
  if (usable && hit?.failedAt !== undefined && now - hit.failedAt < RETRY_MS) return usable;
  let read = reading.get(key);
  if (!read) {
    read = getConsultationBySlug(db, slug).finally(() => reading.delete(key));
    reading.set(key, read);
  }
  try {
    const value = await read;
    if (cache.size > 500) cache.clear();
    cache.set(key, { value, at: now });
    return value;
  } catch (error) {
    if (usable && isDatabaseUnavailable(error)) {
      hit!.failedAt = now;
      return usable;
    }
    throw error;
  }
}

let version = 0;

/** The version of what residents see; pages rendered under an older one are rendered again. */
export function contentVersion(): number {
  return version;
}

/**
 * A staff change has committed: this process reads the consultation afresh and
 * renders resident pages again at once (other processes within seconds).
 * Called after the write, never before: a render in between would keep the old content.
 */
export function contentChanged(slug?: string): void {
  if (slug) cache.delete(`${communeKey()}${slug}`);
  else cache.clear();
  reading.clear();
  version += 1;
}

/**
 * Runs a staff change; once it has committed and succeeded, resident pages and the
 * consultation cache are told (`contentChanged`). A refused or failed change tells nobody.
 */
export async function afterCommit<T extends { ok: boolean }>(slug: string, write: () => Promise<T>): Promise<T> {
  const result = await write();
  if (result.ok) contentChanged(slug);
  return result;
}
