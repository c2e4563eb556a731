/**
 * Opens Quorum's database: PostgreSQL through `postgres` when a URL is given,
 * embedded PGlite (real PostgreSQL compiled to WASM) otherwise.
 * Both are driven through the same drizzle `PgDatabase` type.
 */
import path from "node:path";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { PGlite as PGliteType } from "@electric-sql/pglite";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { isDatabaseUnavailable } from "./errors";
import * as schema from "./schema";

/** Read PostgreSQL errors with `./errors`; re-exported here for the callers that already import it from the client. */
export { isDatabaseUnavailable };

/**
 * What a query runs on: the database handle or a transaction (drizzle's `PgTransaction` is a
 * `PgDatabase`). Functions that may run inside or outside a transaction take this.
 */
export type DbOrTx = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A transaction, as `db.transaction(async (tx) => …)` hands it over. */
export type Tx = Parameters<Parameters<DbOrTx["transaction"]>[0]>[0];

/**
 * The database handle itself, never a transaction: what a command that opens its own
 * transaction (and bumps the page cache after it commits) or runs the driver's own
 * statements (`statementsOf`) needs.
 */
export type Db = DbOrTx & { $client: unknown };

export interface Database {
  db: Db;
  kind: "postgres" | "pglite";
  /** The connection string, for PostgreSQL. */
  url?: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** A PostgreSQL connection string; when absent, PGlite is used. */
  url?: string;
  /** PGlite data directory, or `memory://` for a throwaway database. */
  dataDir?: string;
  /**
   * PGlite only: a data directory saved by `dumpDatabase`, to start from instead of an empty
   * one — no initdb, and the migrations it had are already applied. Tests open their own
   * `memory://` copy of one migrated database this way (docs/decisions/041).
   */
  loadDataDir?: Blob;
  /** Connections in the postgres.js pool. */
  max?: number;
  /**
   * PostgreSQL only: the one schema the connections search (a commune's, db/communes.ts), and
   * how long an unused connection stays open, in seconds.
   */
  searchPath?: string;
  idleTimeout?: number;
}

export const MIGRATIONS_FOLDER = path.resolve(process.cwd(), "db/migrations");

/** Rows of `db.execute(…)`, whichever driver ran it. */
export async function queryRows<T>(db: DbOrTx, query: ReturnType<typeof sql>): Promise<T[]> {
  return rowsOf<T>(await db.execute(query));
}

/**
 * Hand-written SQL run by the driver itself, for the few statements on the busiest path
 * (storing an answer). postgres.js prepares each text once per connection, so PostgreSQL
 * parses and plans it once; drizzle's builder runs not at all. Parameters are positional
 * (`$1`) and cast in the text; dates go as ISO strings (`$n::timestamptz`).
 */
export interface Statements {
  run<T>(text: string, params: unknown[]): Promise<T[]>;
  /** Runs `work` in one transaction: committed when it returns, rolled back when it throws. */
  transaction<R>(work: (tx: Statements) => Promise<R>): Promise<R>;
}

type PostgresJsClient = {
  unsafe(text: string, params: unknown[], options: { prepare: boolean }): Promise<unknown[]>;
  begin<R>(work: (tx: PostgresJsClient) => Promise<R>): Promise<R>;
};
type PgliteClient = {
  query<T>(text: string, params: unknown[]): Promise<{ rows: T[] }>;
  transaction<R>(work: (tx: PgliteClient) => Promise<R>): Promise<R>;
};

/**
 * Fails fast while PostgreSQL is unreachable. After a "cannot reach" error, one call at a time goes
 * through to find out whether it is back; the others are refused at once (as unavailable) instead of
 * queueing behind connection attempts, so a resident gets the 503 page, answers kept, in moments.
 */
export class Breaker {
  private down = false;
  private probing = false;

  async guard<R>(work: () => Promise<R>): Promise<R> {
    if (this.down && this.probing) throw Object.assign(new Error("database unavailable"), { code: "CIRCUIT_OPEN" });
    const probe = this.down;
    if (probe) this.probing = true;
    try {
      const result = await work();
      this.down = false;
      return result;
    } catch (error) {
      if (isDatabaseUnavailable(error)) this.down = true;
      throw error;
    } finally {
      if (probe) this.probing = false;
    }
  }
}

/** Inside a transaction there is no breaker: the transaction as a whole went through the pool's. */
function postgresJsStatements(client: PostgresJsClient, breaker?: Breaker): Statements {
  const guard = <R>(work: () => Promise<R>) => (breaker ? breaker.guard(work) : work());
  return {
    run: <T>(text: string, params: unknown[]) => guard(async () => (await client.unsafe(text, params, { prepare: true })) as T[]),
    transaction: (work) => guard(() => client.begin((tx) => work(postgresJsStatements(tx)))),
  };
}

