/**
 * Resident pages kept rendered: the list (`/{lang}`) and each consultation
 * (`/{lang}/consultations/{slug}`) are the same for every visitor but for the
 * form's submission id. They are rendered with a marked slot where that id
 * goes (the loader writes SUBMISSION_SLOT when the load context asks for it),
 * split there once, compressed once, and each response fills a fresh id in.
 *
 * A page is keyed by its path (which holds its language) and the content
 * version, which the domain bumps after a staff change commits; it is
 * rendered again after PAGE_TTL_MS at the latest (changes made by another
 * process), one render at a time per page. Its age counts from the start of
 * the render that made it (what the render read is at least that recent).
 * Past REFRESH_AFTER of its lifetime, the first request starts a render in
 * the background and is still served the kept page: under steady traffic no
 * request waits for a render, and no page is served past its lifetime.
 * The render is asked for the page's path only, at the configured public
 * origin: nothing in a cached page comes from the request that caused it to
 * be rendered. At most MAX_PAGES pages are kept; past that, the least
 * recently used one goes.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { contentVersion } from "~/domain/consultations/cache.server";
import { compressAroundSlot, gzipWhole, gzipWithFill, type SlottedGzip } from "./gzip-slot";
import { communeKey, manyCommunes } from "../platform/commune.server";
import { COMMUNE_FRESH_MS } from "../platform/content-version.server";

/**
 * What the loader writes where the submission id goes when rendering for this cache: random
 * per process, so no text typed by staff can contain it by design.
 */
export const SUBMISSION_SLOT = `quorum-slot-${randomBytes(12).toString("hex")}`;
export const PAGE_TTL_MS = 2_000;
/**
 * Public results change only when their figures are taken again (decision 061), which tells this
 * process at once; another process's copy is rendered again within this time.
 */
export const RESULTS_TTL_MS = 30_000;
/**
 * The share of a page's lifetime after which a request starts rendering it again in the background
 * (it is still served meanwhile, never past its lifetime).
 */
export const REFRESH_AFTER = 0.75;
/** The most pages kept at once; a new one then takes the place of the least recently used. */
export const MAX_PAGES = 4_000;

export interface Page {
  status: number;
  headers: [string, string][];
  /** Page bytes around the slot (no slot: `suffix` is null). */
  prefix: Buffer;
  suffix: Buffer | null;
  gzip: SlottedGzip | Buffer;
  /** When its content changes with no write (KEPT_UNTIL_HEADER); null: only by a write. */
  until?: number | null;
}

interface Entry {
  page: Page;
  at: number;
  version: string;
}

/** Renders a path: the Remix handler, with the slot asked for in the load context when `slot`. */
export type Render = (path: string, slot: boolean) => Promise<Response>;

/**
 * Kept pages, least recently used first: a Map iterates in insertion order, and a page is
 * inserted again each time it is served from here or kept after a render.
 */
const pages = new Map<string, Entry>();

/** Keeps `entry` as the most recently used page, making room by dropping the least recently used. */
function keep(key: string, entry: Entry): void {
  pages.delete(key);
  if (pages.size >= MAX_PAGES) {
    const oldest = pages.keys().next();
    if (!oldest.done) pages.delete(oldest.value);
  }
  pages.set(key, entry);
}

/** Renders in flight, with the content version and the time each started under. */
const rendering = new Map<string, { version: string; at: number; done: Promise<{ page: Page; cacheable: boolean }> }>();

/** The header that names the submission id a page carries (the service worker swaps exactly that id for a fresh one). */
export const SUBMISSION_ID_HEADER = "X-Quorum-Submission-Id";

/**
 * Set by a loader whose page changes at a known moment with no write (a consultation's opening or
 * closing passing): the page is not kept past it (milliseconds since 1970). Kept pages are sent without it.
 */
export const KEPT_UNTIL_HEADER = "X-Quorum-Kept-Until";

/** The KEPT_UNTIL_HEADER for the earliest of `moments` still to come, or none. */
export function keptUntil(moments: (Date | null | undefined)[], now = Date.now()): Record<string, string> {
  const next = Math.min(...moments.map((m) => (m ? m.getTime() : Infinity)).filter((t) => t > now));
  return Number.isFinite(next) ? { [KEPT_UNTIL_HEADER]: String(next) } : {};
}

