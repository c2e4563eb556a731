/**
 * The summary's print stylesheet: a running header (municipality, consultation,
 * "figures as of") and "page X of Y" in the page margins (CSS `@page` margin
 * boxes). Made per request because the Content-Security-Policy allows no inline
 * style, and margin boxes can only take their text from a stylesheet.
 */

/** A CSS string literal: quotes, backslashes and line breaks escaped; control characters dropped. */
export function cssString(text: string): string {
  const safe = text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "")
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\r\n?|\n/g, " ")
    .replace(/</g, "\\3C ");
  return `"${safe}"`;
}

/**
 * `pageOf` is the translated sentence with `{page}` and `{pages}` where the
 * numbers go, e.g. "Page {page} of {pages}".
 */
export function printStylesheet(input: { running: string; asOf: string; pageOf: string }): string {
  const parts = input.pageOf.split(/(\{page\}|\{pages\})/).filter((p) => p !== "");
  const pageContent = parts.map((p) => (p === "{page}" ? "counter(page)" : p === "{pages}" ? "counter(pages)" : cssString(p))).join(" ");
  const box = `font-family: system-ui, sans-serif; font-size: 8.5pt; color: #333;`;
  return `@media print {
  @page {
    size: A4;
    margin: 20mm 14mm 18mm;
    @top-left { content: ${cssString(input.running)}; ${box} vertical-align: bottom; padding-bottom: 3mm; }
    @top-right { content: ${cssString(input.asOf)}; ${box} vertical-align: bottom; padding-bottom: 3mm; }
    @bottom-right { content: ${pageContent}; ${box} vertical-align: top; padding-top: 3mm; }
  }
}
`;
}
