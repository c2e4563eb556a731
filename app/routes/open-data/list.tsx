import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { licence, listPublishedDatasets } from "~/domain/opendata/opendata.server";
import { getDb } from "~/platform/db.server";
import { openDataSettings } from "~/web/settings.server";
import { requireLang } from "~/web/http.server";
import { useFormat, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { urls } from "~/urls";
import { pageTitle } from "~/i18n/title";

/** The published datasets, with their stable addresses. */
export async function loader({ params }: LoaderFunctionArgs) {
  const lang = requireLang(params);
  const list = await listPublishedDatasets(await getDb());
  const settings = await openDataSettings();
  return json({
    lang,
    licence: licence(settings.licence),
    maxSmall: settings.k - 1,
    datasets: list.map((d) => ({ slug: d.slug, title: d.texts[lang].title, publishedAt: d.publishedAt!.toISOString() })),
  });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: pageTitle(matches, tFor(data?.lang ?? "fr")("openData.title")) }];

export default function OpenData() {
  const { datasets, licence, maxSmall } = useLoaderData<typeof loader>();
  const t = useT();
  const f = useFormat();
  return (
    <>
      <h1>{t("openData.title")}</h1>
      <p>{t("openData.intro")}</p>
      <p>
        {t("openData.licence")} <a href={licence.url}>{licence.title}</a> ({licence.id})
      </p>
      <p>{t("openData.smallCounts", { max: maxSmall })}</p>
      <p>
        <a href={urls.openData.catalog()}>{t("openData.catalog")}</a>
      </p>
      {datasets.length === 0 ? (
        <p>{t("openData.none")}</p>
      ) : (
        <ul className="cards">
          {datasets.map((d) => (
            <li key={d.slug}>
              <h2>{d.title}</h2>
              <p className="meta">{t("openData.published", { date: f.date(d.publishedAt) })}</p>
              <p>
                <a href={urls.openData.csv(d.slug)}>{t("openData.csv")}</a> · <a href={urls.openData.json(d.slug)}>{t("openData.json")}</a> ·{" "}
                <a href={urls.openData.datapackage(d.slug)}>{t("openData.datapackage")}</a>
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
