/**
 * What an SMS conversation must keep for a while but nobody should read in the database — the
 * household code typed at its start, spent only with the answer — sealed with AES-256-GCM under a
 * key derived from the server's secret (decision 066). A sealed text that does not open reads as null.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

export interface Sealer {
  seal: (text: string) => string;
  unseal: (sealed: string) => string | null;
}

export function sealerFor(secret: string): Sealer {
  const key = createHash("sha256").update(`quorum sms seal:${secret}`).digest();
  return {
    seal(text) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(text, "utf8"), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
    },
    unseal(sealed) {
      try {
        const raw = Buffer.from(sealed, "base64url");
        const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
      } catch {
        return null;
      }
    },
  };
}
