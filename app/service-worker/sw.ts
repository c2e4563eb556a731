/// <reference lib="webworker" />
/**
 * Quorum's service worker (decisions 007 and 020).
 *
 * - Installs with what the visitor's language needs, once: the stylesheet (precached), the page
 *   script and the icon taken from the browser's cache (the page has just fetched them), and the
 *   offline pages of the languages of the pages open; another language's when one of its pages is
 *   first visited. The shell's cache is named by the build (`__QUORUM_SHELL__`).
 * - Pages kept on the device (`keptOffline` in app/urls.ts: the list, consultations, results
 *   pages, privacy) are network-first; the copy is kept the first time a page is seen: through
 *   the worker, or, on the very first visit (before the worker controls the page), when the page
 *   script reports the visit and the worker fetches the page itself. A page never saved shows the
 *   offline page, which lists what is saved.
 * - The list (`/{lang}`) hands over its open consultations: the worker saves those not saved at
 *   their current version, within LIST_BUDGET_BYTES per visit, and nothing extra when the browser
 *   asks to save data.
 * - Each saved page keeps the stylesheet it names in its own cache (`quorum-assets`), so a new
 *   build's worker can never leave a saved page without its styles; a stylesheet no saved page
 *   names is dropped.
 * - A questionnaire posted without a connection (or while the server answers 503) waits in a
 *   workbox-background-sync queue; the resident sees the "saved on this device" page with the
 *   receipt code. Delivery: Background Sync, else worker start, `online` and page loads. The
 *   server answers a replay of the same submission with the same receipt (idempotent).
 * - An answer refused on replay leaves nothing of itself on the device (decision 044): the queue
 *   entry goes, and the notice keeps only the receipt code, the consultation and why, in one word
 *   (the server's X-Quorum-Refusal), until the resident deletes it or REFUSED_KEPT_MS at most.
 * - An answer the page script kept before this worker controlled the page (app/service-worker/outbox.ts,
 *   decision 046) joins the queue before every delivery and status: once each, by submission id.
 */
import { Queue } from "workbox-background-sync";
import { cleanupOutdatedCaches, getCacheKeyForURL, matchPrecache, precache } from "workbox-precaching";
import { formatReceipt, isSubmissionId, receiptCodeFor } from "../domain/responses/receipt";
import { readRefusalKind, REFUSAL_HEADER, type RefusalKind } from "../domain/responses/delivery";
import { inOutbox, leaveOutbox } from "./outbox";
import { answerTarget, keptOffline, offlinePath, offlineSavedPath, residentPage, resultsPage } from "../urls";

declare const self: ServiceWorkerGlobalScope;
declare const __QUORUM_PRECACHE__: { url: string; revision: string | null }[];
declare const __QUORUM_SHELL__: { revision: string; files: { url: string; revision: string }[] };

type Lang = "fr" | "en";
interface Meta {
  submissionId: string;
  receipt: string;
  lang: Lang;
  slug: string;
  savedAt: number;
}
export interface Outcome {
  status: "delivered" | "refused";
  receipt: string;
  lang: Lang;
  slug: string;
  at: number;
  /** Why a refused answer was refused; nothing of the answer is kept. */
  reason?: RefusalKind;
}
export interface SavedPage {
  path: string;
  title: string;
}
export interface StatusReply {
  pending: { receipt: string; slug: string; savedAt: number }[];
  outcomes: Outcome[];
  /** Consultation and results pages saved on this device. */
  saved: SavedPage[];
}
/** What the page script sends. */
export interface Message {
  type?: "status" | "sync" | "seen" | "forget" | "visited" | "list";
  receipts?: string[];
  path?: string;
  controlled?: boolean;
  saveData?: boolean;
  pages?: { path: string; version: string }[];
}

