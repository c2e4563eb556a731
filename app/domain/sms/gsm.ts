/**
 * What a text message costs (decision 066). A message in the GSM 03.38 alphabet (GSM-7) carries
 * 160 characters in one segment and 153 a segment once split; a single character outside it
 * makes the whole message UCS-2: 70, then 67. French needs é è à ù (in the alphabet) and also ê
 * â î ô û ç ë ï œ and typographic quotes and spaces (not in it): Quorum writes those in their
 * nearest GSM-7 form before sending, so a French message stays in GSM-7 where it can.
 */

/** The basic GSM 03.38 table: one septet each. */
const BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/** The extension table: two septets each (an escape, then the character). */
const EXTENDED = "^{}\\[~]|€\f";

const basic = new Set(Array.from(BASIC));
const extended = new Set(Array.from(EXTENDED));

/** Characters outside GSM-7 and their nearest GSM-7 writing. */
const NEAREST: Record<string, string> = {
  ê: "e",
  ë: "e",
  â: "a",
  î: "i",
  ï: "i",
  ô: "o",
  û: "u",
  ç: "c",
  œ: "oe",
  Œ: "OE",
  æ: "ae",
  À: "A",
  Â: "A",
  È: "E",
  Ê: "E",
  Ë: "E",
  Î: "I",
  Ï: "I",
  Ô: "O",
  Ù: "U",
  Û: "U",
  Ÿ: "Y",
  ÿ: "y",
  á: "a",
  í: "i",
  ó: "o",
  ú: "u",
  "\u2018": "'",
  "\u2019": "'",
  "\u201c": '"',
  "\u201d": '"',
  "«": '"',
  "»": '"',
  "\u2013": "-",
  "\u2014": "-",
  "\u2026": "...",
  "\u00a0": " ",
  "\u202f": " ",
  "\u2009": " ",
  "\u2011": "-",
  "\t": " ",
};

/** Whether every character of `text` is in GSM-7 (basic or extension table). */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!basic.has(ch) && !extended.has(ch)) return false;
  return true;
}

/** `text` with each character outside GSM-7 that has a near GSM-7 writing replaced by it; the rest kept. */
export function toGsm7(text: string): string {
  let out = "";
  for (const ch of text) out += basic.has(ch) || extended.has(ch) ? ch : (NEAREST[ch] ?? ch);
  // French spacing puts a narrow space before ":" "?" "!": once plain, two spaces would cost one more.
  return out.replace(/ {2,}/g, " ");
}

export interface Segments {
  encoding: "GSM-7" | "UCS-2";
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
}

/** How many segments `text` takes as it is (without the GSM-7 rewriting). */
export function segmentsOf(text: string): Segments {
  if (isGsm7(text)) {
    let units = 0;
    for (const ch of text) units += extended.has(ch) ? 2 : 1;
    return { encoding: "GSM-7", units, segments: units <= 160 ? 1 : Math.ceil(units / 153) };
  }
  const units = text.length;
  return { encoding: "UCS-2", units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}
