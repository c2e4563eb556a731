import { describe, expect, it } from "vitest";
import { parseEnv } from "~/platform/env.server";
import { isStaffPath, loggablePath } from "~/urls";
import { normaliseHost, rateLimitKey } from "../../server/guards";
import { isCleanPath } from "../../server/request";
import { saveDataHint } from "../../server/headers";

describe("settings", () => {
  it("default to the embedded quick start at localhost, with every loopback name of the port", () => {
    const env = parseEnv({ PORT: "3000" });
    expect(env.QUORUM_ORIGIN).toBe("http://localhost:3000");
    expect(env.QUORUM_ALLOWED_HOSTS).toEqual(["localhost:3000", "127.0.0.1:3000", "[::1]:3000"]);
    expect(env.allowedOrigins).toContain("http://127.0.0.1:3000");
    expect(env.QUORUM_MAX_BODY_BYTES).toBe(1024 * 1024);
    expect(env.QUORUM_TRUST_PROXY).toBe(0);
    expect(env.QUORUM_SMALL_COUNT_K).toBe(5);
  });

  it("take a public origin and allow only its host, plus the hosts named", () => {
    const env = parseEnv({ QUORUM_ORIGIN: "https://Consult.Example.org/", QUORUM_ALLOWED_HOSTS: "www.consult.example.org, consult.example.org:8443" });
    expect(env.QUORUM_ORIGIN).toBe("https://consult.example.org");
    expect(env.QUORUM_ALLOWED_HOSTS).toEqual(["consult.example.org", "www.consult.example.org", "consult.example.org:8443"]);
    expect(env.allowedOrigins).toEqual(["https://consult.example.org", "https://www.consult.example.org", "https://consult.example.org:8443"]);
  });

  it.each([
    ["QUORUM_MAX_BODY_BYTES", "1mb"],
    ["QUORUM_MAX_BODY_BYTES", "-5"],
    ["QUORUM_ORIGIN", "consult.example.org"],
    ["QUORUM_ORIGIN", "https://consult.example.org/path"],
    ["QUORUM_ORIGIN", "ftp://consult.example.org"],
    ["QUORUM_ORIGIN", "https://user:pw@consult.example.org"],
    ["QUORUM_ALLOWED_HOSTS", "evil example"],
    ["QUORUM_TRUST_PROXY", "everyone"],
    ["QUORUM_TIMEZONE", "Mars/Olympus"],
    ["PORT", "99999"],
    ["QUORUM_LOG_LEVEL", "loud"],
    ["QUORUM_SMALL_COUNT_K", "1"],
    ["QUORUM_SMALL_COUNT_K", "five"],
    ["QUORUM_LISTEN_ADDRESS", "localhost"],
    ["QUORUM_LISTEN_ADDRESS", "127.0.0.1:3000"],
  ])("refuse to start on %s=%s with a message naming it", (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(new RegExp(`invalid configuration:[\\s\\S]*${name}`));
  });

  it("listen on every address unless one is named", () => {
    expect(parseEnv({}).QUORUM_LISTEN_ADDRESS).toBeUndefined();
    expect(parseEnv({ QUORUM_LISTEN_ADDRESS: "" }).QUORUM_LISTEN_ADDRESS).toBeUndefined();
    expect(parseEnv({ QUORUM_LISTEN_ADDRESS: "127.0.0.1" }).QUORUM_LISTEN_ADDRESS).toBe("127.0.0.1");
    expect(parseEnv({ QUORUM_LISTEN_ADDRESS: "::1" }).QUORUM_LISTEN_ADDRESS).toBe("::1");
  });

  it("read trusted proxies as a hop count or a list of addresses", () => {
    expect(parseEnv({ QUORUM_TRUST_PROXY: "1" }).QUORUM_TRUST_PROXY).toBe(1);
    expect(parseEnv({ QUORUM_TRUST_PROXY: "10.0.0.0/8, loopback" }).QUORUM_TRUST_PROXY).toEqual(["10.0.0.0/8", "loopback"]);
  });
});

