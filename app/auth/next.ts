import { urls, type PageLang } from "~/urls";
/**
 * Where sign-in may send a staff member back to. Pure: the `next` value comes from a
 * query string or a form field, so anyone can write it; only a path inside this
 * language's staff area, on this site, is honoured.
 */

/**
 * An origin to resolve against where the configured one is not at hand (the page itself,
 * re-checking a value the server already made safe). A reserved name (RFC 2606): nothing real
 * answers there, so "same origin as this" means "a path of ours". The server passes QUORUM_ORIGIN.
 */
export const NEXT_BASE_ORIGIN = "http://quorum.invalid";

/** Raw characters a path of ours never holds: controls, any space (U+2028/2029 included), backslash. */
const FORBIDDEN = /[\u0000-\u001F\u007F-\u009F\s\\]/u;
/** Encoded `/`, `\` or `.` in the path: something downstream might decode them into a way out. */
const ENCODED_SEPARATOR = /%(2f|5c|2e)/i;
const MAX_LENGTH = 2000;

/**
 * `next` resolved as a URL against `origin`; the result's path and query when it stays on
 * that origin inside `/{lang}/staff` (and is not the sign-in or sign-out page), else `/{lang}/staff`.
 * The answer is always a serialised URL path: ASCII only, safe in a Location header.
 */
export function safeNext(lang: PageLang, next: unknown, origin: string): string {
  const home = urls.staff.home(lang);
  if (typeof next !== "string" || next === "" || next.length > MAX_LENGTH) return home;
  // Only a path: not a scheme (`javascript:`, `https:`), not scheme-relative (`//host`).
  if (!next.startsWith("/") || next.startsWith("//") || FORBIDDEN.test(next)) return home;
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(next, base);
  } catch {
    return home;
  }
  if (url.origin !== base.origin || url.username || url.password) return home;
  const path = url.pathname;
  if (ENCODED_SEPARATOR.test(path) || path.includes("//")) return home;
  if (path !== home && !path.startsWith(`${home}/`)) return home;
  if (isSignInOrOut(path, home)) return home;
  return path + url.search;
}

function isSignInOrOut(path: string, home: string): boolean {
  // Routes match without regard to case or a trailing slash.
  const rest = path.slice(home.length).replace(/\/+$/, "").toLowerCase();
  return rest === "/login" || rest === "/logout" || rest.startsWith("/login/") || rest.startsWith("/logout/");
}
