import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { NotifyInvite } from "~/components/NotifyForm";
import { getConsultationCached } from "~/domain/consultations/cache.server";
import { formatReceipt, normaliseReceipt } from "~/domain/responses/receipt";
import { receiptBelongsTo } from "~/domain/responses/submit.server";
import { getDb } from "~/platform/db.server";
import { notFound, orUnavailable, PRIVATE_PAGE, requireLang } from "~/web/http.server";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { mailConfigured } from "~/platform/mail.server";
import { urls } from "~/urls";
import { pageTitle } from "~/i18n/title";

/** Where a resident lands after answering (post/redirect/get): the receipt to keep. */
export async function loader({ params }: LoaderFunctionArgs) {
  const lang = requireLang(params);
  const code = normaliseReceipt(params.code ?? "");
  if (!code || !params.slug) throw notFound();
  const slug = params.slug;
  const consultation = await orUnavailable(async () => {
    const db = await getDb();
    const c = await getConsultationCached(db, slug);
    return c && (await receiptBelongsTo(db, code, c.id)) ? c : null;
  });
  if (!consultation) throw notFound();
  return json(
    { lang, code, slug, title: consultation.texts[lang].title, notify: mailConfigured() },
    { headers: { ...PRIVATE_PAGE, "Referrer-Policy": "no-referrer" } },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data ? [{ title: pageTitle(matches, tFor(data.lang)("thanks.title")) }, { name: "robots", content: "noindex" }] : [];

export default function Thanks() {
  const { lang, code, slug, title, notify } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <h1>{t("thanks.title")}</h1>
      <p className="lede">{title}</p>
      <div className="receipt">
        <p>{t("thanks.receiptIntro")}</p>
        <p className="receipt-code">
          <strong>{formatReceipt(code)}</strong>
        </p>
      </div>
      <p>{t("thanks.keep")}</p>
      <p>
        <a href={urls.receipt(lang, formatReceipt(code))}>{t("thanks.check")}</a>
      </p>
      {notify ? <NotifyInvite lang={lang} slug={slug} /> : null}
      <p>
        <a href={urls.home(lang)}>{t("thanks.back")}</a>
      </p>
    </>
  );
}
