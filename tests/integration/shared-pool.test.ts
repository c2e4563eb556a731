/**
 * Many communes' statements on the same few connections (db/shared-pool.ts): each statement runs as
 * its own commune, under row-level security, whatever ran before it on that connection, in or out
 * of a transaction. PostgreSQL only (the embedded database serves one commune).
 */
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { closeCommunePools, communePoolStats, ensureCommuneRole, openCommuneDatabase, prepareCommunes } from "#db/communes";
import { queryRows, statementsOf, type Database } from "#db/client";
import { sharedPool } from "#db/shared-pool";

const base = process.env.DATABASE_URL;
const name = `quorum_pool_${randomUUID().slice(0, 8)}`;
const url = base ? Object.assign(new URL(base), { pathname: `/${name}` }).toString() : "";

describe.runIf(!!base)("connections shared by communes", () => {
  const ids = [1, 2, 3, 4, 5, 6];
  const handles: Database[] = [];
  beforeAll(async () => {
    const admin = postgres(base!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    await admin.end();
    await prepareCommunes(url);
    const setup = postgres(url, { max: 1, onnotice: () => {} });
    // A table made as migration 0012 makes Quorum's: each row its commune's, under row-level security.
    await setup.unsafe(`create table whose (commune_id integer not null default quorum_commune(), commune integer not null)`);
    await setup.unsafe(`alter table whose enable row level security`);
    await setup.unsafe(`alter table whose force row level security`);
    await setup.unsafe(`create policy commune_rows on whose using (commune_id = quorum_commune()) with check (commune_id = quorum_commune())`);
    for (const id of ids) await setup.unsafe(`insert into whose values (${id}, ${id})`);
    // A row of commune 0, which no commune is: it must never be read.
    await setup.unsafe(`insert into whose values (0, 0)`);
    await ensureCommuneRole(setup);
    await setup.end();
    for (const id of ids) handles.push(await openCommuneDatabase(url, id, 3, { shared: true }));
  });
  afterAll(async () => {
    await closeCommunePools();
    if (!base) return;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });

  it("statements of communes whose connections are busy with others wait for one to settle: no more connections are opened", async () => {
    // Each of the three connections opened first (communes 1, 2 and 3 have one each for home), so
    // that no connection's opening counts in the wait below.
    for (const h of handles.slice(0, 3)) await queryRows(h.db, sql`select 1`);
    // First of the file, while the pool has its three connections only. Six communes' statements at once on three connections, each a few milliseconds (well under
    // WAIT_BEFORE_MORE_MS): three run, three wait for them, none runs behind another commune's
    // statement still in flight, and no fourth connection is opened.
    const seen = await Promise.all(
      handles.flatMap((h, i) =>
        [0, 1].map(() => queryRows<{ commune: number }>(h.db, sql`select commune from whose, pg_sleep(0.005)`).then((rows) => [ids[i], rows[0].commune])),
      ),
    );
    expect(seen.filter(([asked, got]) => asked !== got)).toEqual([]);
    expect(seen).toHaveLength(12);
    expect(communePoolStats(url)).toMatchObject({ connections: 3, switchesInFlight: 0 });
  });

  it("2,400 statements from six communes at once on three connections each read their own commune", async () => {
    const work: Promise<[number, number]>[] = [];
    for (let round = 0; round < 400; round++)
      for (const [i, h] of handles.entries())
        work.push(queryRows<{ commune: number }>(h.db, sql`select commune from whose`).then((rows) => [ids[i], rows[0].commune]));
    const seen = await Promise.all(work);
    const wrong = seen.filter(([asked, got]) => asked !== got);
    expect(seen).toHaveLength(2400);
    expect(wrong).toEqual([]);
    expect(communePoolStats(url)?.switchesInFlight).toBe(0);
  });

  it("a commune keeping every connection busy with its own statements does not keep another commune waiting until they end", async () => {
    const [a, b] = handles;
    let firstEnded = false;
    // Commune 1: nine statements of a second at once, on every connection (none falls idle for a second at least).
    const load = Promise.all(Array.from({ length: 9 }, () => queryRows(a.db, sql`select commune from whose, pg_sleep(1)`).then(() => (firstEnded = true))));
    await new Promise((r) => setTimeout(r, 50));
    const rows = await queryRows<{ commune: number }>(b.db, sql`select commune from whose`);
    const answeredFirst = !firstEnded;
    await load;
    expect(rows.map((r) => r.commune)).toEqual([2]);
    // Commune 2 was answered (on a connection opened for it after WAIT_BEFORE_MORE_MS) before any of commune 1's ended.
    expect(answeredFirst).toBe(true);
    expect(communePoolStats(url)?.switchesInFlight).toBe(0);
  });

  it("a transaction's statement outside it is answered though every other connection waits on the transaction's lock", async () => {
    const [a, b] = handles;
    const blocked: Promise<unknown>[] = [];
    const outside = await a.db.transaction(async (tx) => {
      await tx.execute(sql`select commune from whose where commune = 1 for update`);
      // Statements of commune 1 on the other connections, each waiting for the row the transaction holds.
      for (let i = 0; i < 4; i++) blocked.push(Promise.resolve(a.db.execute(sql`update whose set commune = commune where commune = 1`)));
      await new Promise((r) => setTimeout(r, 100));
      // Then the transaction needs a statement outside it, of another commune: no connection will settle before it ends.
      return queryRows<{ commune: number }>(b.db, sql`select commune from whose`);
    });
    await Promise.all(blocked);
    expect(outside.map((r) => r.commune)).toEqual([2]);
  });

  it("transactions keep their commune, and a commune's statements outside them never wait behind them", async () => {
    // Six transactions on three connections, each waiting on a statement outside it: more are opened.
    const results = await Promise.all(
      handles.flatMap((h, i) => [
        h.db.transaction(async (tx) => {
          const before = await queryRows<{ commune: number }>(tx, sql`select commune from whose`);
          // Meanwhile, the same commune outside the transaction: answered, with its own rows.
          const outside = await queryRows<{ commune: number }>(h.db, sql`select commune from whose`);
          await tx.execute(sql`insert into whose (commune) values (${ids[i] * 100})`);
          const after = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from whose`);
          return [ids[i], before[0].commune, outside[0].commune, after[0].n];
        }),
        queryRows<{ commune: number }>(h.db, sql`select min(commune) as commune from whose`).then((r) => [ids[i], r[0].commune, r[0].commune, 0]),
      ]),
    );
    for (const [id, before, outside, after] of results) {
      expect(before).toBe(id);
      expect(outside).toBe(id);
      if (after) expect(after).toBe(2);
    }
    const check = postgres(url, { max: 1, onnotice: () => {} });
    for (const id of ids)
      expect((await check.unsafe(`select array_agg(commune order by commune) as c from whose where commune_id = ${id}`))[0].c).toEqual([id, id * 100]);
    expect((await check.unsafe(`select array_agg(commune) as c from whose where commune_id = 0`))[0].c).toEqual([0]);
    await check.end();
  });

  it("a statement that fails leaves the connection to set its commune again", async () => {
    const [a, b] = handles;
    await expect(queryRows(a.db, sql`select * from no_such_table`)).rejects.toThrow();
    const rows = await Promise.all([
      queryRows<{ commune: number }>(b.db, sql`select commune from whose`),
      queryRows<{ commune: number }>(a.db, sql`select min(commune) as commune from whose`),
    ]);
    expect(rows.map((r) => r[0].commune)).toEqual([2, 1]);
  });

  it("connections closed under them (idle, recycled, cut) are opened again and set to their commune before the next statement", async () => {
    for (let round = 0; round < 3; round++) {
      // Every connection of the pool cut by the server, as an idle timeout or a restart would.
      const admin = postgres(url, { max: 1, onnotice: () => {} });
      const [{ n }] =
        await admin`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
      await admin.end();
      expect(n).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 100));
      const seen = await Promise.all(handles.map((h) => queryRows<{ commune: number }>(h.db, sql`select min(commune) as commune from whose`)));
      expect(seen.map((rows) => rows.map((r) => r.commune))).toEqual(ids.map((id) => [id]));
      // Written after the reopening by commune 2 (not 1, which an unset commune would also give): the row is its own.
      await handles[1].db.execute(sql`insert into whose (commune) values (${1000 + round})`);
    }
    const check = postgres(url, { max: 1, onnotice: () => {} });
    expect((await check`select commune_id from whose where commune >= 1000 order by commune`).map((r) => r.commune_id)).toEqual([2, 2, 2]);
    await check.end();
  });

  it("statements queued while postgres.js ends a connection at its lifetime run on the next one as their commune", async () => {
    // A connection that postgres.js ends every second (its lifetime; Quorum's are 30–60 minutes),
    // under statements without pause: those queued while it ends are sent to the next.
    const pool = sharedPool(
      (closed) =>
        postgres(url, {
          max: 1,
          max_lifetime: 1,
          onnotice: () => {},
          onclose: closed,
          connection: { "quorum.commune": "none", role: "quorum_commune" },
          fetch_types: false,
        }),
      1,
    );
    // Communes 2 and 3 in turns on its one connection: its next opening must start as the commune
    // the statements queued for it belong to, whichever that is by then.
    const clients = [2, 3].map((id) => ({ id, client: pool.clientFor(id) as { unsafe(text: string): PromiseLike<unknown> } }));
    const wrong: string[] = [];
    const failures: string[] = [];
    let answered = 0;
    const until = Date.now() + 3_500;
    await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const { id, client } = clients[i % 2];
        while (Date.now() < until) {
          try {
            const rows = (await client.unsafe("select commune_id from whose, pg_sleep(0.005)")) as { commune_id: number }[];
            answered++;
            for (const r of rows) if (r.commune_id !== id) wrong.push(`${id} read ${r.commune_id}`);
          } catch (error) {
            failures.push(String((error as { code?: string }).code ?? error));
          }
        }
      }),
    );
    await pool.end();
    expect(failures).toEqual([]);
    expect(wrong).toEqual([]);
    expect(answered).toBeGreaterThan(100);
    expect(pool.stats().switches).toBeGreaterThan(2);
  });

  it("a connection opened as the pool opens them, its commune not yet set, reads and writes nothing", async () => {
    const raw = postgres(url, { max: 1, onnotice: () => {}, connection: { "quorum.commune": "none", role: "quorum_commune" } });
    await expect(raw`select commune from whose`).rejects.toMatchObject({ code: "22P02" });
    await expect(raw`insert into whose (commune) values (0)`).rejects.toMatchObject({ code: "22P02" });
    await raw.end();
  });

  it("a commune's statements go to its home connection while it is not busier than the others: each connection mostly stays on a share of the communes", async () => {
    const backendOf = async (i: number) => {
      const [row] = await queryRows<{ pid: number; commune: number }>(handles[i].db, sql`select pg_backend_pid() as pid, commune from whose limit 1`);
      expect(row.commune).toBe(ids[i]);
      return row.pid;
    };
    const seen: number[][] = ids.map(() => []);
    for (let round = 0; round < 5; round++) for (const i of ids.keys()) seen[i].push(await backendOf(i));
    // One connection for each commune, whatever ran before on the others.
    for (const pids of seen) expect(new Set(pids).size).toBe(1);
    const home = seen.map((pids) => pids[0]);
    // Six communes on three connections: two a connection, communes 1 and 4, 2 and 5, 3 and 6.
    expect(new Set(home).size).toBe(3);
    expect([home[0], home[1], home[2]]).toEqual([home[3], home[4], home[5]]);
  });

  it("arrays of PostgreSQL's own types go and come back as arrays, though the connections no longer ask for every table's array type", async () => {
    const ids = [randomUUID(), randomUUID()];
    const [row] = await statementsOf(handles[0].db).run<{ ids: string[]; texts: string[]; numbers: number[]; whose: number }>(
      "select $1::uuid[] as ids, $2::text[] as texts, array[1, 2]::int[] as numbers, (select commune from whose limit 1) as whose",
      [ids, ["é", "b,c"]],
    );
    expect(row).toEqual({ ids, texts: ["é", "b,c"], numbers: [1, 2], whose: 1 });
    // Through drizzle, as the staff pages read answers' options.
    const [back] = await queryRows<{ option_ids: string[] }>(handles[1].db, sql`select array[${ids[0]}::uuid, ${ids[1]}::uuid] as option_ids`);
    expect(back.option_ids).toEqual(ids);
  });
});
