/**
 * npm run bench — Quorum's budgets, measured (not asserted: times vary by machine).
 *  1. Page weight of every resident page in Chromium: HTML, CSS, JS (gzip) and requests.
 *  2. Answers per second and p50/p99 latency at 50 concurrent clients against the
 *     production build on PostgreSQL, beside a bare node:http + postgres server doing
 *     the same inserts in the same transaction shape: the ratio.
 *  3. Consultation-page requests per second beside a bare node:http serving the same bytes.
 *  4. CSV export of 100,000 and 1,000,000 answers: time and peak memory.
 *  5. Themes: suggestions for 10,000 free texts and the themes queue under each filter.
 *  7. Utility of the public figures (bench/utility.ts): per consultation of 12, 30, 80 and 300
 *     answers, the answer cells with a public figure, the error of the shares a reader can read,
 *     and the questions that show a split (decision 061).
 *  6. Scale: the demo consultation with 10,000, 100,000 and 1,000,000 responses to every question
 *     (bench/scale-seed.ts, straight into PostgreSQL), in a database of its own; per size, the staff
 *     summary (domain call and page), summary.csv, export.csv (time and bytes), and pages per second
 *     of the public results page beside the consultation page, at the same concurrency: results then
 *     consultation, and again consultation, results, results, consultation ("balanced").
 *  8. Many communes on one process (bench/communes.ts, decision 062): for 1 and 500 communes
 *     (BENCH_COMMUNES), start-up, memory, pages and answers per second against one commune; every
 *     server running at once, their windows of load in turns, the others paused (BENCH_COMMUNES_ROUNDS
 *     rounds, default 3; BENCH_COMMUNES_PORT, default 3304, and from ten ports above it).
 *  9. SMS (decision 066): inbound text messages per second through `POST /sms/twilio`, signed as
 *     Twilio signs them, each client a phone going through the demo's whole conversation (keyword,
 *     nine replies, OUI) again and again; and the answers so completed per second, beside the web's.
 * Writes bench/results/<date>.json. Traffic goes to 127.0.0.1 only; every loop is bounded.
 * Options (environment): BENCH_ADMIN_URL, BENCH_DATABASE (the name of the database it creates and drops, and of
 * "<name>_scale"), BENCH_APP_PORT, BENCH_BARE_PORT, BENCH_SCALE_PORT (3301, 3302, 3303), BENCH_SECONDS (default 10), BENCH_EXPORT_SIZES ("100000,1000000"),
 * BENCH_THEMES_TEXTS (default 10000), BENCH_SCALE_SIZES ("10000,100000,1000000"), BENCH_SCALE_CONCURRENCY (default 20),
 * BENCH_SCALE_DOMAIN_ONLY ("true": part 6 measures only the staff summary as a domain call),
 * BENCH_PARTS (default "weight,list,answers,sms,pages,export,themes,scale,utility,communes": any of them, to measure only those;
 * "lighthouse", never by default, runs Lighthouse 12 (mobile, simulated throttling) on /fr and the
 * consultation through npx, with Debian's Chromium: render-blocking resources and paint times).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { gzipSync } from "node:zlib";
import postgres from "postgres";
import { chromium } from "@playwright/test";
import { BROWSER_ARGS, CHROMIUM } from "../playwright.config";
import { answer, benchCommunes } from "./communes";
import { seedScale } from "./scale-seed";
import { measureUtility, utilityTable } from "./utility";
import { urls } from "../app/urls";

const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = 50;
const PARTS = new Set((process.env.BENCH_PARTS ?? "weight,list,answers,sms,pages,export,themes,scale,utility,communes").split(",").map((p) => p.trim()));
const EXPORT_SIZES = (process.env.BENCH_EXPORT_SIZES ?? "100000,1000000").split(",").map(Number).filter(Boolean);
const SCALE_SIZES = (process.env.BENCH_SCALE_SIZES ?? "10000,100000,1000000").split(",").map(Number).filter(Boolean);
const SCALE_PORT = Number(process.env.BENCH_SCALE_PORT ?? 3303);
/** Only the staff summary as a domain call, without the pages, the exports and the public pages (a few seconds a size). */
const SCALE_DOMAIN_ONLY = process.env.BENCH_SCALE_DOMAIN_ONLY === "true";
const APP_PORT = Number(process.env.BENCH_APP_PORT ?? 3301);
const BARE_PORT = Number(process.env.BENCH_BARE_PORT ?? 3302);
const SLUG = "capteurs-place-du-marche";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(url: string, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // starting
    }
    await sleep(200);
  }
  throw new Error(`${url} did not answer`);
}

