/**
 * The receipt code on the server: the same code as `receiptCodeFor` (the service worker's and the
 * page's, WebCrypto), hashed by Node at once. WebCrypto's digest goes through a promise and a
 * worker thread: on the answer path, at a thousand answers a second, that was a tenth of the
 * process's time.
 */
import { createHash } from "node:crypto";
import { receiptCodeOf, receiptInput } from "./receipt";

export function receiptCode(submissionId: string): string {
  return receiptCodeOf(createHash("sha256").update(receiptInput(submissionId)).digest());
}
