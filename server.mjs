/**
 * Quorum's HTTP server: node:http, with Express around the Remix request handler.
 * Builds first when no build exists, opens and migrates the database, then
 * listens on PORT (3000). Before Remix: request id and log line, security
 * headers, body-size limit (413), forged Origin (403). The busiest requests, a
 * resident page and a resident's answer, are taken by node:http itself (same
 * checks, no Express).
 * SIGTERM/SIGINT: stop accepting, finish requests in flight, close the database, exit.
 */
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { createRequestHandler } from "@remix-run/express";
import { createRequestHandler as createFetchHandler } from "@remix-run/node";
import compression from "compression";
import express from "express";

const BUILD = path.resolve("build/index.js");
const mode = process.env.NODE_ENV === "development" ? "development" : "production";
process.env.NODE_ENV ??= mode;
/** Largest request body accepted; a questionnaire with every text field full is far below. */
const MAX_BODY = Number(process.env.QUORUM_MAX_BODY_BYTES ?? 1024 * 1024);

if (!existsSync(BUILD) || !existsSync("public/sw.js")) {
  console.log("Quorum: no build found, building once (npm run build)…");
  const result = spawnSync("npm", ["run", "build"], { stdio: "inherit", shell: process.platform === "win32" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const build = await import(pathToFileURL(BUILD).href);
const entry = build.entry.module;
const log = entry.log;

try {
  await entry.startup();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes("invalid configuration")) {
    console.error(message);
    process.exit(1);
  }
  // Start anyway: /healthz reports 503 and every request retries the database.
  log.error({ error: message }, "database not ready yet");
}

const production = process.env.NODE_ENV === "production";
const hsts = production && process.env.QUORUM_COOKIE_SECURE !== "false" && process.env.QUORUM_COOKIE_SECURE !== "0";
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const REQUEST_ID = /^[\w-]{1,64}$/;
/** Request id, one log line per request (method, path, status, duration; no address, query or body), security headers. */
function begin(req, res, pathname) {
  const given = req.headers["x-request-id"];
  const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
  const started = performance.now();
  res.on("finish", () => {
    log.info({ id, method: req.method, path: pathname, status: res.statusCode, ms: Math.round((performance.now() - started) * 10) / 10 }, "request");
  });
  res.setHeader("X-Request-Id", id);
  res.setHeader("Content-Security-Policy", CSP);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
  if (hsts) res.setHeader("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
}

/** A small page in the language of the address (413, 403, 500…). After a 413 the connection closes. */
function refuse(res, status, pathname) {
  if (status === 413) res.setHeader("Connection", "close");
  const html = entry.plainErrorPage(status, pathname);
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Content-Length": Buffer.byteLength(html) });
  res.end(html);
}

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", false);

app.use((req, res, next) => {
  begin(req, res, req.path);
  next();
});

// Bodies: a declared length over the limit gets 413 before anything is read; an undeclared one is counted.
app.use((req, res, next) => {
  if (req.method === "GET" || req.method === "HEAD") return next();
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (declared > MAX_BODY) return refuse(res, 413, req.path);
  if (Number.isNaN(declared) && req.headers["transfer-encoding"]) {
    let seen = 0;
    req.on("data", (chunk) => {
      seen += chunk.length;
      if (seen > MAX_BODY && !res.headersSent) {
        refuse(res, 413, req.path);
        req.destroy();
      }
    });
  }
  next();
});

// A state-changing request from another site is refused before it reaches a route.
app.use((req, res, next) => {
  if (!entry.isForgedOrigin(req.method, req.headers.origin, req.headers.host)) return next();
  refuse(res, 403, req.path);
});

app.use(compression());
const fetchHandler = createFetchHandler(build, mode);
app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.get(["/sw.js", "/quorum.js"], (_req, res, next) => {
  res.set("Cache-Control", "no-cache");
  next();
});
app.use(express.static("public", { maxAge: "1h", index: false }));

// The client address reaches the app only to be hashed for rate limits; it is never stored.
app.all(
  "*",
  createRequestHandler({ build, mode, getLoadContext: (req) => ({ clientAddress: req.socket.remoteAddress }) }),
);

/** Sends a rendered page, gzipped when the browser accepts it (as `compression` does for Express). */
function sendPage(req, res, status, headers, html) {
  for (const [name, value] of headers) if (name !== "content-length" && name !== "content-encoding") res.setHeader(name, value);
  let payload = Buffer.from(html);
  if (payload.length > 1024 && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "")) {
    payload = gzipSync(payload);
    res.setHeader("Content-Encoding", "gzip");
  }
  res.setHeader("Vary", "Accept-Encoding");
  res.setHeader("Content-Length", payload.length);
  res.statusCode = status;
  res.end(req.method === "HEAD" ? undefined : payload);
}

// Resident pages (the list and each consultation) are the same for everyone but for the
// form's submission id: rendered once, kept two seconds (or until a staff change in this
// process), served by node:http with a fresh id each time. One render at a time per page.
const PAGE_TTL_MS = 2_000;
const CACHEABLE = /^\/(fr|en)(\/consultations\/[a-z0-9-]+)?$/;
const SUBMISSION_ID = /(name="submission_id" value=")[0-9a-f-]{36}(")/;
const pages = new Map();
const rendering = new Map();

async function render(req, pathname) {
  const response = await fetchHandler(new Request(`http://${req.headers.host ?? "localhost"}${pathname}`, { headers: { accept: "text/html" } }), {
    clientAddress: req.socket.remoteAddress,
  });
  return { status: response.status, headers: [...response.headers], html: await response.text(), cacheable: response.status === 200 && !response.headers.has("set-cookie") };
}

async function residentPage(req, res, pathname) {
  begin(req, res, pathname);
  const epoch = globalThis.__quorumContentEpoch ?? 0;
  let page = pages.get(pathname);
  if (!page || Date.now() - page.at > PAGE_TTL_MS || page.epoch !== epoch) {
    let pending = rendering.get(pathname);
    if (!pending) {
      pending = render(req, pathname).finally(() => rendering.delete(pathname));
      rendering.set(pathname, pending);
    }
    const rendered = await pending;
    page = { ...rendered, at: Date.now(), epoch };
    if (rendered.cacheable) {
      if (pages.size > 1000) pages.clear();
      pages.set(pathname, page);
    }
  }
  sendPage(req, res, page.status, page.headers, page.html.replace(SUBMISSION_ID, `$1${randomUUID()}$2`));
}

// Answers: the busiest request. node:http takes it without Express: the same checks as above,
// then the domain (app/fast-answer.server.ts). An accepted answer gets its 303 here; anything
// else goes, with the same body and the domain's verdict, to the Remix route that renders the page.
const ANSWER = /^\/(fr|en)\/consultations\/[a-z0-9-]+$/;
const FORM = /^application\/x-www-form-urlencoded/i;

/** The whole body, or null as soon as it passes MAX_BODY (the rest is read and dropped). */
function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      if (size > MAX_BODY) return;
      size += chunk.length;
      if (size > MAX_BODY) resolve(null);
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

async function answer(req, res, pathname) {
  begin(req, res, pathname);
  if (Number(req.headers["content-length"] ?? NaN) > MAX_BODY) return refuse(res, 413, pathname);
  if (entry.isForgedOrigin(req.method, req.headers.origin, req.headers.host)) return refuse(res, 403, pathname);
  const body = await readBody(req);
  if (!body) return refuse(res, 413, pathname); // over the limit
  const clientAddress = req.socket.remoteAddress;
  const channel = req.headers["x-quorum-channel"] === "offline" ? "offline" : "web";
  const fast = await entry.fastAnswer({ path: pathname, body: body.toString("utf8"), channel, clientAddress }).catch(() => null);
  if (fast?.location) {
    res.writeHead(303, { Location: fast.location, "Content-Length": 0 });
    return res.end();
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  const response = await fetchHandler(new Request(`http://${req.headers.host ?? "localhost"}${req.url}`, { method: "POST", headers, body }), {
    clientAddress,
    answered: fast?.answered,
  });
  sendPage(req, res, response.status, response.headers, await response.text());
}

function failed(res, pathname) {
  return (error) => {
    log.error({ error: error instanceof Error ? error.message : String(error), path: pathname }, "request failed");
    if (!res.headersSent) refuse(res, 500, pathname);
    else res.destroy();
  };
}

const server = http.createServer((req, res) => {
  const [pathname, query] = req.url.split("?", 2);
  if ((req.method === "GET" || req.method === "HEAD") && query === undefined && CACHEABLE.test(pathname)) {
    residentPage(req, res, pathname).catch(failed(res, pathname));
  } else if (req.method === "POST" && ANSWER.test(pathname) && FORM.test(req.headers["content-type"] ?? "")) {
    answer(req, res, pathname).catch(failed(res, pathname));
  } else {
    app(req, res);
  }
});

const port = Number(process.env.PORT ?? 3000);
server.listen(port, () => {
  log.info({ port }, `Quorum listening on http://localhost:${port}`);
});

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "stopping: finishing requests in flight");
  const force = setTimeout(() => {
    log.error("requests still open after 10 s, exiting");
    process.exit(1);
  }, 10_000);
  force.unref();
  server.close(async () => {
    try {
      await entry.shutdown();
    } finally {
      log.info("stopped");
      process.exit(0);
    }
  });
  server.closeIdleConnections();
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
