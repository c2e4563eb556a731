/**
 * Every state-changing request must come from a page of this site: its Origin
 * must be the configured public origin (QUORUM_ORIGIN) exactly — scheme, host
 * and port — or one of the allowed hosts on the same scheme; with many communes,
 * the commune's own origins. The Host header plays no part. Resident forms also accept a request without Origin, as some
 * old browsers send none; staff forms never do.
 */
import { allowedOrigins } from "~/platform/commune.server";

export function isAllowedOrigin(origin: string): boolean {
  return allowedOrigins().includes(origin.toLowerCase());
}

export function requireSameOrigin(request: Request, { allowMissing = false } = {}): void {
  if (request.method === "GET" || request.method === "HEAD") return;
  const origin = request.headers.get("Origin");
  if (!origin) {
    if (allowMissing) return;
    throw new Response("Forbidden: missing Origin", { status: 403 });
  }
  if (!isAllowedOrigin(origin)) throw new Response("Forbidden: cross-origin request", { status: 403 });
}

/** For the HTTP server, before routing: a state-changing request whose Origin names another site. */
export function isForgedOrigin(method: string, origin: string | undefined): boolean {
  if (method === "GET" || method === "HEAD" || !origin) return false;
  return !isAllowedOrigin(origin);
}
