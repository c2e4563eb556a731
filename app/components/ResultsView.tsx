/**
 * A consultation’s public results, as residents read them: every question’s counts and shares (bars
 * drawn on the server as SVG, no script, next to a table of the numbers), the themes of the free
 * texts and their quotes, the decision when it is published, and the way to the open data.
 */
import { Paragraphs } from "~/components/Paragraphs";
import type { PublicQuestion } from "~/domain/opendata/public-results.server";
import { useFormat, useT } from "~/i18n/hooks";
import type { Lang } from "~/i18n/i18n";
import { urls } from "~/urls";

export interface ResultsViewProps {
  lang: Lang;
  slug: string;
  title: string;
  live: boolean;
  asOf: string;
  figuresPublishedAt: string | null;
  figuresUpdatedAt: string | null;
  figuresVersion: number;
  openData: boolean;
  textsPublished: boolean;
  outcome: { heard: string; decided: string } | null;
  maxSmall: number;
  responses: number | null;
  channels: { web: number | null; offline: number | null; paper: number | null };
  questions: PublicQuestion[];
}

/** A bar for a share (0–1), drawn as SVG (attributes, no inline style); the table holds the number. */
function Bar({ share }: { share: number | null }) {
  if (share === null) return null;
  return (
    <svg className="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
      <rect x="0" y="0" width="100" height="10" className="bar-track" />
      <rect x="0" y="0" width={Math.max(0, Math.min(1, share)) * 100} height="10" className="bar-fill" />
    </svg>
  );
}

export function ResultsView(d: ResultsViewProps) {
  const t = useT();
  const f = useFormat();
  const n = (v: number | null) => (v === null ? <abbr title={t("results.withheldLabel")}>{t("results.withheld")}</abbr> : f.number(v));
  const text = (v: number | null) => (v === null ? t("results.withheld") : f.number(v));
  return (
    <article className="results">
      <h1>{t("results.title", { title: d.title })}</h1>
      <p className="lede">{t("results.intro")}</p>
      {/* One date: when a closed consultation's counts were published (and changed since), or else the moment they were counted. */}
      {d.figuresPublishedAt && !d.live ? (
        <p className="figures-version">
          <strong>{t("results.figuresPublished", { date: f.dateTime(d.figuresPublishedAt) })}</strong>{" "}
          {d.figuresUpdatedAt ? <strong>{t("results.figuresUpdated", { date: f.dateTime(d.figuresUpdatedAt), version: d.figuresVersion })}</strong> : null}
        </p>
      ) : (
        <p>
          <strong>{t(d.live ? "results.asOfLive" : "results.asOf", { date: f.dateTime(d.asOf) })}</strong>
        </p>
      )}
      {d.outcome ? (
        <section aria-labelledby="outcome" className="outcome">
          <h2 id="outcome">{t("consultation.outcomeHeading")}</h2>
          <h3>{t("consultation.outcomeHeard")}</h3>
          <Paragraphs text={d.outcome.heard} />
          <h3>{t("consultation.outcomeDecided")}</h3>
          <Paragraphs text={d.outcome.decided} />
        </section>
      ) : null}
      <p>
        <strong>{t("results.responses", { n: text(d.responses) })}</strong> —{" "}
        {t("results.channels", { web: text(d.channels.web), offline: text(d.channels.offline), paper: text(d.channels.paper) })}
      </p>
      <p>{t("results.smallCounts", { max: d.maxSmall })}</p>
      {d.questions.map((q) => (
        <section key={q.code} aria-labelledby={`q-${q.code}`}>
          <h2 id={`q-${q.code}`}>{q.prompt}</h2>
          <p>{q.answered === null ? t("results.answeredWithheld") : t("results.answered", { n: f.number(q.answered) })}</p>
          {q.items.length ? (
            <table>
              <caption>{q.prompt}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("results.answer")}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t("results.chart")}</span>
                  </th>
                  <th scope="col" className="num">
                    {t("results.count")}
                  </th>
                  <th scope="col" className="num">
                    {t("results.share")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {q.items.map((i) => (
                  <tr key={`${i.kind}-${i.code}`}>
                    <th scope="row">
                      {i.kind === "other"
                        ? t("results.other")
                        : i.kind === "prefer_not"
                          ? t("results.preferNot")
                          : i.kind === "scale"
                            ? t("results.value", { value: i.code })
                            : i.label}
                    </th>
                    <td>
                      <Bar share={i.share} />
                    </td>
                    <td className="num">{n(i.count)}</td>
                    <td className="num">{i.share === null ? n(null) : f.percent(i.share)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {q.kind === "scale" && q.mean !== null ? <p>{t("results.mean", { mean: f.number(q.mean, 1) })}</p> : null}
          {q.ranks.length ? (
            <table>
              <caption>{q.prompt}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("results.item")}</th>
                  <th scope="col" className="num">
                    {t("results.averageRank")}
                  </th>
                  <th scope="col" className="num">
                    {t("results.first")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {q.ranks.map((r) => (
                  <tr key={r.label}>
                    <th scope="row">{r.label}</th>
                    <td className="num">{r.mean === null ? n(null) : f.number(r.mean, 2)}</td>
                    <td className="num">{n(r.first)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {q.themes.length ? (
            <>
              <h3>{t("results.themes")}</h3>
              <table>
                <caption>{t("results.themesCaption", { n: text(q.texts) })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("results.theme")}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t("results.chart")}</span>
                    </th>
                    <th scope="col" className="num">
                      {t("results.themeCount")}
                    </th>
                    <th scope="col" className="num">
                      {t("results.share")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {q.themes.map((th) => (
                    <tr key={th.code}>
                      <th scope="row">{th.label}</th>
                      <td>
                        <Bar share={th.share} />
                      </td>
                      <td className="num">{n(th.count)}</td>
                      <td className="num">{th.share === null ? n(null) : f.percent(th.share)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {q.themes
                .filter((th) => th.quotes.length)
                .map((th) => (
                  <figure key={th.code} className="quotes">
                    <figcaption>{t("results.quotesOf", { theme: th.label })}</figcaption>
                    <ul className="excerpts">
                      {th.quotes.map((quote, i) => (
                        <li key={i}>
                          <blockquote>
                            <Paragraphs text={quote} />
                          </blockquote>
                        </li>
                      ))}
                    </ul>
                  </figure>
                ))}
            </>
          ) : null}
          {q.shown.length ? (
            <>
              <h3>{t("results.excerpts")}</h3>
              <ul className="excerpts">
                {q.shown.map((text, i) => (
                  <li key={i}>
                    <blockquote>
                      <Paragraphs text={text} />
                    </blockquote>
                  </li>
                ))}
              </ul>
              {q.more ? <p>{t(d.openData ? "results.moreInOpenData" : "results.more", { count: q.more })}</p> : null}
            </>
          ) : (q.kind === "short_text" || q.kind === "long_text") && !d.textsPublished ? (
            <p>{t("results.textsNotPublished")}</p>
          ) : null}
        </section>
      ))}
      {d.openData ? (
        <p>
          <a href={urls.openData.csv(d.slug)}>{t("results.openData")}</a>
        </p>
      ) : null}
      <p>
        <a href={urls.consultation(d.lang, d.slug)}>{t("results.back")}</a>
      </p>
    </article>
  );
}
