import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireLang } from "~/web/http.server";
import { tFor } from "~/i18n/i18n";
import { urls } from "~/urls";

/** The web app manifest of one language: Quorum installed from /fr opens on /fr, in French. */
export function loader({ params }: LoaderFunctionArgs) {
  const lang = requireLang(params);
  const t = tFor(lang);
  const manifest = {
    id: urls.home(lang),
    name: t("manifest.name"),
    short_name: "Quorum",
    description: t("meta.siteDescription"),
    lang,
    dir: "ltr",
    start_url: urls.home(lang),
    scope: "/",
    display: "standalone",
    background_color: "#ffffff",
    theme_color: "#0b4f8a", // `--accent` in app/styles/app.css
    icons: [
      { src: urls.files.icon("icon-192.png"), sizes: "192x192", type: "image/png", purpose: "any" },
      { src: urls.files.icon("icon-512.png"), sizes: "512x512", type: "image/png", purpose: "any" },
      { src: urls.files.icon("maskable-512.png"), sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
  return new Response(JSON.stringify(manifest), {
    headers: { "Content-Type": "application/manifest+json; charset=utf-8", "Cache-Control": "public, max-age=3600" },
  });
}
