/**
 * `npm test`: the lint (which enforces the layers) and the formatting check,
 * the type check, the database and domain tests (vitest), then the browser
 * tests (Playwright in Debian's Chromium against the production build).
 * On PGlite by default; on PostgreSQL when DATABASE_URL is set.
 * Without Chromium the browser tests are skipped with one line, except with
 * CI=true, where a missing browser is a failure.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ci = process.env.CI === "true" || process.env.CI === "1";
const only = process.argv[2]; // "unit" or "e2e"
mkdirSync("test-results", { recursive: true });

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: "inherit", env: process.env });
  return result.status ?? 1;
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
  if (run("npx", ["eslint", ".", "--max-warnings", "0"]) !== 0) {
    console.log("Lint failed (npm run lint).");
    failures += 1;
  }
  if (run("npx", ["prettier", "--check", "."]) !== 0) {
    console.log("Formatting check failed (npm run format:check; npm run format rewrites the files).");
    failures += 1;
  }
  if (run("npx", ["tsc"]) !== 0) {
    console.log("Type check failed (npx tsc).");
    failed = true;
  }
  rmSync("test-results/unit.json", { force: true });
  const status = run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", "--outputFile.json=test-results/unit.json"]);
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
    console.log(`Browser tests skipped: no Chromium at ${chromium} (apt-get install chromium).`);
    if (ci) failed = true;
  } else {
    rmSync("test-results/e2e.json", { force: true });
    const status = run("npx", ["playwright", "test"]);
    const report = readJson("test-results/e2e.json");
    if (report) {
      passed += report.stats.expected + report.stats.flaky;
      failures += report.stats.unexpected;
      skipped += report.stats.skipped;
    } else failures += 1;
    if (status !== 0) failed = true;
  }
}

console.log(`\n${passed} passed, ${failures} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed || failures > 0 ? 1 : 0);
