import { municipalTimeZone } from "~/web/settings.server";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { can } from "~/auth/permissions";
import { Done } from "~/components/staff/Fields";
import { FormSummary } from "~/components/staff/Refusal";
import { missingText } from "~/components/staff/missing";
import { missingForOpening, type Missing } from "~/domain/consultations/completeness";
import { participation } from "~/domain/consultations/dashboard.server";
import { transition, type LifecycleRefusal } from "~/domain/consultations/lifecycle.server";
import { DEMO_SLUG } from "~/domain/consultations/demo";
import { isConfirmedIntent } from "~/domain/consultations/confirm";
import { lifecycleSchema, type LifecycleIntent } from "~/domain/consultations/schema.server";
import { publishOpenData, publishResults, type PublishRefusal } from "~/domain/opendata/publication.server";
import { parseForm } from "~/forms/forms.server";
import { errorsOf, type RefusalAnswer } from "~/forms/result";
import { useFormat, useT } from "~/i18n/hooks";
import { notificationCounts } from "~/domain/notify/notify.server";
import { mailConfigured, notifyMail } from "~/platform/mail.server";
import { staffConsultation } from "~/web/staff.server";

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

const MOVE_REFUSED = {
  not_allowed: { status: 409, key: "notAllowed" },
  incomplete: { status: 409, key: "incomplete" },
} satisfies Record<LifecycleRefusal, RefusalAnswer>;
const OPEN_DATA_REFUSED = {
  not_closed: { status: 409, key: "openDataNotClosed" },
  draft: { status: 409, key: "openDataNotClosed" },
} satisfies Record<PublishRefusal, RefusalAnswer>;
const RESULTS_REFUSED = {
  not_closed: { status: 409, key: "resultsDraft" },
  draft: { status: 409, key: "resultsDraft" },
} satisfies Record<PublishRefusal, RefusalAnswer>;

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, staff, db, consultation } = await staffConsultation(request, params, "consultations:edit");
  const submission = await parseForm(request, lifecycleSchema);
  if (submission.status !== "success") return json({ result: submission.reply(), missing: [] as Missing[] }, { status: 400 });
  const refused = ({ status, key }: RefusalAnswer, missing: Missing[] = []) =>
    json({ result: submission.reply({ formErrors: [{ key }] }), missing }, { status });
  const intent: LifecycleIntent = submission.value.intent;
  // What residents will see changes only once the official has read what will happen and confirmed it.
  if (isConfirmedIntent(intent) && !submission.value.confirmed)
    return redirect(`/${lang}/staff/consultations/${consultation.slug}/confirm?intent=${intent}`, 303);
  const done = redirect(`/${lang}/staff/consultations/${consultation.slug}?done=${intent}`);
  if (intent === "publishOpenData" || intent === "unpublishOpenData") {
    const published = await publishOpenData(db, staff.id, consultation, intent === "publishOpenData", await notifyMail(consultation));
    return published.ok ? done : refused(OPEN_DATA_REFUSED[published.reason]);
  }
  if (intent === "publishResults" || intent === "unpublishResults") {
    const published = await publishResults(db, staff.id, consultation, intent === "publishResults", await notifyMail(consultation));
    return published.ok ? done : refused(RESULTS_REFUSED[published.reason]);
  }
  const moved = await transition(db, staff.id, consultation, TARGET[intent]);
  if (moved.ok) return done;
  return refused(MOVE_REFUSED[moved.reason], moved.reason === "incomplete" ? moved.missing : []);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Quorum` }];

export default function ManageConsultation() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const t = useT();
  const format = useFormat();
  const { lang, slug, status } = data;
  const base = `/${lang}/staff/consultations/${slug}`;
  const edit = can(data.role, "consultations:edit");
  const missing = result?.missing?.length ? result.missing : data.missing;
  // Opening, closing and reopening lead to a page that says what residents will see, and asks to confirm.
  const lifecycle = (intent: keyof typeof TARGET) => (
    <form method={intent === "archive" ? "post" : "get"} action={intent === "archive" ? base : `${base}/confirm`} className="inline">
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
              <a href={`${base}/edit`}>{t("staff.manage.editTexts")}</a>
            </li>
            <li>
              <a href={`${base}/questions`}>{t("staff.manage.editQuestions")}</a>
            </li>
          </>
        ) : null}
        <li>
          <a href={`${base}/preview?as=fr`}>{t("staff.manage.previewFr")}</a>
        </li>
        <li>
          <a href={`${base}/preview?as=en`}>{t("staff.manage.previewEn")}</a>
        </li>
        {edit && data.mode === "code" ? (
          <li>
            <a href={`${base}/codes`}>{t("staff.manage.codes")}</a>
          </li>
        ) : null}
        {edit ? (
          <li>
            <a href={`${base}/questionnaire`}>{t("staff.manage.blankForm")}</a>
          </li>
        ) : null}
        {can(data.role, "answers:paper") && (status === "open" || status === "closed") ? (
          <li>
            <a href={`${base}/paper`}>{t("staff.manage.paper")}</a>
          </li>
        ) : null}
        {edit ? (
          <li>
            <a href={`${base}/outcome`}>{t("staff.manage.outcome")}</a>
          </li>
        ) : null}
        {status !== "draft" ? (
          <li>
            <a href={`/${lang}/consultations/${slug}`}>{t("staff.manage.publicPage")}</a>
          </li>
        ) : null}
        {edit ? (
          <li>
            <a href={`${base}/duplicate`}>{t("staff.manage.duplicate")}</a>
          </li>
        ) : null}
        {edit && status === "draft" ? (
          <li>
            <a href={`${base}/delete`}>{t("staff.manage.delete")}</a>
          </li>
        ) : null}
        {data.isDemo && data.role === "admin" && status !== "draft" ? (
          <li>
            <a href={`${base}/delete`}>{t("staff.manage.removeDemo")}</a>
          </li>
        ) : null}
      </ul>
      <h2>{t("staff.manage.feedback")}</h2>
      <ul className="actions">
        <li>
          <a href={`${base}/summary`}>{t("staff.manage.summary")}</a>
        </li>
        {can(data.role, "answers:moderate") ? (
          <li>
            <a href={`${base}/moderation`}>{t("staff.manage.moderation")}</a>
          </li>
        ) : null}
        {can(data.role, "themes:manage") ? (
          <li>
            <a href={`${base}/themes`}>{t("staff.manage.themes")}</a>
          </li>
        ) : null}
        <li>
          <a href={`${base}/export.csv`}>{t("staff.manage.exportCsv")}</a> · <a href={`${base}/export.csv?format=fr`}>{t("staff.manage.exportCsvFr")}</a> ·{" "}
          <a href={`${base}/export.json`}>{t("staff.manage.exportJson")}</a>
        </li>
        {edit ? (
          <li>
            <a href={`${base}/references`}>{t("staff.manage.references")}</a>
          </li>
        ) : null}
      </ul>
      {edit && status !== "draft" ? (
        <section aria-labelledby="results">
          <h2 id="results">{t("staff.manage.results")}</h2>
          <p>
            {data.resultsPublished || data.openDataPublished ? (
              <>
                {t("staff.manage.resultsShown")}{" "}
                <a href={`/${lang}/consultations/${slug}/results`}>
                  /{lang}/consultations/{slug}/results
                </a>
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
              {t("staff.manage.openDataPublished")} <a href={`/open-data/${slug}.csv`}>/open-data/{slug}.csv</a> ·{" "}
              <a href={`/open-data/${slug}.json`}>/open-data/{slug}.json</a>
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
