import { describe, expect, it } from "vitest";
import { pageTitle } from "~/i18n/title";

const root = (shortName?: string) => [{ id: "root", data: shortName ? { lang: "fr", timeZone: "Europe/Paris", municipality: { shortName } } : undefined }];

describe("a page's title", () => {
  it("says the page, then the consultation, then the municipality's short name", () => {
    expect(pageTitle(root("Saint-Damien"), "Thèmes", "Capteurs place du marché")).toBe("Thèmes – Capteurs place du marché – Saint-Damien");
    expect(pageTitle(root("Saint-Damien"), "Consultations", undefined, "")).toBe("Consultations – Saint-Damien");
  });
  it("says Quorum only when no settings reached the page", () => {
    expect(pageTitle(root(), "Page introuvable")).toBe("Page introuvable – Quorum");
    expect(pageTitle([], "Page introuvable")).toBe("Page introuvable – Quorum");
  });
});
