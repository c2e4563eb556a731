/** Small helpers every route uses: the language from the URL, a 404 that the root renders in that language. */
import type { Params } from "@remix-run/react";
import { isLang, type Lang } from "./i18n/i18n";

export function notFound(): Response {
  return new Response(null, { status: 404, statusText: "Not Found" });
}

/** The `:lang` segment, or a thrown 404. */
export function requireLang(params: Params): Lang {
  if (!isLang(params.lang)) throw notFound();
  return params.lang;
}

/** Resident pages hold a per-visitor form id: never stored by a shared cache. */
export const PRIVATE_PAGE = { "Cache-Control": "private, no-cache" };
