import { gunzipSync } from "node:zlib";
import { beforeEach, describe, expect, it } from "vitest";
import { contentChanged } from "~/domain/consultations/cache.server";
import {
  cachedPage,
  clearPageCache,
  KEPT_UNTIL_HEADER,
  keptUntil,
  MAX_PAGES,
  PAGE_TTL_MS,
  pageBody,
  pageCacheSize,
  REFRESH_AFTER,
  RESULTS_TTL_MS,
  SUBMISSION_SLOT,
  type Render,
} from "./page-cache.server";

const PATH = "/fr/consultations/capteurs";

/** A stand-in for the Remix handler that counts its renders. */
function renderer(html: (n: number, slot: boolean) => string, status = 200, headers: Record<string, string> = {}) {
  const calls: { path: string; slot: boolean }[] = [];
  const render: Render = async (path, slot) => {
    calls.push({ path, slot });
    return new Response(html(calls.length, slot), { status, headers: { "Content-Type": "text/html; charset=utf-8", ...headers } });
  };
  return { render, calls };
}

const page = (n: number, slot: boolean) =>
  `<html lang="fr"><p>version ${n}</p><input name="submission_id" value="${slot ? SUBMISSION_SLOT : "plain-id"}"></html>`;
const text = (body: { chunks: Buffer[] }) => Buffer.concat(body.chunks).toString("utf8");

