/**
 * Builds the HTTP server (server/*.ts → build/server/index.js) after `remix build`.
 * Packages stay external (node_modules); the app's own pure modules it imports
 * (settings, URL shapes) are bundled in; everything with state is reached
 * through the Remix build's entry module. `npm run dev` builds it with the same
 * options and rebuilds it on every change (scripts/dev.mjs).
 */
import { build } from "esbuild";

/** @type {import("esbuild").BuildOptions} */
export const serverBuildOptions = {
  entryPoints: ["server/index.ts"],
  outfile: "build/server/index.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: ["node20"],
  packages: "external",
  tsconfig: "tsconfig.json",
  logLevel: "warning",
  sourcemap: true,
};

if (import.meta.url === `file://${process.argv[1]}`) await build(serverBuildOptions);
