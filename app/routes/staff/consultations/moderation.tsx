import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Done } from "~/components/staff/Fields";
import { FormSummary } from "~/components/staff/Refusal";
import { MODERATION_PAGE_SIZE as PAGE, moderationFilterSchema, moderationSchema } from "~/domain/consultations/schema.server";
import { listFreeText, moderate, type ModerationRefusal } from "~/domain/moderation/moderation.server";
import { publishTexts, type PublishRefusal } from "~/domain/opendata/publication.server";
import { parseForm, parseFormData } from "~/forms/forms.server";
import { errorsOf, refusalReply, valuesOf, type RefusalAnswer } from "~/forms/result";
import { useFormat, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { staffConsultation } from "~/web/staff.server";
import { urls } from "~/urls";
import { answerFragment, fragments, landing } from "~/components/fragments";
import { pageTitle } from "~/i18n/title";

/** A filter that cannot be read (`?page=x`, `?state=…`) falls back to its default; `at` names the text last acted on. */
function filterOf(request: Request) {
  const params = new URL(request.url).searchParams;
  const parsed = parseFormData(params, moderationFilterSchema);
  return { ...(parsed.status === "success" ? parsed.value : { state: "visible" as const, question: undefined, page: 1 }), at: landing(params.get("at")) };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, db, consultation: c } = await staffConsultation(request, params, "answers:moderate");
  const { state, question, page, at } = filterOf(request);
  // The text just hidden or restored stays in its place, even where the filter no longer shows it.
  const { items, total } = await listFreeText(db, c.id, { state, questionCode: question ?? null, limit: PAGE, offset: (page - 1) * PAGE, keep: at.answers });
  const prompts = Object.fromEntries(c.questions.map((q) => [q.code, q.texts[lang].prompt]));
  return json({
    lang,
    slug: c.slug,
    title: c.texts[lang].title || c.slug,
    status: c.status,
    textsPublishedAt: c.textsPublishedAt?.toISOString() ?? null,
    state,
    question: question ?? null,
    page,
    at: at.first,
    pages: Math.max(1, Math.ceil(total / PAGE)),
    total,
    questions: c.questions
      .filter((q) => q.kind === "short_text" || q.kind === "long_text" || q.allowOther)
      .map((q) => ({ code: q.code, prompt: q.texts[lang].prompt })),
    items: items.map((i) => ({ ...i, prompt: prompts[i.questionCode] ?? i.questionCode, receivedAt: i.receivedAt.toISOString() })),
  });
}

const TEXTS_REFUSED = {
  draft: { status: 409, key: "resultsDraft" },
  not_closed: { status: 409, key: "resultsDraft" },
} satisfies Record<PublishRefusal, RefusalAnswer>;
const MODERATION_REFUSED = {
  reason_required: { status: 400, key: "reasonRequired" },
  not_found: { status: 400, key: "notFound" },
} satisfies Record<ModerationRefusal, RefusalAnswer>;

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, staff, db, consultation: c } = await staffConsultation(request, params, "answers:moderate");
  const submission = await parseForm(request, moderationSchema);
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  const { state, question, page } = filterOf(request);
  const value = submission.value;
  if (!("answerId" in value)) {
    const published = await publishTexts(db, staff.id, c, value.intent === "publishTexts");
    if (!published.ok)
      return json({ result: submission.reply(refusalReply(TEXTS_REFUSED[published.reason])) }, { status: TEXTS_REFUSED[published.reason].status });
    return redirect(urls.staff.moderation(lang, c.slug, { state, question: question || undefined, page, done: value.intent, hash: fragments.done }));
  }
  const { answerId, intent, reason } = value;
  const moderated = await moderate(db, staff.id, c.id, answerId, intent, reason);
  if (!moderated.ok)
    return json({ result: submission.reply(refusalReply(MODERATION_REFUSED[moderated.reason])) }, { status: MODERATION_REFUSED[moderated.reason].status });
  // Back to the text acted on: the page keeps it in its place and confirms beside it.
  const at = answerFragment(answerId);
  return redirect(
    urls.staff.moderation(lang, c.slug, { state, question: question || undefined, page, at, done: intent === "hide" ? "hidden" : "restored", hash: at }),
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.moderation.title"), data?.title) },
];

