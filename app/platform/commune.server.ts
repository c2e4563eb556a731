/**
 * Which commune a request is for (docs/decisions/062-a-schema-for-each-commune.md).
 *
 * With QUORUM_COMMUNES=single (the default) there is one commune, the deployment itself: no
 * registry, nothing here changes what Quorum does. With `many`, the HTTP server finds the commune
 * by the request's Host among the registry's hosts (anything else is a 421 before any page) and
 * runs the rest of the request inside `inCommune`: the database handle (`getDb`), the public
 * origin, the caches and the participation-code secret are then that commune's. Work done outside
 * a request (the mail worker, purges) runs `forEachCommune`. Code that asks for the commune where
 * there is none gets an error, never another commune's data.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { communeKey as keyOfCommune, type CommuneRow } from "#db/communes";
import { loadEnv } from "./env.server";

export interface Commune {
  id: number;
  /** Prefix for every per-commune key kept in this process (caches, rate limits). */
  key: string;
  /** `scheme://host[:port]` of the commune's first host: every link, email, letter and QR code is built on it. */
  origin: string;
  /** Origins a form of this commune may be posted from. */
  origins: string[];
  hosts: string[];
  names: { fr: string; en: string };
  status: CommuneRow["status"];
}

const key = Symbol.for("quorum.commune.scope");
type Holder = { [key]?: AsyncLocalStorage<Commune> };
const holder = globalThis as Holder;
/** One store for the whole process, whichever bundle (server or app) asks. */
const scope: AsyncLocalStorage<Commune> = (holder[key] ??= new AsyncLocalStorage<Commune>());

export function manyCommunes(): boolean {
  return loadEnv().QUORUM_COMMUNES === "many";
}

/** The commune the current request (or job) is for; null in single-commune mode. Throws in `many` mode outside one. */
export function currentCommune(): Commune | null {
  if (!manyCommunes()) return null;
  const commune = scope.getStore();
  if (!commune) throw new Error("no commune for this work: it must run inside inCommune()");
  return commune;
}

/** A key prefix for what this process keeps per commune: "" with one commune. */
export function communeKey(): string {
  return currentCommune()?.key ?? "";
}

export function inCommune<R>(commune: Commune, work: () => R): R {
  return scope.run(commune, work);
}

/** The public origin links are built on: the commune's, or QUORUM_ORIGIN with one commune. */
export function publicOrigin(): string {
  return currentCommune()?.origin ?? loadEnv().QUORUM_ORIGIN;
}

/** Origins a state-changing request may come from. */
export function allowedOrigins(): string[] {
  return currentCommune()?.origins ?? loadEnv().allowedOrigins;
}

export function communeOf(row: CommuneRow, protocol: string): Commune {
  const hosts = row.hosts.map((h) => h.toLowerCase());
  return {
    id: row.id,
    key: `${keyOfCommune(row.id)}:`,
    origin: `${protocol}//${hosts[0]}`,
    origins: hosts.map((h) => `${protocol}//${h}`),
    hosts,
    names: { fr: row.nameFr, en: row.nameEn },
    status: row.status,
  };
}

// ---- the registry, as this process last read it ----

const REFRESH_MS = 2_000;
/** An unknown host may make the registry be read again, at most this often. */
const MISS_REFRESH_MS = 1_000;

interface Registry {
  byHost: Map<string, Commune>;
  all: Commune[];
  /** Each commune's content version as the registry was last read (decision 065). */
  versions: Map<number, number>;
  at: number;
}
let registry: Registry | undefined;
let reading: Promise<Registry> | undefined;
let lastMissRead = 0;
type Sql = import("postgres").Sql;
let registrySql: Sql | undefined;

async function readRegistry(): Promise<Registry> {
  const env = loadEnv();
  const { ensureRegistry, readCommunes } = await import("#db/communes");
  if (!registrySql) {
    const { default: postgres } = await import("postgres");
    registrySql = postgres(env.DATABASE_URL!, { max: 1, idle_timeout: 60, onnotice: () => {}, connect_timeout: 5 });
    await ensureRegistry(registrySql);
  }
  const protocol = new URL(env.QUORUM_ORIGIN).protocol;
  const rows = await readCommunes(registrySql);
  const all = rows.map((row) => communeOf(row, protocol));
  const byHost = new Map<string, Commune>();
  for (const c of all) for (const h of c.hosts) byHost.set(h, c);
  return { byHost, all, versions: new Map(rows.map((r) => [r.id, r.contentVersion])), at: Date.now() };
}

/**
 * Commune `id`'s content version as this process last read the registry (at most REFRESH_MS
 * old while requests arrive): a change committed by any process shows here within that time.
 */
export function registeredContentVersion(id: number): number {
  return registry?.versions.get(id) ?? 0;
}

async function fresh(force = false): Promise<Registry> {
  if (registry && !force && Date.now() - registry.at < REFRESH_MS) return registry;
  if (!reading)
    reading = readRegistry()
      .then((r) => (registry = r))
      .finally(() => (reading = undefined));
  try {
    return await reading;
  } catch (error) {
    if (registry) return registry;
    throw error;
  }
}

/** The commune a normalised `host[:port]` names, or null. */
export async function communeForHost(host: string): Promise<Commune | null> {
  let r = await fresh();
  let found = r.byHost.get(host) ?? null;
  if (!found && Date.now() - lastMissRead > MISS_REFRESH_MS) {
    // A commune added a moment ago by another process: read the registry again, not more than once a second.
    lastMissRead = Date.now();
    r = await fresh(true);
    found = r.byHost.get(host) ?? null;
  }
  return found;
}

/** Every active commune, for work done outside a request. */
export async function activeCommunes(): Promise<Commune[]> {
  return (await fresh()).all.filter((c) => c.status === "active");
}

/**
 * Runs `work` once for the one commune, or, in `many` mode, inside each active commune in turn;
 * one commune's failure is given to `failed` and does not stop the others.
 */
export async function forEachCommune(work: () => Promise<void>, failed: (error: unknown, commune: Commune | null) => void): Promise<void> {
  if (!manyCommunes()) {
    try {
      await work();
    } catch (error) {
      failed(error, null);
    }
    return;
  }
  let communes: Commune[];
  try {
    communes = await activeCommunes();
  } catch (error) {
    failed(error, null);
    return;
  }
  for (const c of communes) {
    try {
      await inCommune(c, work);
    } catch (error) {
      failed(error, c);
    }
  }
}

export async function closeRegistry(): Promise<void> {
  const sql = registrySql;
  registrySql = undefined;
  registry = undefined;
  await sql?.end({ timeout: 5 });
}
