/**
 * Reading PostgreSQL's errors, once for every caller. Drivers and drizzle wrap them
 * differently (postgres.js puts `code` and `constraint_name` on the error, PGlite
 * `code` and `constraint`, drizzle wraps either in a `cause`): these walk the chain.
 * Nothing here imports from app/.
 */

/** SQLSTATE of a unique violation. */
export const UNIQUE_VIOLATION = "23505";

export interface PgErrorInfo {
  /** SQLSTATE (five characters), when a database error is in the chain. */
  code?: string;
  /** The constraint or unique index the error names, when it names one. */
  constraint?: string;
}

/** The first PostgreSQL error in an error's causes: its SQLSTATE and constraint name. */
export function pgError(error: unknown): PgErrorInfo {
  let e: unknown = error;
  for (let depth = 0; e && depth < 6; depth++) {
    const candidate = e as { code?: unknown; constraint_name?: unknown; constraint?: unknown; cause?: unknown };
    if (typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      const constraint = candidate.constraint_name ?? candidate.constraint;
      return { code: candidate.code, constraint: typeof constraint === "string" ? constraint : undefined };
    }
    e = candidate.cause;
  }
  return {};
}

/**
 * Whether an error is a unique violation — of `constraint` when one is named
 * (a unique index's name, e.g. `consultations_slug_key`).
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const info = pgError(error);
  return info.code === UNIQUE_VIOLATION && (constraint === undefined || info.constraint === constraint);
}

const UNAVAILABLE_CODES = new Set([
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "08000",
  "08001",
  "08003",
  "08006",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "CIRCUIT_OPEN", // Statements refusing at once while the database is known to be unreachable
]);

/** Whether an error means "the database cannot be reached right now" (restart, network), not "the query was wrong". */
export function isDatabaseUnavailable(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e && depth < 6; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
