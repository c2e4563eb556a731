/**
 * The one script every page loads (public/quorum.js; no page hydrates,
 * docs/decisions/042-staff-pages-do-not-hydrate.md): registers the
 * service worker, tells it about this visit (so a page opened once is saved),
 * hands it the list's open consultations and marks those ready offline, asks
 * it to send answers kept on the device (every page load and on `online`),
 * and shows the pending / received / refused notice. Before the worker
 * controls the page (a first visit on 2G, a worker that could not install),
 * it sends an answer itself and, without a connection, keeps it on the device
 * for the worker to deliver (decision 046). Pages work fully without it. Texts come from the page (data attributes), so every string
 * stays in locales/.
 */
import type { Message, Outcome, StatusReply } from "./sw";
import { inOutbox, keepInOutbox, leaveOutbox } from "./outbox";
import { readRefusalKind, REFUSAL_HEADER } from "../domain/responses/delivery";
import { fragments } from "../components/fragments";
import { KEPT_RECEIPT, KEPT_TEMPLATE_ID } from "../components/kept";
import { formatReceipt, receiptCodeFor } from "../domain/responses/receipt";
import { answerTarget, receiptPath, SERVICE_WORKER_FILE, urls } from "../urls";

const USED = "quorum:used-submissions";

function ask(message: Message): Promise<StatusReply | null> {
  return navigator.serviceWorker.ready.then(
    (reg) =>
      new Promise((resolve) => {
        const worker = navigator.serviceWorker.controller ?? reg.active;
        if (!worker) return resolve(null);
        const channel = new MessageChannel();
        const timer = setTimeout(() => resolve(null), 30_000);
        channel.port1.onmessage = (e) => {
          clearTimeout(timer);
          resolve(e.data as StatusReply);
        };
        worker.postMessage(message, [channel.port2]);
      }),
  );
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => values[k] ?? "");
}

function link(href: string, text: string): HTMLAnchorElement {
  const a = document.createElement("a");
  a.href = href;
  a.textContent = text;
  return a;
}

/** What the notice shows: the worker's reply, or (no worker yet) the answers this script kept, without saved pages. */
type Shown = Omit<StatusReply, "saved"> & { saved?: StatusReply["saved"] };

function render(status: Shown | null) {
  const box = document.getElementById("quorum-notice");
  if (!box || !status) return;
  const d = box.dataset;
  const lang = document.documentElement.lang === "en" ? "en" : "fr";
  const group = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;
  box.textContent = "";
  const lines: HTMLElement[] = [];
  const n = status.pending.length;
  if (n > 0) {
    const p = document.createElement("p");
    p.textContent = fill(n === 1 ? d.pendingOne! : d.pendingMany!, { count: String(n), codes: status.pending.map((x) => group(x.receipt)).join(", ") });
    lines.push(p);
  }
  // A "received" notice, once shown, stays for this page's life: the worker forgets it once seen,
  // and a worker updated meanwhile (a deploy) answers the next status without it.
  const seen: string[] = [];
  for (const o of status.outcomes) if (o.status === "delivered") shownDelivered.set(o.receipt, o);
  for (const o of [...shownDelivered.values(), ...status.outcomes.filter((x) => x.status === "refused")]) {
    const p = document.createElement("p");
    if (o.status === "delivered") {
      p.append(fill(d.delivered!, { code: group(o.receipt) }), " ", link(receiptPath(lang, group(o.receipt)), d.check!));
      if (status.outcomes.includes(o)) seen.push(o.receipt);
    } else {
      // The consultation and why, never what was answered: the device keeps nothing of it
      // (decision 044). The notice stays until deleted, or a week (the worker's rule).
      const forget = document.createElement("button");
      forget.type = "button";
      forget.textContent = d.forget!;
      forget.addEventListener("click", () => {
        // A notice this page holds (no worker) goes at once; the worker forgets its own.
        const here = deliveredHere.indexOf(o);
        if (here >= 0) deliveredHere.splice(here, 1);
        p.remove();
        void ask({ type: "forget", receipts: [o.receipt] }).then(render);
      });
      const path = urls.consultation(o.lang, o.slug);
      const title = status.saved?.find((s) => s.path === path)?.title ?? o.slug;
      const why = d[`reason${(o.reason ?? "answers").replace(/^./, (c) => c.toUpperCase())}`] ?? "";
      p.append(fill(d.refused!, { code: group(o.receipt), title, why }), " ", forget);
    }
    lines.push(p);
  }
  if (closed) {
    const p = document.createElement("p");
    p.textContent = d.closed!;
    lines.push(p);
  }
  box.append(...lines);
  box.hidden = lines.length === 0;
  if (seen.length) void ask({ type: "seen", receipts: seen });
  if (status.saved) markSaved({ saved: status.saved });
}

