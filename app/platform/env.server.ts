import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /**
   * The address the server listens on, e.g. `127.0.0.1` when a reverse proxy on the same machine is
   * the only way in (docs/deploy.md). Unset: every address of the machine.
   */
  QUORUM_LISTEN_ADDRESS: z
    .union([z.ipv4(), z.ipv6()], { error: "an IPv4 or IPv6 address, e.g. 127.0.0.1" })
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** PostgreSQL connection string. When absent, the embedded PGlite database is used. */
  DATABASE_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /**
   * `single` (the default): this process serves one commune, the one QUORUM_ORIGIN names. `many`:
   * it serves every commune of the registry, each on its own hosts (`npm run commune:add`; see
   * docs/decisions/062-a-schema-for-each-commune.md). `many` needs DATABASE_URL.
   */
  QUORUM_COMMUNES: z.enum(["single", "many"]).default("single"),
  /** In `many` mode: the PostgreSQL connections every commune's work shares in this process. */
  QUORUM_COMMUNE_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(10),
  /** Where the embedded database keeps its files. */
  QUORUM_DATA_DIR: z.string().min(1).default(".data/pglite"),
  /**
   * Seed the demo consultation into a fresh database. Unset: only on the embedded database (the
   * quick start); on PostgreSQL (a real deployment) only when set to `true` explicitly.
   */
  QUORUM_SEED_DEMO: z.enum(["true", "false", "1", "0"]).optional(),
  /** Secure flag on the staff session cookie; on by default in production. Turn off only for plain-HTTP local testing. */
  QUORUM_COOKIE_SECURE: z.enum(["true", "false", "1", "0"]).optional(),
  /** The municipality's name, printed on participation code cards. */
  QUORUM_MUNICIPALITY: z.string().min(1).default("Commune de Quorum"),
  /**
   * How residents reach the municipality about Quorum (accessibility problems, content in
   * another form): an email address or a web address. Unset, pages say no contact is set yet.
   */
  QUORUM_CONTACT: z.string().trim().max(200).optional(),
  /**
   * Where email goes out: an SMTP URL such as `smtps://user:password@mail.example.org:465` or
   * `smtp://mail.example.org:587`. Unset (the default), Quorum sends no email: staff pass
   * invitation links on by hand and residents are not offered notices.
   */
  QUORUM_SMTP_URL: z
    .string()
    .trim()
    .optional()
    .or(z.literal("").transform(() => undefined))
    .refine((v) => v === undefined || /^smtps?:\/\/[^\s]+$/.test(v), "an smtp:// or smtps:// URL"),
  /** The sender of every email, e.g. `Quorum – Commune de Quorum <consultations@example.org>`. Needed with QUORUM_SMTP_URL. */
  QUORUM_MAIL_FROM: z.string().trim().max(300).optional(),
  /**
   * The public origin (scheme, host and port) residents and staff reach Quorum at, e.g.
   * `https://consultations.example.org`. Every page is rendered and every link built for it,
   * the Host header must name it and the Origin of every form must equal it. Default:
   * `http://localhost:PORT`, where `127.0.0.1` and `[::1]` on that port are accepted too.
   */
  QUORUM_ORIGIN: z.string().optional(),
  /** The older name of QUORUM_ORIGIN, still read when QUORUM_ORIGIN is not set. */
  QUORUM_PUBLIC_URL: z.string().optional(),
  /** Other host names (with their port when not the default) that may reach this server, comma-separated. */
  QUORUM_ALLOWED_HOSTS: z.string().default(""),
  /**
   * Which reverse proxies in front of Quorum to believe about the client's address
   * (X-Forwarded-For): a number of hops (`1` for one proxy), or addresses and subnets,
   * comma-separated (`10.0.0.0/8,loopback`). Default: none, the TCP peer is the client.
   */
  QUORUM_TRUST_PROXY: z.string().default(""),
  /** Largest request body accepted, in bytes; a questionnaire with every text field full is far below 1 MiB. */
  QUORUM_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1024 * 1024),
  /** Log level: fatal, error, warn, info, debug, trace or silent. */
  QUORUM_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  /** Answers one client (one network address, hashed) may send per 10 minutes. */
  QUORUM_SUBMISSIONS_PER_10_MIN: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /** The municipality's time zone, used for every date shown. */
  QUORUM_TIMEZONE: z.string().min(1).default("Europe/Paris"),
  /** Open data and public results: counts from 1 to k − 1 are never published (with what would reveal them). */
  QUORUM_SMALL_COUNT_K: z.coerce.number().int().min(2).max(100).default(5),
  /**
   * The secret participation codes of printed batches are derived from (decision 037), at least 32
   * characters. Unset, one is made on first use and kept in QUORUM_DATA_DIR/code-secret. Changing
   * it makes batches printed before impossible to print again (their codes keep working).
   */
  QUORUM_CODE_SECRET: z.string().min(32).optional(),
  /**
   * Where residents' text messages come from (decision 066): `twilio` (its webhook at
   * `/sms/twilio`), `android-sms-gateway` (an Android phone with a local SIM running SMS Gateway
   * for Android, webhook at `/sms/gateway`), or unset: no SMS.
   */
  QUORUM_SMS_PROVIDER: z
    .enum(["twilio", "android-sms-gateway"])
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Twilio's auth token: every webhook's X-Twilio-Signature is checked with it. Needed with `twilio`. */
  QUORUM_TWILIO_AUTH_TOKEN: z
    .string()
    .trim()
    .min(1)
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Text messages the commune takes a minute, every phone together; past it, senders are asked to try again in a minute. */
  QUORUM_SMS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(3000),
  /** The number residents text, as printed for them, e.g. `07 57 59 12 34`. */
  QUORUM_SMS_NUMBER: z
    .string()
    .trim()
    .max(30)
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** With `android-sms-gateway`: the signing key of its webhooks (the app's Settings → Webhooks → Signing Key; X-Signature, HMAC-SHA256). */
  QUORUM_SMS_GATEWAY_SIGNING_KEY: z
    .string()
    .trim()
    .min(1)
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /**
   * With `android-sms-gateway`: where replies are sent. The phone's local server,
   * `http://192.168.1.20:8080` (replies to `/message`), or the cloud server,
   * `https://api.sms-gate.app/3rdparty/v1` (replies to `/messages`); or the full send address.
   */
  QUORUM_SMS_GATEWAY_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** With `android-sms-gateway`: the API's user and password (Basic authentication). */
  QUORUM_SMS_GATEWAY_USER: z.string().optional(),
  QUORUM_SMS_GATEWAY_PASSWORD: z.string().optional(),
  /** The licence of open data, as an SPDX identifier. */
  QUORUM_OPEN_DATA_LICENCE: z.enum(["CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "ODbL-1.0", "etalab-2.0"]).default("CC-BY-4.0"),
  /**
   * Set by `remix dev` (`npm run dev`) for the server it starts, never by hand: the address of its
   * dev server. With it, the server loads each new build of the app as soon as remix dev has
   * written it and tells remix dev so (server/dev.ts, docs/decisions/040-a-dev-loop-that-reloads.md).
   */
  REMIX_DEV_ORIGIN: z.string().url().optional(),
});

export type Env = Omit<
  z.infer<typeof schema>,
  "QUORUM_COOKIE_SECURE" | "QUORUM_ORIGIN" | "QUORUM_PUBLIC_URL" | "QUORUM_ALLOWED_HOSTS" | "QUORUM_TRUST_PROXY" | "QUORUM_SEED_DEMO"
> & {
  /** Whether a fresh database gets the demo consultation (see the schema above). */
  QUORUM_SEED_DEMO: boolean;
  QUORUM_COOKIE_SECURE: boolean;
  /** The public origin, normalised (`https://example.org`, no trailing slash). */
  QUORUM_ORIGIN: string;
  /** Hosts (`host[:port]`, lower case) a request may name in its Host header. */
  QUORUM_ALLOWED_HOSTS: string[];
  /** Origins (`scheme://host[:port]`) a form may come from: the public origin and the allowed hosts on its scheme. */
  allowedOrigins: string[];
  /** Hop count or address list for proxy-addr; 0 when no proxy is trusted. */
  QUORUM_TRUST_PROXY: number | string[];
};

class ConfigError extends Error {
  constructor(lines: string[]) {
    super(`Quorum: invalid configuration:\n${lines.map((l) => `  ${l}`).join("\n")}`);
  }
}

/** `http(s)://host[:port]` with nothing after it, or a message. */
function parseOrigin(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError([`${name}: not a URL: "${value}" (expected e.g. https://consultations.example.org)`]);
  }
  if (
    (url.protocol !== "http:" && url.protocol !== "https:") ||
    url.username ||
    url.password ||
    url.search ||
    url.hash ||
    (url.pathname !== "/" && url.pathname !== "")
  ) {
    throw new ConfigError([`${name}: only a scheme, a host and a port, e.g. https://consultations.example.org (got "${value}")`]);
  }
  return url;
}

