/**
 * Builds the service worker (app/service-worker/sw.ts → public/sw.js) and the
 * page script (app/service-worker/enhance.ts → public/quorum.js), after `remix build`.
 * The precache list (the hashed stylesheet) and the shell (the page script and icon by their
 * hashes; the offline pages by the server build's) are written into the worker.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { build } from "esbuild";

const serverBuild = readFileSync("build/index.js", "utf8");
const revision = createHash("sha256").update(serverBuild).digest("hex").slice(0, 16);
const css = [...new Set(serverBuild.match(/\/build\/_assets\/[\w.-]+\.css/g) ?? [])];
if (css.length === 0) throw new Error("build-sw: no stylesheet found in build/index.js");

// Precached by workbox: the stylesheets only (hashed names: the URL is the revision; the page
// has just fetched them, so the browser's cache answers).
const precache = css.map((url) => ({ url, revision: null }));
// The worker's shell (app/service-worker/sw.ts): the page script and icon, taken from the browser's
// cache at install, and the offline pages, fetched for the languages visited only.
const hash = (bytes) => createHash("sha256").update(bytes).digest("hex").slice(0, 16);
const shellFiles = () => ["/quorum.js", "/favicon.svg"].map((url) => ({ url, revision: hash(readFileSync(`public${url}`)) }));

const common = {
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2019"],
  legalComments: "none",
  logLevel: "warning",
  define: { "process.env.NODE_ENV": '"production"' },
};
await build({ ...common, entryPoints: ["app/service-worker/enhance.ts"], outfile: "public/quorum.js" });
const files = shellFiles();
const shell = { revision: hash([revision, ...files.map((f) => f.revision)].join(":")), files };
await build({
  ...common,
  entryPoints: ["app/service-worker/sw.ts"],
  outfile: "public/sw.js",
  define: { ...common.define, __QUORUM_PRECACHE__: JSON.stringify(precache), __QUORUM_SHELL__: JSON.stringify(shell) },
});