/** The list marks the consultations saved on this device; the offline page lists them. */
function markSaved(status: { saved: StatusReply["saved"] }) {
  const saved = new Set(status.saved.map((s) => s.path));
  for (const el of document.querySelectorAll<HTMLElement>("[data-offline-path]")) {
    const mark = el.querySelector<HTMLElement>("[data-offline-ready]");
    if (mark) mark.hidden = !saved.has(el.dataset.offlinePath!);
  }
  const list = document.getElementById("quorum-saved");
  if (!list) return;
  list.textContent = "";
  for (const s of status.saved) {
    const li = document.createElement("li");
    const a = link(s.path, s.title);
    a.lang = s.path.split("/")[1];
    li.append(a);
    list.append(li);
  }
  document.getElementById("quorum-saved-none")!.hidden = status.saved.length > 0;
}

/**
 * The browser asks to save data: nothing is fetched ahead. Said by `navigator.connection` (Chromium)
 * or, for browsers that only send the `Save-Data: on` header, by the server back in this page's
 * `Server-Timing` (server/headers.ts).
 */
const saveData =
  (navigator as Navigator & { connection?: { saveData?: boolean } }).connection?.saveData === true ||
  (typeof performance.getEntriesByType === "function" &&
    (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined)?.serverTiming?.some((t) => t.name === "save-data") === true);
/** Received notices shown on this page, by receipt code. */
const shownDelivered = new Map<string, Outcome>();
/** Set once online again, when this saved page's consultation no longer takes answers. */
let closed = false;
/** Loaded without a connection: this is the device's copy. */
const loadedOffline = !navigator.onLine;

/**
 * A page with an open form, shown from the device's copy: once online, ask whether it still takes
 * answers. The `online` event may come before the link carries data: with no answer from the
 * server, ask again after each of `retries` (ms).
 */
function checkStillOpen(retries: number[] = [3_000, 10_000, 30_000]) {
  if (!loadedOffline || closed || !document.querySelector("input[name=submission_id]")) return;
  const again = () => {
    const [next, ...rest] = retries;
    if (next !== undefined) setTimeout(() => checkStillOpen(rest), next);
  };
  void fetch(location.pathname, { headers: { Accept: "text/html" } })
    .then((res) => {
      if (res.status !== 200) return again();
      // The server names a submission id only on a page whose form takes answers.
      if (!res.headers.has("X-Quorum-Submission-Id")) {
        closed = true;
        refresh(false);
      }
    })
    .catch(again);
}

function refresh(sync: boolean, retries: number[] = []) {
  void ask({ type: sync ? "sync" : "status" }).then((status) => {
    render(status);
    // The `online` event often comes before the link really carries data (2G, captive
    // portals): while answers still wait, try again a little later.
    const [next, ...rest] = retries;
    if (status && status.pending.length > 0 && next !== undefined) setTimeout(() => refresh(true, rest), next);
  });
}

/**
 * The worker, the visit and the list: once the page has loaded and the main thread is idle, so that
 * registering the worker and saving pages never hold up what the resident sees or does.
 */
