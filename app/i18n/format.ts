import type { Lang } from "./i18n";

const LOCALE: Record<Lang, string> = { fr: "fr-FR", en: "en-GB" };

/**
 * Intl's formatters take tens of microseconds each to make and a page uses several: one is kept per
 * language, style and time zone (a few dozen in all; emptied past KEPT_MAX, as a bound).
 */
const kept = new Map<string, { format(value: never): string }>();
const KEPT_MAX = 256;
function formatter<F extends { format(value: never): string }>(key: string, make: () => F): F {
  let found = kept.get(key) as F | undefined;
  if (!found) {
    found = make();
    if (kept.size >= KEPT_MAX) kept.clear();
    kept.set(key, found);
  }
  return found;
}

/** "27 novembre 2026" / "27 November 2026", in the municipality's time zone. */
export function formatDate(date: Date | string, lang: Lang, timeZone: string): string {
  return formatter(`date ${lang} ${timeZone}`, () => new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: "long", timeZone })).format(new Date(date));
}

/**
 * A calendar day kept without its time ("2026-12-05", or that date at 00:00 UTC as a day-only
 * value is stored): "5 décembre 2026", the same day whatever the time zone.
 */
export function formatDay(day: Date | string, lang: Lang): string {
  const iso = typeof day === "string" ? day.slice(0, 10) : day.toISOString().slice(0, 10);
  return formatter(`day ${lang}`, () => new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: "long", timeZone: "UTC" })).format(new Date(`${iso}T12:00:00Z`));
}

/** Date and time, e.g. for closing moments: "27 novembre 2026 à 23:00". */
export function formatDateTime(date: Date | string, lang: Lang, timeZone: string): string {
  return formatter(`datetime ${lang} ${timeZone}`, () => new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: "long", timeStyle: "short", timeZone })).format(
    new Date(date),
  );
}

export function formatNumber(value: number, lang: Lang, maximumFractionDigits = 1): string {
  return formatter(`number ${lang} ${maximumFractionDigits}`, () => new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits })).format(value);
}

/**
 * A number as a form field shows it in the page's language, ready to be sent back as typed:
 * "26,5" / "26.5", no thousands separator ("26.50" as stored → "26,5").
 */
export function formatInputNumber(value: number | string, lang: Lang, maximumFractionDigits = 2): string {
  if (typeof value === "string" && value.trim() === "") return "";
  const n = typeof value === "string" ? Number(value) : value;
  return Number.isFinite(n)
    ? formatter(`input ${lang} ${maximumFractionDigits}`, () => new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits, useGrouping: false })).format(n)
    : String(value);
}

/** 0.305 → "30,5 %" / "30.5%". */
export function formatPercent(ratio: number, lang: Lang): string {
  return formatter(`percent ${lang}`, () => new Intl.NumberFormat(LOCALE[lang], { style: "percent", maximumFractionDigits: 1 })).format(ratio);
}

/** ["a", "b", "c"] → "a, b et c" / "a, b and c". */
export function formatList(items: string[], lang: Lang): string {
  return formatter(`list ${lang}`, () => new Intl.ListFormat(LOCALE[lang], { style: "long", type: "conjunction" })).format(items);
}
