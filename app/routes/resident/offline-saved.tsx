import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { NotifyInvite } from "~/components/NotifyForm";
import { requireLang } from "~/web/http.server";
import { useLang, useT } from "~/i18n/hooks";
import { tFor, type Lang } from "~/i18n/i18n";
import { mailConfigured } from "~/platform/mail.server";
import { urls } from "~/urls";
import { pageTitle } from "~/i18n/title";

/**
 * The template the service worker answers with when it keeps an answer on the
 * device: it replaces __RECEIPT__ by the receipt code (derived from the submission id).
 */
export function loader({ params }: LoaderFunctionArgs) {
  return { lang: requireLang(params), notify: mailConfigured() };
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: pageTitle(matches, tFor((data?.lang ?? "fr") as Lang)("offline.savedTitle")) },
];

export default function Saved() {
  const t = useT();
  const lang = useLang();
  const { notify } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("offline.savedTitle")}</h1>
      <p className="lede">{t("offline.savedBody")}</p>
      <div className="receipt">
        <p>{t("offline.savedReceipt")}</p>
        <p className="receipt-code">
          <strong>__RECEIPT__</strong>
        </p>
      </div>
      <p>{t("offline.savedKeep")}</p>
      <p className="help">{t("offline.savedDirect")}</p>
      {/* The service worker puts the consultation's slug in place of __SLUG__. */}
      {notify ? <NotifyInvite lang={lang} slug="__SLUG__" /> : null}
      <p>
        <a href={urls.home(lang)}>{t("offline.home")}</a>
      </p>
    </>
  );
}
