import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { loadEnv } from "./env.server";
import { useLang, useT, type RootData } from "./i18n/hooks";
import { isLang, otherLang, pickLang, swapLangInPath, tFor } from "./i18n/i18n";
import stylesheet from "./styles/app.css";
import { criticalCss } from "./styles/critical.server";
import { isStaffPath } from "./urls";

// The stylesheet is not among the links: Layout places it (see `inlineCss` below).
export const links: LinksFunction = () => [{ rel: "icon", href: "/favicon.svg", type: "image/svg+xml" }];

/** Quorum's blue (`--accent` in app/styles/app.css), also the manifest's theme colour. */
const THEME_COLOUR = "#0b4f8a";

/**
 * A resident page paints from its own HTML: the critical CSS of the build — every screen rule a
 * resident page can match — is inlined in its <head> (allowed by its hash in the CSP). The full
 * stylesheet is linked with `media="print"`: browsers fetch it without holding back the first
 * render, it is cached for later pages (and kept by the service worker with saved pages), and it
 * styles the printed page, with or without JavaScript. Staff pages, and any build without
 * critical CSS, link the stylesheet as before.
 * docs/decisions/025-first-render-in-one-request.md
 */
function inlineCssFor(pathname: string): string | null {
  if (isStaffPath(pathname)) return null;
  const critical = criticalCss();
  return critical !== null && critical.stylesheet === stylesheet ? critical.css : null;
}

export function loader({ request }: LoaderFunctionArgs): RootData {
  const { pathname } = new URL(request.url);
  const first = pathname.split("/")[1];
  const lang = isLang(first) ? first : pickLang(request.headers.get("Accept-Language"));
  return { lang, timeZone: loadEnv().QUORUM_TIMEZONE, inlineCss: inlineCssFor(pathname) };
}

function useInlineCss(): string | null {
  return (useRouteLoaderData("root") as RootData | undefined)?.inlineCss ?? null;
}

/** A route that sets `handle = { hydrate: true }` gets the Remix runtime; no other page loads a script. */
export interface RouteHandle {
  hydrate?: boolean;
}

function useHydrates(): boolean {
  return useMatches().some((m) => (m.handle as RouteHandle | undefined)?.hydrate === true);
}

function LanguageSwitch() {
  const lang = useLang();
  const other = otherLang(lang);
  const location = useLocation();
  const href = swapLangInPath(`${location.pathname}${location.search}`, other);
  return (
    <a className="lang-switch" href={href} hrefLang={other} lang={other}>
      {tFor(other)("nav.switchTo")}
    </a>
  );
}

/** Filled by /quorum.js when this device holds answers not yet sent, or news about them. */
function OfflineNotice() {
  const t = useT();
  return (
    <div
      id="quorum-notice"
      className="notice"
      role="status"
      hidden
      data-pending-one={t("offline.pendingOne")}
      data-pending-many={t("offline.pendingMany")}
      data-delivered={t("offline.delivered")}
      data-check={t("offline.check")}
      data-refused={t("offline.refused")}
      data-read={t("offline.read")}
      data-forget={t("offline.forget")}
      data-closed={t("offline.closedSince")}
    />
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const lang = useLang();
  const t = useT();
  const hydrate = useHydrates();
  const inlineCss = useInlineCss();
  return (
    <html lang={lang} dir="ltr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content={THEME_COLOUR} />
        <Meta />
        {inlineCss === null ? (
          <link rel="stylesheet" href={stylesheet} />
        ) : (
          <>
            <style dangerouslySetInnerHTML={{ __html: inlineCss }} />
            <link rel="stylesheet" href={stylesheet} media="print" />
          </>
        )}
        <Links />
        <link rel="manifest" href={`/${lang}/manifest.webmanifest`} />
      </head>
      <body>
        <a className="skip" href="#main">
          {t("nav.skip")}
        </a>
        <header className="site">
          <a className="brand" href={`/${lang}`}>
            Quorum
          </a>
          <LanguageSwitch />
        </header>
        <main id="main" tabIndex={-1}>
          {hydrate ? null : <OfflineNotice />}
          {children}
        </main>
        <footer className="site">
          <p>{t("footer.tagline")}</p>
          <p>
            <a href={`/${lang}/privacy`}>{t("footer.privacy")}</a> · <a href={`/${lang}/accessibility`}>{t("footer.accessibility")}</a> ·{" "}
            <a href={`/${lang}/open-data`}>{t("footer.openData")}</a> · <a href={`/${lang}/receipts`}>{t("home.receiptLink")}</a> ·{" "}
            <a href={`/${lang}/staff/login`}>{t("footer.staff")}</a>
          </p>
        </footer>
        {hydrate ? (
          <>
            <ScrollRestoration />
            <Scripts />
          </>
        ) : (
          <script src="/quorum.js" defer />
        )}
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  const lang = useLang();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const key =
    { 400: "badRequest", 403: "forbidden", 404: "notFound", 405: "notFound", 413: "tooLarge", 415: "badRequest", 429: "tooMany", 503: "unavailable" }[status] ??
    "serverError";
  return (
    <>
      <title>{`${t(`errorPage.${key}.title`)} – Quorum`}</title>
      <h1>{t(`errorPage.${key}.title`)}</h1>
      <p>{t(`errorPage.${key}.body`)}</p>
      <p>
        <a href={`/${lang}`}>{t("errorPage.home")}</a>
      </p>
    </>
  );
}
