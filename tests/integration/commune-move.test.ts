/**
 * An installation of the previous release, each commune in a schema of its own (decision 062),
 * started on this one: its communes' rows move into the shared tables at start-up (decision 072),
 * every row kept, answers renumbered where another commune's numbers would meet them, and what
 * refers to an answer following it. PostgreSQL only.
 */
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "#db/client";
import { addCommune, closeCommunePools, openCommuneDatabase, prepareCommunes } from "#db/communes";
import { databaseUrlFor } from "../helpers/db";
import { makeConsultation } from "../helpers/fixtures";
import { seedAnswers } from "../helpers/seeded";
import { authenticate, createStaff } from "~/domain/staff/accounts.server";

const base = process.env.DATABASE_URL;

describe.runIf(!!base)("communes kept in schemas of their own move into the shared tables", () => {
  const name = `quorum_move_${randomUUID().slice(0, 8)}`;
  const url = base ? databaseUrlFor(base, name) : "";
  let sql: postgres.Sql;
  let a: number;
  let b: number;
  /** Commune A's rows as they stood, table by table, without the numbers a move may draw again. */
  let before: Record<string, string[]>;
  let tagsBefore: string[];

  /** A's rows of each table, as text, in one order; answers and audit entries by what they hold, not their number. */
  async function snapshot(from: (table: string) => string): Promise<Record<string, string[]>> {
    const tables = (await sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`).map(
      (r) => String(r.table_name),
    );
    const out: Record<string, string[]> = {};
    // An answer by what it answers, not its number: the audit log names hidden answers by number.
    const answerOf = new Map(
      (await sql.unsafe(`select id, response_id, question_id from ${from("answers")}`)).map((r) => [String(r.id), `${r.response_id}/${r.question_id}`]),
    );
    for (const t of tables) {
      const rows = await sql.unsafe(`select * from ${from(t)}`);
      out[t] = rows
        .map((r) => {
          const { commune_id: _commune, ...rest } = r;
          if (t === "audit_log" && rest.target_type === "answer") rest.target_id = answerOf.get(String(rest.target_id)) ?? `unknown answer ${rest.target_id}`;
          if (t === "answers" || t === "audit_log" || t === "outbox") delete rest.id;
          if (t === "answer_themes" || t === "theme_rejections") delete rest.answer_id;
          return JSON.stringify(rest, Object.keys(rest).sort());
        })
        .sort();
    }
    return out;
  }

  /** Which answer (by its response and question) carries which theme: what the renumbering must keep. */
  const tags = async (where: string) =>
    (await sql.unsafe(`select r.response_id || '/' || r.question_id || ':' || t.theme_id as tag from ${where}`)).map((r) => String(r.tag)).sort();

  beforeAll(async () => {
    const admin = postgres(base!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    await admin.end();
    sql = postgres(url, { max: 1, onnotice: () => {} });

    // Commune A, with staff, answers, hidden texts and themes on some answers.
    const addedA = await addCommune(url, { hosts: ["a.move.test"], nameFr: "A", nameEn: "A" });
    if (!addedA.ok) throw new Error("fixture");
    a = addedA.commune.id;
    // B exists from the start (adding a commune moves any schema left, as a start does); it answers later.
    const addedB = await addCommune(url, { hosts: ["b.move.test"], nameFr: "B", nameEn: "B" });
    if (!addedB.ok) throw new Error("fixture");
    b = addedB.commune.id;
    const dbA = await openCommuneDatabase(url, a, 2);
    const staff = await createStaff(dbA.db, { email: "maire@a.move.test", password: "A, a long password", role: "admin" });
    if (!staff.ok) throw new Error("fixture");
    const c = await makeConsultation(dbA.db, { slug: "avis", opensAt: new Date(Date.now() - 5 * 86_400_000) });
    await seedAnswers(dbA.db, c, { count: 12, seed: 7, moderatorId: staff.user.id, hideShare: 0.2 });
    await dbA.close();
    await sql`select set_config('quorum.commune', ${String(a)}, false)`;
    const [theme] = await sql`insert into themes (consultation_id, code, labels, description, keywords)
      values (${c.id}, 't1', '{"fr":"Vie privée","en":"Privacy"}', '{"fr":"","en":""}', '{"fr":[],"en":[]}') returning id`;
    await sql`insert into answer_themes (answer_id, theme_id) select id, ${theme.id} from answers where commune_id = ${a} and text is not null`;
    await sql`insert into theme_rejections (answer_id, theme_id) select id, ${theme.id} from answers where commune_id = ${a} and text is null limit 3`;
    await sql`select set_config('quorum.commune', '', false)`;
    before = await snapshot((t) => `public."${t}" where commune_id = ${a}`);
    tagsBefore = await tags(`answer_themes t join answers r on r.id = t.answer_id where t.commune_id = ${a}`);
    expect(tagsBefore.length).toBeGreaterThan(3);
    // Hidden answers are in the audit log by number: the move must keep them pointing at the same answers.
    expect(before.audit_log.filter((row) => row.includes('"target_type":"answer"')).length).toBeGreaterThan(0);

    // A as the previous release kept it: its tables in schema commune_<id>, without commune_id, at migration 0011.
    const schema = `commune_${a}`;
    await sql.unsafe(`create schema "${schema}"`);
    for (const t of Object.keys(before)) {
      await sql.unsafe(`create table "${schema}"."${t}" (like public."${t}")`);
      await sql.unsafe(`insert into "${schema}"."${t}" select * from public."${t}" where commune_id = ${a}`);
      await sql.unsafe(`alter table "${schema}"."${t}" drop column commune_id`);
    }
    await sql.unsafe(`create table "${schema}".__quorum_migrations (hash text not null, created_at bigint not null)`);
    for (const m of readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).filter((x) => !x.sql.join("").includes("quorum_commune()")))
      await sql.unsafe(`insert into "${schema}".__quorum_migrations values ($1, $2)`, [m.hash, m.folderMillis]);
    for (const t of Object.keys(before).reverse()) await sql.unsafe(`delete from public."${t}" where commune_id = ${a}`);

    // Commune B, whose answers are numbered from 1 again: the numbers A's schema holds.
    await sql`select setval(pg_get_serial_sequence('public.answers', 'id'), 1, false)`;
    const dbB = await openCommuneDatabase(url, b, 2);
    const staffB = await createStaff(dbB.db, { email: "maire@b.move.test", password: "B, a long password", role: "admin" });
    if (!staffB.ok) throw new Error("fixture");
    await seedAnswers(dbB.db, await makeConsultation(dbB.db, { slug: "avis", opensAt: new Date(Date.now() - 5 * 86_400_000) }), {
      count: 12,
      seed: 8,
      moderatorId: staffB.user.id,
    });
    await dbB.close();
    const [{ overlap }] = await sql.unsafe(`select count(*)::int as overlap from "${schema}".answers l join public.answers p on p.id = l.id`);
    expect(overlap).toBeGreaterThan(0);
  }, 120_000);

  afterAll(async () => {
    await closeCommunePools();
    await sql?.end();
    const admin = postgres(base!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });

  it("moves every row of A into the shared tables at start-up, drops A's schema, and leaves B as it was", async () => {
    const bBefore = await snapshot((t) => `public."${t}" where commune_id = ${b}`);
    expect(await prepareCommunes(url)).toEqual({ communes: 2, moved: 1 });
    expect(await snapshot((t) => `public."${t}" where commune_id = ${a}`)).toEqual(before);
    expect(await tags(`answer_themes t join answers r on r.id = t.answer_id where t.commune_id = ${a}`)).toEqual(tagsBefore);
    // Every theme of A's answers points at an answer of A.
    const [{ n: stray }] = await sql`select count(*)::int as n from answer_themes t join answers r on r.id = t.answer_id where t.commune_id <> r.commune_id`;
    expect(stray).toBe(0);
    expect(await snapshot((t) => `public."${t}" where commune_id = ${b}`)).toEqual(bBefore);
    const [{ n: schemas }] = await sql`select count(*)::int as n from pg_namespace where nspname = ${`commune_${a}`}`;
    expect(schemas).toBe(0);
    // A's staff signs in as before: the account and its password moved with it.
    const dbA = await openCommuneDatabase(url, a, 1);
    expect(await authenticate(dbA.db, "maire@a.move.test", "A, a long password")).toMatchObject({ email: "maire@a.move.test" });
    await dbA.close();
    // A second start finds nothing to move.
    expect(await prepareCommunes(url)).toEqual({ communes: 2, moved: 0 });
  });
});
