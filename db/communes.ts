/**
 * Many communes on one PostgreSQL database (docs/decisions/062-a-schema-for-each-commune.md).
 *
 * The registry (`quorum_registry.communes`) says which communes exist and which hosts name
 * them. Each commune's data lives in a PostgreSQL schema of its own, `commune_<id>`, holding the
 * very tables of `db/schema.ts` made by the same migrations. A commune's connections are opened
 * with `search_path` set to its schema and nothing else: every query Quorum writes names its
 * tables without a schema, so on those connections it can only read and change that commune's
 * rows — there is no column to forget in a `where`.
 */
import { sql as query } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { MIGRATIONS_FOLDER, type Database, type Db, type DbOrTx } from "./client";
import * as schema from "./schema";
import { sharedPool, type SharedPool } from "./shared-pool";

export type CommuneStatus = "active" | "suspended" | "removed";

export interface CommuneRow {
  id: number;
  /** `host[:port]`, lower case; the first is the commune's own (links, emails and letters use it). */
  hosts: string[];
  nameFr: string;
  nameEn: string;
  status: CommuneStatus;
  createdAt: Date;
}

/** The schema a commune's tables live in. */
export function communeSchema(id: number): string {
  if (!Number.isSafeInteger(id) || id < 1) throw new Error(`not a commune id: ${id}`);
  return `commune_${id}`;
}

type Sql = import("postgres").Sql;

/** One connection to the installation's database (the registry and every commune's schema). */
export async function client(url: string, options: import("postgres").Options<Record<string, never>> = {}): Promise<Sql> {
  const { default: postgres } = await import("postgres");
  return postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5, ...options });
}

/** Held (transaction-wide) by whatever creates, migrates or removes communes. */
export const REGISTRY_LOCK = 726354002;

