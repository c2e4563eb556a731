import { describe, expect, it } from "vitest";
import fr from "../../locales/fr/common.json";
import { tFor } from "./i18n";
import { frenchSpacing } from "./typography";

/** What a French reader expects, checked on its own terms: the signs and what comes right before or after them. */
function misspaced(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/[;:!?](?=\s|$)/g)) {
    const before = text[m.index - 1];
    if (m.index > 0 && before !== "\u00a0" && before !== "\u202f") found.push(text.slice(Math.max(0, m.index - 12), m.index + 1));
  }
  for (const m of text.matchAll(/«(.)|(.)»/g)) {
    const inside = m[1] ?? m[2];
    if (inside !== "\u00a0" && inside !== "\u202f") found.push(m[0]);
  }
  return found;
}

function keys(tree: object, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === "string" ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`)));
}

describe("French typography", () => {
  it("every French string Quorum writes has a no-break space before : ; ! ? and inside « », values included", () => {
    const t = tFor("fr");
    const wrong: string[] = [];
    for (const key of keys(fr)) {
      const base = key.replace(/_(zero|one|two|few|many|other)$/, "");
      const text = t(base, { count: key.endsWith("_one") ? 1 : 2, defaultValue: "" }) as string;
      const values = Object.fromEntries([...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => [m[1], "valeur"]));
      for (const problem of misspaced(t(base, { ...values, count: key.endsWith("_one") ? 1 : 2 }) as string)) wrong.push(`${key}: ${problem}`);
    }
    expect(wrong).toEqual([]);
    expect(keys(fr).length).toBeGreaterThan(500);
  });

  it("spaces a value put into a French sentence, and leaves English alone", () => {
    expect(tFor("fr")("question.rankFor", { option: "Autre ?" })).toBe("Rang de «\u00a0Autre\u202f?\u00a0»");
    expect(tFor("en")("errors.titlePrefix")).toBe("Error: ");
  });

  it("leaves times, addresses and numbers as they are", () => {
    for (const text of ["à 07:56.", "https://exemple.fr/fr/c/ABC?edit=1", "1:2", "mailto:mairie@exemple.fr", "26,5\u202f%", "a%20b"])
      expect(frenchSpacing(text)).toBe(text);
    expect(frenchSpacing("Votre code: 12")).toBe("Votre code\u00a0: 12");
    expect(frenchSpacing("Vraiment ? Oui ; non !")).toBe("Vraiment\u202f? Oui\u202f; non\u202f!");
    expect(frenchSpacing("Le total dépasse 100 %. À 95 %, puis 50%")).toBe("Le total dépasse 100\u202f%. À 95\u202f%, puis 50\u202f%");
  });
});
