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