/** Makes the registry when it is missing (any process may be first). */
export async function ensureRegistry(sql: Sql): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${REGISTRY_LOCK})`;
    await tx.unsafe(`create schema if not exists quorum_registry`);
    await tx.unsafe(`create table if not exists quorum_registry.communes (
      id serial primary key,
      hosts text[] not null,
      name_fr text not null,
      name_en text not null,
      status text not null default 'active' check (status in ('active', 'suspended', 'removed')),
      created_at timestamptz not null default now()
    )`);
    await tx.unsafe(`create table if not exists quorum_registry.events (
      id bigserial primary key,
      commune_id integer not null,
      action text not null,
      detail jsonb not null default '{}',
      at timestamptz not null default now()
    )`);
    // What residents see of each commune changes when this number does (decision 065): every
    // process reads it with the registry and keeps a commune's pages and data until it moves.
    await tx.unsafe(`create table if not exists quorum_registry.content_versions (
      commune_id integer primary key,
      version bigint not null default 0
    )`);
    // With many communes, the buffered rate-limit counters of busy paths (decision 067): every
    // commune's added in one statement a second, rather than a transaction per commune.
    await tx.unsafe(`create table if not exists quorum_registry.rate_limits (
      commune_id integer not null,
      key text not null,
      window_start timestamptz not null,
      window_seconds integer not null,
      count integer not null,
      primary key (commune_id, key)
    )`);
  });
}

function rowOf(r: Record<string, unknown>): CommuneRow {
  return {
    id: Number(r.id),
    hosts: r.hosts as string[],
    nameFr: String(r.name_fr),
    nameEn: String(r.name_en),
    status: r.status as CommuneStatus,
    createdAt: new Date(r.created_at as string),
  };
}

/**
 * Every commune not removed, oldest first, read on an open connection, with its content version:
 * it moves on every change of what the commune's residents see (decision 065); 0 before the first.
 */
export async function readCommunes(sql: Sql): Promise<(CommuneRow & { contentVersion: number })[]> {
  const rows = await sql`select c.id, c.hosts, c.name_fr, c.name_en, c.status, c.created_at, coalesce(v.version, 0) as content_version
    from quorum_registry.communes c left join quorum_registry.content_versions v on v.commune_id = c.id
    where c.status <> 'removed' order by c.id`;
  return rows.map((r) => ({ ...rowOf(r), contentVersion: Number(r.content_version) }));
}

/**
 * A change of what commune `id`'s residents see has committed: its content version moves, and
 * every process renders its pages again once it has read the registry (decision 065). The
 * statement names the registry's table, so it runs on any connection, whatever it searches.
 */
export async function bumpContentVersion(db: Db, id: number): Promise<void> {
  await db.execute(
    query`insert into quorum_registry.content_versions (commune_id, version) values (${id}, 1)
      on conflict (commune_id) do update set version = quorum_registry.content_versions.version + 1`,
  );
}

/** Hits counted under a commune's key since the last time they were added. */
export interface CommuneHits {
  communeId: number;
  /** The key as the commune's own counters name it (a salted digest). */
  key: string;
  windowSeconds: number;
  hits: number;
}

/**
 * Adds the hits of any number of communes in one statement, of one text whatever the communes
 * (one plan, one round trip); a key whose window has passed starts again from its hits. Returns,
 * in the order given, each key's total and when its window began (decision 067). The table is
 * shared by every commune, the one exception to decision 062's schema per commune: every statement
 * on it names its `commune_id`.
 */
export async function addCommuneHits(db: DbOrTx, batch: CommuneHits[], now: Date): Promise<{ count: number; windowStart: Date }[]> {
  if (!batch.length) return [];
  // In one order, so that two processes adding the same keys wait for each other rather than deadlock.
  const rows = [...batch].sort((a, b) => a.communeId - b.communeId || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const json = JSON.stringify(rows.map((r) => ({ c: r.communeId, k: r.key, w: r.windowSeconds, n: r.hits })));
  const result = (await db.execute(
    query`insert into quorum_registry.rate_limits as r (commune_id, key, window_start, window_seconds, count)
      select h.c, h.k, ${now.toISOString()}::timestamptz, h.w, h.n from jsonb_to_recordset(${json}::text::jsonb) as h(c integer, k text, w integer, n integer)
        join quorum_registry.communes c on c.id = h.c and c.status <> 'removed'
      on conflict (commune_id, key) do update set
        count = case when r.window_start <= excluded.window_start - make_interval(secs => excluded.window_seconds) then excluded.count else r.count + excluded.count end,
        window_start = case when r.window_start <= excluded.window_start - make_interval(secs => excluded.window_seconds) then excluded.window_start else r.window_start end,
        window_seconds = excluded.window_seconds
      returning commune_id, key, count, window_start`,
  )) as unknown as Record<string, unknown>[];
  const totals = new Map(
    result.map((r) => [`${Number(r.commune_id)}:${String(r.key)}`, { count: Number(r.count), windowStart: new Date(r.window_start as string) }]),
  );
  // A commune removed meanwhile keeps no counter (the hits a process still held for it are dropped).
  return batch.map((h) => totals.get(`${h.communeId}:${h.key}`) ?? { count: h.hits, windowStart: now });
}

/** Forgets commune `id`'s buffered counters whose window began before `olderThan`. */
export async function sweepCommuneHits(db: DbOrTx, id: number, olderThan: Date): Promise<void> {
  await db.execute(query`delete from quorum_registry.rate_limits where commune_id = ${id} and window_start < ${olderThan.toISOString()}::timestamptz`);
}

/** Every commune not removed, oldest first. */
export async function listCommunes(url: string): Promise<CommuneRow[]> {
  const sql = await client(url);
  try {
    await ensureRegistry(sql);
    return await readCommunes(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Brings a commune's schema to the latest migration: the files `db/migrations` holds, applied in
 * order inside the schema, each once (recorded in the schema's own `__quorum_migrations`). The
 * files name `"public"` in their foreign keys; here they name the commune's schema instead.
 */
export async function migrateCommune(sql: Sql, id: number, migrationsFolder = MIGRATIONS_FOLDER): Promise<number> {
  return sql.begin((tx) => migrateCommuneIn(tx, id, migrationsFolder));
}

async function migrateCommuneIn(tx: import("postgres").TransactionSql, id: number, migrationsFolder = MIGRATIONS_FOLDER): Promise<number> {
  const name = communeSchema(id);
  const migrations = readMigrationFiles({ migrationsFolder });
  await tx`select pg_advisory_xact_lock(${REGISTRY_LOCK}, ${id})`;
  // A commune removed since this process read the registry keeps no schema.
  const [removed] = await tx`select 1 from quorum_registry.communes where id = ${id} and status = 'removed'`;
  if (removed) return 0;
  await tx.unsafe(`create schema if not exists "${name}"`);
  await tx.unsafe(`create table if not exists "${name}".__quorum_migrations (hash text not null, created_at bigint not null)`);
  const [last] = await tx.unsafe(`select coalesce(max(created_at), 0) as at from "${name}".__quorum_migrations`);
  await tx.unsafe(`set local search_path to "${name}"`);
  let applied = 0;
  for (const m of migrations) {
    if (m.folderMillis <= Number(last.at)) continue;
    for (const statement of m.sql) {
      const text = statement.replaceAll(`"public".`, `"${name}".`);
      if (text.trim()) await tx.unsafe(text);
    }
    await tx.unsafe(`insert into "${name}".__quorum_migrations (hash, created_at) values ($1, $2)`, [m.hash, m.folderMillis]);
    applied++;
  }
  await tx.unsafe(`set local search_path to default`);
  return applied;
}

export type AddCommuneResult = { ok: true; commune: CommuneRow } | { ok: false; refusal: "host_taken"; host: string };

/** A new commune: its registry row, then its schema, migrated. Refused when a host is already taken. */
export async function addCommune(url: string, input: { hosts: string[]; nameFr: string; nameEn: string }): Promise<AddCommuneResult> {
  const sql = await client(url);
  try {
    return await addCommuneWith(sql, input);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** The same on an open connection (the bench adds hundreds). */
export async function addCommuneWith(sql: Sql, input: { hosts: string[]; nameFr: string; nameEn: string }): Promise<AddCommuneResult> {
  await ensureRegistry(sql);
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${REGISTRY_LOCK})`;
    const [taken] = await tx`select h from quorum_registry.communes, unnest(hosts) h where status <> 'removed' and h = any(${input.hosts})`;
    if (taken) return { ok: false as const, refusal: "host_taken" as const, host: String(taken.h) };
    const [row] = await tx`insert into quorum_registry.communes (hosts, name_fr, name_en) values (${input.hosts}, ${input.nameFr}, ${input.nameEn})
      returning id, hosts, name_fr, name_en, status, created_at`;
    // JSON as text, cast by PostgreSQL: a `$1::jsonb` parameter would be serialised again (a JSON string, not an object).
    await tx`insert into quorum_registry.events (commune_id, action, detail) values (${row.id}, 'added', ${JSON.stringify({ hosts: input.hosts })}::text::jsonb)`;
    // In the same transaction: no process sees the host before its tables exist.
    await migrateCommuneIn(tx, Number(row.id));
    return { ok: true as const, commune: rowOf(row) };
  });
}

