/**
 * Builds the service worker (app/service-worker/sw.ts → public/sw.js) and the
 * page script (app/service-worker/enhance.ts → public/quorum.js), after `remix build`.
 * The precache list — the hashed stylesheet and the offline pages of both
 * languages — is written into the worker; page revisions follow the server build.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { build } from "esbuild";

const serverBuild = readFileSync("build/index.js", "utf8");
const revision = createHash("sha256").update(serverBuild).digest("hex").slice(0, 16);
const css = [...new Set(serverBuild.match(/\/build\/_assets\/[\w.-]+\.css/g) ?? [])];
if (css.length === 0) throw new Error("build-sw: no stylesheet found in build/index.js");

const precache = [
  ...css.map((url) => ({ url, revision: null })), // hashed names: the URL is the revision
  ...["fr", "en"].flatMap((lang) => [
    { url: `/${lang}/offline`, revision },
    { url: `/${lang}/offline/saved`, revision },
  ]),
  { url: "/favicon.svg", revision },
];

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
precache.push({ url: "/quorum.js", revision: createHash("sha256").update(readFileSync("public/quorum.js")).digest("hex").slice(0, 16) });
await build({
  ...common,
  entryPoints: ["app/service-worker/sw.ts"],
  outfile: "public/sw.js",
  define: { ...common.define, __QUORUM_PRECACHE__: JSON.stringify(precache) },
});
