/**
 * A consultation's short address, `/{lang}/c/{short}`, printed on letters and in their QR code:
 * six symbols that read aloud and type without look-alikes, derived from the consultation's id
 * (stable, nothing stored), e.g. `/fr/c/K7M3QX`.
 */
import { createHash } from "node:crypto";
import { ne } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { consultations } from "#db/schema";
import { RECEIPT_ALPHABET } from "../responses/receipt";

export const SHORT_LENGTH = 6;

export function shortCodeFor(consultationId: string): string {
  const digest = createHash("sha256").update(`quorum-short:${consultationId.toLowerCase()}`).digest();
  let code = "";
  for (let i = 0; i < SHORT_LENGTH; i++) code += RECEIPT_ALPHABET[digest[i] % RECEIPT_ALPHABET.length];
  return code;
}

/** The slug of the public consultation a short code names (any case), or null. */
export async function slugForShortCode(db: DbOrTx, short: string): Promise<string | null> {
  const wanted = short.toUpperCase();
  if (wanted.length !== SHORT_LENGTH) return null;
  const rows = await db.select({ id: consultations.id, slug: consultations.slug }).from(consultations).where(ne(consultations.status, "draft"));
  return rows.find((r) => shortCodeFor(r.id) === wanted)?.slug ?? null;
}
