/** Remix v2, classic compiler. See docs/decisions/001-remix-classic-compiler.md. */
/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  // `npm run dev` rebuilds on changes here too: the strings (imported into the build by
  // app/i18n/i18n.ts) and the database code (docs/decisions/040-a-dev-loop-that-reloads.md).
  watchPaths: ["locales", "db"],
  // Packages that must stay external on the server (native binaries, WASM).
  serverDependenciesToBundle: [],
  // Every Remix v2 future flag on: the app behaves as React Router v7 will (docs/decisions/014-react-router-7-future-flags.md).
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
    v3_lazyRouteDiscovery: true,
  },
};
