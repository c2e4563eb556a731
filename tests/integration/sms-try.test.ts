/**
 * `npm run sms:try`: the conversation in a terminal, messages piped in as a person would type
 * them, on an embedded database of its own (the quick start's, with the demo and its keyword).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { DEMO_SMS_KEYWORD } from "~/domain/consultations/demo";

const dir = mkdtempSync(path.join(tmpdir(), "quorum-sms-try-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("answers the demo by its keyword in the terminal, re-asks a wrong reply, switches to English, stops", () => {
  const run = spawnSync("npx", ["tsx", "scripts/sms-try.ts"], {
    input: `${DEMO_SMS_KEYWORD}\n9\n4\nEN\nSTOP\n`,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: "", QUORUM_DATA_DIR: path.join(dir, "pglite"), QUORUM_CODE_SECRET: "x".repeat(40), QUORUM_COMMUNES: "single" },
    timeout: 120_000,
  });
  expect(run.status, run.stderr).toBe(0);
  const out = run.stdout;
  expect(out).toContain("Q1/9");
  expect(out).toContain("Répondez par un chiffre de 1 à 5.");
  expect(out).toContain("Q2/9 Quelles mesures");
  expect(out).toContain("Q2/9 Which measurements");
  expect(out).toContain("Stopped, and your answers are deleted.");
}, 150_000);
