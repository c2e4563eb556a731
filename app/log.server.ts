/**
 * Structured logs (pino, JSON lines). They carry a request id, method, route
 * path, status and duration — never an IP address, a query string, a cookie,
 * a form field or answer text.
 */
import pino from "pino";

export const log = pino({
  level: process.env.QUORUM_LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { app: "quorum" },
  redact: { paths: ["req.headers", "headers", "body", "form", "answers"], remove: true },
});

/** An error as something safe to log: its name, message and code, without the query parameters a driver may attach. */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error).slice(0, 200) };
  const code = (error as { code?: unknown }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
  const message = error.message.split("\nparams:")[0].slice(0, 500);
  return { error: error.name, message, code };
}
