/**
 * Structured logs (pino, JSON lines). They carry a request id, method, route
 * path, status and duration — never an IP address, a query string, a cookie,
 * a form field, a Host header or answer text. Every line written while a request
 * is handled carries that request's id (AsyncLocalStorage), loaders and actions included.
 *
 * Code that logs chooses its fields with that rule in mind; error messages are
 * another matter, since a library writes them (`Headers.append: "/en/staff\r\n…" is
 * an invalid header value`, `Failed to parse URL from http://<Host>/…?next=…`,
 * `invalid input syntax for type uuid: "<questionId>"`). So every line goes through
 * `scrubFields` before it is written, whoever logs it: quoted values, URLs, query
 * strings and a driver's query parameters are cut out of every string.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type DestinationStream, type Level } from "pino";
import { loadEnv } from "./env.server";

export interface RequestScope {
  id: string;
}

/** The request being handled, set by the HTTP server around each request. */
export const requestScope = new AsyncLocalStorage<RequestScope>();

/** QUORUM_LOG_LEVEL; with an invalid configuration, "info" so that the start-up message naming it is seen. */
function configuredLevel(): Level | "silent" {
  try {
    const env = loadEnv();
    return env.QUORUM_LOG_LEVEL ?? (env.NODE_ENV === "test" ? "silent" : "info");
  } catch {
    return "info";
  }
}

const REDACTED = "…";
const MAX_STRING = 500;

/** One logged string with every value a request could have put in it removed. */
export function scrub(value: string): string {
  return (
    value
      // A driver's echo of the query parameters (drizzle: "Failed query: …\nparams: …").
      .split(/\r?\nparams:/)[0]
      // Anything quoted: libraries quote the offending value.
      .replace(/"(?:[^"\\]|\\.)*"?|'[^'\n]*'|`[^`]*`?|“[^”]*”?|«[^»]*»?/gs, `"${REDACTED}"`)
      // URLs carry a Host and a query string.
      .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"]*/gi, `<url>`)
      // A query string on a path.
      .replace(/\?[^\s"]+/g, `?${REDACTED}`)
      // Line breaks and other controls could forge a line in a plain-text log viewer.
      .replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g, " ")
      .slice(0, MAX_STRING)
  );
}

/** An error as something safe to log: its name, scrubbed message and code. */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: scrub(String(error)).slice(0, 200) };
  const code = (error as { code?: unknown }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
  return { error: error.name, message: scrub(error.message), code: typeof code === "string" || typeof code === "number" ? code : undefined };
}

/** Every string of a log line scrubbed, every error reduced to errorFields; nested a few levels at most. */
export function scrubFields(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrub(value);
  if (value instanceof Error) return errorFields(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= 3) return REDACTED;
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => scrubFields(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = scrubFields(v, depth + 1);
  return out;
}

/** A logger that applies the rule above; `destination` for tests. */
export function createLog(options: { level?: Level | "silent"; destination?: DestinationStream } = {}) {
  const level = options.level ?? configuredLevel();
  return pino(
    {
      level,
      base: { app: "quorum" },
      redact: { paths: ["req.headers", "headers", "body", "form", "answers", "host", "query", "cookie"], remove: true },
      formatters: { log: (object) => scrubFields(object) as Record<string, unknown> },
      mixin() {
        const scope = requestScope.getStore();
        return scope ? { id: scope.id } : {};
      },
    },
    options.destination,
  );
}

export const log = createLog();
