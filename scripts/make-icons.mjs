/**
 * Writes the app icons the web app manifest names (public/icons/*.png): a white "Q" ring on
 * Quorum's blue, drawn pixel by pixel and encoded as PNG with node:zlib — no image library.
 * The maskable icon keeps the ring inside the central 80 % circle every platform mask leaves.
 * Run `node scripts/make-icons.mjs` after changing the drawing; the PNGs are committed.
 */
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const BLUE = [0x0b, 0x4f, 0x8a];
const WHITE = [0xff, 0xff, 0xff];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** `scale`: the ring's outer radius as a share of half the icon. */
function icon(size, scale) {
  const rows = [];
  const c = size / 2;
  const outer = c * scale;
  const inner = outer * 0.62;
  for (let y = 0; y < size; y++) {
    const row = [0]; // filter: none
    for (let x = 0; x < size; x++) {
      const dx = x + 0.5 - c;
      const dy = y + 0.5 - c;
      const r = Math.hypot(dx, dy);
      const ring = r <= outer && r >= inner;
      // The tail of the Q: a bar from the ring's lower right outwards.
      const t = (dx + dy) / Math.SQRT2;
      const n = (dx - dy) / Math.SQRT2;
      const tail = t > inner * 0.9 && t < outer * 1.25 && Math.abs(n) < outer * 0.13;
      row.push(...(ring || tail ? WHITE : BLUE));
    }
    rows.push(Buffer.from(row));
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

writeFileSync("public/icons/icon-192.png", icon(192, 0.7));
writeFileSync("public/icons/icon-512.png", icon(512, 0.7));
writeFileSync("public/icons/maskable-512.png", icon(512, 0.5));
