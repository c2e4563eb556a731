/**
 * Consultations as resident pages read them, kept in memory for a few seconds
 * (most requests are for the same few consultations) and served stale while
 * the database cannot be reached, so a resident in the middle of a form still
 * gets their page back with their answers.
 */
import { isDatabaseUnavailable, type DbOrTx } from "#db/client";
import { communeKey, manyCommunes } from "~/platform/commune.server";
import { COMMUNE_FRESH_MS, contentChangedHere, contentVersion as currentVersion } from "~/platform/content-version.server";
import { getConsultationBySlug } from "./queries.server";
import type { ConsultationView } from "./types";

/** How long a copy serves with one commune (decision 009); with many, COMMUNE_FRESH_MS under an unchanged content version (decision 065). */
export const FRESH_MS = 2_000;
/** The most consultations kept at once (all communes together); past that the least recently used goes. */
export const MAX_CONSULTATIONS = 5_000;
export const STALE_MS = 10 * 60_000;
/** After a failed refresh, how long the stale copy is served without asking the database again. */
export const RETRY_MS = 1_000;

interface Entry {
  value: ConsultationView | null;
  at: number;
  /** The content version the read started under. */
  version: string;
  failedAt?: number;
}
const cache = new Map<string, Entry>();
/** One read per slug at a time: requests arriving meanwhile wait for it instead of adding theirs. */
const reading = new Map<string, { version: string; done: Promise<ConsultationView | null> }>();

const freshMs = () => (manyCommunes() ? COMMUNE_FRESH_MS : FRESH_MS);

export async function getConsultationCached(db: DbOrTx, slug: string, now = Date.now()): Promise<ConsultationView | null> {
  // With many communes, two may use the same slug: each keeps its own.
  const key = `${communeKey()}${slug}`;
  const version = currentVersion();
  const hit = cache.get(key);
  if (hit && hit.version === version && now - hit.at < freshMs()) {
    cache.delete(key);
    cache.set(key, hit); // the most recently used last
    return hit.value;
  }
  const usable = hit && hit.value && now - hit.at < STALE_MS ? hit.value : null;
  // The database was just found unreachable: the last copy serves at once, without queueing behind it.
  if (usable && hit?.failedAt !== undefined && now - hit.failedAt < RETRY_MS) return usable;
  let read = reading.get(key);
  if (!read || read.version !== version) {
    const started = { version, done: getConsultationBySlug(db, slug).finally(() => reading.get(key) === started && reading.delete(key)) };
    reading.set(key, started);
    read = started;
  }
  try {
    const value = await read.done;
    cache.delete(key);
    if (cache.size >= MAX_CONSULTATIONS) cache.delete(cache.keys().next().value!);
    // Kept under the version its read started under: a change committed meanwhile reads it again.
    cache.set(key, { value, at: now, version: read.version });
    return value;
  } catch (error) {
    if (usable && isDatabaseUnavailable(error)) {
      hit!.failedAt = now;
      return usable;
    }
    throw error;
  }
}

/**
 * The version of what the current commune's residents see (decision 065); pages, consultations
 * and settings kept under another are read and rendered again.
 */
export function contentVersion(): string {
  return currentVersion();
}

/**
 * A staff change has committed: this process reads the commune's consultations afresh and
 * renders its resident pages again at once; other processes within seconds (with many
 * communes, once they read the registry's content version, which this moves).
 * Called after the write, never before: a render in between would keep the old content.
 * Resolves once the registry's number has moved; never rejects.
 */
export function contentChanged(slug?: string): Promise<void> {
  if (slug) {
    const key = `${communeKey()}${slug}`;
    cache.delete(key);
    reading.delete(key);
  }
  return contentChangedHere();
}

/**
 * Runs a staff change; once it has committed and succeeded, resident pages and the
 * consultation cache are told (`contentChanged`), every process's before the result returns.
 * A refused or failed change tells nobody.
 */
export async function afterCommit<T extends { ok: boolean }>(slug: string, write: () => Promise<T>): Promise<T> {
  const result = await write();
  if (result.ok) await contentChanged(slug);
  return result;
}
