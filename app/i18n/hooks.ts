import { useRouteLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { formatDate, formatDateTime, formatList, formatNumber, formatPercent } from "./format";
import { DEFAULT_LANG, tFor, type Lang } from "./i18n";

export interface RootData {
  lang: Lang;
  timeZone: string;
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

export function useT(): TFunction {
  return tFor(useLang());
}

/** Locale-aware formatting in the municipality's time zone. */
export function useFormat() {
  const { lang, timeZone } = useRootData();
  return {
    date: (d: Date | string) => formatDate(d, lang, timeZone),
    dateTime: (d: Date | string) => formatDateTime(d, lang, timeZone),
    number: (n: number, digits?: number) => formatNumber(n, lang, digits),
    percent: (r: number) => formatPercent(r, lang),
    list: (items: string[]) => formatList(items, lang),
  };
}
