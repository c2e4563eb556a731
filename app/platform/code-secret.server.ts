/**
 * The secret batch codes are derived from (decision 037): QUORUM_CODE_SECRET, or a random one
 * made on first use and kept beside the embedded data (QUORUM_DATA_DIR/code-secret, readable by
 * the app only) — never in the database, so the database alone gives no usable code.
 */
import { createHmac, randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { currentCommune } from "./commune.server";
import { loadEnv, type Env } from "./env.server";

/** The shortest secret accepted, as for QUORUM_CODE_SECRET. */
const MIN_LENGTH = 32;

/** No usable secret: QUORUM_CODE_SECRET is unset and the file in the data directory can be neither read nor made. */
export class CodeSecretError extends Error {}

/** The file the secret is kept in when QUORUM_CODE_SECRET is unset. */
export function codeSecretFile(env: Pick<Env, "QUORUM_DATA_DIR">): string {
  return path.resolve(env.QUORUM_DATA_DIR.startsWith("memory:") ? ".data" : env.QUORUM_DATA_DIR, "code-secret");
}

/** The file's secret, or a new one written there whole: a second process making it at the same moment reads the winner's. */
function readOrMake(file: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const made = randomBytes(32).toString("base64url");
  // Written under a name of its own, then linked into place: the file appears complete or not at all.
  const draft = `${file}.${process.pid}.${randomBytes(6).toString("hex")}`;
  writeFileSync(draft, `${made}\n`, { mode: 0o600, flag: "wx" });
  try {
    linkSync(draft, file);
    return made;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return readFileSync(file, "utf8").trim();
  } finally {
    rmSync(draft, { force: true });
  }
}

/**
 * The secret for these settings: QUORUM_CODE_SECRET, else the one kept in the data directory
 * (made when missing). Neither: a CodeSecretError that says what to set.
 */
export function findCodeSecret(env: Pick<Env, "QUORUM_CODE_SECRET" | "QUORUM_DATA_DIR">): string {
  if (env.QUORUM_CODE_SECRET) return env.QUORUM_CODE_SECRET;
  const file = codeSecretFile(env);
  const setIt = `Set QUORUM_CODE_SECRET to ${MIN_LENGTH} or more random characters (e.g. the output of \`openssl rand -base64 32\`)`;
  let secret: string;
  try {
    secret = readOrMake(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new CodeSecretError(
      `Quorum: no secret for participation codes: QUORUM_CODE_SECRET is not set and ${file} can be neither read nor created (${reason}). ` +
        `${setIt}, or let Quorum write ${path.dirname(file)} (QUORUM_DATA_DIR) and keep that directory between restarts.`,
    );
  }
  if (secret.length < MIN_LENGTH) {
    throw new CodeSecretError(
      `Quorum: no secret for participation codes: QUORUM_CODE_SECRET is not set and ${file} holds fewer than ${MIN_LENGTH} characters. ` +
        `${setIt}, or remove the file so that a new one is made (batches made before cannot then be printed again).`,
    );
  }
  return secret;
}

let cached: string | undefined;

/**
 * The secret of this process's settings, found once. With many communes, each commune's own,
 * derived from it and the commune's id: one commune's codes say nothing of another's, and the
 * operator keeps one secret.
 */
export function codeSecret(): string {
  const base = baseCodeSecret();
  const commune = currentCommune();
  return commune ? communeCodeSecret(base, commune.id) : base;
}

/** The deployment's own secret (checked once at start-up in production). */
export function baseCodeSecret(): string {
  return (cached ??= findCodeSecret(loadEnv()));
}

export function communeCodeSecret(base: string, communeId: number): string {
  return createHmac("sha256", base).update(`quorum commune ${communeId}`).digest("base64url");
}
