/**
 * What an uploaded logo is, read from its bytes (never from its name or the type the browser
 * claims): PNG, JPEG or WebP, with the size it declares. Anything else, SVG included, is refused.
 */
export const LOGO_MAX_BYTES = 20 * 1024;

export type LogoType = "image/png" | "image/jpeg" | "image/webp";
export interface LogoImage {
  contentType: LogoType;
  width: number;
  height: number;
}
/** Why a logo is not taken: an empty file, over LOGO_MAX_BYTES, or not a PNG, WebP or JPEG image of sensible size. */
export type LogoRefusal = "logo_empty" | "logo_too_large" | "logo_not_image";

export type LogoCheck = { ok: true; image: LogoImage } | { ok: false; reason: LogoRefusal };

export const LOGO_EXTENSIONS: Record<LogoType, string> = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp" };

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function png(b: Uint8Array): LogoImage | null {
  if (b.length < 24 || PNG.some((v, i) => b[i] !== v)) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (String.fromCharCode(...b.subarray(12, 16)) !== "IHDR") return null;
  return { contentType: "image/png", width: view.getUint32(16), height: view.getUint32(20) };
}

function jpeg(b: Uint8Array): LogoImage | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8 || b[2] !== 0xff) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1];
    if (marker === 0xff) {
      i += 1;
      continue;
    }
    const length = view.getUint16(i + 2);
    // Start of frame (baseline, progressive…), not DHT (c4), JPG (c8) or DAC (cc).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { contentType: "image/jpeg", height: view.getUint16(i + 5), width: view.getUint16(i + 7) };
    i += 2 + length;
  }
  return null;
}

function webp(b: Uint8Array): LogoImage | null {
  if (b.length < 30) return null;
  const text = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (text(0, 4) !== "RIFF" || text(8, 12) !== "WEBP") return null;
  const chunk = text(12, 16);
  const u24 = (at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
  if (chunk === "VP8X") return { contentType: "image/webp", width: u24(24) + 1, height: u24(27) + 1 };
  if (chunk === "VP8 " && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a)
    return { contentType: "image/webp", width: (b[26] | (b[27] << 8)) & 0x3fff, height: (b[28] | (b[29] << 8)) & 0x3fff };
  if (chunk === "VP8L" && b[20] === 0x2f) {
    const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
    return { contentType: "image/webp", width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  return null;
}

export function checkLogo(bytes: Uint8Array): LogoCheck {
  if (bytes.length === 0) return { ok: false, reason: "logo_empty" };
  if (bytes.length > LOGO_MAX_BYTES) return { ok: false, reason: "logo_too_large" };
  const image = png(bytes) ?? jpeg(bytes) ?? webp(bytes);
  if (!image || image.width < 1 || image.height < 1 || image.width > 4096 || image.height > 4096) return { ok: false, reason: "logo_not_image" };
  return { ok: true, image };
}
