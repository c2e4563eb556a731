/**
 * Files from public/: the hashed build assets (`/build/…`, immutable for a
 * year), the service worker and page script (`/sw.js`, `/quorum.js`, always
 * revalidated, so an update reaches every device), and the rest (an hour).
 */
import type { ServerResponse } from "node:http";
import serveStatic from "serve-static";
import type { Step } from "./chain";
import { urls } from "~/urls";

const REVALIDATED = new Set([urls.files.serviceWorker, urls.files.pageScript]);

export function staticFiles(root: string): Step {
  const assets = serveStatic(`${root}/build`, { immutable: true, maxAge: "1y", index: false, redirect: false });
  const files = serveStatic(root, {
    maxAge: "1h",
    index: false,
    redirect: false,
    dotfiles: "ignore",
    setHeaders: (res: ServerResponse, path: string) => {
      if ([...REVALIDATED].some((name) => path.endsWith(name))) res.setHeader("Cache-Control", "no-cache");
    },
  });
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const url = req.url ?? "/";
    if (url.startsWith("/build/")) {
      // serve-static reads req.url: strip the mount point for it, as a router would.
      const original = url;
      req.url = url.slice("/build".length);
      return assets(req, res, (error?: unknown) => {
        req.url = original;
        next(error);
      });
    }
    files(req, res, next);
  };
}