function percentile(sorted: number[], p: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;
}

/** `CONCURRENCY` loops for `SECONDS`, each request made by `make`; counts successes by `ok`. */
async function hammer(make: () => Promise<Response>, ok: (r: Response) => boolean, concurrency = CONCURRENCY) {
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const t0 = performance.now();
        try {
          const res = await make();
          await res.arrayBuffer();
          if (ok(res)) latencies.push(performance.now() - t0);
          else errors++;
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: Math.round(latencies.length / elapsed),
    p50ms: +percentile(latencies, 50).toFixed(1),
    p99ms: +percentile(latencies, 99).toFixed(1),
    ok: latencies.length,
    errors,
  };
}

function post(base: string) {
  return fetch(`${base}/fr/consultations/${SLUG}`, {
    method: "POST",
    body: answer(),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
    redirect: "manual",
  });
}

const SMS_TOKEN = "bench-twilio-auth-token";
/** The demo's whole conversation as a resident texts it: keyword, nine replies, the recap's OUI. */
const SMS_SCRIPT = ["AIR", "4", "2 3", "b", "2 1 3 4", "Devant la mairie", "PASSER", "1", "3", "1", "OUI"];

/**
 * `CONCURRENCY` phones for `SECONDS`, each texting the demo's conversation again and again (a new
 * number each time), signed as Twilio signs (HMAC-SHA1 of the public URL and the sorted fields).
 */
async function smsConversations(base: string, origin: string) {
  const { createHmac } = await import("node:crypto");
  const url = `${origin}/sms/twilio`;
  let phones = 0;
  let counted = 0;
  let sid = 0;
  const send = async (from: string, body: string) => {
    const fields: Record<string, string> = { MessageSid: `SM${process.pid}x${++sid}`, From: from, To: "+33757591234", Body: body };
    const signed = Object.keys(fields)
      .sort()
      .reduce((acc, k) => acc + k + fields[k], url);
    const signature = createHmac("sha1", SMS_TOKEN).update(signed).digest("base64");
    return fetch(`${base}/sms/twilio`, { method: "POST", body: new URLSearchParams(fields), headers: { "X-Twilio-Signature": signature } });
  };
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) {
        const from = `+3360${String(++phones).padStart(7, "0")}`;
        for (const body of SMS_SCRIPT) {
          if (Date.now() >= end) break;
          const t0 = performance.now();
          try {
            const res = await send(from, body);
            const text = await res.text();
            if (res.status !== 200) errors++;
            else {
              latencies.push(performance.now() - t0);
              if (body === "OUI" && /Gardez ce code/.test(text)) counted++;
            }
          } catch {
            errors++;
          }
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    messagesPerSecond: Math.round(latencies.length / elapsed),
    answersPerSecond: +(counted / elapsed).toFixed(1),
    p50ms: +percentile(latencies, 50).toFixed(1),
    p99ms: +percentile(latencies, 99).toFixed(1),
    messages: latencies.length,
    answers: counted,
    errors,
  };
}

/**
 * What a first visit to the list costs on the wire, page and service worker together (the worker
 * installs, then saves the list's open consultations within its budget), with and without
 * Save-Data; bytes are Chromium's own count (headers and encoded body) of every finished request.
 */
/** Debian's Chromium with the flags the browser tests use. */
function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
}

