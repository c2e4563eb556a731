/**
 * Loaded only by a route whose `handle` is `{ hydrate: true }` (app/root.tsx). No route asks, so
 * no page loads it (docs/decisions/042-staff-pages-do-not-hydrate.md); Remix builds it all the same.
 */
import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <RemixBrowser />
    </StrictMode>,
  );
});
