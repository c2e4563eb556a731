/**
 * vitest's global setup: one migrated database made once per run, which every test file
 * then copies into a database of its own (tests/helpers/db.ts, docs/decisions/041).
 *
 * - Embedded PGlite (no DATABASE_URL): a migrated data directory saved as a tarball under
 *   node_modules/.cache/quorum-tests/pglite/, named by a digest of the migrations and the PGlite
 *   version, so a later run with the same migrations reuses it. Each file opens a `memory://`
 *   copy of it: no initdb, no migrations.
 * - PostgreSQL (DATABASE_URL): a template database `quorum_test_tpl_<pid>`, migrated here,
 *   copied by each file with `create database … template …` and dropped at the end.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { dumpDatabase, migrateDatabase, MIGRATIONS_FOLDER, openDatabase } from "#db/client";
import { databaseUrlFor, testDatabasePrefix } from "../helpers/db";

declare module "vitest" {
  export interface ProvidedContext {
    /** The migrated PGlite data directory (a tarball) each test file opens a copy of. */
    pgliteTemplate: string;
    /** The migrated PostgreSQL database each test file copies, on DATABASE_URL's server. */
    postgresTemplate: string;
  }
}

const CACHE = path.resolve("node_modules/.cache/quorum-tests/pglite");

export default async function setup(project: TestProject) {
  const base = process.env.DATABASE_URL;
  if (!base) {
    project.provide("pgliteTemplate", await pgliteTemplate());
    return;
  }
  const name = `quorum_test_tpl_${process.pid}`;
  await onServer(base, (admin) => admin.unsafe(`drop database if exists "${name}" with (force)`));
  await onServer(base, (admin) => admin.unsafe(`create database "${name}"`));
  const database = await openDatabase({ url: databaseUrlFor(base, name), max: 1 });
  try {
    await migrateDatabase(database);
  } finally {
    // A template database is copied only while nobody is connected to it.
    await database.close();
  }
  project.provide("postgresTemplate", name);
  return async () => {
    // Every test file drops the database it copied (TestDatabase.dispose). One left behind is a
    // test's bug, and runs on the same server would pile them up: it is dropped and the run fails.
    const left: string[] = [];
    await onServer(base, async (admin) => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      for (const { datname } of await admin<{ datname: string }[]>`select datname from pg_database where starts_with(datname, ${testDatabasePrefix()})`) {
        left.push(datname);
        await admin.unsafe(`drop database if exists "${datname}" with (force)`);
      }
    });
    if (left.length > 0) {
      // vitest prints an error thrown here and still exits with 0: the exit code is set as well.
      process.exitCode = 1;
      throw new Error(`test files left ${left.length} database(s) behind (call dispose(), not close(), in afterAll): ${left.join(", ")}`);
    }
  };
}

/** The tarball of a freshly migrated PGlite database for the migrations in the repository, made when missing. */
async function pgliteTemplate(): Promise<string> {
  const file = path.join(CACHE, `${migrationsDigest()}.tar`);
  if (existsSync(file)) return file;
  const database = await openDatabase({ dataDir: "memory://" });
  try {
    await migrateDatabase(database);
    const bytes = Buffer.from(await (await dumpDatabase(database)).arrayBuffer());
    mkdirSync(CACHE, { recursive: true });
    // Templates of earlier migrations go once no run can still be reading them.
    for (const old of readdirSync(CACHE).map((name) => path.join(CACHE, name))) {
      if (Date.now() - statSync(old).mtimeMs > 3_600_000) rmSync(old, { force: true });
    }
    // Written aside, then renamed: a run started meanwhile never reads half a file.
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, bytes);
    renameSync(partial, file);
  } finally {
    await database.close();
  }
  return file;
}

/** What the template depends on: every migration file and the PGlite release. */
function migrationsDigest(): string {
  const hash = createHash("sha256");
  hash.update(JSON.parse(readFileSync(path.resolve("node_modules/@electric-sql/pglite/package.json"), "utf8")).version);
  const files = readdirSync(MIGRATIONS_FOLDER, { recursive: true, encoding: "utf8" }).sort();
  for (const name of files) {
    const full = path.join(MIGRATIONS_FOLDER, name);
    if (!name.endsWith(".sql") && !name.endsWith(".json")) continue;
    hash.update(name).update(readFileSync(full));
  }
  return hash.digest("hex").slice(0, 16);
}

async function onServer(base: string, work: (admin: postgres.Sql) => Promise<unknown>): Promise<void> {
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  try {
    await work(admin);
  } finally {
    await admin.end();
  }
}
