import { municipalTimeZone } from "~/web/settings.server";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { can } from "~/auth/permissions";
import { Done } from "~/components/staff/Fields";
import { FormSummary } from "~/components/staff/Refusal";
import { missingText } from "~/components/staff/missing";
import { missingForOpening, type Missing } from "~/domain/consultations/completeness";
import { participation } from "~/domain/consultations/dashboard.server";
import { transition } from "~/domain/consultations/lifecycle.server";
import { DEMO_SLUG } from "~/domain/consultations/demo";
import { isConfirmedIntent } from "~/domain/consultations/confirm";
import { lifecycleSchema, type LifecycleIntent } from "~/domain/consultations/schema.server";
import { publishOpenData, publishResults } from "~/domain/opendata/publication.server";
import { parseForm } from "~/forms/forms.server";
import { errorsOf } from "~/forms/result";
import { useFormat, useT } from "~/i18n/hooks";
import { notificationCounts } from "~/domain/notify/notify.server";
import { mailConfigured, notifyMail } from "~/platform/mail.server";
import { staffConsultation } from "~/web/staff.server";
import { urls } from "~/urls";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, staff, db, consultation: c } = await staffConsultation(request, params, "consultations:read");
  const stats = await participation(db, c.id, await municipalTimeZone());
  const told = await notificationCounts(db, c.id);
  return json({
    lang,
    role: staff.role,
    slug: c.slug,
    isDemo: c.slug === DEMO_SLUG,
    status: c.status,
    mode: c.mode,
    title: c.texts[lang].title || c.slug,
    opensAt: c.opensAt?.toISOString() ?? null,
    closesAt: c.closesAt?.toISOString() ?? null,
    outcomePublished: !!c.outcomePublishedAt,
    openDataPublished: !!c.openDataPublishedAt,
    resultsPublished: !!c.resultsPublishedAt,
    told,
    mail: mailConfigured(),
    missing: c.status === "draft" ? missingForOpening(c) : [],
    stats,
    questions: c.questions.map((q, i) => ({ number: i + 1, prompt: q.texts[lang].prompt || q.code, answered: stats.byQuestion[q.id] ?? 0 })),
  });
}

