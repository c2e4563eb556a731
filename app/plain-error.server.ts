/** Small pages the HTTP server sends before Remix runs (413, 411, 403), in the language of the address. */
import { tFor } from "./i18n/i18n";

const KEYS: Record<number, string> = { 403: "forbidden", 411: "tooLarge", 413: "tooLarge", 429: "tooMany", 503: "unavailable" };

export function plainErrorPage(status: number, path: string): string {
  const lang = /^\/en(\/|$)/.test(path) ? "en" : "fr";
  const t = tFor(lang);
  const key = KEYS[status] ?? "serverError";
  const title = t(`errorPage.${key}.title`);
  return `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} – Quorum</title></head><body><main><h1>${title}</h1><p>${t(`errorPage.${key}.body`)}</p><p><a href="/${lang}">${t("errorPage.home")}</a></p></main></body></html>`;
}