async function listVisit(base: string) {
  process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = "1";
  const browser = await launchChromium();
  const out: Record<string, unknown>[] = [];
  for (const saveData of [false, true]) {
    const context = await browser.newContext({ baseURL: base, ...(saveData ? { extraHTTPHeaders: { "Save-Data": "on" } } : {}) });
    if (saveData) await context.addInitScript(() => Object.defineProperty(navigator, "connection", { value: { saveData: true }, configurable: true }));
    const finished: Promise<{ path: string; worker: boolean; bytes: number }>[] = [];
    context.on("requestfinished", (r) =>
      finished.push(
        r.sizes().then((s) => ({
          path: new URL(r.url()).pathname,
          worker: !!r.serviceWorker(),
          bytes: s.requestHeadersSize + s.requestBodySize + s.responseHeadersSize + s.responseBodySize,
        })),
      ),
    );
    const page = await context.newPage();
    await page.goto("/fr");
    await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 30_000 });
    // Settled: the list has handed its consultations over and the worker has saved them.
    await page.waitForLoadState("networkidle");
    await sleep(3_000);
    const all = await Promise.all(finished);
    const saved = all.filter((r) => r.worker && r.path.includes("/consultations/"));
    out.push({
      saveData,
      requests: all.length,
      totalBytes: all.reduce((n, r) => n + r.bytes, 0),
      pageBytes: all.filter((r) => !r.worker).reduce((n, r) => n + r.bytes, 0),
      workerInstallBytes: all.filter((r) => r.worker && !r.path.includes("/consultations/")).reduce((n, r) => n + r.bytes, 0),
      consultationsSaved: saved.length,
      savedBytes: saved.reduce((n, r) => n + r.bytes, 0),
    });
    await context.close();
  }
  await browser.close();
  return out;
}

async function pageWeights(base: string) {
  const browser = await launchChromium();
  const context = await browser.newContext({ serviceWorkers: "block" });
  const results: Record<string, unknown>[] = [];
  for (const path of [
    "/fr",
    "/en",
    `/fr/consultations/${SLUG}`,
    `/en/consultations/${SLUG}`,
    "/fr/receipts",
    "/en/receipts/ZZZZ-ZZZZ",
    "/fr/privacy",
    "/en/open-data",
    "/fr/offline",
  ]) {
    const page = await context.newPage();
    const seen: { url: string; type: string }[] = [];
    page.on("response", (r) => seen.push({ url: r.url(), type: r.request().resourceType() }));
    await page.goto(`${base}${path}`, { waitUntil: "networkidle" });
    const gz = async (url: string) => gzipSync(Buffer.from(await (await fetch(url)).arrayBuffer()), { level: 9 }).length;
    let html = 0;
    let css = 0;
    let js = 0;
    for (const r of seen) {
      if (r.type === "document") html += await gz(r.url);
      else if (r.type === "stylesheet") css += await gz(r.url);
      else if (r.type === "script") js += await gz(r.url);
    }
    // The critical CSS inlined in the page (part of htmlGzip), on its own (docs/decisions/025-first-render-in-one-request.md).
    const inline = (await page.locator("style").allTextContents()).join("");
    const inlineCssGzip = inline === "" ? 0 : gzipSync(inline, { level: 9 }).length;
    results.push({ path, htmlGzip: html, inlineCssGzip, cssGzip: css, jsGzip: js, requests: seen.length });
    await page.close();
  }
  await browser.close();
  return results;
}