function start() {
  const controlled = !!navigator.serviceWorker.controller;
  void navigator.serviceWorker.register(SERVICE_WORKER_FILE, { scope: "/" }).catch(() => {});
  void ask({ type: "visited", path: location.pathname, controlled, saveData }).then(render);
  const listed = [...document.querySelectorAll<HTMLElement>("[data-offline-path]")].map((el) => ({
    path: el.dataset.offlinePath!,
    version: el.dataset.offlineVersion!,
  }));
  if (listed.length && navigator.onLine) void ask({ type: "list", pages: listed, saveData }).then(render);
  refresh(false);
  refresh(true);
  window.addEventListener("online", () => {
    refresh(true, [3_000, 10_000, 30_000]);
    checkStillOpen();
    if (!navigator.serviceWorker.controller) {
      // The worker could not install on this visit (the link dropped): try again, and meanwhile send what this page kept.
      void navigator.serviceWorker.register(SERVICE_WORKER_FILE, { scope: "/" }).catch(() => {});
      void deliverKept();
    }
  });
  navigator.serviceWorker.addEventListener("controllerchange", () => refresh(false));
  // No worker in control yet: the answers this page script kept are said from the device's own store, and sent if online.
  if (!controlled) {
    showKept();
    if (navigator.onLine) void deliverKept();
  }
}

/** Outcomes of answers this page delivered itself, shown until the page is left. */
const deliveredHere: Outcome[] = [];
let delivering = false;

/**
 * With no worker in control, this page sends the answers it kept (the worker would, had it
 * installed): each once; the server counts a submission id once, so a worker sending the same
 * answer meanwhile changes nothing. An answer the server cannot take now stays for later.
 */
async function deliverKept() {
  if (delivering) return;
  delivering = true;
  try {
    for (const kept of await inOutbox()) {
      if (navigator.serviceWorker.controller) break; // the worker has come: it delivers
      let response: Response;
      try {
        response = await fetch(kept.path, {
          method: "POST",
          body: kept.body,
          credentials: "same-origin",
          redirect: "manual",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "text/html", "X-Quorum-Channel": "offline" },
        });
      } catch {
        break; // still no connection
      }
      if (response.status >= 500 || response.status === 429) break;
      const { receipt, lang, slug } = kept;
      deliveredHere.push(
        response.type === "opaqueredirect" || response.ok
          ? { status: "delivered", receipt, lang, slug, at: Date.now() }
          : { status: "refused", receipt, lang, slug, at: Date.now(), reason: readRefusalKind(response.headers.get(REFUSAL_HEADER)) },
      );
      await leaveOutbox(kept.submissionId);
    }
  } catch {
    // the device's store is unavailable: nothing to send from here
  } finally {
    delivering = false;
  }
  const left = await inOutbox().catch(() => []);
  if (!navigator.serviceWorker.controller)
    render({ pending: left.map(({ receipt, slug, savedAt }) => ({ receipt, slug, savedAt })), outcomes: [...deliveredHere] });
}

function whenIdle(work: () => void) {
  const idle = () => (typeof requestIdleCallback === "function" ? requestIdleCallback(work, { timeout: 3_000 }) : setTimeout(work, 0));
  if (document.readyState === "complete") idle();
  else window.addEventListener("load", idle, { once: true });
}

if ("serviceWorker" in navigator) whenIdle(start);

/** Answers kept by this script and not yet handed to the worker, in the notice; none kept over 7 days, as the worker's queue. */
function showKept() {
  void inOutbox()
    .then(async (all) => {
      const kept = all.filter((k) => Date.now() - k.savedAt <= 7 * 24 * 60 * 60 * 1000);
      for (const old of all) if (!kept.includes(old)) await leaveOutbox(old.submissionId);
      if (kept.length > 0 && !navigator.serviceWorker.controller)
        render({ pending: kept.map(({ receipt, slug, savedAt }) => ({ receipt, slug, savedAt })), outcomes: [] });
    })
    .catch(() => {});
}

// A form restored from the back/forward cache after it was sent gets a new
// submission id, so the next person on this device gives a new answer.
function usedIds(): string[] {
  try {
    return JSON.parse(sessionStorage.getItem(USED) ?? "[]") as string[];
  } catch {
    return [];
  }
}
document.addEventListener("submit", (event) => {
  const form = event.target as HTMLFormElement;
  const input = form.querySelector<HTMLInputElement>("input[name=submission_id]");
  if (!input) return;
  try {
    sessionStorage.setItem(USED, JSON.stringify([...usedIds(), input.value].slice(-20)));
  } catch {
    // storage unavailable: nothing to remember
  }
  // With a worker in control, the worker keeps an answer sent without a connection; without
  // service workers or IndexedDB, the browser posts the form as it would without this script.
  const target = answerTarget(new URL(form.action, location.href).pathname);
  if (!target || !("serviceWorker" in navigator) || navigator.serviceWorker.controller || !("indexedDB" in window) || !crypto.subtle) return;
  event.preventDefault();
  if (sending) return; // a second press while the first is on its way sends nothing more
  sending = true;
  void sendOrKeep(form, input.value, target).finally(() => (sending = false));
});

