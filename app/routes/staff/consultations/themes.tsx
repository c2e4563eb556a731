import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Done, Field } from "~/components/staff/Fields";
import { FormSummary } from "~/components/staff/Refusal";
import { listQueue, UNTAGGED } from "~/domain/themes/queue.server";
import { THEMES_PAGE_SIZE as PAGE, themesFilterSchema, themesFormSchema, type ThemesForm } from "~/domain/themes/schema.server";
import { suggestionsFor } from "~/domain/themes/suggestions.server";
import {
  createTheme,
  listThemes,
  markQuote,
  mergeThemes,
  rejectSuggestions,
  retireTheme,
  tagAnswers,
  untagAnswers,
  updateTheme,
} from "~/domain/themes/themes.server";
import { parseForm, parseFormData } from "~/forms/forms.server";
import { errorsOf, valuesOf, type Errors } from "~/forms/result";
import { useFormat, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { staffConsultation } from "~/web/staff.server";
import { urls } from "~/urls";

/** Suggestion groups shown at once; the rest come as these are decided. */
const SUGGESTIONS_SHOWN = 50;

/** A filter that cannot be read falls back to its default. */
function filterOf(request: Request) {
  const parsed = parseFormData(new URL(request.url).searchParams, themesFilterSchema);
  return parsed.status === "success" ? parsed.value : { theme: undefined, question: undefined, q: undefined, page: 1 };
}

/** A filter as the page's query string: what is set, and the page past the first. */
function queryOf(f: { theme?: string | null; question?: string | null; q?: string | null; page: number }) {
  return { theme: f.theme || undefined, question: f.question || undefined, q: f.q || undefined, page: f.page > 1 ? f.page : undefined };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, db, consultation: c } = await staffConsultation(request, params, "themes:manage");
  const filter = filterOf(request);
  const codebook = await listThemes(db, c.id);
  const active = codebook.filter((t) => !t.retiredAt);
  const theme = filter.theme === UNTAGGED || active.some((t) => t.id === filter.theme) ? filter.theme : undefined;
  const { items, total } = await listQueue(db, c.id, {
    theme,
    questionCode: filter.question ?? null,
    search: filter.q ?? null,
    limit: PAGE,
    offset: (filter.page - 1) * PAGE,
  });
  const groups = await suggestionsFor(db, c.id);
  const prompts = Object.fromEntries(c.questions.map((q) => [q.code, q.texts[lang].prompt]));
  return json({
    lang,
    slug: c.slug,
    title: c.texts[lang].title || c.slug,
    filter: { theme: theme ?? null, question: filter.question ?? null, q: filter.q ?? null, page: filter.page },
    pages: Math.max(1, Math.ceil(total / PAGE)),
    total,
    themes: codebook.map((t) => ({ ...t, retiredAt: t.retiredAt?.toISOString() ?? null })),
    questions: c.questions
      .filter((q) => q.kind === "short_text" || q.kind === "long_text" || q.allowOther)
      .map((q) => ({ code: q.code, prompt: q.texts[lang].prompt })),
    items: items.map((i) => ({ ...i, prompt: prompts[i.questionCode] ?? i.questionCode, receivedAt: i.receivedAt.toISOString() })),
    suggestions: {
      total: groups.length,
      groups: groups.slice(0, SUGGESTIONS_SHOWN).map((g) => ({
        id: g.id,
        themeId: g.themeId,
        keywords: g.keywords,
        prompt: prompts[g.answers[0].questionCode] ?? g.answers[0].questionCode,
        segments: g.answers[0].segments,
        count: g.answers.length,
      })),
    },
  });
}

