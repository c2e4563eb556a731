import { describe, expect, it } from "vitest";
import { formatDate, formatPercent } from "./format";
import { pickLang, tFor } from "./i18n";

describe("choosing a language", () => {
  it("takes the best-ranked of French and English from Accept-Language", () => {
    expect(pickLang("en-US,en;q=0.9,fr;q=0.8")).toBe("en");
    expect(pickLang("de-DE,de;q=0.9,en;q=0.5,fr;q=0.7")).toBe("fr");
    expect(pickLang("fr-CA")).toBe("fr");
    expect(pickLang("en;q=0.2, fr;q=0.9")).toBe("fr");
  });

  it("falls back to French when neither is asked for, or the header is missing or garbled", () => {
    expect(pickLang("de,es;q=0.5")).toBe("fr");
    expect(pickLang(null)).toBe("fr");
    expect(pickLang(";;;q=x,,")).toBe("fr");
    expect(pickLang("en;q=0")).toBe("fr");
  });
});

describe("translations and formats", () => {
  it("translates in the asked language", () => {
    expect(tFor("fr")("nav.switchTo")).toBe("Français");
    expect(tFor("en")("nav.switchTo")).toBe("English");
  });

  it("formats dates and percentages per locale in the municipality's time zone", () => {
    const d = new Date("2026-03-01T23:30:00Z");
    expect(formatDate(d, "fr", "Europe/Paris")).toBe("2 mars 2026");
    expect(formatDate(d, "en", "Europe/Paris")).toBe("2 March 2026");
    expect(formatPercent(0.305, "fr")).toMatch(/^30,5\s%$/);
    expect(formatPercent(0.305, "en")).toBe("30.5%");
  });
});
