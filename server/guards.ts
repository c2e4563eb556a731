/**
 * The chain's checks, in order after the security headers:
 * - Host: the request must name the public origin's host or an allowed host
 *   (421 otherwise, before anything is rendered). `/healthz` is exempt, so a
 *   load balancer may probe the process by its address.
 * - client: the address rate limits key on. The TCP peer, or, behind trusted
 *   proxies (QUORUM_TRUST_PROXY), the client they report; an IPv6 client as
 *   its /64, since one household or device holds a whole /64.
 * - body size: a declared Content-Length over the limit is a 413 before
 *   anything is read (a body without one is counted by `readBody` as it arrives).
 * - Origin: a POST whose Origin is not the public origin is a 403.
 */
import type { IncomingMessage } from "node:http";
import proxyAddr from "proxy-addr";
import type { Env } from "~/platform/env.server";
import type { Step } from "./chain";
import type { AppEntry } from "./entry";
import { refuse, stateOf } from "./request";
import { urls } from "~/urls";

/** `host[:port]` as the allow-list holds it: lower case, without the scheme's default port. */
export function normaliseHost(host: string, protocol: string): string {
  const h = host.trim().toLowerCase();
  const defaultPort = protocol === "https:" ? ":443" : ":80";
  return h.endsWith(defaultPort) ? h.slice(0, -defaultPort.length) : h;
}

export function hostCheck(entry: AppEntry, env: Env): Step {
  const protocol = new URL(env.QUORUM_ORIGIN).protocol;
  const allowed = new Set(env.QUORUM_ALLOWED_HOSTS);
  const many = env.QUORUM_COMMUNES === "many";
  return async (req, res, next) => {
    const state = stateOf(req);
    const { path } = state;
    const host = req.headers.host;
    // Two Host headers (RFC 9112 §3.2: 400): Node would keep the first and drop the other silently.
    let hosts = 0;
    for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i].length === 4 && req.rawHeaders[i].toLowerCase() === "host") hosts++;
    if (hosts > 1) return refuse(entry, res, 400, path);
    state.origin = env.QUORUM_ORIGIN;
    if (path === urls.healthz()) return next();
    if (typeof host !== "string") return refuse(entry, res, 421, path);
    const named = normaliseHost(host, protocol);
    if (!many) return allowed.has(named) ? next() : refuse(entry, res, 421, path);
    // Many communes: the Host names one of the registry's, and the rest of the request is that commune's.
    let commune: Awaited<ReturnType<AppEntry["communeForHost"]>>;
    try {
      commune = await entry.communeForHost(named);
    } catch {
      // The registry cannot be read (database away) and this process has no copy yet.
      return refuse(entry, res, 503, path);
    }
    if (!commune) return refuse(entry, res, 421, path);
    if (commune.status !== "active") return refuse(entry, res, 503, path, {}, "suspended");
    state.origin = commune.origin;
    entry.inCommune(commune, next);
  };
}

/** The part of an address rate limits count by: an IPv4 address whole, an IPv6 address by its /64. */
export function rateLimitKey(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!address.includes(":")) return address;
  const [head, tail = ""] = address.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

export function clientAddress(env: Env): Step {
  const trust = env.QUORUM_TRUST_PROXY;
  // A hop count trusts that many proxies nearest to us, as Express reads "trust proxy".
  const trusts = typeof trust === "number" ? (_address: string, hop: number) => hop < trust : proxyAddr.compile(trust);
  return (req, _res, next) => {
    if (trust === 0) {
      stateOf(req).clientAddress = rateLimitKey(req.socket.remoteAddress);
      return next();
    }
    let address: string | undefined;
    try {
      address = proxyAddr(req as IncomingMessage & { connection: IncomingMessage["socket"] }, trusts);
    } catch {
      // A malformed X-Forwarded-For from a trusted proxy: count the proxy itself.
      address = req.socket.remoteAddress;
    }
    stateOf(req).clientAddress = rateLimitKey(address);
    next();
  };
}

export function bodyLimit(entry: AppEntry, env: Env): Step {
  const max = env.QUORUM_MAX_BODY_BYTES;
  return (req, res, next) => {
    if (req.method !== "POST") return next();
    const { path } = stateOf(req);
    const declared = req.headers["content-length"];
    if (declared !== undefined && Number(declared) > max) return refuse(entry, res, 413, path);
    next();
  };
}

export function originCheck(entry: AppEntry): Step {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (!entry.isForgedOrigin(req.method ?? "GET", typeof origin === "string" ? origin : undefined)) return next();
    refuse(entry, res, 403, stateOf(req).path);
  };
}

/** The whole body, or null as soon as it passes `max` bytes (the connection is then closed by the 413). */
export function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      if (size > max) return;
      size += chunk.length;
      if (size > max) resolve(null);
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(size > max ? null : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
