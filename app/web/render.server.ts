/**
 * React's HTML, rendered whole, as the bytes a browser gets.
 *
 * React 18.3.1's stream writer encodes text into 2,048-byte views; when a
 * multi-byte character does not fit at the end of a view it sends the whole
 * view anyway, with the unused bytes left at zero (react/react#31134). Pages
 * then hold NUL bytes at those boundaries, inside words like "marché". A NUL
 * byte never belongs to UTF-8 text (it is not part of any multi-byte sequence)
 * and Quorum drops NUL from every input, so the bytes React never meant to
 * send are removed here, on their way out.
 */
import { Transform, type TransformCallback } from "node:stream";

/** A stream that passes everything but 0x00 bytes. */
export function withoutNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      if (chunk.indexOf(0) === -1) return done(null, chunk);
      const out = Buffer.allocUnsafe(chunk.length);
      let n = 0;
      for (const byte of chunk) if (byte !== 0) out[n++] = byte;
      done(null, out.subarray(0, n));
    },
  });
}
