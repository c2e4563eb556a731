import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Paragraphs } from "./Paragraphs";

describe("plain text with paragraphs and links", () => {
  it("keeps paragraphs and line breaks, and links web addresses", () => {
    const html = renderToStaticMarkup(<Paragraphs text={"Voir https://ville.example/capteurs.\nMerci.\n\nFin"} />);
    expect(html).toBe(
      '<p><span>Voir <a href="https://ville.example/capteurs" rel="nofollow noopener noreferrer">https://ville.example/capteurs</a>.</span><span><br/>Merci.</span></p><p><span>Fin</span></p>',
    );
  });

  it("never lets markup or script through", () => {
    const html = renderToStaticMarkup(<Paragraphs text={'<script>alert(1)</script> javascript:alert(1) <a href="x">x</a>'} />);
    expect(html).not.toContain("<script>");
    expect(html).not.toContain('<a href="x">');
    expect(html).not.toContain('href="javascript');
  });
});
