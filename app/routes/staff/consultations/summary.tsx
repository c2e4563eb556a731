import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { Bar } from "~/components/staff/Bar";
import { summaryFilterSchema } from "~/domain/consultations/schema.server";
import { summarize, UNDER_REPRESENTED, type Cell } from "~/domain/summary/summary.server";
import { parseFormData } from "~/forms/forms.server";
import { useFormat, useLang, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { staffConsultation } from "~/web/staff.server";
import { urls } from "~/urls";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, db, consultation: c } = await staffConsultation(request, params, "exports:read");
  const filter = parseFormData(new URL(request.url).searchParams, summaryFilterSchema);
  const breakdownBy = (filter.status === "success" && filter.value.breakdown) || null;
  const summary = await summarize(db, c, { breakdownBy });
  return json({
    lang,
    slug: c.slug,
    status: c.status,
    title: c.texts[lang].title || c.slug,
    summary,
    breakdownBy: summary.breakdown ? breakdownBy : null,
    demographics: c.questions.filter((q) => q.demographic).map((q) => ({ code: q.code, prompt: q.texts[lang].prompt })),
    generated: new Date().toISOString(),
  });
}

/** The print stylesheet (running header, page numbers) is made per consultation: the CSP allows no inline style. */
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${tFor(data?.lang ?? "fr")("staff.summary.title")} – ${data?.title ?? ""}` },
  ...(data ? [{ tagName: "link", rel: "stylesheet", href: urls.staff.summaryCss(data.lang, data.slug, { at: data.generated }) }] : []),
];

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type Q = Data["summary"]["questions"][number];
type Group = NonNullable<Data["summary"]["breakdown"]>["groups"][number];

export default function SummaryPage() {
  const { lang, slug, title, summary, breakdownBy, demographics, generated } = useLoaderData<typeof loader>();
  const t = useT();
  const f = useFormat();
  const n = (x: number) => f.number(x, 0);
  const byQuestion = summary.breakdown ? summary.questions.find((q) => q.id === summary.breakdown!.by.id) : undefined;
  const groups = summary.breakdown?.groups ?? [];
  const groupLabel = (g: Group) => g.labels?.[lang] ?? (g.code === "other" ? t("question.other") : t("staff.summary.groupPreferNot"));
  const withReference = summary.representation.filter((r) => r.hasReference);
  const withoutReference = summary.representation.filter((r) => !r.hasReference);
  const promptOf = (id: string) => summary.questions.find((x) => x.id === id)!.prompt[lang];
  return (
    <article className="summary">
      <p className="no-print">
        <a href={urls.staff.consultation(lang, slug)}>← {title}</a>
      </p>
      <h1>
        {t("staff.summary.title")} – {title}
      </h1>
      <p>{t("staff.summary.generated", { date: f.dateTime(generated) })}</p>
      <p>
        {t("staff.summary.responses", {
          count: summary.total,
          n: n(summary.total),
          web: n(summary.byChannel.web),
          offline: n(summary.byChannel.offline),
          paper: n(summary.byChannel.paper),
        })}
      </p>
      <p className="no-print">
        <a href={urls.staff.summaryCsv(lang, slug, { breakdown: breakdownBy || undefined })}>{t("staff.summary.downloadCsv")}</a> ·{" "}
        <a href={urls.staff.summaryCsv(lang, slug, { breakdown: breakdownBy || undefined, format: "fr" })}>{t("staff.summary.downloadCsvFr")}</a> ·{" "}
        {t("staff.summary.printHint")}
      </p>
      {demographics.length ? (
        <form method="get" action={urls.staff.summary(lang, slug)} className="no-print inline">
          <label htmlFor="breakdown">{t("staff.summary.breakdownBy")}</label>
          <select id="breakdown" name="breakdown" defaultValue={breakdownBy ?? ""}>
            <option value="">{t("staff.summary.noBreakdown")}</option>
            {demographics.map((d) => (
              <option key={d.code} value={d.code}>
                {d.prompt}
              </option>
            ))}
          </select>
          <button type="submit">{t("staff.summary.apply")}</button>
        </form>
      ) : null}
      <p className="how-to-read">{t("staff.summary.howToRead")}</p>

      {summary.representation.length && !withReference.length ? (
        <p className="heard-none">
          {t("staff.summary.heardNone")} <a href={urls.staff.references(lang, slug)}>{t("staff.summary.editReferences")}</a>
        </p>
      ) : null}
      {withReference.length ? (
        <section aria-labelledby="heard" className="heard">
          <h2 id="heard">{t("staff.summary.heardTitle")}</h2>
          <p>{t("staff.summary.heardIntro", { threshold: f.percent(UNDER_REPRESENTED) })}</p>
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
              </colgroup>
              <thead>
                <tr>
                  <th scope="col">{t("staff.summary.group")}</th>
                  <th scope="col" className="num">
                    {t("staff.summary.count")}
                  </th>
                  <th scope="col">{t("staff.summary.share")}</th>
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
                    <td className="num">{row.reference === null ? "—" : f.percent(row.reference)}</td>
                    <td>
                      {row.reference === null ? (
                        t("staff.summary.noReference")
                      ) : row.under ? (
                        <strong className="flag">{t("staff.summary.under")}</strong>
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
      {summary.breakdown && byQuestion && summary.breakdown.ungrouped ? (
        <p>{t("staff.summary.ungrouped", { n: n(summary.breakdown.ungrouped), by: byQuestion.prompt[lang] })}</p>
      ) : null}

      {summary.questions.map((q, i) => {
        const grouped = byQuestion && q.id !== byQuestion.id ? groups : [];
        return (
          <section key={q.id} className="question-summary" aria-labelledby={`s-${q.code}`}>
            <h2 id={`s-${q.code}`}>
              {i + 1}. {q.prompt[lang]}
            </h2>
            <p>{t("staff.summary.answeredOf", { n: n(q.answered), total: n(summary.total), skipped: n(q.skipped) })}</p>
            {q.rows.length ? (
              <table className={`figures${grouped.length ? " grouped" : ""}`}>
                <caption>
                  {t("staff.summary.base", { count: q.answered, n: n(q.answered) })} {q.kind === "multiple" ? t("staff.summary.severalAnswers") : null}{" "}
                  {grouped.length ? t("staff.summary.groupsNote", { by: byQuestion!.prompt[lang] }) : null}
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
            {q.ranks ? <Ranking q={q} groups={grouped} groupLabel={groupLabel} by={byQuestion?.prompt[lang] ?? ""} /> : null}
            {q.kind === "short_text" || q.kind === "long_text" ? <p>{t("staff.summary.texts", { n: n(q.texts) })}</p> : null}
            {q.themes.length ? (
              <>
                <table className={`figures${grouped.length ? " grouped" : ""}`}>
                  <caption>
                    {t("staff.summary.themesCaption", { count: q.texts, n: n(q.texts) })}{" "}
                    {grouped.length ? t("staff.summary.themesGroupsNote", { by: byQuestion!.prompt[lang] }) : null}
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
      })}
    </article>
  );
}

/** Column widths shared by every figure table, so bars start at the same place in each. */
function Cols({ groups }: { groups: number }) {
  return (
    <colgroup>
      <col className="c-label" />
      <col className="c-count" />
      <col className="c-share" />
      {Array.from({ length: groups }, (_, i) => (
        <col key={i} />
      ))}
    </colgroup>
  );
}

/** A percentage and its bar; every bar is on one scale, 0 to 100 %. */
function ShareBar({ share, flagged }: { share: number; flagged?: boolean }) {
  const f = useFormat();
  return (
    <span className="share-bar">
      <span className="pct">{f.percent(share)}</span>
      <Bar ratio={share} flagged={flagged} />
    </span>
  );
}

/** A group's column header: its name, then how many of it answered the question. */
function GroupHeader({ label, n }: { label: string; n: number }) {
  const t = useT();
  const f = useFormat();
  return (
    <th scope="col" className="num">
      {label}
      <br />
      <span className="of">{t("staff.summary.groupN", { n: f.number(n, 0) })}</span>
    </th>
  );
}

/** A group's mean (scale) or average position (ranking), with how many it is over. */
function GroupMean({ mean, n }: { mean: number; n: number }) {
  const t = useT();
  const f = useFormat();
  return (
    <>
      {f.number(mean, 2)}
      <br />
      <span className="of">{t("staff.summary.groupN", { n: f.number(n, 0) })}</span>
    </>
  );
}

function GroupCell({ c }: { c: Cell | undefined }) {
  const t = useT();
  const f = useFormat();
  if (!c || !c.base) return <>—</>;
  return (
    <>
      {f.percent(c.share)}
      <br />
      <span className="of">{t("staff.summary.cellOf", { n: f.number(c.n, 0), base: f.number(c.base, 0) })}</span>
    </>
  );
}

function Ranking({ q, groups, groupLabel, by }: { q: Q; groups: Group[]; groupLabel: (g: Group) => string; by: string }): ReactNode {
  const t = useT();
  const f = useFormat();
  const lang = useLang();
  const ranks = q.ranks!;
  const positions = ranks[0]?.positions.length ?? 0;
  return (
    <table className="figures ranking">
      <caption>
        {t("staff.summary.rankCaption", { n: f.number(q.answered, 0), last: positions })} {groups.length ? t("staff.summary.rankCaptionGroups", { by }) : null}
      </caption>
      <colgroup>
        <col className="c-label" />
        <col className="c-rank" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">{t("staff.summary.item")}</th>
          <th scope="col" className="num">
            {t("staff.summary.meanRank")}
          </th>
          {Array.from({ length: positions }, (_, k) => (
            <th scope="col" className="num" key={k}>
              {t("staff.summary.rankN", { n: k + 1 })}
            </th>
          ))}
          {groups.map((g) => (
            <GroupHeader key={g.key} label={groupLabel(g)} n={q.groupAnswered[g.key] ?? 0} />
          ))}
        </tr>
      </thead>
      <tbody>
        {ranks.map((r) => (
          <tr key={r.optionId}>
            <th scope="row">{r.labels[lang]}</th>
            <td className="num">{r.meanPosition === null ? "—" : f.number(r.meanPosition, 2)}</td>
            {r.positions.map((p, k) => (
              <td className="num" key={k}>
                {f.number(p, 0)}
              </td>
            ))}
            {groups.map((g) => {
              const m = r.groups[g.key];
              return (
                <td key={g.key} className="num">
                  {m && m.meanPosition !== null ? <GroupMean mean={m.meanPosition} n={m.n} /> : "—"}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
