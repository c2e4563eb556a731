/**
 * The critical CSS a resident page inlines (docs/decisions/025-first-render-in-one-request.md):
 * build/critical-css.json, written by scripts/build-critical-css.mjs after `remix build`, read
 * once. Absent (a dev build, unit tests) or unreadable, pages link the plain stylesheet as before.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

export interface CriticalCss {
  /** The hashed stylesheet the critical part was taken from (`/build/_assets/app-….css`). */
  stylesheet: string;
  css: string;
  /** For the Content-Security-Policy's style-src: `'sha256-…'`. */
  hash: string;
}

/** The CSP source that allows one inline <style> element with exactly this text. */
export function styleHash(css: string): string {
  return `'sha256-${createHash("sha256").update(css, "utf8").digest("base64")}'`;
}

let loaded: CriticalCss | null | undefined;

function read(file: string): CriticalCss | null {
  try {
    const data = JSON.parse(readFileSync(file, "utf8")) as Partial<CriticalCss>;
    if (typeof data.stylesheet !== "string" || typeof data.css !== "string" || data.css.length === 0) return null;
    // The hash is worked out again from the bytes the pages will carry, not taken on trust.
    return { stylesheet: data.stylesheet, css: data.css, hash: styleHash(data.css) };
  } catch {
    return null;
  }
}

/** The build's critical CSS, or null when there is none. */
export function criticalCss(): CriticalCss | null {
  if (loaded === undefined) loaded = read(path.resolve("build/critical-css.json"));
  return loaded;
}
