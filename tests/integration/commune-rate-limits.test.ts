/**
 * Buffered rate-limit counters with many communes (decision 067): each commune counts its own
 * clients, every commune's hits go to the registry in one statement, a second process sees the
 * first's totals, a window that has passed starts again, and the daily sweep and a commune's
 * removal forget them. PostgreSQL only (the embedded database serves one commune).
 */
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { addCommune, closeCommunePools, type CommuneRow } from "#db/communes";
import { flushBuffered, hitBuffered, sweep } from "~/domain/ratelimit/ratelimit.server";
import { closeRegistry, communeForHost, inCommune, type Commune } from "~/platform/commune.server";
import { closeDatabase, getDb } from "~/platform/db.server";

/** Quorum's settings are read once, at the first module that asks: set before any import runs. */
const { base, name, url } = vi.hoisted(() => {
  const base = process.env.DATABASE_URL;
  const name = `quorum_limits_t${process.pid}_${Math.random().toString(16).slice(2, 8)}`;
  const url = base ? Object.assign(new URL(base), { pathname: `/${name}` }).toString() : "";
  if (base) Object.assign(process.env, { DATABASE_URL: url, QUORUM_COMMUNES: "many", QUORUM_ORIGIN: "http://limits.test" });
  return { base, name, url };
});
const HOSTS = ["plouvien.limits.test", "lanrivoare.limits.test", "tréflez.limits.test"];
const LIMIT = { limit: 5, windowSeconds: 600 };
const SHORT = { limit: 3, windowSeconds: 60 };

describe.skipIf(!base)("buffered counters of many communes (PostgreSQL only: set DATABASE_URL)", () => {
  let rows: CommuneRow[];
  let communes: Commune[];
  let sql: postgres.Sql;
  const t0 = new Date("2026-12-06T10:00:00Z");
  const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
  /** `n` attempts of `key` in commune `i` at `when`; whether each was allowed. */
  const attempts = (i: number, key: string, n: number, when: Date, limit = LIMIT) =>
    inCommune(communes[i], async () => {
      const db = await getDb();
      return Array.from({ length: n }, () => hitBuffered(db, key, limit, when).allowed);
    });
  const registryRows = async () =>
    (await sql`select commune_id, key, count, window_seconds from quorum_registry.rate_limits order by commune_id, key`).map((r) => ({
      commune: Number(r.commune_id),
      key: String(r.key),
      count: Number(r.count),
      window: Number(r.window_seconds),
    }));

  beforeAll(async () => {
    const admin = postgres(base!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    await admin.end();
    rows = [];
    for (const host of HOSTS) {
      const added = await addCommune(url, { hosts: [host], nameFr: host, nameEn: host });
      if (!added.ok) throw new Error("fixture");
      rows.push(added.commune);
    }
    communes = await Promise.all(HOSTS.map(async (h) => (await communeForHost(h))!));
    sql = postgres(url, { max: 1, onnotice: () => {} });
  });

  afterAll(async () => {
    await closeDatabase();
    await closeRegistry();
    await closeCommunePools();
    await sql?.end();
    const admin = postgres(base!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });

  it("counts each commune's clients apart, in the registry, and holds the limit across a flush", async () => {
    // The same client key in three communes: five attempts allowed in each.
    for (let i = 0; i < 3; i++) expect(await attempts(i, "answer:client:same", 4, t0)).toEqual([true, true, true, true]);
    expect(await attempts(1, "sms:all", 2, t0, SHORT)).toEqual([true, true]);
    await flushBuffered(t0);
    expect(await registryRows()).toEqual([
      { commune: rows[0].id, key: "answer:client:same", count: 4, window: 600 },
      { commune: rows[1].id, key: "answer:client:same", count: 4, window: 600 },
      { commune: rows[1].id, key: "sms:all", count: 2, window: 60 },
      { commune: rows[2].id, key: "answer:client:same", count: 4, window: 600 },
    ]);
    // The totals read back: one more allowed in each commune, then refused.
    expect(await attempts(0, "answer:client:same", 2, at(1))).toEqual([true, false]);
    expect(await attempts(2, "answer:client:same", 1, at(1))).toEqual([true]);
    await flushBuffered(at(1));
    expect((await registryRows()).map((r) => r.count)).toEqual([6, 4, 2, 5]);
    // Commune A's own table holds nothing of the buffered counts (they are the registry's).
    const own = await inCommune(communes[0], async () => (await getDb()).execute("select count(*)::int as n from rate_limits"));
    expect((own as unknown as { n: number }[])[0].n).toBe(0);
  });

  it("sees the totals another process added, and starts a passed window again", async () => {
    // Another process added 3 hits to commune C's client (its flush, as this one would write it).
    await sql`update quorum_registry.rate_limits set count = count + 3 where commune_id = ${rows[1].id} and key = 'sms:all'`;
    expect(await attempts(1, "sms:all", 1, at(2), SHORT)).toEqual([true]); // 2 known + 1: within 3
    await flushBuffered(at(2));
    expect(await attempts(1, "sms:all", 1, at(3), SHORT)).toEqual([false]); // 6 known + 1
    // Past the 60-second window the count starts again from the hits of the new window.
    await flushBuffered(at(3));
    expect(await attempts(1, "sms:all", 1, at(70), SHORT)).toEqual([true]);
    await flushBuffered(at(70));
    const smsRow = (await registryRows()).find((r) => r.commune === rows[1].id && r.key === "sms:all")!;
    expect(smsRow.count).toBe(1);
  });

  it("forgets a commune's old counters in its daily sweep, and no other commune's", async () => {
    await inCommune(communes[0], async () => sweep(await getDb(), at(3600)));
    expect((await registryRows()).map((r) => r.commune)).toEqual([rows[1].id, rows[1].id, rows[2].id]);
  });

  it("adds no counter for a commune removed while this process still held its hits, and still adds the others'", async () => {
    expect(await attempts(2, "answer:client:late", 2, at(4000))).toEqual([true, true]);
    expect(await attempts(1, "answer:client:late", 1, at(4000))).toEqual([true]);
    // Removed meanwhile, as commune:remove does it: its status, then its counters deleted.
    await sql`update quorum_registry.communes set status = 'removed' where id = ${rows[2].id}`;
    await sql`delete from quorum_registry.rate_limits where commune_id = ${rows[2].id}`;
    await flushBuffered(at(4000));
    const after = await registryRows();
    expect(after.filter((r) => r.commune === rows[2].id)).toEqual([]);
    expect(after.find((r) => r.commune === rows[1].id && r.key === "answer:client:late")?.count).toBe(1);
  });
});
