import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { formatReceipt, normaliseReceipt } from "~/domain/responses/receipt";
import { findReceipt } from "~/domain/responses/submit.server";
import { getDb } from "~/platform/db.server";
import { orUnavailable, PRIVATE_PAGE, requireLang } from "~/web/http.server";
import { useFormat, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { urls } from "~/urls";
import { pageTitle } from "~/i18n/title";

/** "Was my answer counted?" — yes with the day, or no. Nothing else about the answer. */
export async function loader({ params }: LoaderFunctionArgs) {
  const lang = requireLang(params);
  const raw = (params.code ?? "").slice(0, 64);
  const code = normaliseReceipt(raw);
  const found = code ? await orUnavailable(async () => findReceipt(await getDb(), code)) : null;
  return json(
    { lang, shown: code ? formatReceipt(code) : raw, receivedAt: found ? found.receivedAt.toISOString() : null },
    { status: found ? 200 : 404, headers: { ...PRIVATE_PAGE, "Referrer-Policy": "no-referrer" } },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = tFor(data?.lang ?? "fr");
  return [{ title: pageTitle(matches, t(data?.receivedAt ? "receipts.countedTitle" : "receipts.notFoundTitle")) }, { name: "robots", content: "noindex" }];
};

export default function Receipt() {
  const { lang, shown, receivedAt } = useLoaderData<typeof loader>();
  const t = useT();
  const format = useFormat();
  return (
    <>
      <h1>{t(receivedAt ? "receipts.countedTitle" : "receipts.notFoundTitle")}</h1>
      <p className="lede">
        {receivedAt ? t("receipts.countedBody", { code: shown, date: format.date(receivedAt) }) : t("receipts.notFoundBody", { code: shown })}
      </p>
      <p>
        <a href={urls.receipts(lang)}>{t("receipts.title")}</a>
      </p>
      <p>
        <a href={urls.home(lang)}>{t("nav.home")}</a>
      </p>
    </>
  );
}
