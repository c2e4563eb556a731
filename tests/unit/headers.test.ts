import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { parseEnv } from "~/platform/env.server";
import { styleHash } from "~/styles/critical.server";
import { securityHeaders } from "../../server/headers";

/** The Content-Security-Policy the step sets on a response. */
function csp(hashes?: string[]): string {
  const set: Record<string, string> = {};
  const res = { setHeader: (name: string, value: string) => (set[name.toLowerCase()] = value) } as unknown as ServerResponse;
  securityHeaders(parseEnv({}), hashes)({} as IncomingMessage, res, () => {});
  return set["content-security-policy"];
}

const styleSrc = (policy: string) => policy.split(";").find((d) => d.startsWith("style-src"));

describe("the style-src of the Content-Security-Policy", () => {
  it("names the inline critical CSS by its sha256, never 'unsafe-inline'", () => {
    const css = ':root{--fg: #1b1b1b}h1{font-size:1.6rem}.error:before{content:"\\26a0  "}';
    const hash = styleHash(css);
    expect(hash).toBe(`'sha256-${createHash("sha256").update(Buffer.from(css, "utf8")).digest("base64")}'`);
    expect(styleSrc(csp([hash]))).toBe(`style-src 'self' ${hash}`);
    expect(csp([hash])).not.toContain("unsafe-inline");
  });

  it("is the own origin only when the build has no critical CSS", () => {
    expect(styleSrc(csp())).toBe("style-src 'self'");
  });
});
