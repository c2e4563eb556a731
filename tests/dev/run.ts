/**
 * The dev loop (`npm run test:dev`; .ci/run runs it), docs/decisions/040-a-dev-loop-that-reloads.md.
 *
 * Copies the working tree (without .git, build outputs, data and .env; node_modules symlinked)
 * into a temporary directory, plants a stale build/critical-css.json there as an earlier
 * production build would leave it, starts `npm run dev` on a throwaway embedded database, then:
 *  1. the page is served by the one request chain (request id, CSP, Host check), links the
 *     stylesheet, inlines no stale critical CSS, and /sw.js exists;
 *  2. a locale string on the page is edited: the next responses show it;
 *  3. the route module rendering the page gets a visible marker: the next responses show it;
 *  4. the stylesheet gets a new rule: the stylesheet the page links has it;
 *  5. server/index.ts changes: the server is restarted (the old process exits before the new
 *     one opens the database) and answers again; a locale edit still shows after that.
 * Prints how long each change took to show (from the file written to the first response with
 * it), stops the whole process group, and exits non-zero with the reason on any failure.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";

/** The route module that renders PAGE. Routes are moving into folders: change it here when they do. */
const ROUTE_FILE = "app/routes/resident/home.tsx";
/** A resident page rendered by ROUTE_FILE, in the language of LOCALE_FILE. */
const PAGE = "/fr";
const LOCALE_FILE = "locales/fr/common.json";
const STYLESHEET = "app/styles/app.css";
const SERVER_FILE = "server/index.ts";

const PORT = Number(process.env.DEV_TEST_PORT ?? 3300);
const REMIX_DEV_PORT = Number(process.env.DEV_TEST_REMIX_PORT ?? 3301);
const BASE = `http://127.0.0.1:${PORT}`;
/** First build, then a fresh embedded database migrated and seeded. */
const START_DEADLINE_MS = 300_000;
/** One rebuild by remix dev, then the next request. */
const EDIT_DEADLINE_MS = 60_000;
/** A rebuild of the server, the old process stopped, the new one started. */
const RESTART_DEADLINE_MS = 120_000;

const ROOT = process.cwd();
/** Not copied: the repository, what builds and runs write, and local settings. */
const SKIPPED = new Set([
  ".git",
  "node_modules",
  "build",
  ".cache",
  ".data",
  "test-results",
  "playwright-report",
  ".env",
  "public/build",
  "public/sw.js",
  "public/quorum.js",
]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const id = Math.random().toString(36).slice(2, 8);

class Failure extends Error {}
function check(ok: unknown, message: string): asserts ok {
  if (!ok) throw new Failure(message);
}

let dir = "";
let dev: ChildProcess | undefined;
const timings: [string, number][] = [];

function copyProject(): void {
  dir = mkdtempSync(path.join(tmpdir(), "quorum-dev-"));
  cpSync(ROOT, dir, {
    recursive: true,
    filter: (source) => !SKIPPED.has(path.relative(ROOT, source).split(path.sep).join("/")),
  });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  // What an earlier `npm run build` leaves: critical CSS of another stylesheet, which must not be
  // inlined nor allowed by the CSP in development.
  mkdirSync(path.join(dir, "build"), { recursive: true });
  writeFileSync(path.join(dir, "build/critical-css.json"), JSON.stringify({ stylesheet: "/build/_assets/app-STALE.css", css: "body{color:#f00}" }));
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/", timeout: 2000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => {
      req.destroy();
      resolve(true);
    });
  });
}

function startDev(): void {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(PORT),
    QUORUM_DATA_DIR: path.join(dir, ".data/pglite"),
    DATABASE_URL: "", // the embedded database, never one named by the environment
    QUORUM_LOG_LEVEL: "info",
    NO_COLOR: "1", // plain lines in dev.log
  };
  for (const name of [
    "NODE_ENV",
    "REMIX_DEV_ORIGIN",
    "QUORUM_ORIGIN",
    "QUORUM_PUBLIC_URL",
    "QUORUM_ALLOWED_HOSTS",
    "QUORUM_TRUST_PROXY",
    "QUORUM_SMTP_URL",
    "QUORUM_MAIL_FROM",
  ]) {
    delete env[name];
  }
  const log = openSync(path.join(dir, "dev.log"), "a");
  // Its own process group, so that it and everything it starts can be stopped at once.
  dev = spawn("npm", ["run", "dev", "--", "--port", String(REMIX_DEV_PORT)], { cwd: dir, env, detached: true, stdio: ["ignore", log, log] });
}

function devLog(): string {
  try {
    return readFileSync(path.join(dir, "dev.log"), "utf8");
  } catch {
    return "";
  }
}

