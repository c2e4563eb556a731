import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** PostgreSQL connection string. When absent, the embedded PGlite database is used. */
  DATABASE_URL: z.string().url().optional().or(z.literal("").transform(() => undefined)),
  /** Where the embedded database keeps its files. */
  QUORUM_DATA_DIR: z.string().min(1).default(".data/pglite"),
  /** Seed the demo consultation into a fresh database. */
  QUORUM_SEED_DEMO: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((v) => v === "true" || v === "1"),
  /** Secure flag on the staff session cookie; on by default in production. Turn off only for plain-HTTP local testing. */
  QUORUM_COOKIE_SECURE: z.enum(["true", "false", "1", "0"]).optional(),
  /** The municipality's name, printed on participation code cards. */
  QUORUM_MUNICIPALITY: z.string().min(1).default("Commune de Quorum"),
  /** The public address residents type (printed on participation code cards, used in invitation links). */
  QUORUM_PUBLIC_URL: z.string().url().optional(),
  /** Answers one client (one network address, hashed) may send per 10 minutes. */
  QUORUM_SUBMISSIONS_PER_10_MIN: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /** The municipality's time zone, used for every date shown. */
  QUORUM_TIMEZONE: z.string().min(1).default("Europe/Paris"),
});

export type Env = Omit<z.infer<typeof schema>, "QUORUM_COOKIE_SECURE"> & { QUORUM_COOKIE_SECURE: boolean };

let cached: Env | undefined;

/** Parses process.env once; a wrong value stops the app at start-up with a clear message. */
export function loadEnv(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Quorum: invalid configuration:\n${lines.join("\n")}`);
  }
  try {
    new Intl.DateTimeFormat("fr", { timeZone: parsed.data.QUORUM_TIMEZONE });
  } catch {
    throw new Error(`Quorum: invalid configuration:\n  QUORUM_TIMEZONE: unknown time zone "${parsed.data.QUORUM_TIMEZONE}"`);
  }
  const secure = parsed.data.QUORUM_COOKIE_SECURE;
  cached = {
    ...parsed.data,
    QUORUM_COOKIE_SECURE: secure === undefined ? parsed.data.NODE_ENV === "production" : secure === "true" || secure === "1",
  };
  return cached;
}

/** The per-client answer limit, as the rate limiter takes it. */
export function submissionLimit() {
  return { limit: loadEnv().QUORUM_SUBMISSIONS_PER_10_MIN, windowSeconds: 600 };
}
