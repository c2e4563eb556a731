import { gzipSync } from "node:zlib";
import { expect, test } from "@playwright/test";
import { E2E } from "./fixtures";

/** Byte budgets of the product brief; sizes are deterministic, so tests assert them (times go to `npm run bench`). */
const RESIDENT_PAGES = [
  "/fr",
  "/en",
  `/fr/consultations/${E2E.demoSlug}`,
  `/en/consultations/${E2E.demoSlug}`,
  "/fr/receipts",
  "/en/receipts/ZZZZ-ZZZZ",
  `/fr/consultations/${E2E.resultsSlug}/results`,
  `/en/consultations/${E2E.resultsSlug}/results`,
];

test("the consultation page's HTML is at most 14 KB gzip, in both languages", async ({ request }) => {
  for (const lang of ["fr", "en"]) {
    const html = await (await request.get(`/${lang}/consultations/${E2E.demoSlug}`)).body();
    const gz = gzipSync(html, { level: 9 }).length;
    expect(gz, `${lang}: ${gz} bytes gzip`).toBeLessThanOrEqual(14 * 1024);
  }
});

test("the results page's HTML is at most 14 KB gzip for the demo's nine questions, in both languages", async ({ request }) => {
  for (const lang of ["fr", "en"]) {
    const res = await request.get(`/${lang}/consultations/${E2E.resultsSlug}/results`);
    expect(res.status()).toBe(200);
    const html = await res.body();
    // Published texts are on it: the budget holds with them.
    expect(html.toString("utf8")).toContain("<blockquote>");
    const gz = gzipSync(html, { level: 9 }).length;
    expect(gz, `${lang}: ${gz} bytes gzip`).toBeLessThanOrEqual(14 * 1024);
  }
});

test("resident pages load one small optional script, no web font and nothing from another host", async ({ page, request }) => {
  for (const path of RESIDENT_PAGES) {
    const html = await (await request.get(path)).text();
    // The only script: service-worker registration and the offline notice. No inline script, no framework.
    expect(html.match(/<script[^>]*>/gi), path).toEqual(['<script src="/quorum.js" defer="">']);
    expect(html, path).not.toMatch(/@font-face|fonts\.googleapis/i);
  }
  const script = gzipSync(await (await request.get("/quorum.js")).body(), { level: 9 }).length;
  expect(script, `quorum.js: ${script} bytes gzip`).toBeLessThanOrEqual(5 * 1024);
  const worker = gzipSync(await (await request.get("/sw.js")).body(), { level: 9 }).length;
  expect(worker, `sw.js: ${worker} bytes gzip`).toBeLessThanOrEqual(25 * 1024);
  const requests: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  for (const path of RESIDENT_PAGES) await page.goto(path);
  const base = new URL(page.url()).origin;
  expect(requests.filter((u) => !u.startsWith(base) && !u.startsWith("data:"))).toEqual([]);
  expect(requests.filter((u) => /\.(js|mjs)(\?|$)/.test(u) && !/\/(sw|quorum)\.js$/.test(u))).toEqual([]);
  expect(requests.filter((u) => /\.(woff2?|ttf|otf)(\?|$)/.test(u))).toEqual([]);
});

test("all CSS of a resident page is at most 8 KB gzip and cacheable", async ({ page, request }) => {
  const css: string[] = [];
  page.on("response", (r) => {
    if (r.request().resourceType() === "stylesheet") css.push(r.url());
  });
  await page.goto(`/fr/consultations/${E2E.demoSlug}`);
  expect(css.length).toBeGreaterThan(0);
  // The critical CSS inlined in the page counts too (docs/decisions/025-first-render-in-one-request.md).
  const inline = await page.locator("style").allTextContents();
  expect(inline.length).toBe(1);
  let total = gzipSync(inline[0], { level: 9 }).length;
  for (const url of css) {
    const res = await request.get(url);
    expect(res.headers()["cache-control"]).toMatch(/max-age=\d{4,}/);
    total += gzipSync(await res.body(), { level: 9 }).length;
  }
  expect(total, `${total} bytes gzip`).toBeLessThanOrEqual(8 * 1024);
});
