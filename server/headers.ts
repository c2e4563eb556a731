/**
 * Security headers on every response, by helmet: a strict Content-Security-Policy
 * (own origin only, no inline script, no inline style but the resident pages' critical CSS
 * named by its hash, no framing), nosniff,
 * same-origin referrers and opener, HSTS in production over HTTPS; plus a
 * Permissions-Policy that turns off what Quorum never uses.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import helmet from "helmet";
import type { Env } from "~/platform/env.server";
import type { Step } from "./chain";

/** `styleHashes`: CSP hashes (`'sha256-…'`) of the inline <style> elements pages may carry. */
export function securityHeaders(env: Env, styleHashes: string[] = []): Step {
  const https = env.QUORUM_ORIGIN.startsWith("https:");
  const apply = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", ...styleHashes],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: "same-origin" },
    frameguard: { action: "deny" },
    crossOriginOpenerPolicy: { policy: "same-origin" },
    crossOriginResourcePolicy: { policy: "same-origin" },
    strictTransportSecurity: env.NODE_ENV === "production" && https && env.QUORUM_COOKIE_SECURE ? { maxAge: 63_072_000, includeSubDomains: true } : false,
  });
  // helmet's headers depend on its options only, never on the request: they are worked out
  // once, by running helmet on a stand-in response, and set on each response as they are.
  const headers: [string, string][] = [["Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"]];
  const stand = {
    setHeader: (name: string, value: string | number | string[]) => headers.push([name, String(value)]),
    removeHeader: (name: string) => {
      const at = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
      if (at !== -1) headers.splice(at, 1);
    },
  };
  let ready = false;
  apply({ headers: {} } as IncomingMessage, stand as unknown as ServerResponse, () => {
    ready = true;
  });
  if (!ready) throw new Error("helmet did not finish synchronously");
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}

/**
 * A browser that asks to save data says so in each request (`Save-Data: on`); the page script
 * cannot read its page's request, so the answer says it back (`Server-Timing: save-data`, read
 * from the navigation's timing entry) and the page script fetches nothing ahead (decision 020).
 */
export const SAVE_DATA_TIMING = "save-data";
export function saveDataHint(): Step {
  return (req, res, next) => {
    if (String(req.headers["save-data"] ?? "").toLowerCase() === "on") res.setHeader("Server-Timing", SAVE_DATA_TIMING);
    next();
  };
}
