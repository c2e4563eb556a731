import { readForm } from "~/http.server";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Done, FormError, type Errors } from "~/components/staff/Fields";
import { QuestionFields, type QuestionValues } from "~/components/staff/QuestionFields";
import { addQuestion, moveQuestion, questionFormInput, questionFormSchema, removeQuestion, updateQuestion } from "~/domain/consultations/editor.server";
import type { QuestionView } from "~/domain/consultations/types";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { fieldErrors, staffConsultation } from "~/staff.server";

function valuesOf(q: QuestionView): QuestionValues {
  const values: Record<string, string> = {
    code: q.code,
    kind: q.kind,
    demographic: q.demographic ?? "",
    required: q.required ? "on" : "",
    allowOther: q.allowOther ? "on" : "",
    allowPreferNot: q.allowPreferNot ? "on" : "",
    minChoices: q.minChoices?.toString() ?? "",
    maxChoices: q.maxChoices?.toString() ?? "",
    maxLength: q.maxLength?.toString() ?? "",
  };
  for (const l of ["fr", "en"] as const)
    for (const f of ["prompt", "help", "scaleLow", "scaleHigh"] as const) values[`${l}.${f}`] = q.texts[l][f] ?? "";
  return { values, options: q.options.map((o) => ({ id: o.id, code: o.code, fr: o.labels.fr, en: o.labels.en })) };
}

function typedQuestion(form: FormData): QuestionValues {
  const values: Record<string, string> = {};
  for (const [k, v] of form) if (typeof v === "string" && !k.startsWith("option.")) values[k] = v.slice(0, 5000);
  const options: QuestionValues["options"] = [];
  for (let i = 0; i < 50 && form.has(`option.${i}.code`); i++) {
    const get = (f: string) => String(form.get(`option.${i}.${f}`) ?? "").slice(0, 300);
    if (get("code") || get("fr") || get("en") || get("id")) options.push({ id: get("id"), code: get("code"), fr: get("fr"), en: get("en") });
  }
  return { values, options };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  return json({
    lang,
    slug: c.slug,
    status: c.status,
    title: c.texts[lang].title || c.slug,
    questions: c.questions.map((q) => ({ id: q.id, kind: q.kind, prompt: q.texts[lang].prompt, ...valuesOf(q) })),
  });
}

const REASONS = { code_taken: "codeTaken", locked: "questionsLocked", not_found: "notFound", option_has_answers: "optionHasAnswers", kind_locked: "kindLocked" } as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, staff, db, consultation } = await staffConsultation(request, params, "consultations:edit");
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const questionId = String(form.get("questionId") ?? "");
  const back = (done: string) => redirect(`/${lang}/staff/consultations/${consultation.slug}/questions?done=${done}#${questionId ? `q-${questionId}` : "add"}`);
  if (intent === "up" || intent === "down") {
    await moveQuestion(db, consultation, questionId, intent);
    return back("moved");
  }
  if (intent === "remove") {
    const r = await removeQuestion(db, staff.id, consultation, questionId);
    if (!r.ok) return json({ target: questionId, errors: {} as Errors, error: REASONS[r.reason], typed: null }, { status: 409 });
    return redirect(`/${lang}/staff/consultations/${consultation.slug}/questions?done=removed`);
  }
  const parsed = questionFormSchema.safeParse(questionFormInput(form));
  const target = intent === "add" ? "add" : questionId;
  if (!parsed.success) return json({ target, errors: fieldErrors(parsed.error), error: "fixFields", typed: typedQuestion(form) }, { status: 400 });
  const r = intent === "add" ? await addQuestion(db, staff.id, consultation, parsed.data) : await updateQuestion(db, staff.id, consultation, questionId, parsed.data);
  if (!r.ok) return json({ target, errors: (r.reason === "code_taken" ? { code: { key: "codeTaken" } } : {}) as Errors, error: REASONS[r.reason], typed: typedQuestion(form) }, { status: 409 });
  return back(intent === "add" ? "added" : "saved");
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${tFor(data?.lang ?? "fr")("staff.questions.title")} – Quorum` }];

export default function Questions() {
  const { lang, slug, status, title, questions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const t = useT();
  const url = `/${lang}/staff/consultations/${slug}/questions`;
  const draft = status === "draft";
  return (
    <>
      <p>
        <a href={`/${lang}/staff/consultations/${slug}`}>← {title}</a>
      </p>
      <h1>{t("staff.questions.title")}</h1>
      <Done done={search.get("done")} />
      {!draft ? <p className="notice">{t("staff.questions.openNotice")}</p> : null}
      {result && !questions.some((q) => q.id === result.target) && !(result.target === "add" && draft) ? <FormError error={result.error} /> : null}
      {questions.length === 0 ? <p>{t("staff.questions.none")}</p> : null}
      {questions.map((q, i) => {
        const mine = result?.target === q.id;
        return (
          <section key={q.id} id={`q-${q.id}`} className="question-editor" aria-labelledby={`h-${q.id}`}>
            <h2 id={`h-${q.id}`}>
              {i + 1}. {q.prompt || t(`staff.kinds.${q.kind}`)}
            </h2>
            {mine ? <FormError error={result?.error} /> : null}
            <form method="post" action={url} className="staff-form wide">
              <input type="hidden" name="intent" value="save" />
              <input type="hidden" name="questionId" value={q.id} />
              <QuestionFields prefix={`q${i + 1}`} q={mine && result?.typed ? result.typed : q} errors={mine ? result?.errors : undefined} kindLocked={!draft} />
              <button type="submit" className="primary">
                {t("staff.questions.save", { number: i + 1 })}
              </button>
            </form>
            <div className="button-row">
              {(["up", "down"] as const).map((dir) => (
                <form key={dir} method="post" action={url} className="inline">
                  <input type="hidden" name="intent" value={dir} />
                  <input type="hidden" name="questionId" value={q.id} />
                  <button type="submit" disabled={(dir === "up" && i === 0) || (dir === "down" && i === questions.length - 1)}>
                    {t(`staff.questions.${dir}`, { number: i + 1 })}
                  </button>
                </form>
              ))}
              {draft ? (
                <form method="post" action={url} className="inline">
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="questionId" value={q.id} />
                  <button type="submit">{t("staff.questions.remove", { number: i + 1 })}</button>
                </form>
              ) : null}
            </div>
          </section>
        );
      })}
      {draft ? (
        <section id="add" className="question-editor" aria-labelledby="add-heading">
          <h2 id="add-heading">{t("staff.questions.add")}</h2>
          {result?.target === "add" ? <FormError error={result?.error} /> : null}
          <form method="post" action={url} className="staff-form wide">
            <input type="hidden" name="intent" value="add" />
            <QuestionFields
              prefix="new"
              blankRows={5}
              q={result?.target === "add" && result.typed ? result.typed : { values: { kind: "single" }, options: [] }}
              errors={result?.target === "add" ? result?.errors : undefined}
            />
            <button type="submit" className="primary">
              {t("staff.questions.addSubmit")}
            </button>
          </form>
        </section>
      ) : null}
    </>
  );
}
