import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Bar } from "~/components/staff/Bar";
import { summaryFilterSchema } from "~/domain/consultations/schema.server";
import { summarize, UNDER_REPRESENTED } from "~/domain/summary/summary.server";
import { parseFormData } from "~/forms/forms.server";
import { useFormat, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { staffConsultation } from "~/staff.server";

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

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${tFor(data?.lang ?? "fr")("staff.summary.title")} – ${data?.title ?? ""}` }];

export default function SummaryPage() {
  const { lang, slug, title, summary, breakdownBy, demographics, generated } = useLoaderData<typeof loader>();
  const t = useT();
  const f = useFormat();
  const base = `/${lang}/staff/consultations/${slug}`;
  const pct = (r: number) => f.percent(r);
  return (
    <article className="summary">
      <p className="no-print">
        <a href={base}>← {title}</a>
      </p>
      <h1>
        {t("staff.summary.title")} – {title}
      </h1>
      <p>{t("staff.summary.generated", { date: f.dateTime(generated) })}</p>
      <p>
        {t("staff.manage.total", { count: summary.total })} ({t("staff.channel.web")} {summary.byChannel.web}, {t("staff.channel.offline")}{" "}
        {summary.byChannel.offline}, {t("staff.channel.paper")} {summary.byChannel.paper})
      </p>
      <p className="no-print">
        <a href={`${base}/summary.csv`}>{t("staff.summary.downloadCsv")}</a> · {t("staff.summary.printHint")}
      </p>
      {demographics.length ? (
        <form method="get" action={`${base}/summary`} className="no-print inline">
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

      {summary.representation.length ? (
        <section aria-labelledby="heard">
          <h2 id="heard">{t("staff.summary.heardTitle")}</h2>
          <p>{t("staff.summary.heardIntro", { threshold: pct(UNDER_REPRESENTED) })}</p>
          {summary.representation.map((r) => {
            const q = summary.questions.find((x) => x.id === r.questionId)!;
            return (
              <table key={r.questionId}>
                <caption>
                  {q.prompt[lang]} ({t("staff.summary.base", { count: r.base })})
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t("staff.summary.group")}</th>
                    <th scope="col">{t("staff.summary.respondents")}</th>
                    <th scope="col">{t("staff.summary.reference")}</th>
                    <th scope="col">{t("staff.summary.verdict")}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.rows.map((row) => (
                    <tr key={row.optionId}>
                      <th scope="row">{row.labels[lang]}</th>
                      <td>
                        {pct(row.share)} ({row.count}) <Bar ratio={row.share} />
                      </td>
                      <td>{row.reference === null ? "—" : pct(row.reference)}</td>
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
            );
          })}
          <p className="no-print">
            <a href={`${base}/references`}>{t("staff.summary.editReferences")}</a>
          </p>
        </section>
      ) : null}

      {summary.questions.map((q, i) => {
        const cells = summary.breakdown?.cells[q.id];
        const groups = summary.breakdown?.groups ?? [];
        return (
          <section key={q.id} className="question-summary" aria-labelledby={`s-${q.code}`}>
            <h2 id={`s-${q.code}`}>
              {i + 1}. {q.prompt[lang]}
            </h2>
            <p>{t("staff.summary.answered", { count: q.answered })}</p>
            {q.options.length ? (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("staff.summary.answer")}</th>
                    <th scope="col">{q.kind === "ranking" ? t("staff.summary.meanRank") : t("staff.summary.count")}</th>
                    <th scope="col">{t("staff.summary.share")}</th>
                    {cells
                      ? groups.map((g) => (
                          <th scope="col" key={g.optionId}>
                            {g.labels[lang]}
                          </th>
                        ))
                      : null}
                  </tr>
                </thead>
                <tbody>
                  {q.options.map((o) => (
                    <tr key={o.id}>
                      <th scope="row">{o.labels[lang]}</th>
                      <td>{q.kind === "ranking" ? (o.meanPosition === null ? "—" : f.number(o.meanPosition, 2)) : o.count}</td>
                      <td>
                        {pct(o.share)} <Bar ratio={o.share} />
                      </td>
                      {cells ? groups.map((g) => <td key={g.optionId}>{cells[g.optionId]?.[o.id] ?? 0}</td>) : null}
                    </tr>
                  ))}
                  {q.other ? (
                    <tr>
                      <th scope="row">{t("question.other")}</th>
                      <td>{q.other}</td>
                      <td>{pct(q.answered ? q.other / q.answered : 0)}</td>
                    </tr>
                  ) : null}
                  {q.preferNot ? (
                    <tr>
                      <th scope="row">{t("question.preferNot")}</th>
                      <td>{q.preferNot}</td>
                      <td>{pct(q.answered ? q.preferNot / q.answered : 0)}</td>
                    </tr>
                  ) : null}
                </tbody>
              </table>
            ) : null}
            {q.scale ? (
              <>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t("staff.summary.value")}</th>
                      <th scope="col">{t("staff.summary.count")}</th>
                      <th scope="col">{t("staff.summary.share")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {q.scale.distribution.map((n, v) => (
                      <tr key={v}>
                        <th scope="row">{v + 1}</th>
                        <td>{n}</td>
                        <td>
                          {pct(q.answered ? n / q.answered : 0)} <Bar ratio={q.answered ? n / q.answered : 0} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <p>{q.scale.mean === null ? t("staff.summary.noMean") : t("staff.summary.mean", { mean: f.number(q.scale.mean, 2) })}</p>
                {cells ? (
                  <p>
                    {groups.map((g) => `${g.labels[lang]} : ${cells[g.optionId]?.mean !== undefined ? f.number(cells[g.optionId].mean, 2) : "—"}`).join(" · ")}
                  </p>
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
