/**
 * Starts Quorum: builds once when no production build exists (`npm run build`), then runs
 * the built HTTP server (server/index.ts → build/server/index.js). A production build ends
 * with build/critical-css.json; `npm run dev` leaves a development build without it.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import v8 from "node:v8";

// V8 moves an allocation site to the old generation once most of what it made survived a young
// collection. The first visits of 500 communes, rendered and answered at once, taught it that of
// the request path's own sites; every request after was then collected by full collections only:
// 1.4 to 1.7 times the CPU per page (docs/decisions/073-no-pretenuring.md). Set before any of
// Quorum is loaded.
v8.setFlagsFromString("--no-allocation-site-pretenuring");

const built = ["build/index.js", "build/critical-css.json", "build/server/index.js", "public/sw.js"].every((file) => existsSync(file));
if (!built) {
  console.log("Quorum: no production build found, building once (npm run build)…");
  const result = spawnSync("npm", ["run", "build"], { stdio: "inherit", shell: process.platform === "win32" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
await import("./build/server/index.js");
