/** Small pages the HTTP server sends before Remix runs (400, 403, 405, 413, 414, 421…), in the language of the address. */
import { tFor } from "../i18n/i18n";
import { langOfPath } from "../urls";

const KEYS: Record<number, string> = {
  400: "badAddress",
  403: "crossSite",
  404: "notFound",
  405: "methodNotAllowed",
  411: "tooLarge",
  413: "tooLarge",
  414: "uriTooLong",
  421: "unknownHost",
  429: "tooMany",
  503: "unavailable",
};

/** `reason` names a page other than the status's own: `suspended`, a commune whose service the host has suspended (503). */
export function plainErrorPage(status: number, path: string, reason?: "suspended"): string {
  const lang = langOfPath(path);
  const t = tFor(lang);
  const key = reason ?? KEYS[status] ?? "serverError";
  const title = t(`errorPage.${key}.title`);
  return `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} – Quorum</title></head><body><main><h1>${title}</h1><p>${t(`errorPage.${key}.body`)}</p><p><a href="/${lang}">${t("errorPage.home")}</a></p></main></body></html>`;
}
