import { describe, expect, it } from "vitest";
import { DEMO_MUNICIPALITY, defaultMunicipality, type Municipality } from "../settings/settings.server";
import { compose } from "./messages";

const base: Municipality = {
  ...defaultMunicipality({ municipality: "X", contact: null, licence: "CC-BY-4.0", timeZone: "Europe/Paris" }),
  ...DEMO_MUNICIPALITY,
};
const mail = (municipality: Municipality, lang: "fr" | "en") =>
  compose({
    kind: "notify.results",
    to: "r@example.org",
    lang,
    municipality,
    link: `https://consult.example.org/${lang}/consultations/c/results`,
    params: { title: "T" },
  });

describe("email words", () => {
  it("open under the municipality's logo, from the site's address, named in the mail's language", () => {
    const logo = { digest: "0123456789abcdef0123456789abcdef", contentType: "image/png" as const, width: 120, height: 60 };
    const fr = mail({ ...base, logo }, "fr").html;
    expect(fr).toContain('<img src="https://consult.example.org/logo/0123456789abcdef0123456789abcdef.png" width="96" height="48" alt="Commune de Quorum">');
    expect(mail({ ...base, logo }, "en").html).toContain('alt="Municipality of Quorum"');
  });

  it("have no image without a logo", () => {
    expect(mail({ ...base, logo: null }, "fr").html).not.toContain("<img");
  });
});
