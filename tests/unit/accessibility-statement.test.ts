/**
 * The accessibility statement as Remix renders it: its loader run with the page's params, its
 * page rendered under the root's data (the municipality's settings) in a router, as on the
 * server. Both languages show the status, the conformance rate and its counts, the result of
 * every criterion, the gaps and every page of the sample with its address; no key is left raw.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { conformance, CRITERIA, SAMPLE } from "~/domain/accessibility/audit";
import type { PageMunicipality, RootData } from "~/i18n/hooks";
import * as route from "~/routes/resident/accessibility";

const MUNICIPALITY: PageMunicipality = {
  name: "Ville de Saint-Damien",
  shortName: "Saint-Damien",
  contactLink: "accessibilite@saint-damien.example",
  contact: { email: "accessibilite@saint-damien.example", phone: "+33 1 23 45 67 89", address: "1 place de la Mairie, 12345 Saint-Damien", web: "" },
  privacyOfficer: { name: "", email: "", address: "" },
  footerLinks: [],
  logo: null,
};

/** The statement's HTML at `/{lang}/accessibility`, rendered as the server renders it. */
async function render(lang: "fr" | "en", municipality: PageMunicipality = MUNICIPALITY): Promise<string> {
  const root: RootData = { lang, timeZone: "Europe/Paris", municipality, inlineCss: null };
  const routes = [
    {
      id: "root",
      path: "/",
      loader: () => root,
      children: [{ id: "accessibility", path: ":lang/accessibility", loader: route.loader as never, Component: route.default }],
    },
  ];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(`http://quorum.invalid/${lang}/accessibility`));
  if (context instanceof Response) throw new Error(`the loader answered ${context.status}`);
  return renderToStaticMarkup(createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false }));
}

/** The page's text, tags and entities out, spaces as one. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

describe("the accessibility statement", () => {
  // Recounted here from the criteria, so a rate typed into a locale or the page would not pass.
  const met = CRITERIA.filter((c) => c.result === "conformant").length;
  const applicable = CRITERIA.filter((c) => c.result !== "notApplicable").length;
  const percent = (lang: "fr" | "en") =>
    text(new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB", { style: "percent", maximumFractionDigits: 1 }).format(met / applicable));

  it("says the rate, how many criteria it counts and the status it gives, in French", async () => {
    const page = text(await render("fr"));
    expect(page).toContain(`${percent("fr")} des critères du RGAA 4.1 qui s’appliquent sont respectés : ${met} sur ${applicable}.`);
    expect(page).toContain(`${CRITERIA.length - applicable} des ${CRITERIA.length} critères ne s’appliquent pas`);
    expect(page).toContain("Quorum est partiellement conforme au RGAA 4.1");
    expect(page).toContain("Cette déclaration a été établie le 28 novembre 2026. Elle a été mise à jour le 6 décembre 2026");
  });

  it("says the rate, how many criteria it counts and the status it gives, in English", async () => {
    const page = text(await render("en"));
    expect(page).toContain(`${percent("en")} of the RGAA 4.1 criteria that apply are met: ${met} of ${applicable}.`);
    expect(page).toContain(`${CRITERIA.length - applicable} of the ${CRITERIA.length} criteria do not apply`);
    expect(page).toContain("Quorum is partially conformant with RGAA 4.1");
    expect(page).toContain("This statement was first made on 28 November 2026. It was updated on 6 December 2026");
    expect(conformance().rate).toBeGreaterThanOrEqual(50);
  });

  it.each(["fr", "en"] as const)("in %s, lists every page of the sample with its address, and every criterion's result", async (lang) => {
    const html = await render(lang);
    for (const page of SAMPLE) expect(html).toContain(`<code>${page.address(lang)}</code>`);
    expect(html).toContain(`<code>/${lang}/staff/consultations/capteurs-place-du-marche/moderation</code>`);
    // Every criterion appears once in the table of results.
    const table = html.slice(html.indexOf("<table>"), html.indexOf("</table>"));
    const cells = [...table.matchAll(/<td>([^<]*)<\/td>/g)].flatMap((m) => m[1].split(", ")).filter((id) => /^\d+\.\d+$/.test(id));
    expect(cells.sort()).toEqual(CRITERIA.map((c) => c.id).sort());
    expect(html).not.toMatch(/accessibility\.|\{\{/);
  });

  it("names the gaps with their criteria, the tools, and how to reach the municipality", async () => {
    const fr = text(await render("fr"));
    expect(fr).toContain("Dans l’espace des agents, le menu est dans la zone de contenu principal.");
    expect(fr).toContain("Critères 9.2 et 12.7.");
    expect(fr).toContain("Aucune vérification n’a été faite avec un lecteur d’écran");
    expect(fr).toContain("axe-core 4.13.0");
    expect(fr).toContain("Écrivez à : accessibilite@saint-damien.example");
    expect(fr).toContain("Courrier : 1 place de la Mairie");
    expect(fr).toContain("Défenseur des droits");
    const en = text(await render("en", { ...MUNICIPALITY, contactLink: null, contact: { email: "", phone: "", address: "", web: "" } }));
    expect(en).toContain("Criterion 13.1.");
    expect(en).toContain("The municipality has not given a contact for this yet");
    expect(en).not.toContain("Phone:");
  });

  it("answers 404 outside /fr and /en", () => {
    expect(() => route.loader({ params: { lang: "de" }, request: new Request("http://quorum.invalid/de/accessibility"), context: {} })).toThrow();
  });
});