async function get(pathname: string): Promise<{ status: number; headers: Headers; body: string }> {
  const res = await fetch(`${BASE}${pathname}`, { signal: AbortSignal.timeout(30_000) });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

/** Polls `probe` until it is true; the milliseconds it took, or a failure naming `what`. */
async function until(what: string, deadlineMs: number, probe: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < deadlineMs) {
    check(dev?.exitCode === null, `npm run dev exited (code ${dev?.exitCode}) while waiting for: ${what}`);
    check(!devLog().includes("[quorum dev] the server exited"), `the server exited while waiting for: ${what}`);
    try {
      if (await probe()) return Math.round(performance.now() - started);
    } catch {
      // not answering yet
    }
    await sleep(100);
  }
  throw new Failure(`${what}: not seen within ${deadlineMs / 1000} s`);
}

const pageHas = (text: string) => async () => {
  const page = await get(PAGE);
  return page.status === 200 && page.body.includes(text);
};

function stylesheetOf(html: string): string | undefined {
  return /<link rel="stylesheet" href="(\/build\/_assets\/app-[\w-]+\.css)"/.exec(html)?.[1];
}

/** A request naming another Host, sent as is (fetch would not let Host be set). */
function statusWithHost(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port: PORT, path: PAGE, headers: { Host: host } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on("error", reject);
  });
}

/** Every string of a locale file, with its path of keys. */
function leaves(value: unknown, keys: string[] = []): { keys: string[]; text: string }[] {
  if (typeof value === "string") return [{ keys, text: value }];
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => leaves(v, [...keys, k]));
  return [];
}

async function edit(
  label: string,
  file: string,
  change: (text: string) => string,
  marker: () => Promise<boolean>,
  deadlineMs = EDIT_DEADLINE_MS,
): Promise<void> {
  const target = path.join(dir, file);
  const changed = change(readFileSync(target, "utf8"));
  const logged = devLog().length;
  writeFileSync(target, changed);
  const ms = await until(`${label} (${file})`, deadlineMs, marker);
  timings.push([label, ms]);
  // Where the time went: remix dev's rebuild, the server importing it (server/dev.ts). Their
  // lines pass through two pipes, so they may reach the log a little after the response.
  await sleep(1000);
  const since = devLog().slice(logged);
  const rebuilds = [...since.matchAll(/rebuilt \(([\d.]+m?s)\)/g)].map((m) => m[1]);
  const loads = [...since.matchAll(/"ms":(\d+),"msg":"dev: new build loaded"/g)].map((m) => `${m[1]} ms`);
  const parts = [rebuilds.length ? `remix dev rebuilt in ${rebuilds.join(", ")}` : "", loads.length ? `the server loaded it in ${loads.join(", ")}` : ""];
  const detail = parts.filter(Boolean).join(", ");
  console.log(`ok   ${label}: shown ${(ms / 1000).toFixed(1)} s after the file was written${detail ? ` (${detail})` : ""}`);
}

