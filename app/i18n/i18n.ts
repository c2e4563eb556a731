/**
 * i18next with both languages bundled: strings live in locales/{fr,en}/common.json.
 * The language comes from the URL (/fr/…, /en/…), never from a cookie.
 */
import i18next, { type TFunction } from "i18next";
import en from "../../locales/en/common.json";
import fr from "../../locales/fr/common.json";
import { frenchSpacing } from "./typography";

export const LANGS = ["fr", "en"] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = "fr";

export function isLang(value: unknown): value is Lang {
  return value === "fr" || value === "en";
}

export function otherLang(lang: Lang): Lang {
  return lang === "fr" ? "en" : "fr";
}

const instance = i18next.createInstance();
// Every French string, values put in it included, gets French spacing (typography.ts).
instance.use({
  type: "postProcessor",
  name: "frenchSpacing",
  process: (value: string, _key: unknown, options: { lng?: string }, translator: { language?: string }) =>
    (options?.lng ?? translator?.language) === "fr" ? frenchSpacing(value) : value,
});
instance.init({
  postProcess: ["frenchSpacing"],
  resources: { fr: { common: fr }, en: { common: en } },
  lng: DEFAULT_LANG,
  fallbackLng: false,
  ns: ["common"],
  defaultNS: "common",
  initImmediate: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

const fixed: Record<Lang, TFunction> = {
  fr: instance.getFixedT("fr"),
  en: instance.getFixedT("en"),
};

/** The translate function of one language. */
export function tFor(lang: Lang): TFunction {
  return fixed[lang];
}

/** Picks fr or en from an Accept-Language header, by quality; French when neither is asked for. */
export function pickLang(acceptLanguage: string | null | undefined): Lang {
  if (!acceptLanguage) return DEFAULT_LANG;
  const ranked = acceptLanguage
    .split(",")
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const quality = q ? Number.parseFloat(q.slice(2)) : 1;
      return { base: tag.trim().toLowerCase().split("-")[0], quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((r) => r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const r of ranked) if (isLang(r.base)) return r.base;
  return DEFAULT_LANG;
}
