/**
 * Words, stems and keyword matches for theme suggestions (decision 030). Pure: the
 * Snowball stemmers for French and English (`@orama/stemmers`), applied to every word in
 * both languages, so a keyword matches whatever language the answer was written in.
 *
 * - Plurals and other endings: the Snowball stem ("capteurs" and "capteur" → "capteur").
 * - Accents: a word's stems are its stem with the accents taken off, and the stem of the
 *   word written without accents; two words match when they share one ("caméras",
 *   "camera"; "privée", "privee").
 * - Elision: words are runs of letters and digits, so "l'air" and "l’air" are "l" and
 *   "air"; one-letter words are left out of matching.
 */
import { stemmer as english } from "@orama/stemmers/english";
import { stemmer as french } from "@orama/stemmers/french";

export type StemLang = "fr" | "en";

const STEMMERS: Record<StemLang, (w: string) => string> = { fr: french, en: english };

export interface Word {
  text: string;
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}]+/gu;

export const unaccent = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "");

/** The words of a text with their places in it (one-letter words, such as an elided "l", left out). */
export function wordsOf(text: string): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(WORD)) if (m[0].length > 1) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

const caches: Record<StemLang, Map<string, string[]>> = { fr: new Map(), en: new Map() };

/** A word's stems in one language: the stem unaccented, and the stem of the unaccented word. */
export function stemsOf(word: string, lang: StemLang): string[] {
  const lower = word.toLocaleLowerCase(lang);
  const cache = caches[lang];
  const known = cache.get(lower);
  if (known) return known;
  const stem = STEMMERS[lang];
  const a = unaccent(stem(lower));
  const b = stem(unaccent(lower));
  const stems = a === b ? [a] : [a, b];
  if (cache.size > 200_000) cache.clear();
  cache.set(lower, stems);
  return stems;
}

/** A keyword prepared for matching: each of its words as a set of stems in the keyword's language. */
export interface PreparedKeyword {
  keyword: string;
  lang: StemLang;
  words: Set<string>[];
}

export function prepareKeyword(keyword: string, lang: StemLang): PreparedKeyword | null {
  const words = wordsOf(keyword).map((w) => new Set(stemsOf(w.text, lang)));
  return words.length ? { keyword, lang, words } : null;
}

/** A text's words and their stems in both languages, worked out once. */
export interface AnalysedText {
  text: string;
  words: Word[];
  stems: Record<StemLang, string[][]>;
}

export function analyse(text: string): AnalysedText {
  const words = wordsOf(text);
  return { text, words, stems: { fr: words.map((w) => stemsOf(w.text, "fr")), en: words.map((w) => stemsOf(w.text, "en")) } };
}

/**
 * Whether a keyword matches a text (each of its words matches a word of the text),
 * and if so the indices of the text's words that matched.
 */
export function matchKeyword(t: AnalysedText, k: PreparedKeyword): number[] | null {
  const hits: number[] = [];
  const stems = t.stems[k.lang];
  for (const want of k.words) {
    let found = false;
    stems.forEach((s, i) => {
      if (s.some((x) => want.has(x))) {
        hits.push(i);
        found = true;
      }
    });
    if (!found) return null;
  }
  return [...new Set(hits)].sort((a, b) => a - b);
}

/** A text cut into plain and highlighted pieces (the matched words). */
export type Segment = { text: string; hit: boolean };

export function highlight(t: AnalysedText, wordIndices: Iterable<number>): Segment[] {
  const hit = new Set(wordIndices);
  const out: Segment[] = [];
  let at = 0;
  t.words.forEach((w, i) => {
    if (!hit.has(i)) return;
    if (w.start > at) out.push({ text: t.text.slice(at, w.start), hit: false });
    out.push({ text: t.text.slice(w.start, w.end), hit: true });
    at = w.end;
  });
  if (at < t.text.length) out.push({ text: t.text.slice(at), hit: false });
  return out;
}

/** Near-duplicates share this key: the same set of stems (of the words unaccented), whatever the order, case, accents or punctuation. */
export function duplicateKey(t: AnalysedText): string {
  const last = (s: string[]) => s[s.length - 1];
  return [...new Set(t.stems.fr.map((s, i) => `${last(s)}/${last(t.stems.en[i])}`))].sort().join(" ");
}

/** Keywords as typed in a form (one per line or separated by commas), cleaned and without repeats. */
export function parseKeywords(input: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of input.split(/[,;\n\r]+/)) {
    const k = raw.trim().replace(/\s+/g, " ");
    const key = k.toLocaleLowerCase();
    if (k && !seen.has(key)) {
      seen.add(key);
      out.push(k);
    }
  }
  return out;
}
