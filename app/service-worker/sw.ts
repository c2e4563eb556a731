/// <reference lib="webworker" />
/** Placeholder until the offline issue: the service worker takes control and does nothing else. */
declare const self: ServiceWorkerGlobalScope;
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
export {};
