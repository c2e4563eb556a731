/**
 * Quorum's HTTP server: Express around the Remix request handler.
 * Builds first when no build exists, opens and migrates the database, then
 * listens on PORT (3000). SIGTERM/SIGINT: stop accepting, finish requests in
 * flight, close the database, exit.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

const BUILD = path.resolve("build/index.js");
const mode = process.env.NODE_ENV === "development" ? "development" : "production";
process.env.NODE_ENV ??= mode;

if (!existsSync(BUILD) || !existsSync("public/sw.js")) {
  console.log("Quorum: no build found, building once (npm run build)…");
  const result = spawnSync("npm", ["run", "build"], { stdio: "inherit", shell: process.platform === "win32" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const build = await import(pathToFileURL(BUILD).href);
const entry = build.entry.module;

try {
  await entry.startup();
} catch (error) {
  // Start anyway: /healthz reports 503 and every request retries the database.
  console.error("Quorum: the database is not ready yet:", error instanceof Error ? error.message : error);
}

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", false);
app.use(compression());
// A state-changing request from another site is refused before it reaches a route.
app.use((req, res, next) => {
  if (!entry.isForgedOrigin(req.method, req.headers.origin, req.headers.host)) return next();
  res.status(403).type("text/plain; charset=utf-8").send("403 – Requête d’un autre site refusée. / Request from another site refused.\n");
});
app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.get("/sw.js", (_req, res, next) => {
  res.set("Cache-Control", "no-cache");
  res.set("Service-Worker-Allowed", "/");
  next();
});
app.use(express.static("public", { maxAge: "1h", index: false }));
// The client address reaches the app only to be hashed for rate limits; it is never stored.
app.all(
  "*",
  createRequestHandler({ build, mode, getLoadContext: (req) => ({ clientAddress: req.socket.remoteAddress }) }),
);

const port = Number(process.env.PORT ?? 3000);
const server = app.listen(port, () => {
  console.log(`Quorum listening on http://localhost:${port}`);
});

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`Quorum: ${signal} received, finishing requests in flight…`);
  const force = setTimeout(() => {
    console.error("Quorum: requests still open after 10 s, exiting.");
    process.exit(1);
  }, 10_000);
  force.unref();
  server.close(async () => {
    try {
      await entry.shutdown();
    } finally {
      process.exit(0);
    }
  });
  server.closeIdleConnections();
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
