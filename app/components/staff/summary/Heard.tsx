/**
 * Who has not been heard: respondents' shares of each group beside the reference shares an
 * official entered, with the share's 95 % interval; groups of at least k people under
 * UNDER_REPRESENTED × their reference flagged, as an uncertain gap when the reference lies within
 * the interval. docs/decisions/052-no-verdict-on-a-small-group.md
 */
import { UNDER_REPRESENTED, type Summary } from "~/domain/summary/summary.server";
import { useFormat, useT } from "~/i18n/hooks";
import type { Lang } from "~/i18n/i18n";
import { urls } from "~/urls";
import { ShareBar } from "./Figures";

export function Heard({ lang, slug, summary, k }: { lang: Lang; slug: string; summary: Pick<Summary, "representation" | "questions">; k: number }) {
  const t = useT();
  const f = useFormat();
  const n = (x: number) => f.number(x, 0);
  const withReference = summary.representation.filter((r) => r.hasReference);
  const withoutReference = summary.representation.filter((r) => !r.hasReference);
  const promptOf = (id: string) => summary.questions.find((x) => x.id === id)!.prompt[lang];
  return (
    <>
      {summary.representation.length && !withReference.length ? (
        <p className="heard-none">
          {t("staff.summary.heardNone")} <a href={urls.staff.references(lang, slug)}>{t("staff.summary.editReferences")}</a>
        </p>
      ) : null}
      {withReference.length ? (
        <section aria-labelledby="heard" className="heard">
          <h2 id="heard">{t("staff.summary.heardTitle")}</h2>
          <p>{t("staff.summary.heardIntro", { threshold: f.percent(UNDER_REPRESENTED) })}</p>
          <p>{t("staff.summary.heardUncertainty", { k: n(k) })}</p>
          {withReference.map((r) => (
            <table key={r.questionId} className="figures heard-table">
              <caption>
                <strong>{promptOf(r.questionId)}</strong> — {t("staff.summary.heardBase", { count: r.base, n: n(r.base) })}{" "}
                {t("staff.summary.heardLeftOut", { preferNot: n(r.preferNot), other: n(r.other), skipped: n(r.skipped) })}
              </caption>
              <colgroup>
                <col className="c-label" />
                <col className="c-count" />
                <col className="c-share" />
                <col />
                <col />
                <col />
              </colgroup>
              <thead>
                <tr>
                  <th scope="col">{t("staff.summary.group")}</th>
                  <th scope="col" className="num">
                    {t("staff.summary.count")}
                  </th>
                  <th scope="col">{t("staff.summary.share")}</th>
                  <th scope="col">{t("staff.summary.interval")}</th>
                  <th scope="col" className="num">
                    {t("staff.summary.reference")}
                  </th>
                  <th scope="col">{t("staff.summary.verdict")}</th>
                </tr>
              </thead>
              <tbody>
                {r.rows.map((row) => (
                  <tr key={row.optionId}>
                    <th scope="row">{row.labels[lang]}</th>
                    <td className="num">{n(row.count)}</td>
                    <td>
                      <ShareBar share={row.share} flagged={row.under} />
                    </td>
                    <td>{row.interval ? t("staff.summary.intervalRange", { low: f.percent(row.interval.low), high: f.percent(row.interval.high) }) : "—"}</td>
                    <td className="num">{row.reference === null ? "—" : f.percent(row.reference)}</td>
                    <td>
                      {row.reference === null ? (
                        t("staff.summary.noReference")
                      ) : row.small ? (
                        t("staff.summary.small", { k: n(k) })
                      ) : row.under ? (
                        <strong className="flag">{row.clear ? t("staff.summary.under") : t("staff.summary.underUncertain")}</strong>
                      ) : (
                        t("staff.summary.ok")
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
          {withoutReference.length ? (
            <p>{t("staff.summary.heardMissing", { questions: f.list(withoutReference.map((r) => promptOf(r.questionId))) })}</p>
          ) : null}
          <p className="no-print">
            <a href={urls.staff.references(lang, slug)}>{t("staff.summary.editReferences")}</a>
          </p>
        </section>
      ) : null}
    </>
  );
}
