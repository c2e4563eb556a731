import { can } from "~/auth/permissions";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FiguresVersion } from "~/components/staff/FiguresVersion";
import { Heard } from "~/components/staff/summary/Heard";
import { PublicView } from "~/components/staff/summary/PublicView";
import { QuestionFigures } from "~/components/staff/summary/QuestionFigures";
import { summaryFilterSchema } from "~/domain/consultations/schema.server";
import { figuresState } from "~/domain/opendata/figures.server";
import { residentView } from "~/domain/opendata/public-figures.server";
import { summarize, withoutBreakdown, type BreakdownGroup } from "~/domain/summary/summary.server";
import { parseFormData } from "~/forms/forms.server";
import { useFormat, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { staffConsultation } from "~/web/staff.server";
import { urls } from "~/urls";
import { pageTitle } from "~/i18n/title";
import { logoPath } from "~/domain/settings/settings.server";
import { municipality, openDataSettings } from "~/web/settings.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, db, staff, consultation: c } = await staffConsultation(request, params, "exports:read");
  const filter = parseFormData(new URL(request.url).searchParams, summaryFilterSchema);
  const breakdownBy = (filter.status === "success" && filter.value.breakdown) || null;
  const { k } = await openDataSettings();
  const summary = await summarize(db, c, { breakdownBy, k });
  const m = await municipality();
  return json({
    lang,
    slug: c.slug,
    status: c.status,
    title: c.texts[lang].title || c.slug,
    summary,
    k,
    breakdownBy: summary.breakdown ? breakdownBy : null,
    demographics: c.questions.filter((q) => q.demographic).map((q) => ({ code: q.code, prompt: q.texts[lang].prompt })),
    generated: new Date().toISOString(),
    // Printed at the top of the first page: on screen, the site's header shows it already.
    logo: m.logo ? { src: logoPath(m.logo), width: m.logo.width, height: m.logo.height, alt: m.name[lang] } : null,
    figures: figuresState(c),
    // What residents see differently: grouped or withheld answers, the public figures' date (decision 061).
    residents: await residentView(db, c, withoutBreakdown(summary), k),
    canEditOutcome: can(staff.role, "consultations:edit"),
  });
}

/** The print stylesheet (running header, page numbers) is made per consultation: the CSP allows no inline style. */
export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.summary.title"), data?.title) },
  ...(data ? [{ tagName: "link", rel: "stylesheet", href: urls.staff.summaryCss(data.lang, data.slug, { at: data.generated }) }] : []),
];

export default function SummaryPage() {
  const { lang, slug, title, summary, k, breakdownBy, demographics, generated, logo, figures, residents, canEditOutcome } = useLoaderData<typeof loader>();
  const t = useT();
  const f = useFormat();
  const n = (x: number) => f.number(x, 0);
  const byQuestion = summary.breakdown ? summary.questions.find((q) => q.id === summary.breakdown!.by.id) : undefined;
  const groups = summary.breakdown?.groups ?? [];
  const groupLabel = (g: BreakdownGroup) => g.labels?.[lang] ?? (g.code === "other" ? t("question.other") : t("staff.summary.groupPreferNot"));
  return (
    <article className="summary">
      <p className="no-print">
        <a href={urls.staff.consultation(lang, slug)}>← {title}</a>
      </p>
      {logo ? (
        <p className="print-only">
          <img className="print-logo" src={logo.src} width={Math.round((logo.width * 48) / logo.height)} height={48} alt={logo.alt} />
        </p>
      ) : null}
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
          sms: n(summary.byChannel.sms),
        })}
      </p>
      <FiguresVersion lang={lang} slug={slug} figures={figures} on="summary" canUpdate={canEditOutcome} />
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

      <Heard lang={lang} slug={slug} summary={summary} k={k} />
      <PublicView lang={lang} k={k} summary={summary} view={residents} />
      {summary.breakdown && byQuestion && summary.breakdown.ungrouped ? (
        <p>{t("staff.summary.ungrouped", { n: n(summary.breakdown.ungrouped), by: byQuestion.prompt[lang] })}</p>
      ) : null}

      {summary.questions.map((q, i) => (
        <QuestionFigures
          key={q.id}
          q={q}
          number={i + 1}
          total={summary.total}
          grouped={byQuestion && q.id !== byQuestion.id ? groups : []}
          groupLabel={groupLabel}
          by={byQuestion?.prompt[lang] ?? ""}
        />
      ))}
    </article>
  );
}