const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(:\d{1,5})?$/;

function parseHosts(value: string): string[] {
  const hosts = value
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const wrong = hosts.filter((h) => !HOST.test(h));
  if (wrong.length) throw new ConfigError([`QUORUM_ALLOWED_HOSTS: not host names: ${wrong.join(", ")}`]);
  return hosts;
}

function parseTrustProxy(value: string): number | string[] {
  const v = value.trim();
  if (v === "" || v === "false" || v === "0") return 0;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  const entries = v
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  const word = /^(loopback|linklocal|uniquelocal)$/;
  const address = /^[0-9a-fA-F:.]+(\/\d{1,3})?$/;
  const wrong = entries.filter((e) => !word.test(e) && !address.test(e));
  if (wrong.length) throw new ConfigError([`QUORUM_TRUST_PROXY: a hop count, or addresses/subnets (10.0.0.0/8, loopback…); not: ${wrong.join(", ")}`]);
  return entries;
}

let cached: Env | undefined;

/** Parses process.env once; a wrong value stops the app at start-up with a clear message. */
export function loadEnv(): Env {
  if (cached) return cached;
  cached = parseEnv(process.env);
  return cached;
}

/** The settings in `source`, checked; a wrong value throws a message naming the variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  const data = parsed.data;
  try {
    new Intl.DateTimeFormat("fr", { timeZone: data.QUORUM_TIMEZONE });
  } catch {
    throw new ConfigError([`QUORUM_TIMEZONE: unknown time zone "${data.QUORUM_TIMEZONE}"`]);
  }
  const { QUORUM_PUBLIC_URL: olderName, ...settings } = data;
  const given = data.QUORUM_ORIGIN || olderName;
  const origin = parseOrigin(data.QUORUM_ORIGIN ? "QUORUM_ORIGIN" : "QUORUM_PUBLIC_URL", given || `http://localhost:${data.PORT}`);
  const hosts = [origin.host, ...parseHosts(data.QUORUM_ALLOWED_HOSTS)];
  // The embedded quick start answers on every loopback name of its port.
  if (!given) hosts.push(`127.0.0.1:${data.PORT}`, `[::1]:${data.PORT}`);
  if (data.QUORUM_COMMUNES === "many" && !data.DATABASE_URL)
    throw new ConfigError(["QUORUM_COMMUNES: `many` needs PostgreSQL (DATABASE_URL); the embedded database serves one commune"]);
  if (data.QUORUM_SMTP_URL && !data.QUORUM_MAIL_FROM) throw new ConfigError(["QUORUM_MAIL_FROM: the sender address is needed with QUORUM_SMTP_URL"]);
  if (data.QUORUM_SMS_PROVIDER === "twilio" && !data.QUORUM_TWILIO_AUTH_TOKEN)
    throw new ConfigError(["QUORUM_TWILIO_AUTH_TOKEN: Twilio's auth token is needed with QUORUM_SMS_PROVIDER=twilio, to check its signatures"]);
  if (data.QUORUM_SMS_PROVIDER === "android-sms-gateway" && !data.QUORUM_SMS_GATEWAY_SIGNING_KEY)
    throw new ConfigError(["QUORUM_SMS_GATEWAY_SIGNING_KEY: the gateway's webhook signing key is needed with QUORUM_SMS_PROVIDER=android-sms-gateway"]);
  if (data.QUORUM_SMS_PROVIDER === "android-sms-gateway" && !data.QUORUM_SMS_GATEWAY_URL)
    throw new ConfigError(["QUORUM_SMS_GATEWAY_URL: the gateway's API address is needed with QUORUM_SMS_PROVIDER=android-sms-gateway, to send the replies"]);
  const secure = data.QUORUM_COOKIE_SECURE;
  const allowedHosts = [...new Set(hosts)];
  return {
    ...settings,
    QUORUM_ORIGIN: origin.origin,
    QUORUM_ALLOWED_HOSTS: allowedHosts,
    allowedOrigins: allowedHosts.map((host) => `${origin.protocol}//${host}`),
    QUORUM_TRUST_PROXY: parseTrustProxy(data.QUORUM_TRUST_PROXY),
    QUORUM_COOKIE_SECURE: secure === undefined ? data.NODE_ENV === "production" : secure === "true" || secure === "1",
    QUORUM_SEED_DEMO: data.QUORUM_SEED_DEMO === undefined ? !data.DATABASE_URL : data.QUORUM_SEED_DEMO === "true" || data.QUORUM_SEED_DEMO === "1",
  };
}

/** The per-client answer limit, as the rate limiter takes it. */
export function submissionLimit() {
  return { limit: loadEnv().QUORUM_SUBMISSIONS_PER_10_MIN, windowSeconds: 600 };
}
