import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CodeSecretError, codeSecretFile, findCodeSecret } from "./code-secret.server";

describe("the secret participation codes are derived from", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "quorum-code-secret-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("is QUORUM_CODE_SECRET when set, and then nothing is written", () => {
    const secret = "a secret given by the operator, long enough";
    expect(findCodeSecret({ QUORUM_CODE_SECRET: secret, QUORUM_DATA_DIR: path.join(dir, "pglite") })).toBe(secret);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("unset, is made once in the data directory, readable by the app only, and read back after", () => {
    const env = { QUORUM_DATA_DIR: path.join(dir, "pglite") };
    const made = findCodeSecret(env);
    expect(made.length).toBeGreaterThanOrEqual(32);
    const file = codeSecretFile(env);
    expect(file).toBe(path.join(dir, "pglite", "code-secret"));
    expect(readFileSync(file, "utf8")).toBe(`${made}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(findCodeSecret(env)).toBe(made);
    expect(readdirSync(path.join(dir, "pglite"))).toEqual(["code-secret"]); // no draft left behind
  });

  it("unset, with a data directory that cannot be made, says to set QUORUM_CODE_SECRET", () => {
    // A file where the directory should be: mkdir fails even for root, who ignores permissions.
    writeFileSync(path.join(dir, "not-a-directory"), "");
    const env = { QUORUM_DATA_DIR: path.join(dir, "not-a-directory", "pglite") };
    expect(() => findCodeSecret(env)).toThrow(CodeSecretError);
    expect(() => findCodeSecret(env)).toThrow(/QUORUM_CODE_SECRET is not set and .*code-secret can be neither read nor created \(ENOTDIR\)/);
  });

  it("refuses a kept file too short to be a secret, rather than derive codes from it", () => {
    const env = { QUORUM_DATA_DIR: path.join(dir, "pglite") };
    findCodeSecret(env);
    writeFileSync(codeSecretFile(env), "\n");
    expect(() => findCodeSecret(env)).toThrow(/fewer than 32 characters\. Set QUORUM_CODE_SECRET/);
  });
});