const PAGES = "quorum-pages";
const SHELL_PREFIX = "quorum-shell-";
const SHELL = SHELL_PREFIX + __QUORUM_SHELL__.revision;
const SHELL_FILES = new Map(__QUORUM_SHELL__.files.map((f) => [f.url, f.revision]));
const ASSETS = "quorum-assets";
const OUTCOMES = "quorum-outcomes";
const OUTCOME_PREFIX = "/__quorum/outcome/";
/** Where an earlier worker kept a refused answer's page: deleted on activation, never served. */
const KEPT_ANSWER_PAGE = /^\/(fr|en)\/offline\/answer\//;
const STYLESHEET = /\/build\/_assets\/[\w.-]+\.css/g;
/** Names the submission id a page carries (app/page-cache/page-cache.server.ts). */
const SUBMISSION_ID = "X-Quorum-Submission-Id";
const SAVED_VERSION = "X-Quorum-Saved-Version";
const SAVED_TITLE = "X-Quorum-Saved-Title";
/** Bytes (as sent, gzip) one visit to the list may spend saving consultations: about 8 pages of 6.2 KB (decision 020, restated 2026-12-06). */
export const LIST_BUDGET_BYTES = 50 * 1024;
const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;
const REFUSED_KEPT_MS = SEVEN_DAYS_MS;
// `/sw.js?nosync=1` behaves as in browsers without Background Sync (Firefox, Safari, WebViews).
const noSync = new URL(self.location.href).searchParams.has("nosync");

const langOf = (url: URL): Lang => (url.pathname.split("/")[1] === "en" ? "en" : "fr");
const html = (body: string, status = 200) => new Response(body, { status, headers: { "Content-Type": "text/html; charset=utf-8" } });

self.addEventListener("install", (event) => {
  void self.skipWaiting();
  event.waitUntil(Promise.all([adoptAssets(), installShell()]));
});
self.addEventListener("activate", (event) =>
  event.waitUntil(
    Promise.all([self.clients.claim(), forgetOldRefusals(), dropUnusedAssets(), dropKeptAnswerPages(), dropOldShells(), replay(queue).catch(() => {})]),
  ),
);

precache(__QUORUM_PRECACHE__);
cleanupOutdatedCaches();

// ---- Pages kept on the device ------------------------------------------------

