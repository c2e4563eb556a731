/**
 * `npm test`: the lint (which enforces the layers) and the formatting check,
 * the type check, the database and domain tests (vitest), then the browser
 * tests (Playwright in Debian's Chromium against the production build).
 * On PGlite by default; on PostgreSQL when DATABASE_URL is set.
 * Without Chromium the browser tests are skipped with one line, except with
 * CI=true, where a missing browser is a failure.
 *
 * The lint, the formatting check and the type check run at the same time (each
 * mostly uses one core), their output printed whole, one after the other; each
 * keeps a cache under node_modules/.cache/quorum-tests/, so files unchanged since
 * the last run are not read again. The time each part took is printed at the end
 * (docs/testing.md).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ci = process.env.CI === "true" || process.env.CI === "1";
const only = process.argv[2]; // "unit" or "e2e"
mkdirSync("test-results", { recursive: true });

const CACHE = "node_modules/.cache/quorum-tests";
const timings = [];

function run(name, cmd, args) {
  const started = Date.now();
  const result = spawnSync(cmd, args, { stdio: "inherit", env: process.env });
  timings.push([name, Date.now() - started]);
  return result.status ?? 1;
}

/** Runs a command with its output kept aside; resolves to its status and output once it ends. */
function runQuietly(name, cmd, args) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? "1" : "0" } });
    const output = [];
    child.stdout.on("data", (chunk) => output.push(chunk));
    child.stderr.on("data", (chunk) => output.push(chunk));
    child.on("error", (error) => output.push(Buffer.from(`${error.message}\n`)));
    child.on("close", (status) => {
      timings.push([name, Date.now() - started]);
      resolve({ status: status ?? 1, output: Buffer.concat(output).toString() });
    });
  });
}
function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return null;
  }
}

let failed = false;
let passed = 0;
let failures = 0;
let skipped = 0;

if (only !== "e2e") {
  const [lint, format, types] = await Promise.all([
    runQuietly("lint", "npx", ["eslint", ".", "--max-warnings", "0", "--cache", "--cache-location", `${CACHE}/eslint/`]),
    runQuietly("prettier", "npx", ["prettier", "--check", ".", "--cache", "--cache-strategy", "content", "--cache-location", `${CACHE}/prettier`]),
    runQuietly("tsc", "npx", ["tsc", "--incremental", "--tsBuildInfoFile", `${CACHE}/tsconfig.tsbuildinfo`]),
  ]);
  process.stdout.write(lint.output);
  if (lint.status !== 0) {
    console.log("Lint failed (npm run lint).");
    failures += 1;
  }
  process.stdout.write(format.output);
  if (format.status !== 0) {
    console.log("Formatting check failed (npm run format:check; npm run format rewrites the files).");
    failures += 1;
  }
  process.stdout.write(types.output);
  if (types.status !== 0) {
    console.log("Type check failed (npx tsc).");
    failed = true;
  }
  rmSync("test-results/unit.json", { force: true });
  const status = run("vitest", "npx", ["vitest", "run", "--reporter=default", "--reporter=json", "--outputFile.json=test-results/unit.json"]);
  const report = readJson("test-results/unit.json");
  if (report) {
    passed += report.numPassedTests;
    failures += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
  }
  if (status !== 0) failed = true;
}

if (only !== "unit") {
  if (!existsSync(chromium)) {
    console.log(`Browser tests skipped: no Chromium at ${chromium} (apt-get install chromium chromium-headless-shell).`);
    if (ci) failed = true;
  } else {
    rmSync("test-results/e2e.json", { force: true });
    const status = run("playwright", "npx", ["playwright", "test"]);
    const report = readJson("test-results/e2e.json");
    if (report) {
      passed += report.stats.expected + report.stats.flaky;
      failures += report.stats.unexpected;
      skipped += report.stats.skipped;
    } else failures += 1;
    if (status !== 0) failed = true;
  }
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
console.log(`\nTime: ${timings.map(([name, ms]) => `${name} ${seconds(ms)}`).join(", ")}; in all ${seconds(performance.now())}.`);
console.log(`${passed} passed, ${failures} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed || failures > 0 ? 1 : 0);
