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
import { conformanceStatus } from "./domain/accessibility/audit";
import { logoPath, type Municipality } from "./domain/settings/settings.server";
import { useLang, useMunicipality, useT, type PageMunicipality, type RootData } from "./i18n/hooks";
import type { Lang } from "./i18n/i18n";
import { currentSettings } from "./web/settings.server";
import { isLang, otherLang, pickLang, tFor } from "./i18n/i18n";
import stylesheet from "./styles/app.css";
import { criticalCss } from "./styles/critical.server";
import { isStaffPath, swapLangInPath, urls } from "./urls";
import { fragments } from "~/components/fragments";

// The stylesheet is not among the links: Layout places it (see `inlineCss` below).
export const links: LinksFunction = () => [{ rel: "icon", href: urls.files.favicon, type: "image/svg+xml" }];

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

/** The municipality's settings as pages show them, in one language. */
function forPage(m: Municipality, lang: Lang): PageMunicipality {
  const contactLink = m.contact.email || m.contact.web || null;
  return {
    name: m.name[lang],
    shortName: m.shortName[lang],
    inSentence: m.inSentence[lang],
    contactLink,
    contact: m.contact,
    privacyOfficer: m.privacyOfficer,
    footerLinks: m.footerLinks.map((l) => ({ label: l.label[lang], url: l.url })),
    logo: m.logo ? { src: logoPath(m.logo), width: m.logo.width, height: m.logo.height } : null,
  };
}

export async function loader({ request }: LoaderFunctionArgs): Promise<RootData> {
  const { pathname } = new URL(request.url);
  const first = pathname.split("/")[1];
  const lang = isLang(first) ? first : pickLang(request.headers.get("Accept-Language"));
  const { municipality } = await currentSettings();
  return { lang, timeZone: municipality.timeZone, municipality: forPage(municipality, lang), inlineCss: inlineCssFor(pathname) };
}

function useInlineCss(): string | null {
  return (useRouteLoaderData("root") as RootData | undefined)?.inlineCss ?? null;
}

/**
 * A route that sets `handle = { hydrate: true }` gets the Remix runtime; every other page loads only
 * /quorum.js. No route asks: no page hydrates, staff pages included
 * (docs/decisions/042-staff-pages-do-not-hydrate.md says what it would cost and what a route must do first).
 */
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

/** The municipality's logo (when it has one) and short name: home. */
function Brand() {
  const lang = useLang();
  const m = useMunicipality();
  return (
    <a className="brand" href={urls.home(lang)}>
      {m.logo ? <img src={m.logo.src} width={Math.round((m.logo.width * 40) / m.logo.height)} height={40} alt="" /> : null}
      <span>{m.shortName}</span>
    </a>
  );
}

/** Who runs these consultations and how to reach them. */
function MunicipalityFooter() {
  const t = useT();
  const m = useMunicipality();
  const reach = [
    m.contact.email ? (
      <a key="email" href={`mailto:${m.contact.email}`}>
        {m.contact.email}
      </a>
    ) : null,
    m.contact.phone ? (
      <a key="phone" href={`tel:${m.contact.phone.replace(/[^+\d]/g, "")}`}>
        {m.contact.phone}
      </a>
    ) : null,
  ].filter(Boolean);
  return (
    <>
      <p>{t("footer.tagline", { municipality: m.name })}</p>
      {m.contact.address || reach.length ? (
        <p className="footer-contact">
          {/* An address typed on several lines reads on one here, its lines separated by commas. */}
          {m.contact.address ? (
            <span>
              {m.contact.address
                .split(/\r?\n/)
                .map((line) => line.trim())
                .filter(Boolean)
                .join(", ")}
            </span>
          ) : null}
          {reach.map((r, i) => (
            <span key={i}>
              {m.contact.address || i > 0 ? " · " : ""}
              {r}
            </span>
          ))}
        </p>
      ) : null}
    </>
  );
}

function FooterLinks() {
  const links = useMunicipality().footerLinks;
  if (!links.length) return null;
  return (
    <p>
      {links.map((l, i) => (
        <span key={l.url}>
          {i > 0 ? " · " : ""}
          <a href={l.url}>{l.label}</a>
        </span>
      ))}
    </p>
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
      data-reason-closed={t("offline.reasonClosed")}
      data-reason-code={t("offline.reasonCode")}
      data-reason-answers={t("offline.reasonAnswers")}
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
  const error = useRouteError();
  const { shortName } = useMunicipality();
  return (
    <html lang={lang} dir="ltr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content={THEME_COLOUR} />
        {/* An error page has no route meta of its own: its title is said here, in <head>. */}
        {error ? (
          <>
            <title>{`${t(`errorPage.${errorKey(error)}.title`)} – ${shortName}`}</title>
            <meta name="robots" content="noindex" />
          </>
        ) : (
          <Meta />
        )}
        {inlineCss === null ? (
          <link rel="stylesheet" href={stylesheet} />
        ) : (
          <>
            <style dangerouslySetInnerHTML={{ __html: inlineCss }} />
            <link rel="stylesheet" href={stylesheet} media="print" />
          </>
        )}
        <Links />
        <link rel="manifest" href={urls.manifest(lang)} />
      </head>
      <body>
        <a className="skip" href="#main">
          {t("nav.skip")}
        </a>
        <header className="site">
          <Brand />
          <LanguageSwitch />
        </header>
        <main id={fragments.main} tabIndex={-1}>
          {hydrate ? null : <OfflineNotice />}
          {children}
        </main>
        <footer className="site">
          <MunicipalityFooter />
          <p>
            <a href={urls.privacy(lang)}>{t("footer.privacy")}</a> · <a href={urls.accessibility(lang)}>{t(`footer.accessibility.${conformanceStatus()}`)}</a> ·{" "}
            <a href={urls.openData.list(lang)}>{t("footer.openData")}</a> · <a href={urls.receipts(lang)}>{t("home.receiptLink")}</a> ·{" "}
            <a href={urls.staff.login(lang)}>{t("footer.staff")}</a>
          </p>
          <FooterLinks />
        </footer>
        {hydrate ? (
          <>
            <ScrollRestoration />
            <Scripts />
          </>
        ) : (
          <script src={urls.files.pageScript} defer />
        )}
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/** Which error page a thrown error shows (`errorPage.<key>` in the locales). */
function errorKey(error: unknown): string {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    { 400: "badRequest", 403: "forbidden", 404: "notFound", 405: "notFound", 413: "tooLarge", 415: "badRequest", 429: "tooMany", 503: "unavailable" }[status] ??
    "serverError"
  );
}

export function ErrorBoundary() {
  const t = useT();
  const lang = useLang();
  const key = errorKey(useRouteError());
  return (
    <>
      <h1>{t(`errorPage.${key}.title`)}</h1>
      <p>{t(`errorPage.${key}.body`)}</p>
      <p>
        <a href={urls.home(lang)}>{t("errorPage.home")}</a>
      </p>
    </>
  );
}
