import { existsSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "@playwright/test";

// Lets tests see (and cut) the service worker's own requests: context.setOffline alone
// does not reach them. See tests/e2e/offline.spec.ts.
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = "1";

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/**
 * Debian's headless build of the same Chromium (package chromium-headless-shell): the same engine
 * without the browser's interface, about a third less CPU a test. Every spec runs in it but the
 * device's own, which need what a resident's browser does around a page (decision 071). Without
 * it, every spec runs in CHROMIUM.
 */
const SHELL = process.env.CHROMIUM_HEADLESS_SHELL_PATH ?? "/usr/bin/chromium-headless-shell";
const HEADLESS = existsSync(SHELL) ? SHELL : CHROMIUM;
/** What a resident's device does with the page: the service worker, its caches, installing. */
const DEVICE_SPECS = /(^|\/)(offline|installable|results)\.spec\.ts$/;
const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${PORT}`;
/** The tests' mail server (tests/e2e/mailbox.ts): SMTP for the app, HTTP for the tests to read what arrived. */
export const MAILBOX = { smtp: PORT + 1, http: PORT + 2 };
/** Text messages (tests/e2e/sms.spec.ts): the server takes Twilio's webhooks signed with this token. */
export const SMS = { twilioToken: "e2e-twilio-auth-token-0123456789", number: "+33757591234", keyword: "TEXTO", codeKeyword: "FOYER", closedKeyword: "FINI" };
/** Where tests/e2e/sessions.setup.ts keeps each seeded staff member's signed-in browser state for this run. */
export const STAFF_SESSIONS = path.resolve(".cache/e2e-sessions", String(PORT));

/** Chromium's flags for the bench (bench/run.ts); the browser tests add to them (TEST_ARGS). */
export const BROWSER_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
/**
 * The browser tests' flags: the same, with one renderer process for a browser context's pages, as
 * a phone low on memory has. A new page then does not start a second process for its first address,
 * which took about a third of the CPU of opening a page and loading it (docs/testing.md).
 */
const TEST_ARGS = [...BROWSER_ARGS, "--renderer-process-limit=1"];

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: /.*\.spec\.ts$/,
  // The municipality's settings change the name and logo every page shows: that spec runs last,
  // once the others (which read the seeded name) are done.
  // The seeded staff sign in once (sessions.setup.ts); specs whose subject is not signing in start from those sessions.
  // The device's specs run in the whole browser, beside the others (decision 071); listed first, so
  // that the offline spec, one worker's serial run, starts first rather than last.
  projects: [
    { name: "sessions", testMatch: /sessions\.setup\.ts$/ },
    {
      name: "device",
      testMatch: DEVICE_SPECS,
      dependencies: ["sessions"],
      use: { launchOptions: { executablePath: CHROMIUM, args: TEST_ARGS } },
    },
    { name: "pages", testIgnore: [/municipality\.spec\.ts$/, DEVICE_SPECS], dependencies: ["sessions"] },
    { name: "settings", testMatch: /municipality\.spec\.ts$/, dependencies: ["pages", "device"] },
  ],
  timeout: 60_000,
  workers: 2,
  forbidOnly: true,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    baseURL,
    browserName: "chromium",
    locale: "fr-FR",
    serviceWorkers: "allow",
    launchOptions: { executablePath: HEADLESS, args: TEST_ARGS },
  },
  webServer: [
    {
      command: "npx tsx tests/e2e/mailbox.ts",
      url: `http://127.0.0.1:${MAILBOX.http}/healthz`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: { MAILBOX_SMTP_PORT: String(MAILBOX.smtp), MAILBOX_HTTP_PORT: String(MAILBOX.http) },
    },
    {
      command: "npm run build && npx tsx tests/e2e/prepare-db.ts && npm run -s staff:create -- --email admin@quorum.test --role admin && node server.mjs",
      url: `${baseURL}/healthz`,
      timeout: 240_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        PORT: String(PORT),
        // The public origin the tests use: links in pages and invitations point there.
        QUORUM_ORIGIN: baseURL,
        // A second address for the same server (tests of per-client limits reach it over IPv6).
        QUORUM_ALLOWED_HOSTS: `[::1]:${PORT},localhost:${PORT}`,
        NODE_ENV: "production",
        // Plain HTTP on 127.0.0.1: the session cookie cannot carry Secure here.
        QUORUM_COOKIE_SECURE: "false",
        QUORUM_PASSWORD: "a long test password",
        // Every browser test answers from 127.0.0.1, so that one "client" answers for all the specs at
        // once; the per-client answer limit itself is tested in the domain and route tests.
        QUORUM_SUBMISSIONS_PER_10_MIN: "10000",
        QUORUM_DATA_DIR: process.env.E2E_DATA_DIR ?? ".data/e2e",
        ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
        QUORUM_SMTP_URL: `smtp://127.0.0.1:${MAILBOX.smtp}`,
        QUORUM_MAIL_FROM: "Quorum e2e <quorum@e2e.test>",
        QUORUM_SMS_PROVIDER: "twilio",
        QUORUM_TWILIO_AUTH_TOKEN: SMS.twilioToken,
        QUORUM_SMS_NUMBER: SMS.number,
      },
    },
  ],
});