const TARGET = { open: "open", close: "closed", reopen: "open", archive: "archived" } as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, staff, db, consultation } = await staffConsultation(request, params, "consultations:edit");
  const submission = await parseForm(request, lifecycleSchema);
  if (submission.status !== "success") return json({ result: submission.reply(), missing: [] as Missing[] }, { status: 400 });
  const refused = (key: string, missing: Missing[] = []) => json({ result: submission.reply({ formErrors: [{ key }] }), missing }, { status: 409 });
  const intent: LifecycleIntent = submission.value.intent;
  // What residents will see changes only once the official has read what will happen and confirmed it.
  if (isConfirmedIntent(intent) && !submission.value.confirmed) return redirect(urls.staff.confirm(lang, consultation.slug, { intent }), 303);
  const done = redirect(urls.staff.consultation(lang, consultation.slug, { done: intent }));
  if (intent === "publishOpenData" || intent === "unpublishOpenData") {
    const published = await publishOpenData(db, staff.id, consultation, intent === "publishOpenData", await notifyMail(consultation));
    return published.ok ? done : refused("openDataNotClosed");
  }
  if (intent === "publishResults" || intent === "unpublishResults") {
    const published = await publishResults(db, staff.id, consultation, intent === "publishResults", await notifyMail(consultation));
    return published.ok ? done : refused("resultsDraft");
  }
  const moved = await transition(db, staff.id, consultation, TARGET[intent]);
  if (moved.ok) return done;
  return moved.reason === "incomplete" ? refused("incomplete", moved.missing) : refused("notAllowed");
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Quorum` }];

export default function ManageConsultation() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const t = useT();
  const format = useFormat();
  const { lang, slug, status } = data;
  const base = urls.staff.consultation(lang, slug);
  const edit = can(data.role, "consultations:edit");
  const missing = result?.missing?.length ? result.missing : data.missing;
  // Opening, closing and reopening lead to a page that says what residents will see, and asks to confirm.
  const lifecycle = (intent: keyof typeof TARGET) => (
    <form method={intent === "archive" ? "post" : "get"} action={intent === "archive" ? base : urls.staff.confirm(lang, slug)} className="inline">
      <input type="hidden" name="intent" value={intent} />
      <button type="submit" className={intent === "open" ? "primary" : undefined}>
        {t(`staff.manage.${intent}`)}
      </button>
    </form>
  );
  return (
    <>
      <h1>{data.title}</h1>
      <Done done={search.get("done")} />
      <FormSummary errors={errorsOf(result?.result)} />
      <p>
        {t("staff.manage.statusLine", { status: t(`staff.status.${status}`), mode: t(`staff.mode.${data.mode}`) })}
        {data.closesAt ? ` ${t("staff.manage.closes", { date: format.dateTime(data.closesAt) })}` : ""}
      </p>
      <ul className="actions">
        {edit ? (
          <>
            <li>
              <a href={urls.staff.edit(lang, slug)}>{t("staff.manage.editTexts")}</a>
            </li>
            <li>
              <a href={urls.staff.questions(lang, slug)}>{t("staff.manage.editQuestions")}</a>
            </li>
          </>
        ) : null}
        <li>
          <a href={urls.staff.preview(lang, slug, { as: "fr" })}>{t("staff.manage.previewFr")}</a>
        </li>
        <li>
          <a href={urls.staff.preview(lang, slug, { as: "en" })}>{t("staff.manage.previewEn")}</a>
        </li>
        {edit && data.mode === "code" ? (
          <li>
            <a href={urls.staff.codes(lang, slug)}>{t("staff.manage.codes")}</a>
          </li>
        ) : null}
        {edit ? (
          <li>
            <a href={urls.staff.questionnaire(lang, slug)}>{t("staff.manage.blankForm")}</a>
          </li>
        ) : null}
        {can(data.role, "answers:paper") && (status === "open" || status === "closed") ? (
          <li>
            <a href={urls.staff.paper(lang, slug)}>{t("staff.manage.paper")}</a>
          </li>
        ) : null}
        {edit ? (
          <li>
            <a href={urls.staff.outcome(lang, slug)}>{t("staff.manage.outcome")}</a>
          </li>
        ) : null}
        {status !== "draft" ? (
          <li>
            <a href={urls.consultation(lang, slug)}>{t("staff.manage.publicPage")}</a>
          </li>
        ) : null}
        {edit ? (
          <li>
            <a href={urls.staff.duplicate(lang, slug)}>{t("staff.manage.duplicate")}</a>
          </li>
        ) : null}
        {edit && status === "draft" ? (
          <li>
            <a href={urls.staff.delete(lang, slug)}>{t("staff.manage.delete")}</a>
          </li>
        ) : null}
        {data.isDemo && data.role === "admin" && status !== "draft" ? (
          <li>
            <a href={urls.staff.delete(lang, slug)}>{t("staff.manage.removeDemo")}</a>
          </li>
        ) : null}
      </ul>
      <h2>{t("staff.manage.feedback")}</h2>
      <ul className="actions">
        <li>
          <a href={urls.staff.summary(lang, slug)}>{t("staff.manage.summary")}</a>
        </li>
        {can(data.role, "answers:moderate") ? (
          <li>
            <a href={urls.staff.moderation(lang, slug)}>{t("staff.manage.moderation")}</a>
          </li>
        ) : null}
        {can(data.role, "themes:manage") ? (
          <li>
            <a href={urls.staff.themes(lang, slug)}>{t("staff.manage.themes")}</a>
          </li>
        ) : null}
        <li>
          <a href={urls.staff.exportCsv(lang, slug)}>{t("staff.manage.exportCsv")}</a> ·{" "}
          <a href={urls.staff.exportCsv(lang, slug, { format: "fr" })}>{t("staff.manage.exportCsvFr")}</a> ·{" "}
          <a href={urls.staff.exportJson(lang, slug)}>{t("staff.manage.exportJson")}</a>
        </li>
        {edit ? (
          <li>
            <a href={urls.staff.references(lang, slug)}>{t("staff.manage.references")}</a>
          </li>
        ) : null}
      </ul>
      {edit && status !== "draft" ? (
        <section aria-labelledby="results">
          <h2 id="results">{t("staff.manage.results")}</h2>
          <p>
            {data.resultsPublished || data.openDataPublished ? (
              <>
                {t("staff.manage.resultsShown")} <a href={urls.results(lang, slug)}>{urls.results(lang, slug)}</a>
              </>
            ) : (
              t(status === "open" ? "staff.manage.resultsIntroLive" : "staff.manage.resultsIntro")
            )}
          </p>
          {data.openDataPublished && !data.resultsPublished ? <p className="help">{t("staff.manage.resultsWithOpenData")}</p> : null}
          <p className="help" id="told">
            {data.mail ? t("staff.manage.told", { confirmed: data.told.confirmed, unconfirmed: data.told.unconfirmed }) : t("staff.manage.toldNoMail")}
          </p>
          {!data.openDataPublished || data.resultsPublished ? (
            <form method="post" action={base} className="inline">
              <input type="hidden" name="intent" value={data.resultsPublished ? "unpublishResults" : "publishResults"} />
              <button type="submit">{data.resultsPublished ? t("staff.manage.unpublishResults") : t("staff.manage.publishResults")}</button>
            </form>
          ) : null}
        </section>
      ) : null}
      {edit && (status === "closed" || status === "archived") ? (
        <section aria-labelledby="open-data">
          <h2 id="open-data">{t("staff.manage.openData")}</h2>
          {data.openDataPublished ? (
            <p>
              {t("staff.manage.openDataPublished")} <a href={urls.openData.csv(slug)}>{urls.openData.csv(slug)}</a> ·{" "}
              <a href={urls.openData.json(slug)}>{urls.openData.json(slug)}</a>
            </p>
          ) : (
            <p>{t("staff.manage.openDataIntro")}</p>
          )}
          <form method="post" action={base} className="inline">
            <input type="hidden" name="intent" value={data.openDataPublished ? "unpublishOpenData" : "publishOpenData"} />
            <button type="submit">{data.openDataPublished ? t("staff.manage.unpublishOpenData") : t("staff.manage.publishOpenData")}</button>
          </form>
        </section>
      ) : null}
      {edit ? (
        <section aria-labelledby="lifecycle">
          <h2 id="lifecycle">{t("staff.manage.lifecycle")}</h2>
          {status === "draft" && missing.length ? (
            <div className="notice">
              <p>{t("staff.manage.missingIntro")}</p>
              <ul>
                {missing.map((m, i) => (
                  <li key={i}>{missingText(t, m)}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <div className="button-row">
            {status === "draft" ? lifecycle("open") : null}
            {status === "open" ? lifecycle("close") : null}
            {status === "closed" ? (
              <>
                {lifecycle("reopen")}
                {lifecycle("archive")}
              </>
            ) : null}
          </div>
        </section>
      ) : null}
      <section aria-labelledby="participation">
        <h2 id="participation">{t("staff.manage.participation")}</h2>
        <p>
          {t("staff.manage.total", { count: data.stats.total })} ({t("staff.channel.web")} {data.stats.byChannel.web}, {t("staff.channel.offline")}{" "}
          {data.stats.byChannel.offline}, {t("staff.channel.paper")} {data.stats.byChannel.paper})
        </p>
        {data.stats.byDay.length ? (
          <table>
            <caption>{t("staff.manage.byDay")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("staff.manage.day")}</th>
                <th scope="col">{t("staff.channel.web")}</th>
                <th scope="col">{t("staff.channel.offline")}</th>
                <th scope="col">{t("staff.channel.paper")}</th>
              </tr>
            </thead>
            <tbody>
              {data.stats.byDay.map((d) => (
                <tr key={d.day}>
                  <th scope="row">{format.date(`${d.day}T12:00:00Z`)}</th>
                  <td>{d.web}</td>
                  <td>{d.offline}</td>
                  <td>{d.paper}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {data.questions.length ? (
          <table>
            <caption>{t("staff.manage.byQuestion")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("staff.manage.question")}</th>
                <th scope="col">{t("staff.manage.answered")}</th>
              </tr>
            </thead>
            <tbody>
              {data.questions.map((q) => (
                <tr key={q.number}>
                  <th scope="row">
                    {q.number}. {q.prompt}
                  </th>
                  <td>{q.answered}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </>
  );
}