type Refusal = "notFound" | "duplicateLabel" | "sameTheme" | "themeRetired" | "noAnswers" | "notTagged" | "tooManyQuotes" | "suggestionsChanged";
const REFUSALS: Record<string, Refusal> = {
  not_found: "notFound",
  duplicate_label: "duplicateLabel",
  same_theme: "sameTheme",
  retired: "themeRetired",
  no_answers: "noAnswers",
  not_tagged: "notTagged",
  too_many_quotes: "tooManyQuotes",
};

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, staff, db, consultation: c } = await staffConsultation(request, params, "themes:manage");
  const submission = await parseForm(request, themesFormSchema);
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  const v: ThemesForm = submission.value;
  const input = (x: Extract<ThemesForm, { intent: "create" }>) => ({
    labels: { fr: x.fr.label, en: x.en.label },
    description: { fr: x.fr.description, en: x.en.description },
    keywords: { fr: x.fr.keywords, en: x.en.keywords },
  });
  let outcome: { ok: true } | { ok: false; reason: string };
  switch (v.intent) {
    case "create":
      outcome = await createTheme(db, staff.id, c.id, input(v));
      break;
    case "update":
      outcome = await updateTheme(db, staff.id, c.id, v.themeId, input({ ...v, intent: "create" }));
      break;
    case "merge":
      outcome = await mergeThemes(db, staff.id, c.id, v.themeId, v.into);
      break;
    case "retire":
    case "restore":
      outcome = await retireTheme(db, staff.id, c.id, v.themeId, v.intent === "retire");
      break;
    case "tag":
      outcome = await tagAnswers(db, staff.id, c.id, v.themeId, v.answerId);
      break;
    case "untag":
      outcome = await untagAnswers(db, staff.id, c.id, v.themeId, v.answerId);
      break;
    case "quote":
    case "unquote":
      outcome = await markQuote(db, staff.id, c.id, v.themeId, v.answerId, v.intent === "quote");
      break;
    case "accept":
    case "reject": {
      // The groups are worked out again: a decision covers what is suggested now, never more.
      const groups = new Map((await suggestionsFor(db, c.id)).map((g) => [g.id, g]));
      const picked = v.pick.map((id) => groups.get(id)).filter((g) => g !== undefined);
      outcome = picked.length ? { ok: true } : { ok: false, reason: "suggestions_changed" };
      for (const g of picked) {
        const ids = g.answers.map((a) => a.answerId);
        const r = v.intent === "accept" ? await tagAnswers(db, staff.id, c.id, g.themeId, ids) : await rejectSuggestions(db, staff.id, c.id, g.themeId, ids);
        if (!r.ok && r.reason !== "no_answers") outcome = r;
      }
      break;
    }
  }
  if (!outcome.ok) {
    const key = REFUSALS[outcome.reason] ?? "suggestionsChanged";
    const field = key === "duplicateLabel" ? "fr.label" : "";
    return json({ result: submission.reply({ fieldErrors: field ? { [field]: [{ key }] } : {}, formErrors: field ? [] : [{ key }] }) }, { status: 409 });
  }
  return redirect(urls.staff.themes(lang, c.slug, { ...queryOf(filterOf(request)), done: `themes-${v.intent}` }));
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${tFor(data?.lang ?? "fr")("staff.themes.title")} – Quorum` }];

function ThemeFields({ prefix, values, errors }: { prefix: string; values: Record<string, string>; errors: Errors }) {
  const t = useT();
  return (
    <div className="side-by-side">
      {(["fr", "en"] as const).map((l) => (
        <fieldset key={l} lang={l === "fr" ? "fr" : "en"}>
          <legend>{t(`staff.in.${l}`)}</legend>
          <Field prefix={prefix} name={`${l}.label`} label={t("staff.themes.label")} value={values[`${l}.label`]} errors={errors} required />
          <Field prefix={prefix} name={`${l}.description`} label={t("staff.themes.description")} value={values[`${l}.description`]} errors={errors} />
          <Field
            prefix={prefix}
            name={`${l}.keywords`}
            label={t("staff.themes.keywords")}
            help={t("staff.themes.keywordsHelp")}
            value={values[`${l}.keywords`]}
            errors={errors}
            multiline
            rows={2}
          />
        </fieldset>
      ))}
    </div>
  );
}

export default function Themes() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>()?.result;
  const errors = errorsOf(result);
  const typed = valuesOf(result);
  const [search] = useSearchParams();
  const t = useT();
  const f = useFormat();
  const base = urls.staff.themes(d.lang, d.slug);
  const here = urls.staff.themes(d.lang, d.slug, queryOf(d.filter));
  const pageUrl = (page: number) => urls.staff.themes(d.lang, d.slug, queryOf({ ...d.filter, page }));
  const active = d.themes.filter((x) => !x.retiredAt);
  const retired = d.themes.filter((x) => x.retiredAt);
  const label = (id: string) => {
    const th = d.themes.find((x) => x.id === id);
    return th ? th.labels[d.lang] : id;
  };
  const intent = typed?.intent;
  const editing = intent === "update" ? typed?.themeId : undefined;
  const valuesFor = (th: (typeof d.themes)[number]): Record<string, string> =>
    editing === th.id && typed
      ? typed
      : {
          "fr.label": th.labels.fr,
          "en.label": th.labels.en,
          "fr.description": th.description.fr,
          "en.description": th.description.en,
          "fr.keywords": th.keywords.fr.join(", "),
          "en.keywords": th.keywords.en.join(", "),
        };
  // Forms other than a theme's own fields: their one message goes at the top of the page.
  const first = Object.values(errors)[0];
  const formErrors: Errors = intent === "create" || intent === "update" || !first ? {} : { form: first };
  return (
    <>
      <p>
        <a href={urls.staff.consultation(d.lang, d.slug)}>← {d.title}</a> · <a href={urls.staff.moderation(d.lang, d.slug)}>{t("staff.moderation.title")}</a>
      </p>
      <h1>{t("staff.themes.title")}</h1>
      <p>{t("staff.themes.intro")}</p>
      <Done done={search.get("done")} />
      {result ? <FormSummary errors={formErrors} /> : null}

      <section aria-labelledby="codebook">
        <h2 id="codebook">{t("staff.themes.codebook")}</h2>
        {active.length ? (
          <table>
            <caption>{t("staff.themes.codebookCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("staff.themes.code")}</th>
                <th scope="col">{t("staff.themes.label")}</th>
                <th scope="col">{t("staff.themes.keywords")}</th>
                <th scope="col">{t("staff.themes.tagged")}</th>
                <th scope="col">{t("staff.themes.quotes")}</th>
              </tr>
            </thead>
            <tbody>
              {active.map((th) => (
                <tr key={th.id}>
                  <td>{th.code}</td>
                  <th scope="row">
                    <span lang="fr">{th.labels.fr}</span> / <span lang="en">{th.labels.en}</span>
                  </th>
                  <td>
                    <span lang="fr">{th.keywords.fr.join(", ")}</span>
                    {th.keywords.fr.length && th.keywords.en.length ? " · " : ""}
                    <span lang="en">{th.keywords.en.join(", ")}</span>
                  </td>
                  <td>
                    <a href={urls.staff.themes(d.lang, d.slug, queryOf({ theme: th.id, page: 1 }))}>{f.number(th.count)}</a>
                  </td>
                  <td>{f.number(th.quotes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>{t("staff.themes.none")}</p>
        )}
        {active.map((th) => (
          <details key={th.id} open={editing === th.id || undefined}>
            <summary>{t("staff.themes.manage", { theme: th.labels[d.lang], code: th.code })}</summary>
            <form method="post" action={here}>
              <input type="hidden" name="intent" value="update" />
              <input type="hidden" name="themeId" value={th.id} />
              {editing === th.id ? <FormSummary errors={errors} /> : null}
              <ThemeFields prefix={`edit-${th.code}`} values={valuesFor(th)} errors={editing === th.id ? errors : {}} />
              <button type="submit">{t("staff.themes.save")}</button>
            </form>
            {active.length > 1 ? (
              <form method="post" action={here} className="inline">
                <input type="hidden" name="intent" value="merge" />
                <input type="hidden" name="themeId" value={th.id} />
                <label htmlFor={`merge-${th.code}`}>{t("staff.themes.mergeInto")}</label>
                <select id={`merge-${th.code}`} name="into" defaultValue="">
                  <option value="">{t("staff.themes.chooseTheme")}</option>
                  {active
                    .filter((o) => o.id !== th.id)
                    .map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.labels[d.lang]} ({o.code})
                      </option>
                    ))}
                </select>
                <button type="submit">{t("staff.themes.merge")}</button>
              </form>
            ) : null}
            <form method="post" action={here} className="inline">
              <input type="hidden" name="intent" value="retire" />
              <input type="hidden" name="themeId" value={th.id} />
              <button type="submit">{t("staff.themes.retire")}</button>
            </form>
          </details>
        ))}
        {retired.length ? (
          <>
            <h3>{t("staff.themes.retired")}</h3>
            <ul>
              {retired.map((th) => (
                <li key={th.id}>
                  {th.labels[d.lang]} ({th.code}) {th.mergedInto ? `— ${t("staff.themes.mergedInto", { theme: label(th.mergedInto) })}` : null}
                  {!th.mergedInto ? (
                    <form method="post" action={here} className="inline">
                      <input type="hidden" name="intent" value="restore" />
                      <input type="hidden" name="themeId" value={th.id} />
                      <button type="submit">{t("staff.themes.restore")}</button>
                    </form>
                  ) : null}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <details open={intent === "create" || !active.length || undefined}>
          <summary>{t("staff.themes.new")}</summary>
          <form method="post" action={here}>
            <input type="hidden" name="intent" value="create" />
            {intent === "create" ? <FormSummary errors={errors} /> : null}
            <ThemeFields prefix="new" values={intent === "create" && typed ? typed : {}} errors={intent === "create" ? errors : {}} />
            <button type="submit">{t("staff.themes.create")}</button>
          </form>
        </details>
      </section>

      <section aria-labelledby="suggestions">
        <h2 id="suggestions">{t("staff.themes.suggestions")}</h2>
        <p>{t("staff.themes.suggestionsIntro")}</p>
        {d.suggestions.groups.length ? (
          <form method="post" action={here}>
            <p>{t("staff.themes.suggestionCount", { count: d.suggestions.total })}</p>
            <ul className="suggestions">
              {d.suggestions.groups.map((g) => (
                <li key={g.id}>
                  <input type="checkbox" name="pick" value={g.id} id={`pick-${g.id}`} />{" "}
                  <label htmlFor={`pick-${g.id}`}>
                    {t("staff.themes.suggest", { theme: label(g.themeId) })}
                    {g.count > 1 ? ` — ${t("staff.themes.duplicates", { count: g.count })}` : ""}
                  </label>
                  <p className="help">
                    {g.prompt} · {t("staff.themes.matched", { keywords: g.keywords.join(", ") })}
                  </p>
                  <blockquote>{g.segments.map((s, i) => (s.hit ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}</blockquote>
                </li>
              ))}
            </ul>
            <div className="button-row">
              <button type="submit" name="intent" value="accept">
                {t("staff.themes.accept")}
              </button>
              <button type="submit" name="intent" value="reject">
                {t("staff.themes.reject")}
              </button>
            </div>
          </form>
        ) : (
          <p>{t("staff.themes.noSuggestions")}</p>
        )}
      </section>

      <section aria-labelledby="queue">
        <h2 id="queue">{t("staff.themes.queue")}</h2>
        <form method="get" action={base} className="inline filters">
          <label htmlFor="filter-theme">{t("staff.themes.filterTheme")}</label>
          <select id="filter-theme" name="theme" defaultValue={d.filter.theme ?? ""}>
            <option value="">{t("staff.themes.allAnswers")}</option>
            <option value={UNTAGGED}>{t("staff.themes.untagged")}</option>
            {active.map((th) => (
              <option key={th.id} value={th.id}>
                {th.labels[d.lang]}
              </option>
            ))}
          </select>
          <label htmlFor="filter-question">{t("staff.moderation.question")}</label>
          <select id="filter-question" name="question" defaultValue={d.filter.question ?? ""}>
            <option value="">{t("staff.moderation.allQuestions")}</option>
            {d.questions.map((q) => (
              <option key={q.code} value={q.code}>
                {q.prompt}
              </option>
            ))}
          </select>
          <label htmlFor="filter-q">{t("staff.themes.search")}</label>
          <input type="search" id="filter-q" name="q" defaultValue={d.filter.q ?? ""} maxLength={200} />
          <button type="submit">{t("staff.summary.apply")}</button>
        </form>
        <p>{t("staff.moderation.count", { count: d.total })}</p>
        {d.items.length && active.length ? (
          <form method="post" action={here} id="bulk" className="inline">
            <label htmlFor="bulk-theme">{t("staff.themes.bulkTheme")}</label>
            <select id="bulk-theme" name="themeId" defaultValue={typed?.themeId ?? ""}>
              <option value="">{t("staff.themes.chooseTheme")}</option>
              {active.map((th) => (
                <option key={th.id} value={th.id}>
                  {th.labels[d.lang]}
                </option>
              ))}
            </select>
            <button type="submit" name="intent" value="tag">
              {t("staff.themes.tag")}
            </button>
            <button type="submit" name="intent" value="untag">
              {t("staff.themes.untag")}
            </button>
          </form>
        ) : null}
        <ol className="moderation">
          {d.items.map((item) => (
            <li key={item.answerId} id={`a-${item.answerId}`}>
              {active.length ? (
                <>
                  <input type="checkbox" form="bulk" name="answerId" value={item.answerId} id={`select-${item.answerId}`} />{" "}
                  <label htmlFor={`select-${item.answerId}`}>{t("staff.themes.select", { number: item.answerId })}</label>
                </>
              ) : null}
              <p className="help">
                {item.prompt} · {f.date(item.receivedAt)} {item.isOther ? `· ${t("question.other")}` : ""}
              </p>
              <blockquote>{item.text}</blockquote>
              {item.tags.length ? (
                <ul className="tags" aria-label={t("staff.themes.tagsOf")}>
                  {item.tags.map((tag) => (
                    <li key={tag.themeId}>
                      {label(tag.themeId)}
                      {tag.quote ? ` (${t("staff.themes.isQuote")})` : ""}{" "}
                      <form method="post" action={here} className="inline">
                        <input type="hidden" name="themeId" value={tag.themeId} />
                        <input type="hidden" name="answerId" value={item.answerId} />
                        <button type="submit" name="intent" value={tag.quote ? "unquote" : "quote"}>
                          {tag.quote ? t("staff.themes.unquote", { theme: label(tag.themeId) }) : t("staff.themes.quote", { theme: label(tag.themeId) })}
                        </button>
                      </form>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
        {d.pages > 1 ? (
          <nav aria-label={t("staff.moderation.pages")} className="button-row">
            {d.filter.page > 1 ? <a href={pageUrl(d.filter.page - 1)}>{t("staff.moderation.previous")}</a> : null}
            <span>{t("staff.moderation.pageOf", { page: d.filter.page, pages: d.pages })}</span>
            {d.filter.page < d.pages ? <a href={pageUrl(d.filter.page + 1)}>{t("staff.moderation.next")}</a> : null}
          </nav>
        ) : null}
      </section>
    </>
  );
}
