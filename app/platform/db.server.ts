/**
 * The app's database handle (a module singleton that survives dev reloads). With many communes
 * (QUORUM_COMMUNES=many), one handle per commune, whose statements see only that commune's rows
 * (row-level security, decision 072), on connections all communes share: `getDb()` gives the current request's
 * (app/platform/commune.server.ts, db/shared-pool.ts).
 */
import { openDatabase, ping, type Database } from "#db/client";
import { closeCommunePools, openCommuneDatabase, prepareCommunes } from "#db/communes";
import { prepareDatabase } from "#db/setup";
import { seedDemo } from "../domain/consultations/seed.server";
import { closeRegistry, currentCommune, manyCommunes } from "./commune.server";
import { loadEnv } from "./env.server";

const key = Symbol.for("quorum.database");
const communesKey = Symbol.for("quorum.database.communes");
type Holder = { [key]?: Promise<Database>; [communesKey]?: Map<number, Promise<Database>> };
const holder = globalThis as Holder;

function communeDatabases(): Map<number, Promise<Database>> {
  return (holder[communesKey] ??= new Map());
}

export function getDatabase(): Promise<Database> {
  const commune = currentCommune();
  if (commune) {
    const open = communeDatabases();
    let database = open.get(commune.id);
    if (!database) {
      const env = loadEnv();
      database = openCommuneDatabase(env.DATABASE_URL!, commune.id, env.QUORUM_COMMUNE_CONNECTIONS, { shared: true });
      open.set(commune.id, database);
      database.catch(() => open.delete(commune.id));
    }
    return database;
  }
  if (!holder[key]) {
    const env = loadEnv();
    holder[key] = prepareDatabase({
      url: env.DATABASE_URL,
      dataDir: env.QUORUM_DATA_DIR,
      seed: env.QUORUM_SEED_DEMO ? seedDemo : undefined,
    });
    holder[key].catch(() => {
      holder[key] = undefined;
    });
  }
  return holder[key]!;
}

/** The one database, or with many communes the connection /healthz pings (it reads no commune's tables). */
function getDatabaseOrRegistry(): Promise<Database> {
  return manyCommunes() ? holder[key]! : getDatabase();
}

export async function getDb() {
  return (await getDatabase()).db;
}

/**
 * Ready to serve: the database opened and migrated; with many communes, the shared tables
 * migrated, the connections' role ready and any commune of the previous release's schemas moved in.
 */
export async function prepare(): Promise<void> {
  if (manyCommunes()) await prepareCommunes(loadEnv().DATABASE_URL!);
  else await getDatabase();
}

/**
 * Whether the database answers (a cheap round trip, for /healthz); throws when it does not. With
 * many communes /healthz names none, so the registry's database is asked.
 */
export async function pingDatabase(): Promise<void> {
  if (manyCommunes() && !holder[key]) {
    holder[key] = openDatabase({ url: loadEnv().DATABASE_URL, max: 1, idleTimeout: 60 });
    holder[key].catch(() => (holder[key] = undefined));
  }
  await ping(await getDatabaseOrRegistry());
}

export async function closeDatabase(): Promise<void> {
  const pending = [holder[key], ...communeDatabases().values()];
  holder[key] = undefined;
  communeDatabases().clear();
  await closeRegistry();
  await closeCommunePools();
  for (const p of pending) if (p) await (await p.catch(() => null))?.close();
}

/** Route tests run loaders and actions against a database of their own. */
export function setDatabaseForTests(database: Database): void {
  holder[key] = Promise.resolve(database);
}
