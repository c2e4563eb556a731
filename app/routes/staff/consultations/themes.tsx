import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Done } from "~/components/staff/Fields";
import { Codebook } from "~/components/staff/themes/Codebook";
import { Queue } from "~/components/staff/themes/Queue";
import { SUGGESTIONS, Suggestions } from "~/components/staff/themes/Suggestions";
import { FormSummary } from "~/components/staff/Refusal";
import { listQueue, UNTAGGED } from "~/domain/themes/queue.server";
import { THEMES_PAGE_SIZE as PAGE, themesFilterSchema, themesFormSchema, type ThemesForm } from "~/domain/themes/schema.server";
import { decideSuggestions, suggestionsFor } from "~/domain/themes/suggestions.server";
import {
  createTheme,
  listThemes,
  markQuote,
  mergeThemes,
  retireTheme,
  tagAnswers,
  untagAnswers,
  updateTheme,
  type ThemeRefusal,
} from "~/domain/themes/themes.server";
import { parseForm, parseFormData } from "~/forms/forms.server";
import { errorsOf, refusalReply, valuesOf, type Errors, type RefusalAnswer } from "~/forms/result";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { staffConsultation } from "~/web/staff.server";
import { refreshAfterThemes } from "~/domain/opendata/public-figures.server";
import { urls } from "~/urls";
import { answerFragment, fragments, landing, landingAt, themeFragment } from "~/components/fragments";
import { pageTitle } from "~/i18n/title";

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
  // What the last action was on (`at`): a theme, texts of the queue, or the suggestions.
  const at = landing(new URL(request.url).searchParams.get("at"));
  const codebook = await listThemes(db, c.id);
  const active = codebook.filter((t) => !t.retiredAt);
  const theme = filter.theme === UNTAGGED || active.some((t) => t.id === filter.theme) ? filter.theme : undefined;
  const { items, total } = await listQueue(db, c.id, {
    theme,
    questionCode: filter.question ?? null,
    search: filter.q ?? null,
    limit: PAGE,
    offset: (filter.page - 1) * PAGE,
    // Texts just tagged, untagged or quoted stay in their place, even where the filter no longer shows them.
    keep: at.answers,
  });
  const groups = await suggestionsFor(db, c.id);
  const prompts = Object.fromEntries(c.questions.map((q) => [q.code, q.texts[lang].prompt]));
  return json({
    lang,
    slug: c.slug,
    title: c.texts[lang].title || c.slug,
    filter: { theme: theme ?? null, question: filter.question ?? null, q: filter.q ?? null, page: filter.page },
    /** The `at` of this address (kept on the page's forms), and the element the page lands on. */
    at: landingAt(at.ids) || null,
    landing: at.first,
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

const REFUSED = {
  not_found: { status: 409, key: "notFound" },
  duplicate_label: { status: 409, key: "duplicateLabel", field: "fr.label" },
  same_theme: { status: 409, key: "sameTheme" },
  retired: { status: 409, key: "themeRetired" },
  no_answers: { status: 409, key: "noAnswers" },
  not_tagged: { status: 409, key: "notTagged" },
  too_many_quotes: { status: 409, key: "tooManyQuotes" },
  suggestions_changed: { status: 409, key: "suggestionsChanged" },
} satisfies Record<ThemeRefusal, RefusalAnswer>;

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
  // What the action was on, for the page to land there: the theme, the texts, or the suggestions.
  let outcome: { ok: true } | { ok: false; reason: ThemeRefusal };
  let on: string[];
  switch (v.intent) {
    case "create": {
      const created = await createTheme(db, staff.id, c.id, input(v));
      outcome = created;
      on = created.ok ? [themeFragment(created.id)] : [];
      break;
    }
    case "update":
      outcome = await updateTheme(db, staff.id, c.id, v.themeId, input({ ...v, intent: "create" }));
      on = [themeFragment(v.themeId)];
      break;
    case "merge":
      outcome = await mergeThemes(db, staff.id, c.id, v.themeId, v.into);
      on = [themeFragment(v.themeId)];
      break;
    case "retire":
    case "restore":
      outcome = await retireTheme(db, staff.id, c.id, v.themeId, v.intent === "retire");
      on = [themeFragment(v.themeId)];
      break;
    case "tag":
      outcome = await tagAnswers(db, staff.id, c.id, v.themeId, v.answerId);
      on = v.answerId.map(answerFragment);
      break;
    case "untag":
      outcome = await untagAnswers(db, staff.id, c.id, v.themeId, v.answerId);
      on = v.answerId.map(answerFragment);
      break;
    case "quote":
    case "unquote":
      outcome = await markQuote(db, staff.id, c.id, v.themeId, v.answerId, v.intent === "quote");
      on = [answerFragment(v.answerId)];
      break;
    case "accept":
    case "reject":
      outcome = await decideSuggestions(db, staff.id, c.id, v.pick, v.intent === "accept");
      on = [SUGGESTIONS];
      break;
  }
  if (!outcome.ok) {
    const refused: RefusalAnswer = REFUSED[outcome.reason];
    return json({ result: submission.reply(refusalReply(refused)) }, { status: refused.status });
  }
  // Theme counts and quotes reach the public figures (decision 061).
  await refreshAfterThemes(db, c);
  // Back to what was acted on: the page keeps those texts in their place and confirms beside the first.
  return redirect(
    urls.staff.themes(lang, c.slug, {
      ...queryOf(filterOf(request)),
      at: landingAt(on) || undefined,
      done: `themes-${v.intent}`,
      hash: on[0] ?? fragments.done,
    }),
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.themes.title"), data?.title) },
];
export default function Themes() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>()?.result;
  const errors = errorsOf(result);
  const typed = valuesOf(result);
  const [search] = useSearchParams();
  const t = useT();
  // Forms post with the `at` of this address, so that the texts last acted on stay on the page a refusal shows.
  const here = urls.staff.themes(d.lang, d.slug, { ...queryOf(d.filter), at: d.at ?? undefined, hash: fragments.errors });
  // The confirmation goes beside what was acted on, where the page lands; at the top when that is not on the page.
  const done = search.get("done");
  const landed =
    d.landing === SUGGESTIONS || d.themes.some((x) => themeFragment(x.id) === d.landing) || d.items.some((i) => answerFragment(i.answerId) === d.landing);
  const doneAt = (id: string) => (done && landed && d.landing === id ? <Done done={done} /> : null);
  const label = (id: string) => {
    const th = d.themes.find((x) => x.id === id);
    return th ? th.labels[d.lang] : id;
  };
  const intent = typed?.intent;
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
      {landed ? null : <Done done={done} />}
      {result ? <FormSummary errors={formErrors} /> : null}

      <Codebook
        lang={d.lang}
        themes={d.themes}
        here={here}
        themeUrl={(themeId) => urls.staff.themes(d.lang, d.slug, queryOf({ theme: themeId, page: 1 }))}
        label={label}
        typed={typed}
        errors={errors}
        doneAt={doneAt}
      />

      <Suggestions suggestions={d.suggestions} here={here} label={label} doneAt={doneAt} />

      <Queue
        lang={d.lang}
        base={urls.staff.themes(d.lang, d.slug)}
        here={here}
        pageUrl={(page) => urls.staff.themes(d.lang, d.slug, queryOf({ ...d.filter, page }))}
        filter={d.filter}
        active={d.themes.filter((x) => !x.retiredAt)}
        questions={d.questions}
        total={d.total}
        pages={d.pages}
        items={d.items}
        label={label}
        typed={typed}
        doneAt={doneAt}
      />
    </>
  );
}
