import type { Lang } from "./i18n";

const LOCALE: Record<Lang, string> = { fr: "fr-FR", en: "en-GB" };

/** "27 novembre 2026" / "27 November 2026", in the municipality's time zone. */
export function formatDate(date: Date | string, lang: Lang, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: "long", timeZone }).format(new Date(date));
}

/** Date and time, e.g. for closing moments: "27 novembre 2026 à 23:00". */
export function formatDateTime(date: Date | string, lang: Lang, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: "long", timeStyle: "short", timeZone }).format(new Date(date));
}

export function formatNumber(value: number, lang: Lang, maximumFractionDigits = 1): string {
  return new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits }).format(value);
}

/** 0.305 → "30,5 %" / "30.5%". */
export function formatPercent(ratio: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALE[lang], { style: "percent", maximumFractionDigits: 1 }).format(ratio);
}

/** ["a", "b", "c"] → "a, b et c" / "a, b and c". */
export function formatList(items: string[], lang: Lang): string {
  return new Intl.ListFormat(LOCALE[lang], { style: "long", type: "conjunction" }).format(items);
}
