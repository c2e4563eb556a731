/** Bundles app/service-worker/sw.ts into public/sw.js (minified, one file). */
import { build } from "esbuild";

await build({
  entryPoints: ["app/service-worker/sw.ts"],
  outfile: "public/sw.js",
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2019"],
  define: { "process.env.NODE_ENV": '"production"' },
  legalComments: "none",
  logLevel: "warning",
});
