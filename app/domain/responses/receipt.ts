/**
 * Receipt codes. A receipt follows from the submission id alone, so the
 * service worker can show it to a resident before the server has seen the
 * answer; the server derives the same code. Pure: WebCrypto only, no Node APIs.
 */

/** 31 symbols: digits and capitals without the look-alikes 0/O and 1/I/L. */
export const RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const RECEIPT_LENGTH = 8;

/** What is hashed for a submission's receipt (SHA-256). */
export function receiptInput(submissionId: string): string {
  return `quorum-receipt:${submissionId.toLowerCase()}`;
}

export async function receiptCodeFor(submissionId: string): Promise<string> {
  return receiptCodeOf(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(receiptInput(submissionId)))));
}

/** The receipt code a digest of `receiptInput` gives (the server hashes without a promise: receipt.server.ts). */
export function receiptCodeOf(digest: Uint8Array): string {
  // The first 64 bits, big-endian, written in base 31 from the least significant digit.
  // Long division on bytes rather than BigInt, which older phones lack.
  const n = Array.from(digest.slice(0, 8));
  const base = RECEIPT_ALPHABET.length;
  let code = "";
  for (let i = 0; i < RECEIPT_LENGTH; i++) {
    let remainder = 0;
    for (let j = 0; j < n.length; j++) {
      const current = remainder * 256 + n[j];
      n[j] = Math.floor(current / base);
      remainder = current % base;
    }
    code += RECEIPT_ALPHABET[remainder];
  }
  return code;
}

/** K7M39QXF → K7M3-9QXF, for reading aloud and writing down. */
export function formatReceipt(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** Accepts what a person types ("k7m3 9qxf", "K7M3-9QXF"); null when it cannot be a receipt. */
export function normaliseReceipt(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s\-–.]/g, "");
  if (compact.length !== RECEIPT_LENGTH) return null;
  for (const ch of compact) if (!RECEIPT_ALPHABET.includes(ch)) return null;
  return compact;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function isSubmissionId(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}
