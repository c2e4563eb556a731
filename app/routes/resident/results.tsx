import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ResultsView } from "~/components/ResultsView";
import { getConsultationCached } from "~/domain/consultations/cache.server";
import { resultsVisible } from "~/domain/consultations/rules";
import { openDataset } from "~/domain/opendata/opendata.server";
import { stepAfter } from "~/domain/opendata/public-figures.server";
import { publicResults } from "~/domain/opendata/public-results.server";
import { getDb } from "~/platform/db.server";
import { openDataSettings } from "~/web/settings.server";
import { notFound, orUnavailable, requireLang } from "~/web/http.server";
import { tFor } from "~/i18n/i18n";
import { pageTitle } from "~/i18n/title";

/**
 * Public results, once an official shows them (live while open, or with the open data after
 * closing): the open-data rows of the public figures as last computed (they change in steps,
 * decision 061), with the same protection. Bars are drawn on the server (SVG, no script) next to a table of the numbers.
 * Free texts appear only once a moderator has published them (a few per question, in an order
 * that does not follow arrival; all of them in the open data).
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const lang = requireLang(params);
  const slug = params.slug ?? "";
  const db = await orUnavailable(getDb);
  const c = await orUnavailable(() => getConsultationCached(db, slug));
  if (!c || !resultsVisible(c)) throw notFound();
  const settings = await openDataSettings();
  const { rows, snapshot } = await orUnavailable(() => openDataset(db, c, settings));
  const { responses, channels, questions } = publicResults(c, rows, lang);
  return json({
    lang,
    slug: c.slug,
    title: c.texts[lang].title,
    live: c.status === "open",
    asOf: (snapshot?.takenAt ?? new Date()).toISOString(),
    step: stepAfter(snapshot?.responses ?? 0, settings.k),
    k: settings.k,
    // Published counts never change silently (decision 036): when they were published, and changed since.
    figuresPublishedAt: c.figuresPublishedAt?.toISOString() ?? null,
    figuresUpdatedAt: c.figuresPublishedAt ? (c.figuresUpdatedAt?.toISOString() ?? null) : null,
    figuresVersion: c.figuresVersion,
    openData: c.openDataPublishedAt !== null,
    textsPublished: c.textsPublishedAt !== null,
    outcome: c.outcomePublishedAt && c.outcome ? c.outcome[lang] : null,
    responses,
    channels,
    questions,
  });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data
    ? [
        { title: pageTitle(matches, tFor(data.lang)("results.title", { title: data.title })) },
        { name: "description", content: tFor(data.lang)("results.description", { title: data.title }) },
      ]
    : [];

export default function Results() {
  return <ResultsView {...useLoaderData<typeof loader>()} />;
}
