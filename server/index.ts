/**
 * Quorum's HTTP server. Settings are checked first (a wrong value stops it with
 * a message naming the variable), and in production the secret participation
 * codes are derived from; then the database is opened and migrated and the
 * server listens on PORT. Every request passes one ordered chain — see
 * docs/architecture.md:
 *
 *   begin (id, log line, method and target) → security headers (helmet)
 *   → Host allow-list → client address → body size → Origin
 *   → resident pages (page cache) → answers → compression → static files → Remix
 *
 * SIGTERM/SIGINT: stop accepting, finish requests in flight, close the database, exit.
 *
 * Under `npm run dev` (remix dev sets REMIX_DEV_ORIGIN) the same chain is made again for each new
 * build of the app, which the next request gets (server/dev.ts).
 */
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import { loadEnv } from "~/platform/env.server";
import { criticalCss } from "~/styles/critical.server";
import { chain, type Step } from "./chain";
import { reloadingBuilds } from "./dev";
import { appEntry } from "./entry";
import { bodyLimit, clientAddress, hostCheck, originCheck } from "./guards";
import { saveDataHint, securityHeaders } from "./headers";
import { answers, residentPages } from "./hot";
import { remix, remixHandler } from "./remix";
import { begin, refuse, stateOf } from "./request";
import { staticFiles } from "./static";

let env: ReturnType<typeof loadEnv>;
try {
  env = loadEnv();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
const entry = appEntry(build);
const { log } = entry;

// Participation codes need a secret (decision 037): in production, a missing one stops the start
// here, with a message naming QUORUM_CODE_SECRET, rather than the first batch an official makes.
if (env.NODE_ENV === "production") {
  try {
    entry.baseCodeSecret();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}

try {
  await entry.startup();
} catch (error) {
  // Start anyway: /healthz reports 503 and every request retries the database.
  log.error({ error: error instanceof Error ? error.message : String(error) }, "database not ready yet");
}

const origin = env.QUORUM_ORIGIN;
const maxBody = env.QUORUM_MAX_BODY_BYTES;
const devOrigin = env.REMIX_DEV_ORIGIN;
// The resident pages' inline critical CSS, allowed by its hash (docs/decisions/025-first-render-in-one-request.md).
// None under `npm run dev`: pages link the stylesheet being edited (decision 040).
const critical = devOrigin ? null : criticalCss();

/** The one chain, for a build of the app. */
function requestChain(build: ServerBuild) {
  const entry = appEntry(build);
  const handle = remixHandler(build, env.NODE_ENV === "development" ? "development" : "production");
  const steps: Step[] = [
    begin(entry),
    securityHeaders(env, critical ? [critical.hash] : []),
    saveDataHint(),
    hostCheck(entry, env),
    clientAddress(env),
    bodyLimit(entry, env),
    originCheck(entry),
    residentPages(entry, handle),
    answers(entry, maxBody),
    compression() as Step,
    staticFiles(path.resolve("public")),
    remix(entry, handle, maxBody),
  ];
  return chain(steps, (error, req, res) => {
    entry.log.error({ error: error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300) }, "request failed");
    let where = "/";
    try {
      where = stateOf(req).path;
    } catch {
      // refused before the state was set
    }
    refuse(entry, res, 500, where);
  });
}

const dev = devOrigin ? reloadingBuilds(build, requestChain, devOrigin) : undefined;
const chained = dev ? dev.handler : requestChain(build);
let stopping = false;
// Once stopping, every response closes its connection: a reverse proxy keeping connections open
// (nginx's upstream keepalive) would otherwise keep sending requests on them and the process would
// never finish draining.
const handler: http.RequestListener = (req, res) => {
  if (stopping) res.setHeader("Connection", "close");
  chained(req, res);
};
const server = http.createServer(handler);
// An idle connection is kept 65 s (Node's default is 5 s). A client or proxy that reuses one just
// as the server closes it gets a reset, not an answer: nginx's upstream connections are closed
// after 30 s on its side (deploy/nginx/quorum.conf), and browsers keep theirs longer than 5 s.
server.keepAliveTimeout = 65_000;

// `Expect: 100-continue`: the client waits before sending its body. One that announces a body
// over the limit gets the 413 at once, not an invitation to send it.
server.on("checkContinue", (req, res) => {
  if (Number(req.headers["content-length"] ?? 0) <= maxBody) res.writeContinue();
  handler(req, res);
});

// CONNECT is a proxy's method: answered 405 on the raw socket (Node hands it over outside the chain).
server.on("connect", (_req, socket) => {
  socket.end("HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD, POST\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
});

server.listen(env.PORT, env.QUORUM_LISTEN_ADDRESS, () => {
  log.info({ port: env.PORT, origin }, `Quorum listening on ${origin}`);
  dev?.ready();
});

async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "stopping: finishing requests in flight");
  const force = setTimeout(() => {
    log.error("requests still open after 10 s, exiting");
    process.exit(1);
  }, 10_000);
  force.unref();
  // A request in flight now ends without `Connection: close`; its connection, idle again, is closed
  // a second later instead of after the 65 s kept otherwise, so that the process can exit.
  server.keepAliveTimeout = 1;
  server.close(async () => {
    try {
      await (dev ? dev.entry() : entry).shutdown();
    } finally {
      log.info("stopped");
      process.exit(0);
    }
  });
  server.closeIdleConnections();
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
