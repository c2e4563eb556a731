/**
 * A phone number is never kept: only a keyed hash of it (HMAC-SHA-256 with the commune's server
 * secret), which names the conversation and, where a consultation asks for it, the phone that
 * answered. Without the secret the hash says nothing; with another commune's secret it differs.
 */
import { createHmac } from "node:crypto";

/** The number as the provider gives it, without spaces, dots or dashes (`+33 6 12…` and `+33612…` are one phone). */
export function normalisePhone(from: string): string {
  return from.replace(/[\s().-]/g, "").toLowerCase();
}

export function phoneHashOf(secret: string, from: string): string {
  return createHmac("sha256", secret)
    .update(`quorum sms phone:${normalisePhone(from)}`)
    .digest("base64url")
    .slice(0, 43);
}
