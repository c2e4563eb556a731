import { verifyRequestOrigin } from "lucia";

/**
 * Every state-changing request must come from a page of this site. A forged
 * Origin gets 403. Resident forms also accept a request without Origin, as
 * some old browsers send none; staff forms never do.
 */
export function requireSameOrigin(request: Request, { allowMissing = false } = {}): void {
  if (request.method === "GET" || request.method === "HEAD") return;
  const origin = request.headers.get("Origin");
  const host = request.headers.get("Host") ?? new URL(request.url).host;
  if (!origin) {
    if (allowMissing) return;
    throw new Response("Forbidden: missing Origin", { status: 403 });
  }
  if (!verifyRequestOrigin(origin, [host])) throw new Response("Forbidden: cross-origin request", { status: 403 });
}

/** For the HTTP server, before routing: a state-changing request whose Origin names another site. */
export function isForgedOrigin(method: string, origin: string | undefined, host: string | undefined): boolean {
  if (method === "GET" || method === "HEAD" || method === "OPTIONS" || !origin) return false;
  return !host || !verifyRequestOrigin(origin, [host]);
}
