import { municipalTimeZone } from "~/web/settings.server";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { can } from "~/auth/permissions";
import { Done } from "~/components/staff/Fields";
import { FormSummary } from "~/components/staff/Refusal";
import { FiguresVersion } from "~/components/staff/FiguresVersion";
import { ConsultationActions } from "~/components/staff/overview/ConsultationActions";
import { Lifecycle } from "~/components/staff/overview/Lifecycle";
import { Participation } from "~/components/staff/overview/Participation";
import { OpenDataPublication, ResultsPublication } from "~/components/staff/overview/Publication";
import { missingForOpening, type Missing } from "~/domain/consultations/completeness";
import { participation } from "~/domain/consultations/dashboard.server";
import { transition, type LifecycleRefusal } from "~/domain/consultations/lifecycle.server";
import { DEMO_SLUG } from "~/domain/consultations/demo";
import { isConfirmedIntent } from "~/domain/consultations/confirm";
import { lifecycleSchema, type LifecycleIntent } from "~/domain/consultations/schema.server";
import { figuresState } from "~/domain/opendata/figures.server";
import { publishOpenData, publishResults, type PublishRefusal } from "~/domain/opendata/publication.server";
import { parseForm } from "~/forms/forms.server";
import { errorsOf, type RefusalAnswer } from "~/forms/result";
import { useFormat, useT } from "~/i18n/hooks";
import { notificationCounts } from "~/domain/notify/notify.server";
import { mailConfigured, notifyMail } from "~/platform/mail.server";
import { staffConsultation } from "~/web/staff.server";
import { urls } from "~/urls";
import { fragments } from "~/components/fragments";
import { pageTitle } from "~/i18n/title";

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
    figures: figuresState(c),
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
    return redirect(urls.staff.confirm(lang, consultation.slug, { intent, hash: fragments.main }), 303);
  const done = redirect(urls.staff.consultation(lang, consultation.slug, { done: intent, hash: fragments.done }));
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
  if (moved.reason === "incomplete") return refused(MOVE_REFUSED.incomplete, moved.missing);
  // A move sent again (the Back button, a second tab): what the consultation is now, and what can be done from there.
  return refused({ ...MOVE_REFUSED.not_allowed, key: `notAllowedNow.${moved.status}` });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: pageTitle(matches, data?.title ?? "") }];

export default function ManageConsultation() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const t = useT();
  const format = useFormat();
  const { lang, slug, status } = data;
  const edit = can(data.role, "consultations:edit");
  const missing = result?.missing?.length ? result.missing : data.missing;
  return (
    <>
      <h1>{data.title}</h1>
      <Done done={search.get("done")} />
      <FormSummary errors={errorsOf(result?.result)} />
      <p>
        {t("staff.manage.statusLine", { status: t(`staff.status.${status}`), mode: t(`staff.mode.${data.mode}`) })}
        {data.closesAt
          ? ` ${t(status === "closed" || status === "archived" ? "staff.manage.closed" : "staff.manage.closes", { date: format.dateTime(data.closesAt) })}`
          : ""}
      </p>
      <ConsultationActions lang={lang} slug={slug} role={data.role} status={status} mode={data.mode} isDemo={data.isDemo} />
      <FiguresVersion lang={lang} slug={slug} figures={data.figures} on="overview" canUpdate={edit} />
      {edit && status !== "draft" ? (
        <ResultsPublication
          lang={lang}
          slug={slug}
          status={status}
          resultsPublished={data.resultsPublished}
          openDataPublished={data.openDataPublished}
          mail={data.mail}
          told={data.told}
        />
      ) : null}
      {edit && (status === "closed" || status === "archived") ? (
        <OpenDataPublication lang={lang} slug={slug} openDataPublished={data.openDataPublished} />
      ) : null}
      {edit ? <Lifecycle lang={lang} slug={slug} status={status} missing={missing} /> : null}
      <Participation stats={data.stats} questions={data.questions} />
    </>
  );
}
