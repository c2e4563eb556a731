import { useRouteLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { formatDate, formatDateTime, formatDay, formatInputNumber, formatList, formatNumber, formatPercent } from "./format";
import { DEFAULT_LANG, tFor, type Lang } from "./i18n";
import { municipalityWords, phraseFor, type MunicipalityWords } from "~/domain/settings/in-sentence";

/** The municipality as a page shows it, in the page's language (from its settings). */
export interface PageMunicipality {
  name: string;
  shortName: string;
  /** The name as a sentence says it ("la commune de Saint-Damien"); made from the name when absent. */
  inSentence?: string;
  /** An email address or a web address residents reach the municipality at, or null. */
  contactLink: string | null;
  contact: { email: string; phone: string; address: string; web: string };
  privacyOfficer: { name: string; email: string; address: string };
  footerLinks: { label: string; url: string }[];
  logo: { src: string; width: number; height: number } | null;
}

const NO_MUNICIPALITY: PageMunicipality = {
  name: "Quorum",
  shortName: "Quorum",
  contactLink: null,
  contact: { email: "", phone: "", address: "", web: "" },
  privacyOfficer: { name: "", email: "", address: "" },
  footerLinks: [],
  logo: null,
};

export interface RootData {
  lang: Lang;
  timeZone: string;
  municipality?: PageMunicipality;
  /** A resident page's critical CSS, inlined in its <head> (null: the stylesheet is linked there). */
  inlineCss?: string | null;
}

function useRootData(): RootData {
  return (useRouteLoaderData("root") as RootData | undefined) ?? { lang: DEFAULT_LANG, timeZone: "Europe/Paris" };
}

export function useLang(): Lang {
  return useRootData().lang;
}

export function useTimeZone(): string {
  return useRootData().timeZone;
}

export function useMunicipality(): PageMunicipality {
  return useRootData().municipality ?? NO_MUNICIPALITY;
}

/** What sentences embed of the municipality's name, in the page's language (`{{TheMunicipality}}`, `{{ofMunicipality}}`…). */
export function useMunicipalityWords(): MunicipalityWords {
  const lang = useLang();
  const m = useMunicipality();
  return municipalityWords(lang, m.inSentence || phraseFor(lang, m.name));
}

export function useT(): TFunction {
  return tFor(useLang());
}

/** Locale-aware formatting in the municipality's time zone. */
export function useFormat() {
  const { lang, timeZone } = useRootData();
  return {
    date: (d: Date | string) => formatDate(d, lang, timeZone),
    dateTime: (d: Date | string) => formatDateTime(d, lang, timeZone),
    /** A day kept without its time (already the municipality's day). */
    day: (d: Date | string) => formatDay(d, lang),
    number: (n: number, digits?: number) => formatNumber(n, lang, digits),
    /** A number as a form field shows it ("26,5" in French). */
    inputNumber: (n: number | string, digits?: number) => formatInputNumber(n, lang, digits),
    percent: (r: number) => formatPercent(r, lang),
    list: (items: string[]) => formatList(items, lang),
  };
}
