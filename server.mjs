/**
 * Starts Quorum: builds once when no production build exists (`npm run build`), then runs
 * the built HTTP server (server/index.ts → build/server/index.js). A production build ends
 * with build/critical-css.json; `npm run dev` leaves a development build without it.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const built = ["build/index.js", "build/critical-css.json", "build/server/index.js", "public/sw.js"].every((file) => existsSync(file));
if (!built) {
  console.log("Quorum: no production build found, building once (npm run build)…");
  const result = spawnSync("npm", ["run", "build"], { stdio: "inherit", shell: process.platform === "win32" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
await import("./build/server/index.js");
