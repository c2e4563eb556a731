/**
 * The municipality's name as a sentence says it, in each language: "la commune de Saint-Damien"
 * / "the Municipality of Saint-Damien" (a setting), and the forms sentences build from it:
 * capitalised at the start of a sentence, and after "de" / "of" ("du village de …",
 * "de la commune de …", "d’Orléans"). A name that is a title ("Municipalité de Saint-Damien")
 * is never put inside a sentence as it is.
 */
import type { Bilingual, Lang } from "#db/schema";

const lowerFirst = (s: string) => s.charAt(0).toLocaleLowerCase("fr") + s.slice(1);
const upperFirst = (s: string) => s.charAt(0).toLocaleUpperCase("fr") + s.slice(1);
const VOWEL = /^[aeiouyàâäéèêëîïôöûüù]/i;

/** "de" before a French phrase: du, des, de la, de l’, d’, de. */
export function ofFr(phrase: string): string {
  const p = phrase.trim();
  if (/^le\s/i.test(p)) return `du ${p.slice(3).trimStart()}`;
  if (/^les\s/i.test(p)) return `des ${p.slice(4).trimStart()}`;
  if (/^la\s/i.test(p)) return `de ${p}`;
  if (/^l['’]/i.test(p)) return `de l’${p.slice(2)}`;
  return VOWEL.test(p) ? `d’${p}` : `de ${p}`;
}

/** A reasonable phrase for a name, before an administrator writes one. */
export function phraseFor(lang: Lang, name: string): string {
  const n = name.trim();
  if (lang === "fr") {
    if (/^(la|le|les)\s|^l['’]/i.test(n)) return lowerFirst(n);
    if (/^(municipalité|commune|ville|paroisse|communauté|métropole|mairie)(?=\s|$)/i.test(n)) return `la ${lowerFirst(n)}`;
    if (/^(village|canton|bourg|hameau|district)(?=\s|$)/i.test(n)) return `le ${lowerFirst(n)}`;
    return `la commune ${ofFr(n)}`;
  }
  if (/^the\s/i.test(n)) return lowerFirst(n);
  if (/^(municipality|town|city|village|township|parish|county|borough|commune|district)\b/i.test(n)) return `the ${n}`;
  if (/\b(municipality|town|city|village|township|parish|county|borough)$/i.test(n)) return `the ${n}`;
  return `the Municipality of ${n}`;
}

export function phrasesFor(name: Bilingual<string>): Bilingual<string> {
  return { fr: phraseFor("fr", name.fr), en: phraseFor("en", name.en) };
}

/** What sentences embed: `{{theMunicipality}}`, `{{TheMunicipality}}` (a sentence's start), `{{ofMunicipality}}`. */
export type MunicipalityWords = {
  theMunicipality: string;
  TheMunicipality: string;
  ofMunicipality: string;
};

export function municipalityWords(lang: Lang, phrase: string): MunicipalityWords {
  return {
    theMunicipality: phrase,
    TheMunicipality: upperFirst(phrase),
    ofMunicipality: lang === "fr" ? ofFr(phrase) : `of ${phrase}`,
  };
}
