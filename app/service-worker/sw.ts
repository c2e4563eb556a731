/// <reference lib="webworker" />
/**
 * Quorum's service worker.
 *
 * - Precaches the stylesheet and the offline pages of both languages.
 * - Resident pages (the list and consultations) are network-first with the
 *   cached copy as fallback; a page never visited shows the offline page.
 * - A questionnaire posted without a connection (or while the server answers
 *   503) is kept in a workbox-background-sync queue on the device and the
 *   resident sees the "saved on this device" page with the receipt code, which
 *   follows from the submission id. Delivery: Background Sync where the browser
 *   has it; otherwise when the worker starts, on the `online` event and on every
 *   page load (the page script asks). The server answers a replay of the same
 *   submission with the same receipt, so replays are idempotent.
 * - An answer the server refuses on replay (consultation closed meanwhile,
 *   validation) is kept with the server's page, which shows what was answered,
 *   and the resident is told on their next visit.
 */
import { Queue } from "workbox-background-sync";
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute } from "workbox-precaching";
import { registerRoute, setCatchHandler } from "workbox-routing";
import { NetworkFirst, NetworkOnly } from "workbox-strategies";
import { formatReceipt, isSubmissionId, receiptCodeFor } from "../domain/responses/receipt";
import { answerTarget, residentPage, resultsPage } from "../urls";

declare const self: ServiceWorkerGlobalScope;
declare const __QUORUM_PRECACHE__: { url: string; revision: string | null }[];

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
}
export interface StatusReply {
  pending: { receipt: string; slug: string; savedAt: number }[];
  outcomes: Outcome[];
}

const PAGES = "quorum-pages";
const OUTCOMES = "quorum-outcomes";
const OUTCOME_PREFIX = "/__quorum/outcome/";
const ANSWER_PAGE = /^\/(fr|en)\/offline\/answer\/([A-Z0-9]{8})$/;
const SEVEN_DAYS_IN_MINUTES = 7 * 24 * 60;
// `/sw.js?nosync=1` behaves as in browsers without Background Sync (Firefox, Safari, WebViews).
const noSync = new URL(self.location.href).searchParams.has("nosync");

const langOf = (url: URL): Lang => (url.pathname.split("/")[1] === "en" ? "en" : "fr");

self.addEventListener("install", () => {
  void self.skipWaiting();
});
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

precacheAndRoute(__QUORUM_PRECACHE__);
cleanupOutdatedCaches();

// ---- Delivery queue -------------------------------------------------------

let replaying: Promise<void> = Promise.resolve();

async function record(outcome: Outcome, page?: Response) {
  const cache = await caches.open(OUTCOMES);
  if (page) {
    const html = await page.text();
    await cache.put(`/${outcome.lang}/offline/answer/${outcome.receipt}`, new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } }));
  }
  await cache.put(OUTCOME_PREFIX + outcome.receipt, Response.json(outcome));
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
    const outcome: Outcome = { status: response.ok ? "delivered" : "refused", receipt: meta.receipt, lang: meta.lang, slug: meta.slug, at: Date.now() };
    await record(outcome, response.ok ? undefined : response);
  }
}

/** One replay at a time, whoever asks (sync event, worker start, page, `online`). */
function replay(queue: Queue): Promise<void> {
  replaying = replaying.catch(() => {}).then(() => replayAll(queue));
  return replaying;
}

const queue = new Queue("quorum-answers", {
  maxRetentionTime: SEVEN_DAYS_IN_MINUTES,
  forceSyncFallback: noSync,
  onSync: ({ queue: q }) => replay(q),
});

async function keepForLater(url: URL, body: ArrayBuffer, lang: Lang, slug: string): Promise<Response> {
  const fields = new URLSearchParams(new TextDecoder().decode(body));
  const submissionId = fields.get("submission_id") ?? "";
  if (!isSubmissionId(submissionId)) return offlinePage(lang);
  const receipt = await receiptCodeFor(submissionId);
  const queued = await queue.getAll();
  // A second press of "send" while offline is the same answer: keep it once.
  if (!queued.some((e) => (e.metadata as Meta | undefined)?.submissionId === submissionId)) {
    const request = new Request(url.href, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Quorum-Channel": "offline" },
    });
    const meta: Meta = { submissionId, receipt, lang, slug, savedAt: Date.now() };
    await queue.pushRequest({ request, metadata: meta as unknown as object });
  }
  const template = await matchPrecache(`/${lang}/offline/saved`);
  const html = template ? (await template.text()).split("__RECEIPT__").join(formatReceipt(receipt)) : formatReceipt(receipt);
  return new Response(html, { status: 200, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

registerRoute(
  ({ url, request }) => request.method === "POST" && answerTarget(url.pathname) !== null,
  async ({ url, request }) => {
    const { lang, slug } = answerTarget(url.pathname)!;
    const body = await request.clone().arrayBuffer();
    try {
      const response = await fetch(request);
      if (response.status !== 503) return response;
    } catch {
      // no connection: keep the answer on the device
    }
    return keepForLater(url, body, lang as Lang, slug);
  },
  "POST",
);

// ---- Pages ------------------------------------------------------------------

async function offlinePage(lang: Lang): Promise<Response> {
  return (await matchPrecache(`/${lang}/offline`)) ?? Response.error();
}

/** A page served again must not reuse the submission id of an answer already given on this device. */
async function withFreshSubmissionId(response: Response): Promise<Response> {
  const type = response.headers.get("Content-Type") ?? "";
  if (!type.includes("text/html")) return response;
  const html = await response.text();
  const fresh = html.replace(/(name="submission_id" value=")[0-9a-f-]{36}(")/, `$1${crypto.randomUUID()}$2`);
  return new Response(fresh, { status: response.status, statusText: response.statusText, headers: response.headers });
}

const pages = new NetworkFirst({
  cacheName: PAGES,
  networkTimeoutSeconds: 10,
  plugins: [{ cacheWillUpdate: async ({ response }) => (response.status === 200 ? response : null) }],
});

registerRoute(
  ({ url, request }) => request.mode === "navigate" && ANSWER_PAGE.test(url.pathname),
  async ({ url }) => {
    const cache = await caches.open(OUTCOMES);
    const page = await cache.match(url.pathname);
    const receipt = ANSWER_PAGE.exec(url.pathname)![2];
    await cache.delete(OUTCOME_PREFIX + receipt); // read: no more notice
    return page ?? offlinePage(langOf(url));
  },
);

registerRoute(
  ({ url, request }) => request.mode === "navigate" && (residentPage(url.pathname) !== null || resultsPage(url.pathname) !== null),
  async (options) => withFreshSubmissionId(await pages.handle(options)),
);

// Every other page of the site: the network, or the offline page in its language.
registerRoute(({ url, request }) => request.mode === "navigate" && /^\/(fr|en)(\/|$)/.test(url.pathname), new NetworkOnly());

setCatchHandler(async ({ request, url }) => {
  if (request.mode === "navigate" && url) return offlinePage(langOf(url));
  return Response.error();
});

// ---- Talking with the page script ------------------------------------------

async function status(): Promise<StatusReply> {
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
  return { pending, outcomes };
}

self.addEventListener("message", (event) => {
  const port = event.ports[0];
  const data = event.data as { type?: string; receipts?: string[] } | undefined;
  const work = (async () => {
    if (data?.type === "sync") await replay(queue).catch(() => {});
    if (data?.type === "seen" && data.receipts) {
      // Delivered notices are shown once; refused ones stay until read.
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
