/**
 * A resident's device as the browser tests drive it: the connection cut for the page and for
 * the service worker (`context.setOffline` alone does not reach a worker in Chromium), and what
 * the worker says it has saved, asked the way the page script asks.
 */
import { expect, type BrowserContext, type Page, type Route } from "@playwright/test";

export const cutServiceWorker = (route: Route) => (route.request().serviceWorker() ? route.abort("internetdisconnected") : route.continue());

export async function goOffline(context: BrowserContext) {
  await context.setOffline(true);
  await context.route("**", cutServiceWorker);
}
export async function goOnline(context: BrowserContext) {
  await context.unroute("**", cutServiceWorker);
  await context.setOffline(false);
}

/** The consultation pages this device holds, as the offline page lists them (asked the way the page script asks). */
export function savedOnDevice(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve) => {
        void navigator.serviceWorker.ready.then((reg) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = (e) => resolve((e.data as { saved: { path: string }[] }).saved.map((s) => s.path).sort());
          (navigator.serviceWorker.controller ?? reg.active)!.postMessage({ type: "status" }, [channel.port2]);
        });
      }),
  );
}

/** Opens a page once (no reload), as a resident following a link would, and waits until this device has saved it. */
export async function openOnce(page: Page, path: string) {
  await page.goto(path);
  await expect.poll(() => savedOnDevice(page), { timeout: 20_000 }).toContain(path);
}

/**
 * Whether anything this browser keeps for the site holds `text`, as the next person on a shared
 * device could look: every response in Cache Storage, and every record of every IndexedDB
 * database (the answers queue included), their bodies decoded (URL-encoded bodies too).
 */
export function deviceHolds(page: Page, text: string): Promise<string[]> {
  return page.evaluate(async (needle) => {
    const found: string[] = [];
    const decode = async (value: unknown): Promise<string> => {
      if (value instanceof Blob) return value.text();
      if (value instanceof ArrayBuffer) return new TextDecoder().decode(value);
      if (ArrayBuffer.isView(value)) return new TextDecoder().decode(value);
      if (value && typeof value === "object") return (await Promise.all(Object.values(value).map(decode))).join("\n");
      return String(value);
    };
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const key of await cache.keys()) {
        const body = await (await cache.match(key))!.text();
        if (body.includes(needle)) found.push(`cache ${name} ${key.url}`);
      }
    }
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((ok, ko) => {
        const open = indexedDB.open(name!);
        open.onsuccess = () => ok(open.result);
        open.onerror = () => ko(open.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const rows = await new Promise<unknown[]>((ok) => {
          const all = db.transaction(store).objectStore(store).getAll();
          all.onsuccess = () => ok(all.result);
        });
        for (const row of rows) {
          const text = await decode(row);
          // A queued form body is URL-encoded.
          let plain = text;
          try {
            plain = decodeURIComponent(text.replace(/\+/g, " "));
          } catch {
            // not encoded
          }
          if (text.includes(needle) || plain.includes(needle)) found.push(`indexedDB ${name}/${store}`);
        }
      }
      db.close();
    }
    return found;
  }, text);
}