describe("the client key for rate limits", () => {
  it("is an IPv4 address whole, also when mapped into IPv6", () => {
    expect(rateLimitKey("203.0.113.7")).toBe("203.0.113.7");
    expect(rateLimitKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  it("is the /64 of an IPv6 address, however it is written", () => {
    const a = rateLimitKey("2001:db8:0:1:aaaa:bbbb:cccc:dddd");
    expect(a).toBe("2001:db8:0:1::/64");
    expect(rateLimitKey("2001:0db8:0000:0001::1")).toBe(a);
    expect(rateLimitKey("2001:db8:0:1::ffff")).toBe(a);
    expect(rateLimitKey("2001:db8:0:2::1")).not.toBe(a);
    expect(rateLimitKey("::1")).toBe("0:0:0:0::/64");
    expect(rateLimitKey("fe80::1")).toBe("fe80:0:0:0::/64");
  });

  it("is nothing when the address is unknown", () => {
    expect(rateLimitKey(undefined)).toBeUndefined();
  });
});

describe("request targets and hosts", () => {
  it.each(["/", "/fr", "/fr/consultations/capteurs-place-du-marche", "/en/receipts/K7M3-9QXF", "/fr/consultations/caf%C3%A9", "/build/_assets/app-ABC.css"])(
    "accepts %s",
    (path) => {
      expect(isCleanPath(path)).toBe(true);
    },
  );

  it.each([
    "",
    "*",
    "http://evil/fr",
    "//evil.example/fr",
    "/%5C/x",
    "/fr/a%00b",
    "/fr/a%0d%0ab",
    "/fr/%E2%80%A8",
    "/fr/%ff",
    "/fr/%",
    "/fr/\u0001",
    "/fr/a b",
    "/fr/%C2%85",
  ])("refuses %j", (path) => {
    expect(isCleanPath(path)).toBe(false);
  });

  it("compares hosts without case or the scheme's default port", () => {
    expect(normaliseHost("Consult.Example.org:443", "https:")).toBe("consult.example.org");
    expect(normaliseHost("consult.example.org:80", "http:")).toBe("consult.example.org");
    expect(normaliseHost("consult.example.org:8443", "https:")).toBe("consult.example.org:8443");
  });
});

describe("paths in log lines", () => {
  it.each([
    ["/en/staff/invitations/WsbIzYGXCitkgVHoyYDxb3Jzr9D2H7QF", "/en/staff/invitations/…"],
    ["/fr/consultations/capteurs/thanks/K7M3-9QXF", "/fr/consultations/capteurs/thanks/…"],
    ["/en/receipts/K7M3-9QXF", "/en/receipts/…"],
    ["/fr/offline/answer/K7M3-9QXF", "/fr/offline/answer/…"],
    ["/fr/consultations/capteurs", "/fr/consultations/capteurs"],
    ["/en/receipts", "/en/receipts"],
  ])("mask secrets and receipt codes: %s", (path, logged) => {
    expect(loggablePath(path)).toBe(logged);
  });

  it("know the staff area", () => {
    expect(isStaffPath("/en/staff")).toBe(true);
    expect(isStaffPath("/fr/staff/users.data")).toBe(true);
    expect(isStaffPath("/fr/staff.data")).toBe(true);
    expect(isStaffPath("/fr/staffing")).toBe(false);
    expect(isStaffPath("/fr")).toBe(false);
  });
});

describe("a browser asking to save data", () => {
  const run = (headers: Record<string, string>) => {
    const set: Record<string, string> = {};
    let went = false;
    saveDataHint()({ headers } as never, { setHeader: (name: string, value: string) => (set[name] = value) } as never, () => (went = true));
    return { set, went };
  };
  it("is told back in Server-Timing, which the page script can read, whatever the case of `on`", () => {
    expect(run({ "save-data": "on" })).toEqual({ set: { "Server-Timing": "save-data" }, went: true });
    expect(run({ "save-data": "On" }).set).toEqual({ "Server-Timing": "save-data" });
  });
  it("is not assumed otherwise", () => {
    expect(run({}).set).toEqual({});
    expect(run({ "save-data": "off" }).set).toEqual({});
  });
});