let sending = false;

/**
 * An answer sent before the worker controls the page: posted as the browser would; the server's
 * page shown (mistakes, a refusal) or its thank-you page opened; without a connection (or while the
 * server is unavailable, 503) kept on the device, with its receipt, for the worker to deliver.
 */
async function sendOrKeep(form: HTMLFormElement, submissionId: string, target: { lang: "fr" | "en"; slug: string }) {
  const path = new URL(form.action, location.href).pathname;
  const body = new URLSearchParams(new FormData(form) as unknown as Record<string, string>).toString();
  try {
    const response = await fetch(path, {
      method: "POST",
      body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "text/html" },
    });
    // Accepted: the server's 303 goes to the thank-you page its receipt names.
    if (response.type === "opaqueredirect")
      return location.assign(urls.thanks(target.lang, target.slug, await receiptCodeFor(submissionId), { hash: fragments.main }));
    if (response.status !== 503 && (response.headers.get("Content-Type") ?? "").includes("text/html")) return showPage(await response.text());
    if (response.status !== 503) return form.submit();
  } catch {
    // no connection, or cut mid-answer: kept below (the server counts a submission id once)
  }
  try {
    const receipt = await receiptCodeFor(submissionId);
    await keepInOutbox({ submissionId, receipt, lang: target.lang, slug: target.slug, path, body, savedAt: Date.now() });
    showKeptPage(formatReceipt(receipt));
  } catch {
    form.submit(); // the device cannot keep it: the browser tries as it would without this script
  }
  refresh(true);
}

/** The server's page for a refused answer, in place of this one, as if the browser had posted the form. */
function showPage(html: string) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  document.title = doc.title;
  document.body.replaceWith(document.adoptNode(doc.body));
  history.replaceState(null, "", `${location.pathname}#${fragments.errors}`);
  focusSummary();
  refresh(false);
}

/** "Your answer is saved on this device", from the page's own template, in place of the page's content. */
function showKeptPage(receipt: string) {
  const template = document.getElementById(KEPT_TEMPLATE_ID) as HTMLTemplateElement | null;
  const main = document.getElementById(fragments.main);
  if (!template || !main) return;
  const view = template.content.cloneNode(true) as DocumentFragment;
  for (const strong of view.querySelectorAll("strong")) if (strong.textContent === KEPT_RECEIPT) strong.textContent = receipt;
  const notice = document.getElementById("quorum-notice"); // stays, to say when the answer has arrived
  main.replaceChildren(...(notice ? [notice] : []), view);
  document.title = `${template.dataset.title}${/ – [^–]*$/.exec(document.title)?.[0] ?? ""}`;
  history.replaceState(null, "", location.pathname);
  main.querySelector("h1")?.focus();
}
window.addEventListener("pageshow", (event) => {
  if (!event.persisted || typeof crypto.randomUUID !== "function") return;
  const used = usedIds();
  for (const input of document.querySelectorAll<HTMLInputElement>("input[name=submission_id]")) {
    if (used.includes(input.value)) input.value = crypto.randomUUID();
  }
});

// A refused form (an answer, or a staff form posted to …#errors): focus goes to the error
// summary (the address already ends in #errors, which scrolls there without script); a link in it focuses the question's first control,
// with the question's legend and message kept in view (CSS scroll-margin).
function focusSummary() {
  const summary = document.getElementById(fragments.errors);
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", (event) => {
    const href = (event.target as HTMLElement).closest("a")?.getAttribute("href") ?? "";
    const target = href.startsWith("#") ? document.getElementById(href.slice(1)) : null;
    if (!target) return;
    const control = target.matches("input, select, textarea") ? target : target.querySelector<HTMLElement>("input, select, textarea");
    if (!control) return;
    event.preventDefault();
    target.scrollIntoView({ block: "start" });
    control.focus({ preventScroll: true });
    history.replaceState(null, "", href);
  });
}
focusSummary();
