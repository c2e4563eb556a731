import { migrateDatabase, openDatabase, type Database, type OpenOptions } from "./client";
import { seedDemo } from "./seed";

/** Opens the database, applies migrations and (unless told not to) seeds the demo. */
export async function prepareDatabase(options: OpenOptions & { seed?: boolean }): Promise<Database> {
  const database = await openDatabase(options);
  try {
    await migrateDatabase(database);
    if (options.seed !== false) await seedDemo(database.db);
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
  return database;
}
