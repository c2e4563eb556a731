/**
 * A database of its own for one test file: a fresh PostgreSQL database
 * (created next to DATABASE_URL's, dropped afterwards) when DATABASE_URL is
 * set, an in-memory PGlite otherwise. Never the data of a running app.
 *
 * Both start as a copy of the one migrated database vitest's global setup made
 * for the run (tests/setup/global-setup.ts, docs/decisions/041): no test file
 * pays for initdb or the migrations. Outside vitest's global setup (no template
 * provided), a file migrates its own database as before.
 */
import { randomBytes } from "node:crypto";
import { openAsBlob } from "node:fs";
import postgres from "postgres";
import { inject } from "vitest";
import { migrateDatabase, openDatabase, type Database } from "#db/client";

export interface TestDatabase extends Database {
  /** Closes and, on PostgreSQL, drops the database. */
  dispose(): Promise<void>;
}

/** How the databases this run's test files copy are named: the run's process, then a random part. */
export const testDatabasePrefix = () => `quorum_test_${process.pid}_`;

export function databaseUrlFor(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const template = inject("pgliteTemplate");
    // A Blob backed by the file: PGlite reads it once, without a copy in between.
    const database = await openDatabase({ dataDir: "memory://", loadDataDir: template ? await openAsBlob(template) : undefined });
    if (!template) await migrateDatabase(database);
    return { ...database, dispose: () => database.close() };
  }
  const template = inject("postgresTemplate");
  const name = `${testDatabasePrefix()}${randomBytes(4).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(template ? `create database "${name}" template "${template}"` : `create database "${name}"`);
  await admin.end();
  const database = await openDatabase({ url: databaseUrlFor(base, name), max: 5 });
  if (!template) await migrateDatabase(database);
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
