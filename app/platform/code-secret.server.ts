/**
 * The secret batch codes are derived from (decision 037): QUORUM_CODE_SECRET, or a random one
 * made on first use and kept beside the embedded data (QUORUM_DATA_DIR/code-secret, readable by
 * the app only) — never in the database, so the database alone gives no usable code.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { loadEnv } from "./env.server";

let cached: string | undefined;

export function codeSecret(): string {
  if (cached) return cached;
  const env = loadEnv();
  if (env.QUORUM_CODE_SECRET) return (cached = env.QUORUM_CODE_SECRET);
  const file = path.resolve(env.QUORUM_DATA_DIR.startsWith("memory:") ? ".data" : env.QUORUM_DATA_DIR, "code-secret");
  try {
    cached = readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    const made = randomBytes(32).toString("base64url");
    // "wx": a second process creating it at the same moment loses and reads the winner's.
    try {
      writeFileSync(file, `${made}\n`, { mode: 0o600, flag: "wx" });
      cached = made;
    } catch {
      cached = readFileSync(file, "utf8").trim();
    }
  }
  return cached;
}
