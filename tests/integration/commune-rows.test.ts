/**
 * Every commune's rows in one set of tables, kept apart by PostgreSQL (decision 072).
 *
 * On both databases: every one of Quorum's tables carries its commune and is under row-level
 * security, forced on its owner too, so a table added later without it fails here. On PostgreSQL:
 * a commune's handle, used as an attacker would use a query written by mistake (no `where`, another
 * commune's ids, its number written in by hand), reads, changes and deletes nothing of another.
 */
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { getTableColumns, getTableName, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type Database } from "#db/client";
import { addCommune, closeCommunePools, openCommuneDatabase } from "#db/communes";
import * as schema from "#db/schema";
import { createTestDatabase, databaseUrlFor, type TestDatabase } from "../helpers/db";
import { makeConsultation } from "../helpers/fixtures";

describe("every table holds its commune's rows under row-level security", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it("in the database: each of Quorum's tables has commune_id, filled from the connection's commune, and a forced policy on it", async () => {
    const tables = await queryRows<{ name: string; rls: boolean; forced: boolean; column_default: string | null; not_null: boolean | null }>(
      database.db,
      sql`select c.relname as name, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
            pg_get_expr(d.adbin, d.adrelid) as column_default, a.attnotnull as not_null
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
          left join pg_attribute a on a.attrelid = c.oid and a.attname = 'commune_id' and not a.attisdropped
          left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
          where n.nspname = 'public' and c.relkind in ('r', 'p') order by c.relname`,
    );
    const policies = await queryRows<{ table: string; qual: string; check: string }>(
      database.db,
      sql`select tablename as table, qual, with_check as check from pg_policies where schemaname = 'public' and policyname = 'commune_rows'`,
    );
    expect(tables.length).toBeGreaterThanOrEqual(26);
    for (const t of tables) {
      expect({ table: t.name, rls: t.rls, forced: t.forced, notNull: t.not_null, default: t.column_default }).toEqual({
        table: t.name,
        rls: true,
        forced: true,
        notNull: true,
        default: "quorum_commune()",
      });
      const policy = policies.find((p) => p.table === t.name);
      expect(policy, t.name).toBeDefined();
      expect(policy!.qual).toBe("(commune_id = quorum_commune())");
      expect(policy!.check).toBe("(commune_id = quorum_commune())");
    }
  });

  it("in the code: every table of db/schema.ts declares the commune's column, and is one of the database's", async () => {
    const declared = (Object.values(schema) as unknown[]).filter((v): v is PgTable => v instanceof PgTable);
    expect(declared.length).toBeGreaterThanOrEqual(26);
    const inDatabase = (
      await queryRows<{ name: string }>(
        database.db,
        sql`select relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r'`,
      )
    ).map((r) => r.name);
    expect(declared.map((t) => getTableName(t)).sort()).toEqual([...inDatabase].sort());
    for (const t of declared) expect(getTableColumns(t), getTableName(t)).toHaveProperty("communeId");
  });

  it("one commune alone is commune 1: rows written with no commune set are commune 1's", async () => {
    const c = await makeConsultation(database.db, { slug: `seul-${randomUUID().slice(0, 6)}` });
    const [row] = await queryRows<{ commune_id: number }>(database.db, sql`select commune_id from consultations where id = ${c.id}`);
    expect(row.commune_id).toBe(1);
  });
});

const base = process.env.DATABASE_URL;

describe.runIf(!!base)("a commune's handle cannot reach another commune's rows (PostgreSQL)", () => {
  const name = `quorum_rows_${randomUUID().slice(0, 8)}`;
  const url = base ? databaseUrlFor(base, name) : "";
  let a: Database;
  let b: Database;
  let bConsultation: string;
  let aConsultation: string;

  beforeAll(async () => {
    const admin = postgres(base!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    await admin.end();
    const addedA = await addCommune(url, { hosts: ["a.rows.test"], nameFr: "A", nameEn: "A" });
    const addedB = await addCommune(url, { hosts: ["b.rows.test"], nameFr: "B", nameEn: "B" });
    if (!addedA.ok || !addedB.ok) throw new Error("fixture");
    a = await openCommuneDatabase(url, addedA.commune.id, 2);
    b = await openCommuneDatabase(url, addedB.commune.id, 2);
    aConsultation = (await makeConsultation(a.db, { slug: "avis" })).id;
    // The same address as A's: each commune has its own.
    bConsultation = (await makeConsultation(b.db, { slug: "avis" })).id;
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await closeCommunePools();
    const admin = postgres(base!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });

  const count = async (db: Database, table: string) =>
    (await queryRows<{ n: number }>(db.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0].n;

  it("reads only its own rows, with no `where`, and nothing by another commune's id", async () => {
    expect(await queryRows(a.db, sql`select id, slug from consultations`)).toEqual([{ id: aConsultation, slug: "avis" }]);
    expect(await queryRows(a.db, sql`select id from consultations where id = ${bConsultation}`)).toEqual([]);
    expect(await queryRows(a.db, sql`select id from questions where consultation_id = ${bConsultation}`)).toEqual([]);
    // Each commune's handle sees as many questions as it made, not the sum.
    expect(await count(a, "questions")).toBe(await count(b, "questions"));
    expect(await count(a, "questions")).toBeGreaterThan(0);
  });

  it("changes and deletes nothing of another commune, even with its ids or no `where`", async () => {
    const before = await count(b, "questions");
    const updated = await queryRows(a.db, sql`update consultations set slug = 'pris' where id = ${bConsultation} returning id`);
    expect(updated).toEqual([]);
    const deleted = await queryRows(a.db, sql`delete from questions where consultation_id = ${bConsultation} returning id`);
    expect(deleted).toEqual([]);
    expect(await count(b, "questions")).toBe(before);
    expect(await queryRows(b.db, sql`select slug from consultations`)).toEqual([{ slug: "avis" }]);
  });

  it("refuses a row written for another commune, or one of its own moved to another", async () => {
    const bId = (await queryRows<{ id: number }>(b.db, sql`select quorum_commune() as id`))[0].id;
    await expect(a.db.execute(sql`insert into meta (commune_id, key, value) values (${bId}, 'planted', 'x')`)).rejects.toMatchObject({
      cause: { code: "42501" },
    });
    await expect(a.db.execute(sql`update consultations set commune_id = ${bId} where id = ${aConsultation}`)).rejects.toMatchObject({
      cause: { code: "42501" },
    });
    expect(await queryRows(b.db, sql`select key from meta where key = 'planted'`)).toEqual([]);
    expect(await count(a, "consultations")).toBe(1);
  });

  it("runs as a role that row-level security binds, though the login is a superuser", async () => {
    const [role] = await queryRows<{ bypass: boolean }>(a.db, sql`select rolsuper or rolbypassrls as bypass from pg_roles where rolname = current_user`);
    expect(role.bypass).toBe(false);
  });
});