/** One Lighthouse run (its own Chromium profile); what it says of render-blocking resources and paints. */
function lighthouse(url: string, path: string) {
  const run = spawnSync(
    "npx",
    [
      "--yes",
      "lighthouse@12.8.2",
      url,
      "--quiet",
      "--only-categories=performance,accessibility,best-practices,seo",
      "--output=json",
      "--output-path=stdout",
      "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ],
    { encoding: "utf8", maxBuffer: 64 << 20, env: { ...process.env, CHROME_PATH: CHROMIUM } },
  );
  if (run.status !== 0) throw new Error(`lighthouse ${path}: ${run.stderr.slice(-500)}`);
  const report = JSON.parse(run.stdout) as {
    lighthouseVersion: string;
    audits: Record<string, { displayValue?: string; numericValue?: number; details?: { items?: { url: string }[] } }>;
    categories: Record<string, { score: number | null }>;
  };
  const a = report.audits;
  const score = (c: string) => Math.round((report.categories[c]?.score ?? 0) * 100);
  return {
    path,
    version: report.lighthouseVersion,
    performance: score("performance"),
    accessibility: score("accessibility"),
    bestPractices: score("best-practices"),
    seo: score("seo"),
    tbtMs: Math.round(a["total-blocking-time"].numericValue ?? NaN),
    renderBlocking: (a["render-blocking-resources"].details?.items ?? []).map((i) => new URL(i.url).pathname),
    fcp: a["first-contentful-paint"].displayValue,
    lcp: a["largest-contentful-paint"].displayValue,
    cls: a["cumulative-layout-shift"].displayValue,
  };
}

async function seedAnswers(sql: postgres.Sql, slug: string, count: number) {
  const [c] = await sql`select id from consultations where slug = ${slug}`;
  const q = Object.fromEntries((await sql`select id, code from questions where consultation_id = ${c.id}`).map((r) => [r.code, r.id]));
  const air = (await sql`select o.id from options o where o.question_id = ${q.measures} and o.code = 'air'`)[0].id;
  const d30 = (await sql`select o.id from options o where o.question_id = ${q.retention} and o.code = '30d'`)[0].id;
  for (let done = 0; done < count; done += 100_000) {
    const n = Math.min(100_000, count - done);
    await sql.begin(async (tx) => {
      await tx`create temp table batch on commit drop as
        select gen_random_uuid() as id, g from generate_series(1, ${n}) g`;
      await tx`insert into responses (id, consultation_id, submission_id, receipt_code, locale, channel, received_at)
        select id, ${c.id}, gen_random_uuid(), 'B' || replace(id::text, '-', ''), 'fr', 'web', now() - (g || ' seconds')::interval from batch`;
      await tx`insert into answers (response_id, question_id, number) select id, ${q.support}, 1 + g % 5 from batch`;
      await tx`insert into answers (response_id, question_id, option_ids) select id, ${q.measures}, array[${air}::uuid] from batch`;
      await tx`insert into answers (response_id, question_id, option_ids) select id, ${q.retention}, array[${d30}::uuid] from batch`;
      await tx`insert into answers (response_id, question_id, text) select id, ${q.comments}, 'Réponse n° ' || g || E', avec "guillemets" et\\nune deuxième ligne' from batch`;
    });
  }
}

/** One timed GET (the body read to its end): milliseconds, status and bytes on the wire. */
async function timedGet(url: string, headers: Record<string, string>) {
  const t0 = performance.now();
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(600_000) });
  const bytes = (await res.arrayBuffer()).byteLength;
  return { ms: Math.round(performance.now() - t0), status: res.status, bytes };
}

const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Part 6: the demo consultation at 10,000, 100,000 and 1,000,000 responses (BENCH_SCALE_SIZES),
 * against the production build on a database of its own, signed in as an administrator.
 */
