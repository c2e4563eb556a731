/**
 * A consultation’s public results, as residents read them: every question’s counts and shares (bars
 * drawn on the server as SVG, no script, next to a table of the numbers), the themes of the free
 * texts and their quotes, the decision when it is published, and the way to the open data.
 */
import { Paragraphs } from "~/components/Paragraphs";
import type { Figure, PublicItem, PublicQuestion, PublicResults } from "~/domain/opendata/public-results.server";
import { useFormat, useT } from "~/i18n/hooks";
import type { Lang } from "~/i18n/i18n";
import { urls } from "~/urls";

export interface ResultsViewProps {
  lang: Lang;
  slug: string;
  title: string;
  live: boolean;
  /** When these public figures were computed (they change in steps of `step` answers). */
  asOf: string;
  step: number;
  k: number;
  figuresPublishedAt: string | null;
  figuresUpdatedAt: string | null;
  figuresVersion: number;
  openData: boolean;
  textsPublished: boolean;
  outcome: { heard: string; decided: string } | null;
  responses: Figure | null;
  channels: PublicResults["channels"];
  questions: PublicQuestion[];
}

/**
 * A bar for a share (0–1), drawn as SVG (attributes, no inline style); the table holds the number.
 * The track is the SVG's own background (app.css), the fill one rect as wide as the share, to a
 * hundredth of a percent: about 140 bytes a row.
 */
function Bar({ figure }: { figure: Figure }) {
  const share = "n" in figure ? figure.share : null;
  if (share === null) return null;
  return (
    <svg className="bar" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true">
      <rect width={Math.round(Math.max(0, Math.min(1, share)) * 10_000) / 100} height="1" className="bar-fill" />
    </svg>
  );
}

export function ResultsView(d: ResultsViewProps) {
  const t = useT();
  const f = useFormat();
  /** A count as shown: the number, or in words why it is not. */
  const count = (v: Figure | null) =>
    v === null ? null : "n" in v ? f.number(v.n) : v.withheld === "all_but_fewer" ? t("results.allButFewer", { k: d.k }) : t("results.fewer", { k: d.k });
  const share = (v: Figure) => ("n" in v && v.share !== null ? f.percent(v.share) : "");
  const name = (q: PublicQuestion, m: PublicItem["members"][number]) =>
    m.code === "other" ? t("results.other") : m.code === "prefer_not" ? t("results.preferNot") : q.kind === "scale" ? m.code : m.label;
  /** A row's label: an answer, a scale value, or what a group holds. */
  const label = (q: PublicQuestion, i: PublicItem) => {
    if (i.kind === "other") return t("results.other");
    if (i.kind === "prefer_not") return t("results.preferNot");
    if (i.kind === "scale") return t("results.value", { value: i.code });
    if (i.kind !== "combined") return i.label;
    if (q.kind === "scale") {
      const values = i.members.filter((m) => m.code !== "prefer_not").map((m) => m.code);
      const range =
        values.length === 1 ? t("results.value", { value: values[0] }) : t("results.valueRange", { from: values[0], to: values[values.length - 1] });
      return i.members.some((m) => m.code === "prefer_not") ? t("results.orPreferNot", { label: range }) : range;
    }
    return t("results.combined", { names: i.members.map((m) => name(q, m)).join(", ") });
  };
  const channelName = (code: string) => t(`results.channelNames.${code}`);
  const responses = d.responses && "n" in d.responses ? d.responses.n : null;
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
      <section aria-labelledby="protection" className="protection">
        <h2 id="protection" className="visually-hidden">
          {t("results.protectionHeading")}
        </h2>
        <p>{t("results.smallCounts", { max: d.k - 1, k: d.k })}</p>
        <p>{t("results.steps", { step: d.step })}</p>
      </section>
      {responses === null ? (
        <p>
          <strong>{t("results.responsesFewer", { k: d.k })}</strong>
        </p>
      ) : (
        <p>
          <strong>{t("results.responses", { n: f.number(responses) })}</strong> —{" "}
          {d.channels
            .map((c) =>
              c.members.length === 1
                ? t("results.channel", { name: channelName(c.code), n: count(c.figure) })
                : c.members.length === 3
                  ? t("results.channelsAll", { n: count(c.figure) })
                  : t("results.otherChannels", { names: c.members.map(channelName).join(", "), n: count(c.figure) }),
            )
            .join(" · ")}
        </p>
      )}
      {d.questions.map((q) => (
        <section key={q.code} aria-labelledby={`q-${q.code}`}>
          <h2 id={`q-${q.code}`}>{q.prompt}</h2>
          {q.answered === null ? null : "n" in q.answered ? (
            <p>{t("results.answered", { count: q.answered.n, n: f.number(q.answered.n) })}</p>
          ) : (
            <p>{t("results.answeredWithheld", { k: d.k })}</p>
          )}
          {q.notSplit ? <p>{t("results.notSplit")}</p> : null}
          {q.items.length && !q.notSplit ? (
            <table>
              <caption>{q.kind === "ranking" ? `${q.prompt} — ${t("results.firstCaption")}` : q.prompt}</caption>
              <thead>
                <tr>
                  <th scope="col">{t(q.kind === "ranking" ? "results.item" : "results.answer")}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t("results.chart")}</span>
                  </th>
                  <th scope="col" className="num">
                    {t(q.kind === "ranking" ? "results.first" : "results.count")}
                  </th>
                  <th scope="col" className="num">
                    {t("results.share")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {q.items.map((i) => (
                  <tr key={`${i.kind}-${i.code}`}>
                    <th scope="row">{label(q, i)}</th>
                    <td>
                      <Bar figure={i.figure} />
                    </td>
                    <td className="num">{count(i.figure)}</td>
                    <td className="num">{share(i.figure)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {q.grouped && !q.notSplit ? <p>{t("results.combinedNote", { k: d.k })}</p> : null}
          {q.kind === "ranking" && q.items.length && !q.ranks.length ? <p>{t("results.firstNote")}</p> : null}
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
                    <td className="num">{r.mean === null ? "" : f.number(r.mean, 2)}</td>
                    <td className="num">{count(r.first)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {q.themes.length ? (
            <>
              <h3>{t("results.themes")}</h3>
              <table>
                <caption>{t("results.themesCaption", { n: count(q.texts) })}</caption>
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
                        <Bar figure={th.figure} />
                      </td>
                      <td className="num">{count(th.figure)}</td>
                      <td className="num">{share(th.figure)}</td>
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
          ) : (q.kind === "short_text" || q.kind === "long_text") && q.texts && !("n" in q.texts) ? (
            <p>{t("results.textsFewer", { k: d.k })}</p>
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
