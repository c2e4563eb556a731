import { createHash } from "node:crypto";
/** Small helpers every route uses: the language from the URL, a 404 that the root renders in that language. */
import type { Params } from "@remix-run/react";
import { isDatabaseUnavailable } from "#db/client";

export { isDatabaseUnavailable };
import { isLang, type Lang } from "../i18n/i18n";

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

/** The body of a form post; anything else (JSON, plain text, a broken body) is answered 415 or 400, never 500. */
export async function readForm(request: Request): Promise<FormData> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) throw new Response(null, { status: 415 });
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new Response(null, { status: 400 });
  }
  // NUL never belongs in a form and PostgreSQL refuses it in text. It leaves names, and in values
  // becomes U+FFFD, once: `a@b.org<NUL>evil` is then refused as an address, not merged into another.
  const clean = new FormData();
  for (const [name, value] of form) clean.append(name.replace(/\u0000/g, ""), typeof value === "string" ? withoutNul(value) : value);
  return clean;
}

/** A value with each NUL replaced by U+FFFD, the character that stands for one that could not be kept. */
export const withoutNul = (value: string) => value.replace(/\u0000/g, "\uFFFD");

/** A query-string value made safe to compare in SQL (no NUL), capped in length. */
export function searchParam(url: URL, name: string, max = 200): string {
  return (url.searchParams.get(name) ?? "").replace(/\u0000/g, "").slice(0, max);
}

/**
 * A public open-data file with validators: a strong ETag (SHA-256 of the body) and
 * Last-Modified; 304 when the client's copy is current (If-None-Match first, else
 * If-Modified-Since).
 */
export function openDataResponse(request: Request, body: string, contentType: string, lastModified: Date | null, filename: string): Response {
  const etag = `"${createHash("sha256").update(body, "utf8").digest("base64url")}"`;
  const headers: Record<string, string> = {
    "Cache-Control": "public, max-age=300",
    "Access-Control-Allow-Origin": "*",
    "Content-Disposition": `inline; filename="${filename}"`,
    ETag: etag,
  };
  if (lastModified) headers["Last-Modified"] = lastModified.toUTCString();
  const match = request.headers.get("If-None-Match");
  const since = Date.parse(request.headers.get("If-Modified-Since") ?? "");
  const fresh = match
    ? match
        .split(",")
        .map((t) => t.trim().replace(/^W\//, ""))
        .some((t) => t === etag || t === "*")
    : lastModified !== null && Number.isFinite(since) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(since / 1000);
  if (fresh) return new Response(null, { status: 304, headers });
  return new Response(body, { headers: { ...headers, "Content-Type": contentType } });
}