export default function Moderation() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>()?.result;
  const errors = errorsOf(result);
  const typed = valuesOf(result);
  // The answer whose form was refused: its message and typed reason are shown beside it.
  const target = typed?.answerId;
  const [search] = useSearchParams();
  const t = useT();
  const f = useFormat();
  const query = (page: number, hash?: string) => urls.staff.moderation(d.lang, d.slug, { state: d.state, question: d.question || undefined, page, hash });
  // Forms post with the text last acted on, so that it stays on the page a refusal shows.
  const post = urls.staff.moderation(d.lang, d.slug, {
    state: d.state,
    question: d.question || undefined,
    page: d.page,
    at: d.at ?? undefined,
    hash: fragments.errors,
  });
  // The confirmation goes beside the text acted on, where the page lands; at the top otherwise.
  const doneAt = d.at && d.items.some((i) => answerFragment(i.answerId) === d.at) ? d.at : null;
  return (
    <>
      <p>
        <a href={urls.staff.consultation(d.lang, d.slug)}>← {d.title}</a>
      </p>
      <h1>{t("staff.moderation.title")}</h1>
      <p>{t("staff.moderation.intro")}</p>
      <p>
        <a href={urls.staff.themes(d.lang, d.slug)}>{t("staff.manage.themes")}</a>
      </p>
      {doneAt ? null : <Done done={search.get("done")} />}
      {result && !d.items.some((i) => String(i.answerId) === target) ? <FormSummary errors={errors} /> : null}
      <section aria-labelledby="publish-texts" className="notice">
        <h2 id="publish-texts">{t("staff.moderation.publishTitle")}</h2>
        <p>{d.textsPublishedAt ? t("staff.moderation.textsPublished", { date: f.dateTime(d.textsPublishedAt) }) : t("staff.moderation.textsNotPublished")}</p>
        <form method="post" action={post} className="inline">
          <input type="hidden" name="intent" value={d.textsPublishedAt ? "unpublishTexts" : "publishTexts"} />
          <button type="submit">{d.textsPublishedAt ? t("staff.moderation.unpublishTexts") : t("staff.moderation.publishTexts")}</button>
        </form>
      </section>
      <form method="get" action={urls.staff.moderation(d.lang, d.slug)} className="inline filters">
        <label htmlFor="state">{t("staff.moderation.show")}</label>
        <select id="state" name="state" defaultValue={d.state}>
          {(["visible", "hidden", "all"] as const).map((s) => (
            <option key={s} value={s}>
              {t(`staff.moderation.state.${s}`)}
            </option>
          ))}
        </select>
        <label htmlFor="question">{t("staff.moderation.question")}</label>
        <select id="question" name="question" defaultValue={d.question ?? ""}>
          <option value="">{t("staff.moderation.allQuestions")}</option>
          {d.questions.map((q) => (
            <option key={q.code} value={q.code}>
              {q.prompt}
            </option>
          ))}
        </select>
        <button type="submit">{t("staff.summary.apply")}</button>
      </form>
      <p>{t("staff.moderation.count", { count: d.total })}</p>
      <ol className="moderation">
        {d.items.map((item) => (
          <li key={item.answerId} id={answerFragment(item.answerId)} className={item.hidden ? "hidden-text" : undefined}>
            {doneAt === answerFragment(item.answerId) ? <Done done={search.get("done")} /> : null}
            <p className="help">
              {item.prompt} · {f.date(item.receivedAt)} {item.isOther ? `· ${t("question.other")}` : ""}
            </p>
            <blockquote>{item.text}</blockquote>
            {item.hidden ? <p>{t("staff.moderation.hiddenBecause", { reason: item.hiddenReason ?? "" })}</p> : null}
            {item.kept ? <p className="help">{t("staff.moderation.kept")}</p> : null}
            {String(item.answerId) === target ? <FormSummary errors={errors} /> : null}
            <form method="post" action={post} className="inline">
              <input type="hidden" name="answerId" value={item.answerId} />
              <input type="hidden" name="intent" value={item.hidden ? "restore" : "hide"} />
              <label htmlFor={`reason-${item.answerId}`}>{t("staff.moderation.reason")}</label>
              {String(item.answerId) === target && errors.reason ? (
                <p className="error" id={`reason-${item.answerId}-error`}>
                  {t(`staffErrors.${errors.reason.key}`, errors.reason.params ?? {})}
                </p>
              ) : null}
              <input
                type="text"
                id={`reason-${item.answerId}`}
                name="reason"
                maxLength={500}
                defaultValue={String(item.answerId) === target ? (typed?.reason ?? "") : ""}
                aria-invalid={String(item.answerId) === target && (errors.reason || errors.form?.key === "reasonRequired") ? true : undefined}
                aria-describedby={String(item.answerId) === target && errors.reason ? `reason-${item.answerId}-error` : undefined}
              />
              <button type="submit">{item.hidden ? t("staff.moderation.restore") : t("staff.moderation.hide")}</button>
            </form>
          </li>
        ))}
      </ol>
      {d.pages > 1 ? (
        <nav aria-label={t("staff.moderation.pages")} className="button-row">
          {d.page > 1 ? <a href={query(d.page - 1)}>{t("staff.moderation.previous")}</a> : null}
          <span>{t("staff.moderation.pageOf", { page: d.page, pages: d.pages })}</span>
          {d.page < d.pages ? <a href={query(d.page + 1)}>{t("staff.moderation.next")}</a> : null}
        </nav>
      ) : null}
    </>
  );
}
