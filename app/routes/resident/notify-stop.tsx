import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useParams } from "@remix-run/react";
import { getDb } from "~/platform/db.server";
import { findAddress, forgetAddress } from "~/domain/notify/notify.server";
import { requireLang } from "~/web/http.server";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { urls } from "~/urls";
import { pageTitle } from "~/i18n/title";

const HEADERS = { "Cache-Control": "no-store", "Referrer-Policy": "same-origin" };

/**
 * Unsubscribe: the address is deleted. A POST to this address deletes at once — the one-click
 * unsubscribe of RFC 8058 that mail programs send (`List-Unsubscribe-Post`), or the button here.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const lang = requireLang(params);
  const found = await findAddress(await getDb(), params.token ?? "");
  return json({ lang, kept: !!found }, { headers: HEADERS });
}

export async function action({ params }: ActionFunctionArgs) {
  const lang = requireLang(params);
  const deleted = await forgetAddress(await getDb(), params.token ?? "");
  return json({ lang, deleted }, { headers: HEADERS });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: pageTitle(matches, tFor(data?.lang ?? "fr")("notify.stopTitle")) },
  { name: "robots", content: "noindex" },
];

export default function Stop() {
  const { lang, kept } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  const token = useParams().token ?? "";
  const t = useT();
  return (
    <>
      <h1>{t("notify.stopTitle")}</h1>
      {done ? (
        <div className="notice" role="status">
          <p>{t(done.deleted ? "notify.stopped" : "notify.gone")}</p>
        </div>
      ) : kept ? (
        <form method="post" action={urls.notifyStop(lang, token)}>
          <p>{t("notify.stopIntro")}</p>
          <button type="submit">{t("notify.stopButton")}</button>
        </form>
      ) : (
        <p>{t("notify.gone")}</p>
      )}
    </>
  );
}
