/**
 * Many communes on one PostgreSQL database (docs/decisions/072-communes-in-rows.md, which
 * replaces 062's schema per commune).
 *
 * The registry (`quorum_registry.communes`) says which communes exist and which hosts name
 * them. Every commune's rows live in the one set of tables of `db/schema.ts`, each row carrying
 * its `commune_id`. Row-level security (migration 0012) shows and takes only the rows of the
 * connection's commune (`quorum.commune`), forced on the tables' owner too; the process's
 * connections run as a role that cannot bypass it. So a statement on a commune's handle can
 * only read and change that commune's rows — there is no `where` to forget.
 */
import { sql as query } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { MIGRATIONS_FOLDER, migratePostgres, type Database, type Db, type DbOrTx } from "./client";
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

/** What names commune `id` in the keys of the process's caches. */
export function communeKey(id: number): string {
  if (!Number.isSafeInteger(id) || id < 1) throw new Error(`not a commune id: ${id}`);
  return `commune_${id}`;
}

/**
 * The role the process's connections take when the login may bypass row-level security (a
 * superuser, or a role with BYPASSRLS): it may read and write Quorum's tables, and never bypasses.
 */
export const COMMUNE_ROLE = "quorum_commune";

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

/** Where decision 062 kept commune `id`'s tables, before migration 0012 put every commune's rows in one set. */
function legacySchema(id: number): string {
  return communeKey(id);
}

/**
 * Brings a commune's schema of decision 062 to the last migration before 0012 (the layout whose
 * rows `moveLegacyCommune` copies), each once, as the previous release did at every start.
 */
async function migrateLegacySchema(tx: import("postgres").TransactionSql, name: string, until: number, migrationsFolder: string): Promise<void> {
  const [last] = await tx.unsafe(`select coalesce(max(created_at), 0) as at from "${name}".__quorum_migrations`);
  await tx.unsafe(`set local search_path to "${name}"`);
  for (const m of readMigrationFiles({ migrationsFolder })) {
    if (m.folderMillis <= Number(last.at) || m.folderMillis >= until) continue;
    for (const statement of m.sql) {
      const text = statement.replaceAll(`"public".`, `"${name}".`);
      if (text.trim()) await tx.unsafe(text);
    }
    await tx.unsafe(`insert into "${name}".__quorum_migrations (hash, created_at) values ($1, $2)`, [m.hash, m.folderMillis]);
  }
  await tx.unsafe(`set local search_path to default`);
}

