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

/**
 * A stream that puts `prefix` at the start of the page's <title> (the first one, in <head>), and
 * passes everything else as it is. For a staff form refused: "Erreur : Paramètres – …" (RGAA 8.6).
 * Route titles come from their `meta`, which never sees what an action answered; the status of
 * the response does, so the prefix is added here, for every staff form at once.
 */
export function withTitlePrefix(prefix: string): Transform {
  const OPEN = Buffer.from("<title>");
  const HEAD_END = Buffer.from("</head>");
  // Held back from the last chunk: what could still be the start of "<title>" or "</head>".
  const keep = HEAD_END.length - 1;
  let pending: Buffer | null = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      if (pending === null) return done(null, chunk);
      const seen: Buffer = Buffer.concat([pending, chunk]);
      const at = seen.indexOf(OPEN);
      const headEnd = seen.indexOf(HEAD_END);
      // Only the head's title: past "</head>" (an SVG's <title> in the body), nothing changes.
      if (headEnd !== -1 && (at === -1 || headEnd < at)) {
        pending = null;
        return done(null, seen);
      }
      if (at !== -1) {
        pending = null;
        const cut = at + OPEN.length;
        return done(null, Buffer.concat([seen.subarray(0, cut), Buffer.from(escapeText(prefix)), seen.subarray(cut)]));
      }
      pending = seen.subarray(Math.max(0, seen.length - keep));
      done(null, seen.subarray(0, Math.max(0, seen.length - keep)));
    },
    flush(done: TransformCallback) {
      done(null, pending ?? undefined);
    },
  });
}

const escapeText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
