import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listConsultationsWithOutcome, listOpenConsultations } from "~/domain/consultations/queries.server";
import { getDb } from "~/platform/db.server";
import { orUnavailable, PRIVATE_PAGE, requireLang } from "~/web/http.server";
import { keptUntil } from "~/web/load-context";
import { useFormat, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { urls } from "~/urls";
import { pageTitle } from "~/i18n/title";

export async function loader({ params }: LoaderFunctionArgs) {
  const lang = requireLang(params);
  const [open, withOutcome] = await orUnavailable(async () => {
    const db = await getDb();
    return Promise.all([listOpenConsultations(db), listConsultationsWithOutcome(db)]);
  });
  const pick = (c: (typeof open)[number]) => ({
    slug: c.slug,
    title: c.texts[lang].title,
    summary: c.texts[lang].summary,
    closesAt: c.closesAt?.toISOString() ?? null,
    outcomePublishedAt: c.outcomePublishedAt?.toISOString() ?? null,
    hasResults: c.hasResults,
    version: c.version,
  });
  // Kept by the page cache no later than the next closing, which takes a consultation off the list with no write.
  return json({ lang, open: open.map(pick), withOutcome: withOutcome.map(pick) }, { headers: { ...PRIVATE_PAGE, ...keptUntil(open.map((c) => c.closesAt)) } });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = tFor(data?.lang ?? "fr");
  return [{ title: pageTitle(matches, t("home.title")) }, { name: "description", content: t("meta.siteDescription") }];
};

export default function Home() {
  const { lang, open, withOutcome } = useLoaderData<typeof loader>();
  const t = useT();
  const format = useFormat();
  return (
    <>
      <h1>{t("home.title")}</h1>
      <p className="lede">{t("home.intro")}</p>
      <section aria-labelledby="open-heading">
        <h2 id="open-heading">{t("home.openHeading")}</h2>
        {open.length === 0 ? (
          <p>{t("home.noneOpen")}</p>
        ) : (
          <ul className="cards">
            {open.map((c) => (
              // The page script hands these to the service worker, which saves them for offline use.
              <li key={c.slug} data-offline-path={urls.consultation(lang, c.slug)} data-offline-version={c.version}>
                <h3>
                  <a href={urls.consultation(lang, c.slug)}>{c.title}</a>
                </h3>
                <p>{c.summary}</p>
                <p className="meta">{c.closesAt ? t("home.closesOn", { date: format.date(c.closesAt) }) : t("home.noClosingDate")}</p>
                {c.hasResults ? (
                  <p>
                    <a href={urls.results(lang, c.slug)}>{t("home.resultsLive", { title: c.title })}</a>
                  </p>
                ) : null}
                <p className="meta" data-offline-ready hidden>
                  {t("home.readyOffline")}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
      {withOutcome.length > 0 ? (
        <section aria-labelledby="outcome-heading">
          <h2 id="outcome-heading">{t("home.outcomesHeading")}</h2>
          <ul className="cards">
            {withOutcome.map((c) => (
              <li key={c.slug}>
                <h3>
                  <a href={urls.consultation(lang, c.slug)}>{c.title}</a>
                </h3>
                <p>{c.summary}</p>
                {c.outcomePublishedAt ? <p className="meta">{t("home.outcomePublished", { date: format.date(c.outcomePublishedAt) })}</p> : null}
                {c.hasResults ? (
                  <p>
                    <a href={urls.results(lang, c.slug)}>{t("home.results", { title: c.title })}</a>
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p>
        <a href={urls.receipts(lang)}>{t("home.receiptLink")}</a>
      </p>
    </>
  );
}
