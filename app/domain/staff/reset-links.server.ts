/**
 * Who a password reset link is good for, in one place. A link is asked for an address, not an
 * account: "forgot your password" does the same work whether or not a staff account has the
 * address (docs/decisions/045). The account is looked up by the outbox when the message goes,
 * and again when the link is opened and used; each time it must be an active account with that
 * address that already existed when the link was asked.
 */
import { and, eq, isNull, lte, notExists, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { passwordResets, users } from "#db/schema";

/**
 * The condition on `users` for the account of a link asked for `email` at `askedAt` (both
 * columns, so that times are compared by PostgreSQL, to the microsecond).
 */
export function accountForReset(email: AnyColumn, askedAt: AnyColumn): SQL {
  return and(eq(users.email, email), eq(users.active, true), lte(users.createdAt, askedAt))!;
}

/** Deletes the unused links of an address that no account can use: all of them, for an address with no account. */
export async function forgetUnusableResets(db: DbOrTx, email: string): Promise<void> {
  await db.delete(passwordResets).where(
    and(
      eq(passwordResets.email, email),
      isNull(passwordResets.usedAt),
      notExists(
        db
          .select({ one: sql`1` })
          .from(users)
          .where(accountForReset(passwordResets.email, passwordResets.createdAt)),
      ),
    ),
  );
}
