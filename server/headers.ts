/**
 * Security headers on every response, by helmet: a strict Content-Security-Policy
 * (own origin only, no inline script or style, no framing), nosniff,
 * same-origin referrers and opener, HSTS in production over HTTPS; plus a
 * Permissions-Policy that turns off what Quorum never uses.
 */
import helmet from "helmet";
import type { Env } from "~/env.server";
import type { Step } from "./chain";

export function securityHeaders(env: Env): Step {
  const https = env.QUORUM_ORIGIN.startsWith("https:");
  const apply = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
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
  return (req, res, next) => {
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
    apply(req, res, next);
  };
}
