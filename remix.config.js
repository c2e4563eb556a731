/** Remix v2, classic compiler. See docs/decisions/001-remix-classic-compiler.md. */

/**
 * Every address Quorum answers, and the module that answers it (docs/decisions/043-routes-in-folders.md).
 * Route modules live in folders by who they serve — resident/, staff/, open-data/, system/ — and
 * are named for what they are; this table, not the file names, gives their addresses. Addresses
 * are built in app/urls.ts; this table is the one place they are matched.
 * @param {import("@remix-run/dev/dist/config/routes").DefineRoutesFunction} defineRoutes
 */
function routes(defineRoutes) {
  return defineRoutes((route) => {
    route("", "routes/system/language-choice.tsx", { index: true });
    route("healthz", "routes/system/healthz.ts");
    route("logo/:file", "routes/system/logo.ts");

    // Text messages from residents, as SMS providers post them.
    route("sms/twilio", "routes/sms/twilio.ts");
    route("sms/gateway", "routes/sms/gateway.ts");

    // Open data: the files, the data package and the catalogue (the list page is under /{lang}).
    route("open-data/:file", "routes/open-data/file.ts");
    route("open-data/:slug/datapackage.json", "routes/open-data/datapackage.ts");
    route("open-data/catalog.json", "routes/open-data/catalog.ts");

    route(":lang", "routes/resident/layout.tsx", () => {
      // Residents.
      route("", "routes/resident/home.tsx", { index: true });
      route("consultations/:slug", "routes/resident/consultation.tsx");
      route("consultations/:slug/thanks/:code", "routes/resident/thanks.tsx");
      route("consultations/:slug/results", "routes/resident/results.tsx");
      route("consultations/:slug/notify", "routes/resident/notify.tsx");
      route("c/:short", "routes/resident/short-address.tsx");
      route("receipts", "routes/resident/receipts.tsx", { index: true });
      route("receipts/:code", "routes/resident/receipt.tsx");
      route("notify/confirm/:token", "routes/resident/notify-confirm.tsx");
      route("notify/stop/:token", "routes/resident/notify-stop.tsx");
      route("offline", "routes/resident/offline.tsx", { index: true });
      route("offline/saved", "routes/resident/offline-saved.tsx");
      route("manifest.webmanifest", "routes/resident/manifest.ts");
      route("privacy", "routes/resident/privacy.tsx");
      route("accessibility", "routes/resident/accessibility.tsx");
      route("open-data", "routes/open-data/list.tsx");
      route("*", "routes/resident/not-found.tsx");

      // Staff.
      route("staff", "routes/staff/layout.tsx", () => {
        route("", "routes/staff/home.tsx", { index: true });
        route("login", "routes/staff/account/login.tsx");
        route("logout", "routes/staff/account/logout.tsx");
        route("forgot", "routes/staff/account/forgot.tsx");
        route("reset/:token", "routes/staff/account/reset.tsx");
        route("invitations/:token", "routes/staff/account/invitation.tsx");
        route("password", "routes/staff/account/password.tsx");

        route("settings", "routes/staff/admin/settings.tsx");
        route("users", "routes/staff/admin/users.tsx");
        route("mail", "routes/staff/admin/mail.tsx");
        route("audit", "routes/staff/admin/audit.tsx");
        route("audit.csv", "routes/staff/admin/audit-csv.ts");

        route("consultations/new", "routes/staff/consultations/new.tsx");
        route("consultations/:slug", "routes/staff/consultations/overview.tsx", { index: true });
        for (const page of [
          "edit",
          "confirm",
          "delete",
          "duplicate",
          "preview",
          "outcome",
          "questionnaire",
          "questions",
          "references",
          "codes",
          "paper",
          "sms",
          "summary",
          "moderation",
          "themes",
        ]) {
          route(`consultations/:slug/${page}`, `routes/staff/consultations/${page}.tsx`);
        }
        route("consultations/:slug/codes/:batch", "routes/staff/consultations/codes-batch.tsx");
        route("consultations/:slug/summary.css", "routes/staff/consultations/summary-css.ts");
        route("consultations/:slug/summary.csv", "routes/staff/consultations/summary-csv.ts");
        route("consultations/:slug/export.csv", "routes/staff/consultations/export-csv.ts");
        route("consultations/:slug/export.json", "routes/staff/consultations/export-json.ts");
      });
    });
  });
}

/** @type {import('@remix-run/dev').AppConfig} */
export default {
  // Routes come from the table above, not from file names.
  ignoredRouteFiles: ["**/*"],
  routes,
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
