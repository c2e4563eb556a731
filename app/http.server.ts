/** Small helpers every route uses: the language from the URL, a 404 that the root renders in that language. */
import type { Params } from "@remix-run/react";
import { isDatabaseUnavailable } from "#db/client";

export { isDatabaseUnavailable };
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

/** Runs a resident page's database work; an unreachable database becomes a 503 page in the page's language. */
export async function orUnavailable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw new Response(null, { status: 503, headers: { "Retry-After": "30" } });
    throw error;
  }
}
