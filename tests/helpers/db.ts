/**
 * A database of its own for one test file: a fresh PostgreSQL database
 * (created next to DATABASE_URL's, dropped afterwards) when DATABASE_URL is
 * set, an in-memory PGlite otherwise. Never the data of a running app.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { migrateDatabase, openDatabase, type Database } from "#db/client";

export interface TestDatabase extends Database {
  /** Closes and, on PostgreSQL, drops the database. */
  dispose(): Promise<void>;
}

export function databaseUrlFor(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const database = await openDatabase({ dataDir: "memory://" });
    await migrateDatabase(database);
    return { ...database, dispose: () => database.close() };
  }
  const name = `quorum_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const database = await openDatabase({ url: databaseUrlFor(base, name), max: 5 });
  await migrateDatabase(database);
  return {
    ...database,
    dispose: async () => {
      await database.close();
      const cleanup = postgres(base, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
      await cleanup.end();
    },
  };
}
