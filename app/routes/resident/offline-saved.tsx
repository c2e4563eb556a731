import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { NotifyInvite } from "~/components/NotifyForm";
import { requireLang } from "~/web/http.server";
import { useLang, useT } from "~/i18n/hooks";
import { tFor, type Lang } from "~/i18n/i18n";
import { mailConfigured } from "~/platform/mail.server";
import { KeptOnDevice } from "~/components/KeptOnDevice";
import { pageTitle } from "~/i18n/title";

/**
 * The template the service worker answers with when it keeps an answer on the
 * device: it replaces __RECEIPT__ by the receipt code (derived from the submission id)
 * and __SLUG__ by the consultation's slug.
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
    <KeptOnDevice t={t} lang={lang}>
      <p className="help">{t("offline.savedDirect")}</p>
      {/* The service worker puts the consultation's slug in place of __SLUG__. */}
      {notify ? <NotifyInvite lang={lang} slug="__SLUG__" /> : null}
    </KeptOnDevice>
  );
}
