/**
 * A gzip body with a hole in it. A cached page is the same bytes for everyone
 * but one: the form's submission id. The parts before and after it are
 * compressed once, when the page is rendered; each response then only adds the
 * id as a stored (uncompressed) deflate block between them, and the gzip
 * trailer (CRC-32 and length). Valid gzip (RFC 1951/1952), checked by a
 * strict decoder in the tests and by a real browser in the end-to-end tests.
 *
 * The head is flushed with Z_FULL_FLUSH, which ends it on a byte boundary and
 * resets the dictionary, and the tail is compressed on its own, so the tail
 * never refers back into the head or the id.
 */
import { constants, crc32, deflateRawSync, gzipSync } from "node:zlib";

/** CRC-32 continued over `bytes`; an empty buffer leaves it as it is (Node 20's crc32 can answer 0 for one). */
function crcOver(bytes: Buffer, value: number): number {
  return bytes.length === 0 ? value : crc32(bytes, value);
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);

export interface SlottedGzip {
  head: Buffer;
  tail: Buffer;
  headCrc: number;
  prefix: Buffer;
  suffix: Buffer;
}

export function compressAroundSlot(prefix: Buffer, suffix: Buffer): SlottedGzip {
  return {
    head: deflateRawSync(prefix, { level: 9, finishFlush: constants.Z_FULL_FLUSH }),
    tail: deflateRawSync(suffix, { level: 9 }),
    headCrc: crcOver(prefix, 0),
    prefix,
    suffix,
  };
}

/** A non-final stored block holding `bytes` (at most 65,535), byte-aligned as the head leaves it. */
function storedBlock(bytes: Buffer): Buffer {
  const block = Buffer.alloc(5 + bytes.length);
  block[0] = 0x00; // BFINAL 0, BTYPE 00 (stored), then padding to the byte
  block.writeUInt16LE(bytes.length, 1);
  block.writeUInt16LE(~bytes.length & 0xffff, 3);
  bytes.copy(block, 5);
  return block;
}

/** The gzip body of prefix + fill + suffix, as buffers to write in order. */
export function gzipWithFill(parts: SlottedGzip, fill: Buffer): Buffer[] {
  const crc = crcOver(parts.suffix, crcOver(fill, parts.headCrc));
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE((parts.prefix.length + fill.length + parts.suffix.length) >>> 0, 4);
  return [GZIP_HEADER, parts.head, storedBlock(fill), parts.tail, trailer];
}

/** A page with no hole: compressed once, whole. */
export function gzipWhole(body: Buffer): Buffer {
  return gzipSync(body, { level: 9 });
}
