/**
 * French typography for every string Quorum writes in French (pages, emails, letters, printouts):
 * a no-break space before `:` and inside « », a narrow no-break space before `;`, `!` and `?`,
 * where the text has a plain space or none, and a narrow one between a number and `%` ("100 %",
 * as Intl writes a French percentage). Times (07:56), addresses (https://…, ?edit=1) and
 * numbers are left alone: a sign is spaced only when a word, a closing quote or bracket comes
 * before it and a space or the end comes after it.
 */
const NBSP = "\u00a0";
const NNBSP = "\u202f";

export function frenchSpacing(text: string): string {
  return text
    .replace(/[ \u00a0\u202f]*([;!?])(?=[\s"”’)]|$)/gu, (match, sign: string, at: number) => (at === 0 ? match : `${NNBSP}${sign}`))
    .replace(/(?<=[\p{L}\p{N}»)\].'’”%*])[ \u00a0\u202f]*:(?=\s|$)/gu, `${NBSP}:`)
    .replace(/«[ \u00a0\u202f]*/gu, `«${NBSP}`)
    .replace(/[ \u00a0\u202f]*»/gu, `${NBSP}»`)
    .replace(/(?<=\d)[ \u00a0]?%(?=[\s.,;:!?)»]|$)/gu, `${NNBSP}%`);
}