/** Suspends or resumes a commune by one of its hosts; its data stays. */
export async function setCommuneStatus(url: string, host: string, status: "active" | "suspended"): Promise<CommuneRow | null> {
  const sql = await client(url);
  try {
    await ensureRegistry(sql);
    return await sql.begin(async (tx) => {
      const [row] = await tx`update quorum_registry.communes set status = ${status} where status <> 'removed' and ${host} = any(hosts)
        returning id, hosts, name_fr, name_en, status, created_at`;
      if (!row) return null;
      await tx`insert into quorum_registry.events (commune_id, action, detail) values (${row.id}, ${status === "suspended" ? "suspended" : "resumed"}, ${JSON.stringify({ host })}::text::jsonb)`;
      return rowOf(row);
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Migrates every commune's schema that is behind (at start-up). Each schema's last migration is
 * read first, on one connection; only a schema behind takes the lock and migrates.
 */
export async function migrateAllCommunes(url: string, migrationsFolder = MIGRATIONS_FOLDER): Promise<{ communes: number; applied: number }> {
  const sql = await client(url);
  try {
    await ensureRegistry(sql);
    const latest = Math.max(0, ...readMigrationFiles({ migrationsFolder }).map((m) => m.folderMillis));
    const rows = await sql`select id from quorum_registry.communes where status <> 'removed' order by id`;
    const present = new Set(
      (await sql`select n.nspname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relname = '__quorum_migrations'`).map((x) =>
        String(x.name),
      ),
    );
    let applied = 0;
    for (const r of rows) {
      const name = communeSchema(Number(r.id));
      // A commune removed meanwhile has no table left to read: migrateCommune then leaves it be.
      const [done] = present.has(name)
        ? await sql.unsafe(`select coalesce(max(created_at), 0) as at from "${name}".__quorum_migrations`).catch((error: { code?: string }) => {
            if (error.code === "42P01") return [];
            throw error;
          })
        : [];
      if (!done || Number(done.at) < latest) applied += await migrateCommune(sql, Number(r.id), migrationsFolder);
    }
    return { communes: rows.length, applied };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Connections searching this schema see no table: where a connection stands before a commune's is set. */
export const NO_COMMUNE_SCHEMA = "quorum_no_commune";

const pools = new Map<string, SharedPool>();

/**
 * A commune's own database handle. Its statements run on the process's connections shared by
 * all communes (db/shared-pool.ts), each preceded, when the connection last served another
 * commune, by `set search_path` to this commune's schema alone. A connection opens searching a
 * schema that holds nothing, so a statement can never fall on another commune's tables.
 */
export async function openCommuneDatabase(url: string, id: number, connections = 10, { shared = false } = {}): Promise<Database> {
  // A script's handle has connections of its own, closed with it; the server's share the process's.
  let pool: SharedPool;
  if (shared) {
    let making = makingPools.get(url);
    if (!making) {
      making = makePool(url, connections).then((made) => (pools.set(url, made), made));
      makingPools.set(url, making);
      making.catch(() => makingPools.get(url) === making && makingPools.delete(url)); // the next handle asked for tries again
    }
    pool = await making;
  } else pool = await makePool(url, connections);
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const client = pool.clientFor(communeSchema(id));
  const db: Db = drizzle(client as Sql, { schema });
  const own = shared ? null : pool;
  return { db, kind: "postgres", url, close: async () => await own?.end() };
}

const makingPools = new Map<string, Promise<SharedPool>>();

/** PostgreSQL gives the types it makes itself numbers below this one (`FirstNormalObjectId`). */
const FIRST_USER_OID = 16_384;

interface TypeMaps {
  parsers: Record<number, unknown>;
  serializers: Record<number, unknown>;
  shared: { typeArrayMap: Record<number, number> };
}

/**
 * How to read and write arrays of PostgreSQL's own types (`uuid[]`, `text[]`…), asked of the
 * database once. postgres.js asks for the array types of every type on each connection it opens,
 * and a database of 500 communes has some 33,000 (each table's row type has one): about 6 MB of
 * functions per connection, fetched again whenever a connection reopens. Quorum's statements use
 * arrays of PostgreSQL's own types only.
 */
async function builtInArrayTypes(postgres: typeof import("postgres"), url: string): Promise<TypeMaps> {
  const probe = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await probe`select 1`;
  } finally {
    await probe.end({ timeout: 5 });
  }
  const all = probe.options as unknown as TypeMaps;
  const typeArrayMap: Record<number, number> = {};
  const parsers: Record<number, unknown> = {};
  const serializers: Record<number, unknown> = {};
  for (const [element, array] of Object.entries(all.shared.typeArrayMap)) {
    if (Number(element) >= FIRST_USER_OID) {
      // The serializers kept below still read the probe's options: it keeps none of these either.
      delete all.parsers[array];
      delete all.serializers[array];
      delete all.shared.typeArrayMap[Number(element)];
      continue;
    }
    typeArrayMap[Number(element)] = array;
    parsers[array] = all.parsers[array];
    serializers[array] = all.serializers[array];
  }
  return { parsers, serializers, shared: { typeArrayMap } };
}

async function makePool(url: string, connections: number): Promise<SharedPool> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const arrays = await builtInArrayTypes(postgres, url);
  return sharedPool(() => {
    const sql = postgres(url, {
      max: 1,
      idle_timeout: 60,
      onnotice: () => {},
      connect_timeout: 5,
      backoff: (retries: number) => Math.min(0.1 * retries, 1),
      connection: { search_path: NO_COMMUNE_SCHEMA },
      fetch_types: false,
    });
    const maps = sql.options as unknown as TypeMaps;
    Object.assign(maps.parsers, arrays.parsers);
    Object.assign(maps.serializers, arrays.serializers);
    Object.assign(maps.shared.typeArrayMap, arrays.shared.typeArrayMap);
    drizzle(sql); // drizzle sets its date and JSON parsers on the client it is given: on every connection alike
    return sql;
  }, connections);
}

/** Closes the shared connections (at shutdown). */
export async function closeCommunePools(): Promise<void> {
  const open = [...pools.values()];
  pools.clear();
  makingPools.clear();
  await Promise.all(open.map((p) => p.end()));
}

/** For the bench: the shared connections and how often one changed commune. */
export function communePoolStats(url: string) {
  return pools.get(url)?.stats() ?? null;
}
