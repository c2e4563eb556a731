import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { Done, FormError } from "~/components/staff/Fields";
import { listFreeText, moderate, type ModerationFilter } from "~/domain/moderation/moderation.server";
import { useFormat, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { readForm, searchParam } from "~/http.server";
import { staffConsultation } from "~/staff.server";

const PAGE = 50;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, db, consultation: c } = await staffConsultation(request, params, "answers:moderate");
  const url = new URL(request.url);
  const state = (["visible", "hidden", "all"].includes(url.searchParams.get("state") ?? "") ? url.searchParams.get("state") : "visible") as ModerationFilter;
  const question = searchParam(url, "question", 40) || null;
  const page = Math.max(1, Math.min(100_000, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1));
  const { items, total } = await listFreeText(db, c.id, { state, questionCode: question, limit: PAGE, offset: (page - 1) * PAGE });
  const prompts = Object.fromEntries(c.questions.map((q) => [q.code, q.texts[lang].prompt]));
  return json({
    lang,
    slug: c.slug,
    title: c.texts[lang].title || c.slug,
    state,
    question,
    page,
    pages: Math.max(1, Math.ceil(total / PAGE)),
    total,
    questions: c.questions.filter((q) => q.kind === "short_text" || q.kind === "long_text" || q.allowOther).map((q) => ({ code: q.code, prompt: q.texts[lang].prompt })),
    items: items.map((i) => ({ ...i, prompt: prompts[i.questionCode] ?? i.questionCode, receivedAt: i.receivedAt.toISOString() })),
  });
}

const schema = z.object({ answerId: z.coerce.number().int().positive(), action: z.enum(["hide", "restore"]), reason: z.string().max(500) });

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, staff, db, consultation: c } = await staffConsultation(request, params, "answers:moderate");
  const form = await readForm(request);
  const parsed = schema.safeParse({ answerId: form.get("answerId"), action: form.get("action"), reason: form.get("reason") ?? "" });
  if (!parsed.success) return json({ error: "invalid", target: null as number | null }, { status: 400 });
  const result = await moderate(db, staff.id, c.id, parsed.data.answerId, parsed.data.action, parsed.data.reason);
  if (!result.ok) return json({ error: result.reason === "reason_required" ? "reasonRequired" : "notFound", target: parsed.data.answerId }, { status: 400 });
  const back = new URL(request.url);
  return redirect(`/${lang}/staff/consultations/${c.slug}/moderation?${back.searchParams.toString() || "state=visible"}&done=${parsed.data.action === "hide" ? "hidden" : "restored"}`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${tFor(data?.lang ?? "fr")("staff.moderation.title")} – Quorum` }];

export default function Moderation() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const t = useT();
  const f = useFormat();
  const base = `/${d.lang}/staff/consultations/${d.slug}/moderation`;
  const query = (page: number) => `${base}?state=${d.state}${d.question ? `&question=${d.question}` : ""}&page=${page}`;
  return (
    <>
      <p>
        <a href={`/${d.lang}/staff/consultations/${d.slug}`}>← {d.title}</a>
      </p>
      <h1>{t("staff.moderation.title")}</h1>
      <p>{t("staff.moderation.intro")}</p>
      <Done done={search.get("done")} />
      {result && !d.items.some((i) => i.answerId === result.target) ? <FormError error={result.error} /> : null}
      <form method="get" action={base} className="inline filters">
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
          <li key={item.answerId} id={`a-${item.answerId}`} className={item.hidden ? "hidden-text" : undefined}>
            <p className="help">
              {item.prompt} · {f.date(item.receivedAt)} {item.isOther ? `· ${t("question.other")}` : ""}
            </p>
            <blockquote>{item.text}</blockquote>
            {item.hidden ? <p>{t("staff.moderation.hiddenBecause", { reason: item.hiddenReason ?? "" })}</p> : null}
            {result?.target === item.answerId ? <FormError error={result.error} /> : null}
            <form method="post" action={`${base}?state=${d.state}${d.question ? `&question=${d.question}` : ""}&page=${d.page}`} className="inline">
              <input type="hidden" name="answerId" value={item.answerId} />
              <input type="hidden" name="action" value={item.hidden ? "restore" : "hide"} />
              <label htmlFor={`reason-${item.answerId}`}>{t("staff.moderation.reason")}</label>
              <input type="text" id={`reason-${item.answerId}`} name="reason" maxLength={500} />
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
