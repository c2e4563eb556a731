/**
 * `npm run dev`: the command `remix dev --manual` starts once it has written its first build of the
 * app (docs/decisions/040-a-dev-loop-that-reloads.md). remix dev goes on rebuilding the app into
 * build/ on every change under app/, locales/ and db/; the server loads each new build itself
 * (server/dev.ts). This script does the rest:
 *  - removes build/critical-css.json, left by a production build: its CSS and hash belong to
 *    another stylesheet. In development pages link the stylesheet; `npm start` finds the file
 *    missing and makes a production build first (server.mjs);
 *  - builds the service worker and the page script (public/sw.js, public/quorum.js) for the app
 *    build, and again after each rebuild (their precache list names the stylesheet and the build);
 *  - builds the HTTP server (server/*.ts → build/server/index.js, as `npm run build` does) and
 *    watches every file it is made of: after a change it stops the server, waits until it has
 *    exited (the embedded database takes one process at a time) and starts the new one;
 *  - passes SIGINT and SIGTERM on to the server and exits once it has.
 */
import { spawn } from "node:child_process";
import { rmSync, watch } from "node:fs";
import { context } from "esbuild";
import { serverBuildOptions } from "./build-server.mjs";

const say = (line) => console.log(`[quorum dev] ${line}`);
// remix dev may be gone before us (Ctrl-C reaches every process): a closed pipe is no reason to fail.
process.stdout.on("error", () => {});
process.stderr.on("error", () => {});
const forward = (from, to) =>
  from.on("data", (chunk) => {
    to.write(chunk);
  });

let stopping = false;
/** @type {import("node:child_process").ChildProcess | undefined} */
let server;
/** Servers this script stopped itself (their exit is no news). */
const stoppedHere = new WeakSet();

// ---- The service worker, for the build remix dev wrote last --------------------------------------

function runScript(script) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "pipe"] });
    forward(child.stdout, process.stdout);
    forward(child.stderr, process.stderr);
    child.on("exit", (code) => resolve(code === 0));
  });
}

let workerBuild = Promise.resolve();
let workerQueued = false;
function buildServiceWorker() {
  if (workerQueued) return workerBuild;
  workerQueued = true;
  workerBuild = workerBuild.then(async () => {
    workerQueued = false;
    if (!(await runScript("scripts/build-sw.mjs"))) say("the service worker did not build (see above); /sw.js is the previous one");
  });
  return workerBuild;
}

// ---- The server process ---------------------------------------------------------------------------

function exited(child) {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
}

async function stopServer() {
  const child = server;
  if (!child) return;
  stoppedHere.add(child);
  child.kill("SIGTERM");
  // The server finishes requests in flight and closes the database; it exits by itself within 10 s.
  const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited(child);
  clearTimeout(killer);
}

function startServer() {
  const child = spawn(process.execPath, ["--enable-source-maps", "build/server/index.js"], { stdio: ["ignore", "pipe", "pipe"] });
  forward(child.stdout, process.stdout);
  forward(child.stderr, process.stderr);
  child.on("exit", (code, signal) => {
    if (server === child) server = undefined;
    if (!stopping && !stoppedHere.has(child)) say(`the server exited (${signal ?? `code ${code}`}); it starts again after the next change`);
  });
  server = child;
}

let restarting = Promise.resolve();
let restartsQueued = 0;
/** Stops the server, if it runs, then starts it; one restart at a time, in order. */
function restart(reason) {
  restartsQueued++;
  const job = async () => {
    if (stopping) return;
    const running = server !== undefined;
    if (running) say(`${reason}: restarting the server`);
    const started = Date.now();
    await stopServer();
    if (stopping) return;
    if (running) say(`the server stopped in ${Date.now() - started} ms, starting the new one`);
    startServer();
  };
  restarting = restarting
    .then(job)
    .catch((error) => say(`restart failed: ${error instanceof Error ? error.message : error}`))
    .finally(() => restartsQueued--);
  return restarting;
}

// ---- Start ----------------------------------------------------------------------------------------

rmSync("build/critical-css.json", { force: true });
await buildServiceWorker();

const serverBuild = await context({
  ...serverBuildOptions,
  plugins: [
    {
      name: "restart-the-server",
      setup(build) {
        let first = true;
        build.onEnd((result) => {
          if (result.errors.length > 0) return say("the server did not build (see above); the running one stays");
          void restart(first ? "start" : "server code changed");
          first = false;
        });
      },
    },
  ],
});
await serverBuild.watch();

// remix dev writes build/version.txt once a new build of the app is complete.
const builds = watch("build", (_event, name) => {
  if (name !== "version.txt" || stopping) return;
  void buildServiceWorker();
  // A server that crashed gets another chance with the new build.
  if (!server && restartsQueued === 0) void restart("new app build");
});
builds.on("error", () => builds.close());

async function shutdown() {
  if (stopping) return;
  stopping = true;
  builds.close();
  await restarting;
  await stopServer();
  // esbuild's own process may have had the signal too: do not wait long for it.
  await Promise.race([serverBuild.dispose().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 2000))]);
  process.exit(0);
}
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());
// remix dev killed outright: do not leave the server (and its database) behind.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void shutdown();
}, 1000).unref();
