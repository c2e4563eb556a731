import { describe, expect, it } from "vitest";
import { compose } from "../mail/messages";
import { municipalityWords, ofFr, phraseFor } from "./in-sentence";
import { defaultMunicipality, type Municipality } from "./settings.server";

describe("the municipality's name inside a sentence", () => {
  it("makes a phrase with its article from a name, never the name as a title", () => {
    expect(phraseFor("fr", "Municipalité de Saint-Damien")).toBe("la municipalité de Saint-Damien");
    expect(phraseFor("fr", "Saint-Damien")).toBe("la commune de Saint-Damien");
    expect(phraseFor("fr", "Orléans")).toBe("la commune d’Orléans");
    expect(phraseFor("fr", "Village de Sainte-Anne")).toBe("le village de Sainte-Anne");
    expect(phraseFor("en", "Municipality of Saint-Damien")).toBe("the Municipality of Saint-Damien");
    expect(phraseFor("en", "Saint-Damien")).toBe("the Municipality of Saint-Damien");
    expect(phraseFor("en", "Saint-Damien Township")).toBe("the Saint-Damien Township");
  });

  it("puts French « de » before it as French does: du, de la, de l’, d’", () => {
    expect(ofFr("la commune de Saint-Damien")).toBe("de la commune de Saint-Damien");
    expect(ofFr("le village de Sainte-Anne")).toBe("du village de Sainte-Anne");
    expect(ofFr("les Hauts-de-Bois")).toBe("des Hauts-de-Bois");
    expect(ofFr("l’agglomération du Lac")).toBe("de l’agglomération du Lac");
    expect(ofFr("Orléans")).toBe("d’Orléans");
    expect(municipalityWords("fr", "la commune de Saint-Damien").TheMunicipality).toBe("La commune de Saint-Damien");
    expect(municipalityWords("en", "the Municipality of Saint-Damien").ofMunicipality).toBe("of the Municipality of Saint-Damien");
  });

  it("reads well in the invitation and the decision emails, one language each", () => {
    const m: Municipality = {
      ...defaultMunicipality({ municipality: "x", contact: null, licence: "CC-BY-4.0", timeZone: "Europe/Paris" }),
      name: { fr: "Municipalité de Saint-Damien", en: "Municipality of Saint-Damien" },
      inSentence: { fr: "la commune de Saint-Damien", en: "the Municipality of Saint-Damien" },
    };
    const mail = (kind: "staff.invite" | "notify.outcome", lang: "fr" | "en") =>
      compose({ kind, to: "a@example.org", lang, municipality: m, link: "https://example.org/x", params: { role: "élu·e", days: 7, title: "Capteurs" } });
    expect(mail("staff.invite", "fr").text).toContain("l’outil de consultation de la commune de Saint-Damien, avec");
    expect(mail("staff.invite", "en").text).toContain("the consultation tool of the Municipality of Saint-Damien, as");
    expect(mail("notify.outcome", "fr").text).toContain("La commune de Saint-Damien a publié ce qui a été entendu");
    expect(mail("notify.outcome", "en").text).toContain("The Municipality of Saint-Damien has published what it heard");
    for (const lang of ["fr", "en"] as const)
      for (const kind of ["staff.invite", "notify.outcome"] as const) {
        const { text } = mail(kind, lang);
        const body = text.split("\n-- \n")[0];
        expect(body).not.toMatch(/de Municipalité|of Municipality of|Municipality of Saint-Damien \//);
        expect(body).not.toContain(lang === "fr" ? "Municipality" : "commune");
      }
  });
});