async function scale(databaseUrl: string, children: ChildProcess[]) {
  const env = {
    ...process.env,
    PORT: String(SCALE_PORT),
    DATABASE_URL: databaseUrl,
    QUORUM_SEED_DEMO: "true",
    NODE_ENV: "production",
    QUORUM_LOG_LEVEL: "warn",
    QUORUM_COOKIE_SECURE: "false",
    QUORUM_SUBMISSIONS_PER_10_MIN: "1000000",
  } as NodeJS.ProcessEnv;
  const app = spawn("node", ["server.mjs"], { env, stdio: ["ignore", "ignore", "inherit"] });
  children.push(app);
  const base = `http://127.0.0.1:${SCALE_PORT}`;
  await waitFor(`${base}/healthz`);
  const email = "bench@example.org";
  const password = "a long bench passphrase";
  const made = spawnSync(process.execPath, ["--import", "tsx", "scripts/staff-create.ts", "--email", email, "--role", "admin"], {
    env: { ...env, QUORUM_PASSWORD: password },
    encoding: "utf8",
  });
  if (made.status !== 0) throw new Error(`staff:create: ${made.stderr}`);
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  // The results page is public once an official shows the results (live, while open).
  await sql`update consultations set results_published_at = now() where slug = ${SLUG}`;
  // Answers seeded straight into the tables reach no public figures: each size starts without them, so
  // the first request computes them once (decision 061) and the rest come from the page cache.
  const forgetPublicFigures = () => sql`delete from public_figures where consultation_id = (select id from consultations where slug = ${SLUG})`;
  const login = await fetch(`${base}/en/staff/login`, {
    method: "POST",
    body: new URLSearchParams({ email, password, next: "/en/staff" }),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
    redirect: "manual",
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  if (login.status !== 302 || !cookie) throw new Error(`sign-in refused (${login.status})`);
  const staff = { Cookie: cookie, "Accept-Encoding": "gzip" };
  const out: Record<string, unknown>[] = [];
  let seeded = 0;
  for (const size of SCALE_SIZES) {
    const t0 = performance.now();
    await seedScale(sql, SLUG, size - seeded);
    const seedSeconds = +((performance.now() - t0) / 1000).toFixed(1);
    seeded = size;
    await forgetPublicFigures();
    const [{ answers }] = await sql`select count(*)::int as answers from answers a join responses r on r.id = a.response_id
      join consultations c on c.id = r.consultation_id where c.slug = ${SLUG}`;
    console.log(`6/6 scale: ${size} responses (${answers} answers) seeded in ${seedSeconds} s; load ${os.loadavg()[0].toFixed(1)}`);
    const child = spawnSync(process.execPath, ["--import", "tsx", "bench/scale-child.ts", databaseUrl, SLUG, size >= 1_000_000 ? "3" : "5"], {
      encoding: "utf8",
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) throw new Error(`scale child: ${child.stderr}`);
    const domain = JSON.parse(child.stdout.trim().split("\n").pop()!);
    if (SCALE_DOMAIN_ONLY) {
      out.push({ responses: size, answers, seedSeconds, loadAverage: os.loadavg().map((x) => +x.toFixed(2)), domain });
      console.log(JSON.stringify(out.at(-1)));
      continue;
    }
    const runs = size >= 1_000_000 ? 3 : 5;
    const page = async (path: string, n: number) => {
      const all = [];
      for (let i = 0; i < n; i++) all.push(await timedGet(`${base}${path}`, staff));
      if (all.some((r) => r.status !== 200)) throw new Error(`${path}: ${all.map((r) => r.status).join(",")}`);
      return { medianMs: medianOf(all.map((r) => r.ms)), runsMs: all.map((r) => r.ms), bytes: all[0].bytes };
    };
    const staffPages = {
      summaryPage: await page(urls.staff.summary("en", SLUG), runs),
      summaryPageByArea: await page(urls.staff.summary("en", SLUG, { breakdown: "area" }), runs),
      summaryCsv: await page(urls.staff.summaryCsv("en", SLUG), runs),
      // Uncompressed, as the file is saved: its bytes are the CSV's own.
      exportCsv: await (async () => {
        const r = await timedGet(`${base}${urls.staff.exportCsv("en", SLUG)}`, { Cookie: cookie });
        if (r.status !== 200) throw new Error(`export.csv: ${r.status}`);
        return r;
      })(),
    };
    // The same concurrency for both pages, requested as browsers do (gzip); a request gets 60 s.
    const concurrency = Number(process.env.BENCH_SCALE_CONCURRENCY ?? 20);
    const get = (path: string) => () => fetch(`${base}${path}`, { headers: { "Accept-Encoding": "gzip" }, signal: AbortSignal.timeout(60_000) });
    // Each page once first: the results page's figures are computed once per change (decision 061), not per request.
    for (const path of [urls.results("fr", SLUG), urls.consultation("fr", SLUG)]) await (await get(path)()).arrayBuffer();
    const resultsPerSecond = () => hammer(get(urls.results("fr", SLUG)), (r) => r.status === 200, concurrency);
    const consultationPerSecond = () => hammer(get(urls.consultation("fr", SLUG)), (r) => r.status === 200, concurrency);
    const resultsPage = await resultsPerSecond();
    const consultationPage = await consultationPerSecond();
    // Then both again, consultation, results, results, consultation: the first page measured above also
    // pays for the first requests of the run (connections, code not yet optimised, in the bench and in
    // the server), and the machine's load drifts; in this order neither favours one page.
    const c1 = await consultationPerSecond();
    const r1 = await resultsPerSecond();
    const r2 = await resultsPerSecond();
    const c2 = await consultationPerSecond();
    const balancedRuns = { results: [r1, r2], consultation: [c1, c2] };
    const perSecond = (runs: { ok: number }[]) => Math.round(runs.reduce((n, r) => n + r.ok, 0) / (runs.length * SECONDS));
    const balanced = {
      resultsPerSecond: perSecond(balancedRuns.results),
      consultationPerSecond: perSecond(balancedRuns.consultation),
      ratio: +(balancedRuns.results.reduce((n, r) => n + r.ok, 0) / balancedRuns.consultation.reduce((n, r) => n + r.ok, 0)).toFixed(3),
      runs: balancedRuns,
    };
    out.push({
      responses: size,
      answers,
      seedSeconds,
      loadAverage: os.loadavg().map((x) => +x.toFixed(2)),
      domain,
      ...staffPages,
      concurrency,
      resultsPage,
      consultationPage,
      resultsAgainstConsultation: consultationPage.perSecond ? +(resultsPage.perSecond / consultationPage.perSecond).toFixed(3) : null,
      balanced,
    });
    console.log(JSON.stringify(out.at(-1)));
  }
  await sql.end();
  app.kill("SIGTERM");
  return out;
}

async function main() {
  if (!existsSync("build/index.js")) spawnSync("npm", ["run", "build"], { stdio: "inherit" });
  const name = process.env.BENCH_DATABASE ?? `quorum_bench_${Date.now()}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const children: ChildProcess[] = [];
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
    },
    settings: { seconds: SECONDS, concurrency: CONCURRENCY },
  };
  try {
    const app = spawn("node", ["server.mjs"], {
      env: {
        ...process.env,
        PORT: String(APP_PORT),
        DATABASE_URL: databaseUrl,
        // The bench measures the demo consultation; on PostgreSQL it is seeded only when asked.
        QUORUM_SEED_DEMO: "true",
        NODE_ENV: "production",
        QUORUM_LOG_LEVEL: "warn",
        QUORUM_COOKIE_SECURE: "false",
        QUORUM_SUBMISSIONS_PER_10_MIN: "1000000",
        QUORUM_SMS_PROVIDER: "twilio",
        QUORUM_TWILIO_AUTH_TOKEN: SMS_TOKEN,
        QUORUM_SMS_PER_MINUTE: "1000000",
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    children.push(app);
    const appBase = `http://127.0.0.1:${APP_PORT}`;
    await waitFor(`${appBase}/healthz`);

    if (PARTS.has("weight")) {
      console.log("1/4 page weight in Chromium…");
      results.pageWeight = await pageWeights(appBase);
      console.table(results.pageWeight);
    }

    if (PARTS.has("list")) {
      console.log("list visit: bytes with and without Save-Data…");
      results.listVisit = await listVisit(appBase);
      console.table(results.listVisit);
    }

    const pageFile = `${os.tmpdir()}/quorum-bench-page.html`;
    writeFileSync(pageFile, Buffer.from(await (await fetch(`${appBase}/fr/consultations/${SLUG}`)).arrayBuffer()));
    const bare = spawn(process.execPath, ["--import", "tsx", "bench/bare-server.ts", databaseUrl, String(BARE_PORT), SLUG, pageFile], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    children.push(bare);
    const bareBase = `http://127.0.0.1:${BARE_PORT}`;
    await waitFor(`${bareBase}/`);

    if (PARTS.has("answers")) {
      console.log(`2/4 answers per second, ${CONCURRENCY} clients, ${SECONDS} s each…`);
      await hammer(
        () => post(appBase),
        (r) => r.status === 303,
      ); // warm-up
      const appSubmit = await hammer(
        () => post(appBase),
        (r) => r.status === 303,
      );
      const bareSubmit = await hammer(
        () => post(bareBase),
        (r) => r.status === 303,
      );
      results.submissions = { quorum: appSubmit, bare: bareSubmit, ratio: +(appSubmit.perSecond / bareSubmit.perSecond).toFixed(2) };
      console.log(results.submissions);
    }

    if (PARTS.has("sms")) {
      console.log(`SMS: inbound messages per second, ${CONCURRENCY} phones, ${SECONDS} s…`);
      results.sms = await smsConversations(appBase, `http://localhost:${APP_PORT}`);
      console.log(results.sms);
    }

    if (PARTS.has("pages")) {
      console.log("3/4 consultation page per second…");
      // Requested as browsers do, with gzip: both send the page with a fresh submission id, compressed.
      const get = (base: string) => () => fetch(`${base}/fr/consultations/${SLUG}`, { headers: { "Accept-Encoding": "gzip" } });
      const appPage = await hammer(get(appBase), (r) => r.status === 200);
      const barePage = await hammer(get(bareBase), (r) => r.status === 200);
      results.consultationPage = { quorum: appPage, bare: barePage, ratio: +(appPage.perSecond / barePage.perSecond).toFixed(2) };
      console.log(results.consultationPage);
    }
    if (PARTS.has("lighthouse")) {
      console.log("Lighthouse, mobile, simulated throttling…");
      results.lighthouse = [`/fr`, `/fr/consultations/${SLUG}`].map((path) => lighthouse(`${appBase}${path}`, path));
      console.table(results.lighthouse);
    }

    for (const c of children) c.kill("SIGTERM");
    await sleep(1000);
    if (PARTS.has("export")) {
      console.log("4/4 CSV export…");
      const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
      const exports: Record<string, unknown>[] = [];
      let seeded = (await sql`select count(*)::int as n from responses r join consultations c on c.id = r.consultation_id where c.slug = ${SLUG}`)[0]
        .n as number;
      for (const size of EXPORT_SIZES) {
        if (seeded < size) {
          const t0 = performance.now();
          await seedAnswers(sql, SLUG, size - seeded);
          await sql`analyze responses`;
          await sql`analyze answers`;
          console.log(`  seeded ${size - seeded} responses in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
          seeded = size;
        }
        const child = spawnSync(process.execPath, ["--import", "tsx", "bench/export-child.ts", databaseUrl, SLUG], { encoding: "utf8", maxBuffer: 1 << 20 });
        const figures = JSON.parse(child.stdout.trim().split("\n").pop()!);
        exports.push({ responses: seeded, answers: seeded * 4, ...figures, rowsPerSecond: Math.round(figures.rows / figures.seconds) });
        console.log(exports.at(-1));
      }
      results.csvExport = exports;
      await sql.end();
    }
    if (PARTS.has("themes")) {
      const texts = process.env.BENCH_THEMES_TEXTS ?? "10000";
      console.log(`5/5 themes: suggestions for ${texts} texts, the queue filtered…`);
      const child = spawnSync(process.execPath, ["--import", "tsx", "bench/themes-child.ts", databaseUrl, texts], { encoding: "utf8", maxBuffer: 1 << 20 });
      if (child.status !== 0) throw new Error(`themes bench: ${child.stderr}`);
      results.themes = JSON.parse(child.stdout.trim().split("\n").pop()!);
      console.log(JSON.stringify(results.themes, null, 1));
    }
    if (PARTS.has("utility")) {
      console.log("7/7 utility of the public figures at 12, 30, 80 and 300 answers…");
      const utility = await measureUtility();
      results.utility = utility;
      console.log(utilityTable(utility));
    }
    if (PARTS.has("communes")) {
      console.log("8/8 many communes on one process…");
      const counts = (process.env.BENCH_COMMUNES ?? "1,500").split(",").map(Number).filter(Boolean);
      results.communes = await benchCommunes(ADMIN_URL, { counts, seconds: SECONDS, rounds: Number(process.env.BENCH_COMMUNES_ROUNDS ?? 3) });
    }
    if (PARTS.has("scale")) {
      const scaleUrl = new URL(ADMIN_URL);
      scaleUrl.pathname = `/${name}_scale`;
      await admin.unsafe(`create database "${name}_scale"`);
      results.scale = await scale(scaleUrl.toString(), children);
    }
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    await admin.unsafe(`drop database if exists "${name}_scale" with (force)`).catch(() => {});
    await admin.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
    await admin.end();
  }
  mkdirSync("bench/results", { recursive: true });
  const file = `bench/results/${String(results.date).slice(0, 19).replace(/[:T]/g, "-")}.json`;
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nWritten to ${file}`);
}

await main();