describe("the page cache", () => {
  beforeEach(() => clearPageCache());

  it("renders a page once, then fills a fresh id into each response, plain or gzip", async () => {
    const { render, calls } = renderer(page);
    const first = await cachedPage(PATH, render, 1_000);
    const again = await cachedPage(PATH, render, 1_500);
    expect(calls).toEqual([{ path: PATH, slot: true }]);
    expect(again).toBe(first);
    const a = text(pageBody(first, false));
    const b = gunzipSync(Buffer.concat(pageBody(first, true).chunks)).toString("utf8");
    const id = /value="([^"]+)"/;
    expect(id.exec(a)![1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(id.exec(b)![1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(id.exec(a)![1]).not.toBe(id.exec(b)![1]);
    expect(a.replace(id, "")).toBe(b.replace(id, ""));
    expect(a).not.toContain(SUBMISSION_SLOT);
  });

  it("renders again after a staff change commits, and after its time to live", async () => {
    const { render, calls } = renderer(page);
    await cachedPage(PATH, render, 1_000);
    contentChanged();
    expect(text(pageBody(await cachedPage(PATH, render, 1_001), false))).toContain("version 2");
    expect(text(pageBody(await cachedPage(PATH, render, 1_002), false))).toContain("version 2");
    expect(text(pageBody(await cachedPage(PATH, render, 10_000), false))).toContain("version 3");
    expect(calls).toHaveLength(3);
  });

  it("keeps a results page for its longer time to live, and still renders it again after a change", async () => {
    const { render, calls } = renderer(page);
    const results = `${PATH}/results`;
    await cachedPage(results, render, 1_000, RESULTS_TTL_MS);
    expect(text(pageBody(await cachedPage(results, render, 1_000 + RESULTS_TTL_MS - 1, RESULTS_TTL_MS), false))).toContain("version 1");
    expect(text(pageBody(await cachedPage(results, render, 1_000 + RESULTS_TTL_MS, RESULTS_TTL_MS), false))).toContain("version 2");
    contentChanged();
    expect(text(pageBody(await cachedPage(results, render, 1_000 + RESULTS_TTL_MS + 1, RESULTS_TTL_MS), false))).toContain("version 3");
    expect(calls).toHaveLength(3);
  });

  it("late in its lifetime, serves the kept page at once while rendering it again, and never serves it past its lifetime", async () => {
    let release: () => void = () => {};
    const calls: number[] = [];
    const render: Render = async (_path, slot) => {
      calls.push(calls.length + 1);
      const n = calls.length;
      if (n === 2) await new Promise<void>((resolve) => (release = resolve));
      return new Response(page(n, slot), { headers: { "Content-Type": "text/html" } });
    };
    const results = `${PATH}/results`;
    const late = 1_000 + RESULTS_TTL_MS * REFRESH_AFTER;
    await cachedPage(results, render, 1_000, RESULTS_TTL_MS);
    // Before three quarters of its lifetime: no render.
    await cachedPage(results, render, late - 1, RESULTS_TTL_MS);
    expect(calls).toHaveLength(1);
    // After: served at once (the render is held back), one render started for all.
    expect(text(pageBody(await cachedPage(results, render, late, RESULTS_TTL_MS), false))).toContain("version 1");
    expect(text(pageBody(await cachedPage(results, render, late + 1, RESULTS_TTL_MS), false))).toContain("version 1");
    expect(calls).toHaveLength(2);
    // At the end of its lifetime the old page is no longer served: the request waits for the render.
    const expired = cachedPage(results, render, 1_000 + RESULTS_TTL_MS, RESULTS_TTL_MS);
    release();
    expect(text(pageBody(await expired, false))).toContain("version 2");
    // The new page's age counts from the start of its render (at `late`), not from when it was served.
    expect(text(pageBody(await cachedPage(results, render, late + RESULTS_TTL_MS - 1, RESULTS_TTL_MS), false))).toContain("version 2");
    const again = await cachedPage(results, render, late + RESULTS_TTL_MS, RESULTS_TTL_MS);
    expect(text(pageBody(again, false))).toContain("version 3");
    expect(calls).toHaveLength(3);
  });

  it("does not serve a kept page after a staff change, late in its lifetime or not", async () => {
    const { render, calls } = renderer(page);
    await cachedPage(PATH, render, 1_000);
    await cachedPage(PATH, render, 1_000 + PAGE_TTL_MS * REFRESH_AFTER); // a render started in the background
    contentChanged();
    expect(text(pageBody(await cachedPage(PATH, render, 1_000 + PAGE_TTL_MS * REFRESH_AFTER + 1), false))).toContain("version 3");
    expect(calls).toHaveLength(3);
  });

  it("counts a page's age from the start of its render, for requests that waited on it too", async () => {
    let release: () => void = () => {};
    const render: Render = async (_path, slot) => {
      await new Promise<void>((resolve) => (release = resolve));
      return new Response(page(1, slot), { headers: { "Content-Type": "text/html" } });
    };
    const first = cachedPage(PATH, render, 1_000);
    const waiting = cachedPage(PATH, render, 1_900); // joins the render started at 1,000
    await Promise.resolve();
    release();
    await Promise.all([first, waiting]);
    const { render: next, calls } = renderer(page);
    await cachedPage(PATH, next, 1_000 + PAGE_TTL_MS);
    expect(calls).toHaveLength(1); // expired at 1,000 + PAGE_TTL_MS, not at 1,900 + PAGE_TTL_MS
  });

  it("renders once for many requests arriving together", async () => {
    const { render, calls } = renderer(page);
    const pages = await Promise.all(Array.from({ length: 20 }, () => cachedPage(PATH, render, 1_000)));
    expect(calls).toHaveLength(1);
    expect(new Set(pages).size).toBe(1);
  });

  it("keeps no error page, no page that sets a cookie", async () => {
    for (const [status, headers] of [
      [404, {}],
      [503, {}],
      [200, { "Set-Cookie": "a=b" }],
    ] as const) {
      clearPageCache();
      const { render, calls } = renderer(page, status, headers);
      const got = await cachedPage(PATH, render, 1_000);
      await cachedPage(PATH, render, 1_001);
      expect(got.status).toBe(status);
      expect(got.headers.some(([n]) => n.toLowerCase() === "set-cookie")).toBe(false);
      expect(calls).toHaveLength(2);
    }
  });

  it("names the id each response carries in a header, and never the slot", async () => {
    const { render } = renderer(page, 200, { "X-Quorum-Submission-Id": SUBMISSION_SLOT });
    const cached = await cachedPage(PATH, render, 1_000);
    expect(cached.headers.flat().join(" ")).not.toContain(SUBMISSION_SLOT);
    for (const gzip of [false, true]) {
      const body = pageBody(cached, gzip);
      const html = gzip ? gunzipSync(Buffer.concat(body.chunks)).toString("utf8") : text(body);
      const named = body.headers.find(([n]) => n === "X-Quorum-Submission-Id")?.[1];
      expect(named).toMatch(/^[0-9a-f-]{36}$/);
      expect(html).toContain(`value="${named}"`);
    }
  });

  it("renders plainly, uncached, a page whose content holds the slot's text", async () => {
    const { render, calls } = renderer((n, slot) => `<p>${SUBMISSION_SLOT}</p>${page(n, slot)}`);
    const got = await cachedPage(PATH, render, 1_000);
    expect(calls.map((c) => c.slot)).toEqual([true, false]);
    expect(text(pageBody(got, false))).toContain('value="plain-id"');
    await cachedPage(PATH, render, 1_001);
    expect(calls).toHaveLength(4);
  });

  it("does not keep, under the new version, a render that started before a staff change", async () => {
    let release: () => void = () => {};
    const calls: number[] = [];
    const render: Render = async (_path, slot) => {
      calls.push(calls.length + 1);
      const n = calls.length;
      if (n === 1) await new Promise<void>((resolve) => (release = resolve));
      return new Response(page(n, slot), { headers: { "Content-Type": "text/html" } });
    };
    const early = cachedPage(PATH, render, 1_000);
    await Promise.resolve();
    contentChanged(); // committed while the first render runs
    const late = cachedPage(PATH, render, 1_001);
    release();
    expect(text(pageBody(await early, false))).toContain("version 1");
    expect(text(pageBody(await late, false))).toContain("version 2");
    expect(text(pageBody(await cachedPage(PATH, render, 1_002), false))).toContain("version 2");
    expect(calls).toHaveLength(2);
  });
});

describe("a page that changes at a known moment", () => {
  beforeEach(() => clearPageCache());

  it("is not kept past the moment its render named (a consultation opening or closing), and the header is not sent", async () => {
    const { render, calls } = renderer(page, 200, keptUntil([new Date(1_500), null, new Date(900)], 1_000));
    const first = await cachedPage(PATH, render, 1_000);
    expect(first.headers.map(([name]) => name.toLowerCase())).not.toContain(KEPT_UNTIL_HEADER.toLowerCase());
    expect(text(pageBody(await cachedPage(PATH, render, 1_499), false))).toContain("version 1");
    expect(text(pageBody(await cachedPage(PATH, render, 1_500), false))).toContain("version 2");
    expect(calls).toHaveLength(2);
  });

  it("names only moments still to come", () => {
    expect(keptUntil([new Date(500), null, undefined], 1_000)).toEqual({});
    expect(keptUntil([new Date(3_000), new Date(2_000), new Date(500)], 1_000)).toEqual({ [KEPT_UNTIL_HEADER]: "2000" });
  });
});

describe("the page cache's bound", () => {
  beforeEach(() => clearPageCache());
  const path = (i: number) => `/fr/consultations/c${i}`;

  it("past MAX_PAGES, drops the least recently used page and keeps one read recently", async () => {
    const { render, calls } = renderer(page);
    for (let i = 0; i < MAX_PAGES; i++) await cachedPage(path(i), render, 1_000);
    expect(pageCacheSize()).toBe(MAX_PAGES);
    // c0 is the oldest kept, but reading it makes c1 the least recently used.
    await cachedPage(path(0), render, 1_001);
    expect(calls).toHaveLength(MAX_PAGES);

    await cachedPage(path(MAX_PAGES), render, 1_002);
    expect(pageCacheSize()).toBe(MAX_PAGES);
    const rendered = calls.length;
    await cachedPage(path(0), render, 1_003);
    await cachedPage(path(2), render, 1_003);
    await cachedPage(path(MAX_PAGES), render, 1_003);
    expect(calls).toHaveLength(rendered); // still kept: served without a render
    await cachedPage(path(1), render, 1_004);
    expect(calls.slice(rendered)).toEqual([{ path: path(1), slot: true }]); // dropped: rendered again
    expect(pageCacheSize()).toBe(MAX_PAGES);
  });

  it("never holds more than MAX_PAGES, however many paths are asked for and in what order", async () => {
    const { render } = renderer(page);
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let n = 0; n < 3 * MAX_PAGES; n++) {
      // Mostly new paths, some read again, and now and then a staff change that makes every kept page stale.
      const i = n % 3 === 0 ? next() % (n + 1) : n;
      if (n % 997 === 0) contentChanged();
      await cachedPage(path(i), render, 1_000 + (n % 1_000));
      expect(pageCacheSize()).toBeLessThanOrEqual(MAX_PAGES);
    }
    expect(pageCacheSize()).toBe(MAX_PAGES);
  });
});