async function main(): Promise<void> {
  for (const port of [PORT, REMIX_DEV_PORT]) {
    check(!(await portAnswers(port)), `port ${port} is in use: free it or set DEV_TEST_PORT / DEV_TEST_REMIX_PORT`);
  }
  check(existsSync(path.join(ROOT, ROUTE_FILE)), `${ROUTE_FILE} does not exist: set ROUTE_FILE at the top of tests/dev/run.ts to the module rendering ${PAGE}`);
  copyProject();
  console.log(`copy of the project in ${dir}; npm run dev on port ${PORT} (remix dev on ${REMIX_DEV_PORT})`);
  startDev();
  const startMs = await until("GET /healthz answering 200", START_DEADLINE_MS, async () => (await get("/healthz")).status === 200);
  console.log(`ok   npm run dev answered after ${(startMs / 1000).toFixed(1)} s (first build, fresh database)`);

  // 1. The chain, the stylesheet, the service worker.
  const page = await get(PAGE);
  check(page.status === 200, `GET ${PAGE}: ${page.status}`);
  check(page.headers.get("x-request-id"), `GET ${PAGE}: no X-Request-Id (the chain's first step)`);
  const csp = page.headers.get("content-security-policy") ?? "";
  check(csp.includes("default-src 'self'"), `GET ${PAGE}: no Content-Security-Policy (the chain's security headers)`);
  check(!csp.includes("sha256-"), `GET ${PAGE}: the CSP allows an inline style in development (stale critical CSS): ${csp}`);
  check(!page.body.includes("<style"), `GET ${PAGE}: critical CSS inlined in development`);
  check(stylesheetOf(page.body), `GET ${PAGE}: no stylesheet linked`);
  check((await statusWithHost("elsewhere.example")) === 421, "a request naming another Host was not refused with 421 (the chain's Host check)");
  check((await get("/sw.js")).status === 200, "GET /sw.js: no service worker built at dev start");
  console.log("ok   the page goes through the request chain, links the stylesheet, no stale critical CSS; /sw.js exists");

  // 2. A locale string shown on the page.
  const strings = JSON.parse(readFileSync(path.join(dir, LOCALE_FILE), "utf8")) as Record<string, unknown>;
  const shown = leaves(strings).find(({ text }) => text.length >= 20 && !/[{}<>&"']/.test(text) && page.body.includes(text));
  check(shown, `no string of ${LOCALE_FILE} found as is on ${PAGE}`);
  const localeMarker = `dev-locale-${id}`;
  await edit(
    "locale string",
    LOCALE_FILE,
    () => {
      let node = strings;
      for (const key of shown.keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
      node[shown.keys.at(-1)!] = `${shown.text} ${localeMarker}`;
      return `${JSON.stringify(strings, null, 2)}\n`;
    },
    pageHas(localeMarker),
  );

  // 3. The route module.
  const routeMarker = `dev-route-${id}`;
  await edit(
    "route module",
    ROUTE_FILE,
    (source) => {
      const found = /export default function\s*(\w*)\s*\(/.exec(source);
      check(found, `${ROUTE_FILE} has no \`export default function\`: update the route edit in tests/dev/run.ts`);
      const name = found[1] || "DevTestPage";
      const unexported = source.replace(found[0], `function ${name}(`);
      return `${unexported}\nexport default function DevTestMarked() {\n  return (\n    <>\n      <${name} />\n      <p>${routeMarker}</p>\n    </>\n  );\n}\n`;
    },
    pageHas(routeMarker),
  );

  // 4. The stylesheet.
  const cssMarker = `dev-css-${id}`;
  await edit(
    "stylesheet",
    STYLESHEET,
    (css) => `${css}\n.${cssMarker} {\n  outline: 1px solid;\n}\n`,
    async () => {
      const html = (await get(PAGE)).body;
      const href = stylesheetOf(html);
      if (!href || html.includes("<style")) return false;
      const css = await get(href);
      return css.status === 200 && css.body.includes(cssMarker);
    },
  );

  // 5. The server's own code: a restart, then edits still show.
  const serverMarker = `dev-server-${id}`;
  await edit(
    "server restart",
    SERVER_FILE,
    (source) => `${source}\nconsole.log("${serverMarker}");\n`,
    async () => devLog().includes(serverMarker) && (await get(PAGE)).status === 200,
    RESTART_DEADLINE_MS,
  );
  // One process at a time on the database: the old server had closed it and exited before the new one ran.
  const output = devLog();
  const printed = output.indexOf(serverMarker);
  const handover = output.slice(output.lastIndexOf("restarting the server", printed), printed);
  check(handover.includes('"msg":"stopped"'), "the old server did not log that it stopped before the new one started");
  check(output.slice(printed).includes("Quorum listening"), "the restarted server logged no start");
  const again = `dev-again-${id}`;
  await edit("locale string after the restart", LOCALE_FILE, (text) => text.replace(localeMarker, again), pageHas(again));
}

/** Stops npm run dev and all it started; waits until every process of the group has exited. */
async function stopDev(): Promise<void> {
  const pid = dev?.pid;
  if (!pid) return;
  const alive = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (alive()) process.kill(-pid, "SIGTERM");
  const started = Date.now();
  while (alive() && Date.now() - started < 20_000) await sleep(100);
  if (alive()) {
    console.log("FAIL the dev processes were still running 20 s after SIGTERM: killed");
    process.kill(-pid, "SIGKILL");
    process.exitCode = 1;
  }
}

process.on("SIGINT", () => void stopDev().finally(() => process.exit(130)));

try {
  await main();
  console.log(
    `\nreload latency (file written → first response showing it): ${timings.map(([label, ms]) => `${label} ${(ms / 1000).toFixed(1)} s`).join(", ")}`,
  );
} catch (error) {
  process.exitCode = 1;
  console.log(`FAIL ${error instanceof Failure ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  const lines = devLog().trimEnd().split("\n");
  console.log(`\n--- last lines of the dev output (${path.join(dir, "dev.log")}):\n${lines.slice(-60).join("\n")}`);
} finally {
  await stopDev();
  if (process.exitCode) console.log(`kept for inspection: ${dir}`);
  else if (dir) rmSync(dir, { recursive: true, force: true });
}
