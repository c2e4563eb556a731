import { describe, expect, it } from "vitest";
import { DEMO_MUNICIPALITY, defaultMunicipality, type Municipality } from "../settings/settings.server";
import { compose } from "./messages";
import type { MessageKind } from "./outbox.server";

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

  it("in French, put a no-break space before every colon Quorum adds, the link's line and the unsubscribe line included", () => {
    const kinds: MessageKind[] = ["staff.invite", "staff.reset", "notify.confirm", "notify.outcome", "notify.results"];
    for (const kind of kinds) {
      const m = compose({
        kind,
        to: "r@example.org",
        lang: "fr",
        municipality: base,
        link: "https://consult.example.org/fr/x?y=1",
        params: { title: "T", days: 7, role: "modérateur" },
        unsubscribe: "https://consult.example.org/fr/notify/stop/abc",
      });
      for (const text of [m.subject, m.text]) {
        // A sign ending a word (a space or the end after it) has U+00A0 or U+202F before it; addresses have none after.
        const bare = [...text.matchAll(/(.)[:;!?](?=\s|$)/g)].filter((x) => x[1] !== "\u00a0" && x[1] !== "\u202f").map((x) => x[0]);
        expect(bare, `${kind}: ${text}`).toEqual([]);
      }
      expect(m.text).toContain("\u00a0:\nhttps://consult.example.org/fr/x?y=1");
      expect(m.text).toContain("\u00a0:\nhttps://consult.example.org/fr/notify/stop/abc");
    }
    expect(mail(base, "en").text).toMatch(/[a-z]:\nhttps:/);
  });
});