/** One change to the saved pages at a time (a visit, the list, a navigation). */
let saving: Promise<unknown> = Promise.resolve();
function serially<T>(work: () => Promise<T>): Promise<T> {
  const next = saving.catch(() => {}).then(work);
  saving = next;
  return next;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#x27": "'", "#39": "'" };
/** A saved page's title without the site's name after its last " – " (pages are titled "… – Quorum"). */
const titleOf = (page: string) =>
  (/<title>([^<]*)<\/title>/.exec(page)?.[1] ?? "").replace(/&(amp|lt|gt|quot|#x27|#39);/g, (_, e: string) => ENTITIES[e]).replace(/ – [^–]*$/, "");

/** Keeps a page (a 200 HTML answer) and the stylesheet it names; answers the bytes it cost on the wire. */
async function keep(path: string, response: Response, version?: string): Promise<number> {
  if (response.status !== 200 || !(response.headers.get("Content-Type") ?? "").includes("text/html")) return 0;
  const text = await response.text();
  const headers = new Headers(response.headers);
  for (const name of ["Content-Length", "Content-Encoding"]) headers.delete(name);
  headers.set(SAVED_TITLE, encodeURIComponent(titleOf(text)));
  const previous = await (await caches.open(PAGES)).match(path);
  const v = version ?? previous?.headers.get(SAVED_VERSION);
  if (v) headers.set(SAVED_VERSION, v);
  await keepAssets(text);
  await (await caches.open(PAGES)).put(path, new Response(text, { status: 200, headers }));
  return Number(response.headers.get("Content-Length")) || text.length;
}

/** Fetches and keeps a page; the bytes it cost, 0 when it could not be kept. */
async function save(path: string, version?: string): Promise<number> {
  try {
    return await keep(path, await fetch(path, { credentials: "same-origin", headers: { Accept: "text/html" } }), version);
  } catch {
    return 0;
  }
}

/** A saved page as served: the form gets a fresh submission id, so two people on one device give two answers. */
async function served(saved: Response): Promise<Response> {
  const id = saved.headers.get(SUBMISSION_ID);
  if (!id) return saved;
  const fresh = crypto.randomUUID();
  const headers = new Headers(saved.headers);
  headers.set(SUBMISSION_ID, fresh);
  return new Response((await saved.text()).split(id).join(fresh), { status: saved.status, headers });
}

// ---- The shell: page script, icon, offline pages -------------------------------

const hex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");

/** The page script and the icon: from the browser's cache when it holds this build's (no second download). */
async function installShell() {
  const shell = await caches.open(SHELL);
  for (const [url, revision] of SHELL_FILES) {
    if (await shell.match(url)) continue;
    let response = await fetch(url, { cache: "force-cache", credentials: "same-origin" });
    const body = await response.clone().arrayBuffer();
    if (!response.ok || hex(await crypto.subtle.digest("SHA-256", body)).slice(0, 16) !== revision)
      response = await fetch(url, { cache: "no-cache", credentials: "same-origin" }); // an earlier build's copy
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    await shell.put(url, response);
  }
  const open = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const langs = new Set<Lang>(open.map((c) => langOf(new URL(c.url))));
  for (const lang of langs.size > 0 ? langs : (["fr"] as Lang[])) await keepOfflinePages(lang);
}

/** The offline pages of one language, fetched once per build. */
async function keepOfflinePages(lang: Lang) {
  const shell = await caches.open(SHELL);
  for (const path of [offlinePath(lang), offlineSavedPath(lang)]) {
    if (await shell.match(path)) continue;
    const response = await fetch(path, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    await shell.put(path, response);
  }
}

async function dropOldShells() {
  for (const name of await caches.keys()) if (name.startsWith(SHELL_PREFIX) && name !== SHELL) await caches.delete(name);
}

/** A page of the shell, in this language or else the other. */
async function fromShell(path: (lang: Lang) => string, lang: Lang): Promise<Response | undefined> {
  const shell = await caches.open(SHELL);
  return (await shell.match(path(lang))) ?? (await shell.match(path(lang === "fr" ? "en" : "fr")));
}

async function offlinePage(lang: Lang): Promise<Response> {
  return (await fromShell(offlinePath, lang)) ?? Response.error();
}

const NETWORK_TIMEOUT_MS = 10_000;

async function keptPage(event: FetchEvent, url: URL): Promise<Response> {
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), NETWORK_TIMEOUT_MS));
  const network = fetch(event.request).catch(() => null);
  const response = await Promise.race([network, timeout]);
  if (response && response.status < 500) {
    if (response.status === 200) {
      const copy = response.clone();
      event.waitUntil(serially(() => keep(url.pathname, copy)));
    }
    return response;
  }
  const saved = await (await caches.open(PAGES)).match(url.pathname);
  if (saved) return served(saved);
  return response ?? (await network) ?? offlinePage(langOf(url));
}

/** The page script reports a visit: a page the worker did not see (the first visit) is fetched and kept. */
async function visited(path: string, controlled: boolean, saveData: boolean) {
  // A language first visited since install: its offline pages (a few KB, needed to answer offline).
  await keepOfflinePages(langOf(new URL(path, self.location.origin))).catch(() => {});
  if (controlled || saveData || !keptOffline(path)) return;
  await serially(() => save(path));
}

/** The list's open consultations, saved at their current version, within the budget. */
async function saveListed(pages: { path: string; version: string }[], saveData: boolean): Promise<void> {
  if (saveData) return;
  const cache = await caches.open(PAGES);
  let spent = 0;
  for (const { path, version } of pages) {
    if (residentPage(path)?.kind !== "consultation" && !resultsPage(path)) continue;
    if ((await cache.match(path))?.headers.get(SAVED_VERSION) === version) continue;
    if (spent >= LIST_BUDGET_BYTES) break; // the next visit to the list goes on
    spent += await serially(() => save(path, version));
  }
}

/** The stylesheets a page names, copied from the precache (or fetched) into the worker's own cache. */
async function keepAssets(page: string) {
  const assets = await caches.open(ASSETS);
  for (const css of new Set(page.match(STYLESHEET))) {
    if (await assets.match(css)) continue;
    const copy = (await caches.match(css)) ?? (await fetch(css).catch(() => null));
    if (copy?.ok) await assets.put(css, copy);
  }
}

/** On install, before the precache of the build being replaced goes: the stylesheets saved pages name. */
async function adoptAssets() {
  const pages = await caches.open(PAGES);
  for (const key of await pages.keys()) await keepAssets((await (await pages.match(key))?.text()) ?? "");
}

/** Stylesheets no saved page names any more (a deploy since): dropped. */
async function dropUnusedAssets() {
  const pages = await caches.open(PAGES);
  const named = new Set<string>();
  for (const key of await pages.keys()) for (const css of (await (await pages.match(key))?.text())?.match(STYLESHEET) ?? []) named.add(css);
  const assets = await caches.open(ASSETS);
  for (const key of await assets.keys()) if (!named.has(new URL(key.url).pathname)) await assets.delete(key);
}

async function savedPages(): Promise<SavedPage[]> {
  const cache = await caches.open(PAGES);
  const out: SavedPage[] = [];
  for (const key of await cache.keys()) {
    const path = new URL(key.url).pathname;
    if (residentPage(path)?.kind !== "consultation" && !resultsPage(path)) continue;
    const res = await cache.match(key);
    out.push({ path, title: decodeURIComponent(res?.headers.get(SAVED_TITLE) ?? "") || path });
  }
  return out;
}

// ---- Delivery queue -------------------------------------------------------

let replaying: Promise<void> = Promise.resolve();

async function record(outcome: Outcome) {
  await (await caches.open(OUTCOMES)).put(OUTCOME_PREFIX + outcome.receipt, Response.json(outcome));
}

async function forget(receipt: string) {
  await (await caches.open(OUTCOMES)).delete(OUTCOME_PREFIX + receipt);
}

/** Answers an earlier version of this worker kept to be read once: gone with this one. */
async function dropKeptAnswerPages() {
  const cache = await caches.open(OUTCOMES);
  for (const key of await cache.keys()) if (KEPT_ANSWER_PAGE.test(new URL(key.url).pathname)) await cache.delete(key);
}

/** A refused answer is kept REFUSED_KEPT_MS at most, read or not. */
async function forgetOldRefusals() {
  const cache = await caches.open(OUTCOMES);
  for (const key of await cache.keys()) {
    if (!new URL(key.url).pathname.startsWith(OUTCOME_PREFIX)) continue;
    const outcome = (await (await cache.match(key))?.json()) as Outcome | undefined;
    if (outcome && Date.now() - outcome.at > REFUSED_KEPT_MS) await forget(outcome.receipt);
  }
}

async function replayAll(queue: Queue) {
  let entry;
  while ((entry = await queue.shiftRequest())) {
    const meta = entry.metadata as Meta;
    let response: Response;
    try {
      response = await fetch(entry.request.clone());
    } catch (error) {
      await queue.unshiftRequest(entry);
      throw error; // still offline: Background Sync (or the next trigger) retries
    }
    if (response.status >= 500 || response.status === 429) {
      await queue.unshiftRequest(entry);
      throw new Error(`server answered ${response.status}`);
    }
    const { receipt, lang, slug } = meta;
    await record(
      response.ok
        ? { status: "delivered", receipt, lang, slug, at: Date.now() }
        : { status: "refused", receipt, lang, slug, at: Date.now(), reason: readRefusalKind(response.headers.get(REFUSAL_HEADER)) },
    );
  }
}

/** One replay at a time, whoever asks (sync event, worker start, page, `online`); answers the page kept join first. */
function replay(queue: Queue): Promise<void> {
  replaying = replaying
    .catch(() => {})
    .then(adoptOutbox)
    .then(() => replayAll(queue));
  return replaying;
}

/** Answers the page script kept (no worker controlled the page yet): into the queue, once each. */
async function adoptOutbox(): Promise<void> {
  const kept = await inOutbox().catch(() => []);
  if (kept.length === 0) return;
  const queued = new Set((await queue.getAll()).map((e) => (e.metadata as Meta | undefined)?.submissionId));
  for (const answer of kept) {
    const target = answerTarget(answer.path);
    const fresh = Date.now() - answer.savedAt <= SEVEN_DAYS_MS; // as long as the queue keeps an answer
    if (fresh && target && isSubmissionId(answer.submissionId) && !queued.has(answer.submissionId))
      await enqueue(new URL(answer.path, self.location.origin), answer.body, {
        submissionId: answer.submissionId,
        receipt: await receiptCodeFor(answer.submissionId),
        lang: target.lang,
        slug: target.slug,
        savedAt: answer.savedAt,
      });
    await leaveOutbox(answer.submissionId);
  }
}

const queue = new Queue("quorum-answers", {
  maxRetentionTime: SEVEN_DAYS_MS / 60_000,
  forceSyncFallback: noSync,
  onSync: ({ queue: q }) => replay(q),
});

async function enqueue(url: URL, body: ArrayBuffer | string, meta: Meta) {
  const request = new Request(url.href, {
    method: "POST",
    body,
    credentials: "same-origin",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Quorum-Channel": "offline" },
  });
  await queue.pushRequest({ request, metadata: meta as unknown as object });
}

async function keepForLater(url: URL, body: ArrayBuffer, lang: Lang, slug: string): Promise<Response> {
  const fields = new URLSearchParams(new TextDecoder().decode(body));
  const submissionId = fields.get("submission_id") ?? "";
  if (!isSubmissionId(submissionId)) return offlinePage(lang);
  const receipt = await receiptCodeFor(submissionId);
  const queued = await queue.getAll();
  // A second press of "send" while offline is the same answer: keep it once.
  if (!queued.some((e) => (e.metadata as Meta | undefined)?.submissionId === submissionId))
    await enqueue(url, body, { submissionId, receipt, lang, slug, savedAt: Date.now() });
  const template = await fromShell(offlineSavedPath, lang);
  // The slug is a checked one (answerTarget): lower-case letters, digits and dashes only.
  return html(template ? (await template.text()).split("__RECEIPT__").join(formatReceipt(receipt)).split("__SLUG__").join(slug) : formatReceipt(receipt));
}

async function answer(request: Request, url: URL): Promise<Response> {
  const { lang, slug } = answerTarget(url.pathname)!;
  const body = await request.clone().arrayBuffer();
  try {
    const response = await fetch(request);
    if (response.status !== 503) return response;
  } catch {
    // no connection: keep the answer on the device
  }
  return keepForLater(url, body, lang, slug);
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && answerTarget(url.pathname)) return event.respondWith(answer(request, url));
  if (request.method !== "GET") return;
  if (url.search === "" && getCacheKeyForURL(url.pathname)) return event.respondWith(matchPrecache(url.pathname).then((hit) => hit ?? fetch(request)));
  // The page script, the icon and the offline pages: this build's copies; an offline page not saved, the other language's.
  const offline = /^\/(fr|en)\/offline(\/saved)?$/.test(url.pathname);
  if (url.search === "" && (SHELL_FILES.has(url.pathname) || offline))
    return event.respondWith(
      caches
        .open(SHELL)
        .then((c) => c.match(url.pathname))
        .then((hit) => hit ?? fetch(request))
        .catch(() => (offline ? offlinePage(langOf(url)) : Response.error())),
    );
  // A stylesheet of an earlier build that a saved page still names (the current one is precached).
  if (url.pathname.startsWith("/build/_assets/"))
    return event.respondWith(
      caches
        .open(ASSETS)
        .then((c) => c.match(url.pathname))
        .then((hit) => hit ?? fetch(request)),
    );
  if (request.mode !== "navigate") return;
  if (url.search === "" && keptOffline(url.pathname)) return event.respondWith(keptPage(event, url));
  // Every other page of the site: the network, or the offline page in its language.
  if (/^\/(fr|en)(\/|$)/.test(url.pathname)) event.respondWith(fetch(request).catch(() => offlinePage(langOf(url))));
});

