/**
 * What one process keeps for many communes (decision 065): pages, consultations and settings are
 * kept per commune under the commune's content version, and a change committed through this
 * process or through another one (the registry's number, read by every process) makes them fresh.
 * PostgreSQL only (the embedded database serves one commune).
 */
import postgres from "postgres";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { addCommune, bumpContentVersion, closeCommunePools, openCommuneDatabase, type CommuneRow } from "#db/communes";
import type { Database } from "#db/client";
import { consultations } from "#db/schema";
import { contentChanged, getConsultationCached } from "~/domain/consultations/cache.server";
import { cachedPage, clearPageCache, pageBody, SUBMISSION_SLOT, type Render } from "~/page-cache/page-cache.server";
import { closeRegistry, communeForHost, currentCommune, inCommune, type Commune } from "~/platform/commune.server";
import { closeDatabase, getDb } from "~/platform/db.server";
import { makeConsultation } from "../helpers/fixtures";
import { demoConsultation } from "~/domain/consultations/demo";

/** Quorum's settings are read once, at the first module that asks: set before any import runs. */
const { base, name, url } = vi.hoisted(() => {
  const base = process.env.DATABASE_URL;
  const name = `quorum_pages_t${process.pid}_${Math.random().toString(16).slice(2, 8)}`;
  const url = base ? Object.assign(new URL(base), { pathname: `/${name}` }).toString() : "";
  if (base) Object.assign(process.env, { DATABASE_URL: url, QUORUM_COMMUNES: "many", QUORUM_ORIGIN: "http://pages.test" });
  return { base, name, url };
});
const HOST_A = "saint-amand.pages.test";
const HOST_B = "bourg-blanc.pages.test";
const SLUG = "meme-adresse";
const PATH = `/fr/consultations/${SLUG}`;
/** The registry is read again at most this often (app/platform/commune.server.ts), plus a margin. */
const REGISTRY_REFRESH_MS = 2_000 + 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const demo = demoConsultation();
/** The demo's texts with another title in French. */
const titled = (fr: string) => ({ fr: { ...demo.texts.fr, title: fr }, en: demo.texts.en });