const DROPPED_HEADERS = new Set(["content-length", "content-encoding", "set-cookie", "transfer-encoding", "vary", KEPT_UNTIL_HEADER.toLowerCase()]);
/** Dropped from a page rendered with the slot: the header names the slot there, and each response names its own id. */
const SLOTTED_DROPPED = new Set([...DROPPED_HEADERS, SUBMISSION_ID_HEADER.toLowerCase()]);

async function build(path: string, render: Render): Promise<{ page: Page; cacheable: boolean }> {
  const response = await render(path, true);
  const html = Buffer.from(await response.arrayBuffer());
  const headers = [...response.headers].filter(([name]) => !SLOTTED_DROPPED.has(name.toLowerCase()));
  const cacheable = response.status === 200 && !response.headers.has("set-cookie");
  const until = Number(response.headers.get(KEPT_UNTIL_HEADER)) || null;
  const slot = Buffer.from(SUBMISSION_SLOT);
  const at = html.indexOf(slot);
  if (at === -1) return { page: { status: response.status, headers, prefix: html, suffix: null, gzip: gzipWhole(html), until }, cacheable };
  if (html.indexOf(slot, at + slot.length) !== -1) {
    // The slot's text also appears in the page's content: render it plainly, for this request only.
    const plain = await render(path, false);
    const body = Buffer.from(await plain.arrayBuffer());
    const plainHeaders = [...plain.headers].filter(([name]) => !DROPPED_HEADERS.has(name.toLowerCase()));
    return { page: { status: plain.status, headers: plainHeaders, prefix: body, suffix: null, gzip: gzipWhole(body) }, cacheable: false };
  }
  const prefix = html.subarray(0, at);
  const suffix = html.subarray(at + slot.length);
  return { page: { status: response.status, headers, prefix, suffix, gzip: compressAroundSlot(prefix, suffix), until }, cacheable };
}

/** Starts rendering `path` under the current content version (once for all waiting), or returns the render in flight for it. */
function renderOnce(key: string, path: string, render: Render, now: number, version: string) {
  const pending = rendering.get(key);
  // A render started before a staff change shows the old content: a new one instead.
  if (pending && pending.version === version) return pending;
  const started = { version, at: now, done: build(path, render) };
  rendering.set(key, started);
  started.done
    .then(({ page, cacheable }) => {
      // Kept only if no staff change committed since this render started; its age counts from its start.
      if (cacheable && started.version === contentVersion()) keep(key, { page, at: started.at, version: started.version });
    })
    .finally(() => {
      if (rendering.get(key) === started) rendering.delete(key);
    })
    .catch(() => {}); // the failure itself reaches every request waiting on `done`
  return started;
}

/**
 * The page at `path`, from the cache when it is fresh for the current content version, else
 * rendered (once for all waiting). A kept page past REFRESH_AFTER of `ttlMs` is still served while
 * it is rendered again in the background.
 */
export async function cachedPage(path: string, render: Render, now = Date.now(), ttlMs = manyCommunes() ? COMMUNE_FRESH_MS : PAGE_TTL_MS): Promise<Page> {
  // With many communes each keeps its own pages: the same path is another page on another host.
  const key = `${communeKey()}${path}`;
  const version = contentVersion();
  const hit = pages.get(key);
  if (hit && hit.version === version && now - hit.at < ttlMs && !(hit.page.until && now >= hit.page.until)) {
    keep(key, hit);
    if (now - hit.at >= ttlMs * REFRESH_AFTER) renderOnce(key, path, render, now, version);
    return hit.page;
  }
  return (await renderOnce(key, path, render, now, version).done).page;
}

/**
 * The bytes to send for `page`, with a fresh submission id in its slot (gzip-encoded when `gzip`),
 * and the headers that go with this response only: the id it carries.
 */
export function pageBody(page: Page, gzip: boolean): { chunks: Buffer[]; headers: [string, string][] } {
  if (page.suffix === null) return { chunks: [gzip ? (page.gzip as Buffer) : page.prefix], headers: [] };
  const id = randomUUID();
  const fill = Buffer.from(id);
  return { chunks: gzip ? gzipWithFill(page.gzip as SlottedGzip, fill) : [page.prefix, fill, page.suffix], headers: [[SUBMISSION_ID_HEADER, id]] };
}

/** How many pages are kept (for tests). */
export function pageCacheSize(): number {
  return pages.size;
}

/** Tests start from an empty cache. */
export function clearPageCache(): void {
  pages.clear();
  rendering.clear();
}
