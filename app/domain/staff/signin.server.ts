/**
 * Signing in, with limits a stranger cannot turn against a real staff member.
 *
 * A plain "five wrong passwords lock the account" lets anyone lock anyone out. Instead,
 * failures are counted three ways (15-minute windows, shared by every app process):
 *
 * - per account *and* client: one client guessing one account is stopped after a few
 *   tries; the account's owner, elsewhere, is not;
 * - per client: one client trying many accounts is stopped (the per-client cap);
 * - per account, every client together: a high cap against guessing from many
 *   addresses. Past it, a client may still try a couple of times if it has not been
 *   failing on this account itself, so the owner signs in while the account is attacked.
 *
 * Attempts are counted before the password is checked (parallel guesses cannot slip
 * between check and count); a right password takes its attempt back.
 * Client keys are salted hashes of the address the server saw; nothing here stores an address.
 */
import type { DbOrTx } from "#db/client";
import { accountKey, clear, clientKey, hit, pairKey, refund, type HitResult } from "../ratelimit/ratelimit.server";
import { authenticate, type StaffRow } from "./accounts.server";

const WINDOW = 15 * 60;

export const SIGN_IN_LIMITS = {
  /** Failures of one client on one account. */
  pair: { limit: 5, windowSeconds: WINDOW },
  /** Failures of one client over every account. */
  client: { limit: 50, windowSeconds: WINDOW },
  /** Failures on one account from every client; past it, see `triesWhileAttacked`. */
  account: { limit: 100, windowSeconds: WINDOW },
  /** Attempts a client still has on an account past its cap: enough for the owner and one typo. */
  triesWhileAttacked: 2,
} as const;

/** Why nobody is signed in: wrong email or password (or an inactive account), or too many failures (decision 015). */
export type SignInRefusal = "invalid" | "limited";

export type SignInResult =
  { ok: true; user: StaffRow } | { ok: false; reason: Exclude<SignInRefusal, "limited"> } | { ok: false; reason: "limited"; retryAfterSeconds: number };

export interface SignInInput {
  email: string;
  password: string;
  /** The client's network address, as the server saw it; used only hashed. */
  clientAddress: string | undefined;
}

export async function signIn(db: DbOrTx, input: SignInInput, now = new Date()): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const keys = {
    pair: await pairKey(db, "signin", email, input.clientAddress),
    client: await clientKey(db, "signin", input.clientAddress),
    account: accountKey("signin", email),
  };
  const pair = await hit(db, keys.pair, SIGN_IN_LIMITS.pair, now);
  const client = await hit(db, keys.client, SIGN_IN_LIMITS.client, now);
  if (!pair.allowed || !client.allowed) return limited(pair, client);
  const account = await hit(db, keys.account, SIGN_IN_LIMITS.account, now);
  if (!account.allowed && pair.count > SIGN_IN_LIMITS.triesWhileAttacked) return limited(account);

  const user = await authenticate(db, email, input.password);
  if (!user) return { ok: false, reason: "invalid" };
  // A right password is not a failure: this client starts afresh on this account.
  await clear(db, keys.pair);
  await refund(db, keys.client);
  await refund(db, keys.account);
  return { ok: true, user };
}

function limited(...results: HitResult[]): SignInResult {
  const waits = results.filter((r) => !r.allowed).map((r) => r.retryAfterSeconds);
  return { ok: false, reason: "limited", retryAfterSeconds: Math.max(1, ...waits) };
}