describe.skipIf(!base)("pages and data kept for many communes (PostgreSQL only: set DATABASE_URL)", () => {
  let rows: CommuneRow[];
  /** Another process's handles: their own connections, as a second Quorum behind the proxy would have. */
  const elsewhere: Database[] = [];
  let sql: postgres.Sql;

  /** Renders the page as the app would for the current commune: its name, its consultation's title, and a count of renders. */
  const renders: string[] = [];
  const render: Render = async (path, slot) => {
    const commune = currentCommune()!;
    const c = await getConsultationCached(await getDb(), SLUG);
    renders.push(commune.hosts[0]);
    const html = `<html><h1>${commune.names.fr}</h1><p>${c?.texts.fr.title}</p><p>${path} render ${renders.length}</p><input value="${slot ? SUBMISSION_SLOT : "x"}"></html>`;
    return new Response(html, { headers: { "Content-Type": "text/html" } });
  };
  const commune = async (host: string): Promise<Commune> => (await communeForHost(host))!;
  const pageOn = async (host: string) => {
    const c = await commune(host);
    const html = await inCommune(c, async () => Buffer.concat(pageBody(await cachedPage(PATH, render), false).chunks).toString("utf8"));
    return html.replace(/value="[0-9a-f-]{36}"/, 'value="(a fresh submission id)"');
  };
  const title = (html: string) => /<p>([^<]*)<\/p>/.exec(html)![1];

  beforeAll(async () => {
    const admin = postgres(base!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    await admin.end();
    rows = [];
    for (const [host, nameFr] of [
      [HOST_A, "Saint-Amand-des-Prés"],
      [HOST_B, "Bourg-Blanc-sur-Lande"],
    ]) {
      const added = await addCommune(url, { hosts: [host], nameFr, nameEn: nameFr });
      if (!added.ok) throw new Error("fixture");
      rows.push(added.commune);
      const database = await openCommuneDatabase(url, added.commune.id, 1);
      await makeConsultation(database.db, { slug: SLUG, texts: titled(`Titre de ${nameFr}`) });
      elsewhere.push(database);
    }
    sql = postgres(url, { max: 1, onnotice: () => {} });
    clearPageCache();
  });

  afterAll(async () => {
    await Promise.all(elsewhere.map((d) => d.close()));
    await sql?.end();
    await closeDatabase().catch(() => {});
    await closeCommunePools();
    await closeRegistry();
    if (!base) return;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });

  it("keeps each commune's own page at the same address, and serves neither to the other host", async () => {
    const a = await pageOn(HOST_A);
    const b = await pageOn(HOST_B);
    expect(a).toContain("Saint-Amand-des-Prés");
    expect(a).toContain("Titre de Saint-Amand-des-Prés");
    expect(a).not.toContain("Bourg-Blanc");
    expect(b).toContain("Titre de Bourg-Blanc-sur-Lande");
    expect(b).not.toContain("Saint-Amand");
    // Kept: served again without a render, each to its own host.
    for (let i = 0; i < 20; i++) {
      expect(await pageOn(i % 2 ? HOST_A : HOST_B)).not.toContain(i % 2 ? "Bourg-Blanc" : "Saint-Amand");
    }
    expect(renders).toEqual([HOST_A, HOST_B]);
  });

  it("keeps a commune's page past the single commune's 2 s while its content version stays", async () => {
    await sleep(REGISTRY_REFRESH_MS);
    const before = renders.length;
    expect(await pageOn(HOST_A)).toContain("render 1");
    expect(renders.length).toBe(before);
  });

  it("after a change committed in this process, renders that commune's page again at once, and moves its number in the registry", async () => {
    const version = async () => Number((await sql`select version from quorum_registry.content_versions where commune_id = ${rows[0].id}`)[0]?.version ?? 0);
    const before = await version();
    await inCommune(await commune(HOST_A), () => contentChanged(SLUG));
    expect(await version()).toBe(before + 1);
    const rendered = renders.length;
    expect(await pageOn(HOST_A)).not.toContain("render 1");
    expect(await pageOn(HOST_B)).toContain("Bourg-Blanc");
    expect(renders.slice(rendered)).toEqual([HOST_A]);
  });

  it("after a change committed through another process, serves the new content within the registry's refresh, in that commune only", async () => {
    await sleep(REGISTRY_REFRESH_MS); // this process has read its own change back from the registry
    await pageOn(HOST_A);
    await pageOn(HOST_B);
    const kept = { a: await pageOn(HOST_A), b: await pageOn(HOST_B) };
    const rendered = renders.length;
    // Another process: the write, then the number, as contentChanged does there.
    await elsewhere[0].db
      .update(consultations)
      .set({ texts: titled("Titre changé à Saint-Amand") })
      .where(eq(consultations.slug, SLUG));
    await bumpContentVersion(elsewhere[0].db, rows[0].id);
    // Until this process reads the registry, the kept page and consultation may still serve.
    expect(await pageOn(HOST_A)).toBe(kept.a);
    await sleep(REGISTRY_REFRESH_MS);
    const a = await pageOn(HOST_A);
    expect(title(a)).toBe("Titre changé à Saint-Amand");
    expect(await pageOn(HOST_B)).toBe(kept.b);
    expect(renders.slice(rendered)).toEqual([HOST_A]);
  });

  it("a write that does not move the number is not seen (the number is what every write path that changes a page must move)", async () => {
    // The counter-proof of the test above: without the number, the kept copy stays.
    const kept = await pageOn(HOST_B);
    await elsewhere[1].db
      .update(consultations)
      .set({ texts: titled("Changé sans le dire") })
      .where(eq(consultations.slug, SLUG));
    await sleep(REGISTRY_REFRESH_MS);
    expect(await pageOn(HOST_B)).toBe(kept);
    await bumpContentVersion(elsewhere[1].db, rows[1].id);
    await sleep(REGISTRY_REFRESH_MS);
    expect(title(await pageOn(HOST_B))).toBe("Changé sans le dire");
  });
});