// ---- Talking with the page script ------------------------------------------

async function status(): Promise<StatusReply> {
  // Never a status taken in the middle of a replay: an answer already taken off the queue but not
  // yet recorded would be in neither list, and that reply could overwrite a newer one on the page.
  replaying = replaying.catch(() => {}).then(adoptOutbox);
  await replaying.catch(() => {});
  await forgetOldRefusals();
  const pending = (await queue.getAll()).map((e) => {
    const m = e.metadata as Meta;
    return { receipt: m.receipt, slug: m.slug, savedAt: m.savedAt };
  });
  const cache = await caches.open(OUTCOMES);
  const outcomes: Outcome[] = [];
  for (const key of await cache.keys()) {
    if (!new URL(key.url).pathname.startsWith(OUTCOME_PREFIX)) continue;
    const res = await cache.match(key);
    if (res) outcomes.push(await res.json());
  }
  return { pending, outcomes, saved: await savedPages() };
}

self.addEventListener("message", (event) => {
  const port = event.ports[0];
  const data = (event.data ?? {}) as Message;
  const work = (async () => {
    if (data.type === "sync") await replay(queue).catch(() => {});
    if (data.type === "visited" && data.path) await visited(data.path, data.controlled === true, data.saveData === true);
    if (data.type === "list" && data.pages) await saveListed(data.pages, data.saveData === true);
    if (data.type === "forget") for (const r of data.receipts ?? []) await forget(r);
    if (data.type === "seen" && data.receipts) {
      // Delivered notices are shown once; refused ones stay until deleted or a week old.
      const cache = await caches.open(OUTCOMES);
      for (const r of data.receipts) {
        const res = await cache.match(OUTCOME_PREFIX + r);
        if (res && ((await res.json()) as Outcome).status === "delivered") await cache.delete(OUTCOME_PREFIX + r);
      }
    }
    port?.postMessage(await status());
  })();
  event.waitUntil(work);
});
