/** The app's one database handle (a module singleton that survives dev reloads). */
import { ping, type Database } from "#db/client";
import { prepareDatabase } from "#db/setup";
import { seedDemo } from "../domain/consultations/seed.server";
import { loadEnv } from "./env.server";

const key = Symbol.for("quorum.database");
type Holder = { [key]?: Promise<Database> };
const holder = globalThis as Holder;

export function getDatabase(): Promise<Database> {
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

export async function getDb() {
  return (await getDatabase()).db;
}

/** Whether the database answers (a cheap round trip, for /healthz); throws when it does not. */
export async function pingDatabase(): Promise<void> {
  await ping(await getDatabase());
}

export async function closeDatabase(): Promise<void> {
  const pending = holder[key];
  holder[key] = undefined;
  if (pending) await (await pending).close();
}

/** Route tests run loaders and actions against a database of their own. */
export function setDatabaseForTests(database: Database): void {
  holder[key] = Promise.resolve(database);
}
