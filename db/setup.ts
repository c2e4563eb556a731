import { migrateDatabase, openDatabase, type Database, type Db, type OpenOptions } from "./client";

/**
 * Opens the database, applies migrations and, when given a seed (the app's
 * demo consultation, see app/domain/consultations/seed.server.ts), runs it.
 */
export async function prepareDatabase(options: OpenOptions & { seed?: (db: Db) => Promise<unknown> }): Promise<Database> {
  const database = await openDatabase(options);
  try {
    await migrateDatabase(database);
    if (options.seed) await options.seed(database.db);
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
  return database;
}