function pgliteStatements(client: PgliteClient): Statements {
  return {
    run: async <T>(text: string, params: unknown[]) => (await client.query<T>(text, params)).rows,
    transaction: (work) => client.transaction((tx) => work(pgliteStatements(tx))),
  };
}

const statementsCache = new WeakMap<object, Statements>();

/** The driver under a drizzle handle (not a drizzle transaction), as `Statements`. */
export function statementsOf(db: Db): Statements {
  const client = db.$client as object | undefined;
  if (!client) throw new Error("statementsOf needs the database handle, not a transaction");
  let statements = statementsCache.get(client);
  if (!statements) {
    statements =
      "unsafe" in client ? postgresJsStatements(client as unknown as PostgresJsClient, new Breaker()) : pgliteStatements(client as unknown as PgliteClient);
    statementsCache.set(client, statements);
  }
  return statements;
}

function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  if (options.url) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const client = postgres(options.url, {
      max: options.max ?? 10,
      onnotice: () => {},
      connect_timeout: 5,
      // After failed connections postgres.js waits before trying again, and a query waits with it:
      // by default up to 20 s. Capped at 1 s, a resident gets the 503 page (and the service worker
      // keeps the answer) within a second or two of an outage, and answers flow again as soon as
      // the database is back.
      backoff: (retries: number) => Math.min(0.1 * retries, 1),
      ...(options.idleTimeout ? { idle_timeout: options.idleTimeout } : {}),
      ...(options.searchPath ? { connection: { search_path: `"${options.searchPath}"` } } : {}),
    });
    const db: Db = drizzle(client, { schema });
    return {
      db,
      kind: "postgres",
      url: options.url,
      close: () => client.end({ timeout: 5 }),
    };
  }
  const dataDir = options.dataDir ?? "memory://";
  const release = dataDir.startsWith("memory://") ? () => {} : await lockDataDir(dataDir);
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  let client: InstanceType<typeof PGlite>;
  try {
    client = new PGlite(dataDir, options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
    await client.waitReady;
  } catch (error) {
    release();
    throw error;
  }
  const db: Db = drizzle(client, { schema });
  return {
    db,
    kind: "pglite",
    close: async () => {
      await client.close();
      release();
    },
  };
}

/**
 * A PGlite database's whole data directory as an uncompressed tarball, for `loadDataDir`.
 * A checkpoint first, so that the copy opens without replaying the write-ahead log.
 */
export async function dumpDatabase(database: Database): Promise<Blob> {
  if (database.kind !== "pglite") throw new Error("dumpDatabase saves a PGlite database; on PostgreSQL use a template database");
  const client = (database.db as unknown as { $client: PGliteType }).$client;
  await client.exec("checkpoint");
  return client.dumpDataDir("none");
}

/** PGlite serves one process per data directory: a second opener is refused while the first lives. */
export class DatabaseBusyError extends Error {
  constructor(
    public pid: number,
    public dataDir: string,
  ) {
    super(`The embedded database in ${dataDir} is in use by another Quorum process (pid ${pid}).`);
  }
}

async function lockDataDir(dataDir: string): Promise<() => void> {
  const fs = await import("node:fs");
  fs.mkdirSync(dataDir, { recursive: true });
  const lock = `${path.resolve(dataDir)}.pid`;
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === "EPERM";
    }
  };
  try {
    const pid = Number.parseInt(fs.readFileSync(lock, "utf8"), 10);
    if (pid && pid !== process.pid && alive(pid)) throw new DatabaseBusyError(pid, dataDir);
  } catch (e) {
    if (e instanceof DatabaseBusyError) throw e;
  }
  fs.writeFileSync(lock, String(process.pid));
  return () => {
    try {
      if (fs.readFileSync(lock, "utf8") === String(process.pid)) fs.unlinkSync(lock);
    } catch {
      // already gone
    }
  };
}

/** Applies pending drizzle-kit migrations. Several processes may start at once on PostgreSQL: an advisory lock serialises them. */
export async function migrateDatabase(database: Database, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  if (database.kind === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    // openDatabase made this handle with drizzle-orm/pglite: its migrator wants that type back.
    await migrate(database.db as unknown as PgliteDatabase<typeof schema>, { migrationsFolder });
    return;
  }
  await migratePostgres(database.url!, migrationsFolder);
}

/** Applies pending migrations to the PostgreSQL database at `url`, one process at a time. */
export async function migratePostgres(url: string, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  // One dedicated connection (drizzle's advice for migrations) holding a session advisory lock.
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(726354001)`;
    await migrate(drizzle(client), { migrationsFolder });
    await client`select pg_advisory_unlock(726354001)`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** Cheap round trip used by /healthz. */
export async function ping(database: Database): Promise<void> {
  await database.db.execute(sql`select 1`);
}
