import { describe, expect, it } from "vitest";
import { cssString, printStylesheet } from "./print";

describe("the summary's print stylesheet", () => {
  it("keeps any title inside its CSS string", () => {
    expect(cssString('Ville "A" \\ B\n</style>{}')).toBe('"Ville \\"A\\" \\\\ B \\3C /style>{}"');
    expect(cssString("a\u0000b\u001fc")).toBe('"abc"');
  });

  it("puts the running header and the translated page numbers in the page margins", () => {
    const css = printStylesheet({ running: "Commune — Titre", asOf: "Chiffres au 28 novembre 2026", pageOf: "Page {page} sur {pages}" });
    expect(css).toContain('@top-left { content: "Commune — Titre";');
    expect(css).toContain('@top-right { content: "Chiffres au 28 novembre 2026";');
    expect(css).toContain('@bottom-right { content: "Page " counter(page) " sur " counter(pages);');
  });
});
