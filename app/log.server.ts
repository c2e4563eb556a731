/**
 * Structured logs (pino, JSON lines). They carry a request id, method, route
 * path, status and duration — never an IP address, a query string, a Host, a
 * cookie, a form field or answer text. Every line written while a request is
 * handled carries that request's id (AsyncLocalStorage), loaders and actions included.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import pino from "pino";
import { loadEnv } from "./env.server";

export interface RequestScope {
  id: string;
}

/** The request being handled, set by the HTTP server around each request. */
export const requestScope = new AsyncLocalStorage<RequestScope>();

/** QUORUM_LOG_LEVEL; with an invalid configuration, "info" so that the start-up message naming it is seen. */
function level(): string {
  try {
    const env = loadEnv();
    return env.QUORUM_LOG_LEVEL ?? (env.NODE_ENV === "test" ? "silent" : "info");
  } catch {
    return "info";
  }
}

export const log = pino({
  level: level(),
  base: { app: "quorum" },
  redact: { paths: ["req.headers", "headers", "body", "form", "answers"], remove: true },
  mixin() {
    const scope = requestScope.getStore();
    return scope ? { id: scope.id } : {};
  },
});

/** An error as something safe to log: its name, message and code, without the query parameters a driver may attach. */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error).slice(0, 200) };
  const code = (error as { code?: unknown }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
  const message = error.message.split("\nparams:")[0].slice(0, 500);
  return { error: error.name, message, code };
}
