/**
 * Starts Quorum: builds once when no build exists (`npm run build`), then runs
 * the built HTTP server (server/index.ts → build/server/index.js).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

if (!existsSync("build/index.js") || !existsSync("build/server/index.js") || !existsSync("public/sw.js")) {
  console.log("Quorum: no build found, building once (npm run build)…");
  const result = spawnSync("npm", ["run", "build"], { stdio: "inherit", shell: process.platform === "win32" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
await import("./build/server/index.js");
