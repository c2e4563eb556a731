import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { requireLang } from "~/web/http.server";
import { useLang, useT } from "~/i18n/hooks";
import { tFor, type Lang } from "~/i18n/i18n";
import { urls } from "~/urls";
import { pageTitle } from "~/i18n/title";

/** Precached by the service worker: shown for a page never visited while offline. */
export function loader({ params }: LoaderFunctionArgs) {
  return { lang: requireLang(params) };
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: pageTitle(matches, tFor((data?.lang ?? "fr") as Lang)("offline.title")) }];

export default function Offline() {
  const t = useT();
  const lang = useLang();
  return (
    <>
      <h1>{t("offline.title")}</h1>
      <p>{t("offline.body")}</p>
      <h2>{t("offline.savedHeading")}</h2>
      {/* Filled by the page script from what the service worker really holds. */}
      <ul id="quorum-saved" />
      <p id="quorum-saved-none">{t("offline.savedNone")}</p>
      <p>
        <a href={urls.home(lang)}>{t("offline.home")}</a>
      </p>
    </>
  );
}
