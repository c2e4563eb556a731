/**
 * One question of the summary: its table of counts and shares (with the breakdown's groups when
 * one is chosen), a scale's mean, a ranking's positions, the themes of its free texts with their
 * quotes, and excerpts.
 */
import type { BreakdownGroup, QuestionSummary } from "~/domain/summary/summary.server";
import { useFormat, useLang, useT } from "~/i18n/hooks";
import { Cols, GroupCell, GroupHeader, GroupMean, ShareBar } from "./Figures";
import { Ranking } from "./Ranking";

export interface QuestionFiguresProps {
  q: QuestionSummary;
  /** Its number on the page, from 1. */
  number: number;
  /** Responses in all. */
  total: number;
  /** The breakdown's groups; none without a breakdown (or for the breakdown question itself). */
  grouped: BreakdownGroup[];
  groupLabel: (g: BreakdownGroup) => string;
  /** The breakdown question's prompt. */
  by: string;
}

export function QuestionFigures({ q, number, total, grouped, groupLabel, by }: QuestionFiguresProps) {
  const t = useT();
  const f = useFormat();
  const lang = useLang();
  const n = (x: number) => f.number(x, 0);
  return (
    <section className="question-summary" aria-labelledby={`s-${q.code}`}>
      <h2 id={`s-${q.code}`}>
        {number}. {q.prompt[lang]}
      </h2>
      <p>{t("staff.summary.answeredOf", { n: n(q.answered), total: n(total), skipped: n(q.skipped) })}</p>
      {q.rows.length ? (
        <table className={`figures${grouped.length ? " grouped" : ""}`}>
          <caption>
            {t("staff.summary.base", { count: q.answered, n: n(q.answered) })} {q.kind === "multiple" ? t("staff.summary.severalAnswers") : null}{" "}
            {grouped.length ? t("staff.summary.groupsNote", { by }) : null}
          </caption>
          <Cols groups={grouped.length} />
          <thead>
            <tr>
              <th scope="col">{q.kind === "scale" ? t("staff.summary.value") : t("staff.summary.answer")}</th>
              <th scope="col" className="num">
                {t("staff.summary.count")}
              </th>
              <th scope="col">{t("staff.summary.share")}</th>
              {grouped.map((g) => (
                <GroupHeader key={g.key} label={groupLabel(g)} n={q.groupAnswered[g.key] ?? 0} />
              ))}
            </tr>
          </thead>
          <tbody>
            {q.rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">
                  {r.labels?.[lang] ?? (r.kind === "other" ? t("question.other") : r.kind === "prefer_not" ? t("staff.summary.preferNot") : r.key)}
                  {r.kind === "scale" && r.key === "1" && q.scaleEnds?.low[lang] ? ` – ${q.scaleEnds.low[lang]}` : null}
                  {r.kind === "scale" && r.key === "5" && q.scaleEnds?.high[lang] ? ` – ${q.scaleEnds.high[lang]}` : null}
                </th>
                <td className="num">{n(r.n)}</td>
                <td>
                  <ShareBar share={r.share} />
                </td>
                {grouped.map((g) => (
                  <td key={g.key} className="num">
                    <GroupCell c={r.groups[g.key]} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          {q.scale ? (
            <tfoot>
              <tr>
                <th scope="row">{t("staff.summary.meanRow")}</th>
                <td className="num">{n(q.scale.valued)}</td>
                <td className="num">{q.scale.mean === null ? "—" : f.number(q.scale.mean, 2)}</td>
                {grouped.map((g) => {
                  const m = q.scale!.groups[g.key];
                  return (
                    <td key={g.key} className="num">
                      {m && m.mean !== null ? <GroupMean mean={m.mean} n={m.n} /> : "—"}
                    </td>
                  );
                })}
              </tr>
            </tfoot>
          ) : null}
        </table>
      ) : null}
      {q.scale ? (
        <p>{q.scale.mean === null ? t("staff.summary.noMean") : t("staff.summary.mean", { mean: f.number(q.scale.mean, 2), n: n(q.scale.valued) })}</p>
      ) : null}
      {q.ranks ? <Ranking q={q} groups={grouped} groupLabel={groupLabel} by={by} /> : null}
      {q.kind === "short_text" || q.kind === "long_text" ? <p>{t("staff.summary.texts", { n: n(q.texts) })}</p> : null}
      {q.themes.length ? (
        <>
          <table className={`figures${grouped.length ? " grouped" : ""}`}>
            <caption>
              {t("staff.summary.themesCaption", { count: q.texts, n: n(q.texts) })} {grouped.length ? t("staff.summary.themesGroupsNote", { by }) : null}
            </caption>
            <Cols groups={grouped.length} />
            <thead>
              <tr>
                <th scope="col">{t("staff.summary.theme")}</th>
                <th scope="col" className="num">
                  {t("staff.summary.count")}
                </th>
                <th scope="col">{t("staff.summary.share")}</th>
                {grouped.map((g) => (
                  <GroupHeader key={g.key} label={groupLabel(g)} n={q.groupTexts[g.key] ?? 0} />
                ))}
              </tr>
            </thead>
            <tbody>
              {q.themes.map((r) => (
                <tr key={r.themeId}>
                  <th scope="row">{r.labels[lang]}</th>
                  <td className="num">{n(r.n)}</td>
                  <td>
                    <ShareBar share={r.share} />
                  </td>
                  {grouped.map((g) => (
                    <td key={g.key} className="num">
                      <GroupCell c={r.groups[g.key]} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {q.themes.some((r) => r.quotes.length) ? (
            <>
              <h3>{t("staff.summary.quotes")}</h3>
              {q.themes
                .filter((r) => r.quotes.length)
                .map((r) => (
                  <section key={r.themeId} aria-label={r.labels[lang]}>
                    <h4>{r.labels[lang]}</h4>
                    <ul className="excerpts">
                      {r.quotes.map((e, k) => (
                        <li key={k}>
                          <blockquote>{e}</blockquote>
                        </li>
                      ))}
                    </ul>
                  </section>
                ))}
            </>
          ) : null}
        </>
      ) : null}
      {q.excerpts.length ? (
        <>
          <h3>{t("staff.summary.excerpts", { count: q.texts })}</h3>
          <ul className="excerpts">
            {q.excerpts.map((e, k) => (
              <li key={k}>
                <blockquote>{e}</blockquote>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