/** Quorum's tables (every one has `commune_id`), parents before the tables that refer to them. */
export async function tablesInOrder(tx: import("postgres").TransactionSql): Promise<string[]> {
  const tables = (
    await tx`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_attribute a on a.attrelid = c.oid
      where n.nspname = 'public' and c.relkind = 'r' and a.attname = 'commune_id' and not a.attisdropped order by c.relname`
  ).map((r) => String(r.name));
  const edges = await tx`select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent from pg_constraint c
    join pg_namespace n on n.oid = c.connamespace where c.contype = 'f' and n.nspname = 'public'`;
  const ordered: string[] = [];
  const visit = (t: string, seen: Set<string>) => {
    if (ordered.includes(t) || seen.has(t)) return;
    seen.add(t);
    for (const e of edges) if (e.child === t && e.parent !== t) visit(String(e.parent), seen);
    ordered.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return ordered.filter((t) => tables.includes(t));
}

/**
 * Moves commune `id`'s rows from its schema of decision 062 into the shared tables, as rows of
 * commune `id`, then drops that schema; in the caller's transaction, so all or nothing. Numbers
 * drawn from a sequence (answers, audit entries, messages) were the schema's own and would meet
 * another commune's: they are drawn again, and what names an answer or a message by its number
 * follows it (theme tags and rejections, the audit log's targets, the published figures' texts).
 * Left as they were: the answer numbers listed in the details of a theme's audit entries.
 */
async function moveLegacyCommune(tx: import("postgres").TransactionSql, id: number, until: number, migrationsFolder: string): Promise<void> {
  const name = legacySchema(id);
  const legacyTables = new Set(
    (await tx`select table_name from information_schema.tables where table_schema = ${name} and table_type = 'BASE TABLE'`).map((r) => String(r.table_name)),
  );
  // A process of the previous release still writing there waits until the rows are moved and the schema gone.
  for (const table of legacyTables) await tx.unsafe(`lock table "${name}"."${table}" in exclusive mode`);
  await migrateLegacySchema(tx, name, until, migrationsFolder);
  // As the commune, so that a login bound by row-level security writes its rows too.
  await tx`select set_config('quorum.commune', ${String(id)}, true)`;
  // Never merged with rows the shared tables already hold for the same number (rows written by
  // one commune alone are commune 1's): the operator decides, the move stops.
  for (const table of await tablesInOrder(tx)) {
    const [held] = await tx.unsafe(`select 1 from public."${table}" where commune_id = $1 limit 1`, [id]);
    if (held)
      throw new Error(
        `commune ${id} has rows both in its schema ${name} and in the shared table ${table}: nothing was moved. Export or remove one of them first (rows of a single-commune installation are commune 1's).`,
      );
  }
  // Answers and messages are numbered again (in their order); what names them by number follows.
  for (const [map, table] of [
    ["quorum_moved_answers", "answers"],
    ["quorum_moved_outbox", "outbox"],
  ]) {
    await tx.unsafe(`create temp table ${map} (old bigint primary key, new bigint not null) on commit drop`);
    await tx.unsafe(
      `insert into ${map} select id, nextval(pg_get_serial_sequence('public.${table}', 'id')) from (select id from "${name}".${table} order by id) a`,
    );
  }
  for (const table of await tablesInOrder(tx)) {
    if (!legacyTables.has(table)) continue;
    const columns = (
      await tx`select p.column_name, p.column_default from information_schema.columns p join information_schema.columns l
        on l.table_schema = ${name} and l.table_name = p.table_name and l.column_name = p.column_name
        where p.table_schema = 'public' and p.table_name = ${table} and p.column_name <> 'commune_id' order by p.ordinal_position`
    ).map((r) => ({ name: String(r.column_name), drawn: String(r.column_default ?? "").startsWith("nextval(") }));
    const list = columns.map((c) => `"${c.name}"`).join(", ");
    const values = columns.map((c) => {
      if ((table === "answers" || table === "outbox") && c.name === "id") return "m.new";
      if (c.drawn) return `nextval(pg_get_serial_sequence('public.${table}', '${c.name}'))`;
      if (c.name === "answer_id" && (table === "answer_themes" || table === "theme_rejections")) return "m.new";
      return `t."${c.name}"`;
    });
    const join =
      table === "answers" || table === "outbox"
        ? ` join quorum_moved_${table} m on m.old = t.id`
        : table === "answer_themes" || table === "theme_rejections"
          ? ` join quorum_moved_answers m on m.old = t.answer_id`
          : "";
    const drawnOrder = columns.some((c) => c.drawn) ? ` order by t.id` : "";
    await tx.unsafe(`insert into public."${table}" (commune_id, ${list}) select ${id}, ${values.join(", ")} from "${name}"."${table}" t${join}${drawnOrder}`);
  }
  // The audit log names a hidden or restored answer, and a message sent again, by number.
  await tx.unsafe(
    `update public.audit_log a set target_id = m.new::text from quorum_moved_answers m where a.commune_id = ${id} and a.target_type = 'answer' and a.target_id = m.old::text`,
  );
  await tx.unsafe(
    `update public.audit_log a set target_id = m.new::text from quorum_moved_outbox m where a.commune_id = ${id} and a.target_type = 'message' and a.target_id = m.old::text`,
  );
  // The published figures keep their free texts with their answers' numbers (moderation hides by number).
  await tx.unsafe(`update public.public_figures f set dataset = jsonb_set(f.dataset, '{texts}', coalesce((
      select jsonb_agg(case when m.new is null then x.t else jsonb_set(x.t, '{id}', to_jsonb(m.new)) end order by x.o)
      from jsonb_array_elements(f.dataset -> 'texts') with ordinality x(t, o) left join quorum_moved_answers m on m.old = (x.t ->> 'id')::bigint), '[]'::jsonb))
    where f.commune_id = ${id} and jsonb_typeof(f.dataset -> 'texts') = 'array'`);
  await tx.unsafe(`drop schema "${name}" cascade`);
}

/**
 * Makes Quorum's tables ready for many communes (at start-up, and before a commune is added):
 * the migrations applied to the shared tables, the role the connections take made and given its
 * rights, and any commune still in a schema of its own (decision 062) moved into the shared
 * tables. Returns how many communes were moved.
 */
export async function prepareCommunes(url: string, migrationsFolder = MIGRATIONS_FOLDER): Promise<{ communes: number; moved: number }> {
  await migratePostgres(url, migrationsFolder);
  const sql = await client(url);
  try {
    await ensureRegistry(sql);
    await ensureCommuneRole(sql);
    const until = Math.min(
      ...readMigrationFiles({ migrationsFolder })
        .filter((m) => m.sql.join("").includes("quorum_commune()"))
        .map((m) => m.folderMillis),
    );
    const legacy = (
      await sql`select n.nspname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relname = '__quorum_migrations' and n.nspname ~ '^commune_[0-9]+$'`
    ).map((r) => Number(String(r.name).slice("commune_".length)));
    let moved = 0;
    for (const id of legacy.sort((x, y) => x - y)) {
      await sql.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(${REGISTRY_LOCK}, ${id})`;
        const [still] = await tx`select 1 from pg_namespace where nspname = ${legacySchema(id)}`;
        if (!still) return;
        const [removed] = await tx`select 1 from quorum_registry.communes where id = ${id} and status = 'removed'`;
        if (removed) await tx.unsafe(`drop schema "${legacySchema(id)}" cascade`);
        else await moveLegacyCommune(tx, id, until, migrationsFolder);
        moved++;
      });
    }
    const [{ n }] = await sql`select count(*)::int as n from quorum_registry.communes where status <> 'removed'`;
    return { communes: Number(n), moved };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Whether the login of `sql` would see every commune's rows (a superuser, or BYPASSRLS). */
async function bypassesRowSecurity(sql: Sql): Promise<boolean> {
  const [row] = await sql`select rolsuper or rolbypassrls as bypass from pg_roles where rolname = current_user`;
  return Boolean(row?.bypass);
}

/**
 * When the login bypasses row-level security, makes `COMMUNE_ROLE` (no login, no bypass) and gives
 * it the rights Quorum's statements need, again after every migration (new tables).
 */
export async function ensureCommuneRole(sql: Sql): Promise<void> {
  if (!(await bypassesRowSecurity(sql))) return;
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${REGISTRY_LOCK})`;
    const [exists] = await tx`select 1 from pg_roles where rolname = ${COMMUNE_ROLE}`;
    if (!exists) await tx.unsafe(`create role ${COMMUNE_ROLE} nologin nosuperuser nobypassrls`);
    // A login with BYPASSRLS that is not a superuser may take the role only as one of its members.
    const [superuser] = await tx`select rolsuper from pg_roles where rolname = current_user`;
    if (!superuser?.rolsuper) await tx.unsafe(`grant ${COMMUNE_ROLE} to current_user`);
    await tx.unsafe(`grant usage on schema public, quorum_registry to ${COMMUNE_ROLE}`);
    await tx.unsafe(`grant select, insert, update, delete on all tables in schema public to ${COMMUNE_ROLE}`);
    await tx.unsafe(`grant usage, select on all sequences in schema public to ${COMMUNE_ROLE}`);
    await tx.unsafe(`grant select on quorum_registry.communes to ${COMMUNE_ROLE}`);
    await tx.unsafe(`grant select, insert, update, delete on quorum_registry.content_versions, quorum_registry.rate_limits to ${COMMUNE_ROLE}`);
  });
}

export type AddCommuneResult = { ok: true; commune: CommuneRow } | { ok: false; refusal: "host_taken"; host: string };

/** A new commune: its registry row (the tables are ready first). Refused when a host is already taken. */
export async function addCommune(url: string, input: { hosts: string[]; nameFr: string; nameEn: string }): Promise<AddCommuneResult> {
  await prepareCommunes(url);
  const sql = await client(url);
  try {
    return await addCommuneWith(sql, input);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** The same on an open connection, once `prepareCommunes` has run (the bench adds hundreds). */
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

const pools = new Map<string, SharedPool>();

/**
 * A commune's own database handle. Its statements run on the process's connections shared by
 * all communes (db/shared-pool.ts), each preceded, when the connection last served another
 * commune or was opened since, by setting `quorum.commune` to this one. A connection opens with
 * no commune, where a statement on Quorum's tables fails: it can never fall on another commune's rows.
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
  const client = pool.clientFor(id);
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
 * database once, and whether the login bypasses row-level security. postgres.js asks for the
 * array types of every type on each connection it opens (decision 070: a database shared with
 * other software may hold thousands); Quorum's statements use arrays of PostgreSQL's own types only.
 */
async function builtInArrayTypes(postgres: typeof import("postgres"), url: string): Promise<{ arrays: TypeMaps; bypass: boolean }> {
  const probe = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  let bypass: boolean;
  try {
    bypass = await bypassesRowSecurity(probe);
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
  return { arrays: { parsers, serializers, shared: { typeArrayMap } }, bypass };
}

async function makePool(url: string, connections: number): Promise<SharedPool> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { arrays, bypass } = await builtInArrayTypes(postgres, url);
  // A login that bypasses row-level security takes the role that does not, made by prepareCommunes.
  const role = bypass ? { role: COMMUNE_ROLE } : {};
  return sharedPool((closed) => {
    const sql = postgres(url, {
      max: 1,
      idle_timeout: 60,
      onnotice: () => {},
      connect_timeout: 5,
      backoff: (retries: number) => Math.min(0.1 * retries, 1),
      // Until its commune is set, a statement on the connection fails (quorum_commune() cannot read
      // "none"): it never runs as no commune, or as commune 1.
      connection: { "quorum.commune": "none", ...role },
      onclose: closed,
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
