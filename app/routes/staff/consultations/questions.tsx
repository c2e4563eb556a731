import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { smsCost } from "~/domain/sms/cost.server";
import { smsLinks } from "~/web/sms.server";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Done } from "~/components/staff/Fields";
import {
  QuestionFields,
  flatQuestion,
  questionFieldLabel,
  questionFieldValue,
  questionFormFields,
  questionValues,
  typedQuestion,
} from "~/components/staff/QuestionFields";
import { FormSummary, versionToSend } from "~/components/staff/Refusal";
import { addQuestion, moveQuestion, removeQuestion, updateQuestion, type QuestionRefusal } from "~/domain/consultations/questionnaire.server";
import { questionsSchema } from "~/domain/consultations/schema.server";
import { getConsultationBySlug, lastSave } from "~/domain/consultations/queries.server";
import { parseFormData } from "~/forms/forms.server";
import { readForm } from "~/web/http.server";
import { errorsOf, refusalReply, valuesOf, type RefusalAnswer } from "~/forms/result";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { staffConsultation } from "~/web/staff.server";
import { urls } from "~/urls";
import { fragments, questionFragment } from "~/components/fragments";
import { pageTitle } from "~/i18n/title";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, db, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  const saved = await lastSave(db, c);
  return json({
    lang,
    slug: c.slug,
    status: c.status,
    title: c.texts[lang].title || c.slug,
    version: c.version,
    lastSaved: { at: saved.at.toISOString(), by: saved.by },
    questions: c.questions.map((q) => ({ id: q.id, kind: q.kind, prompt: q.texts[lang].prompt, ...questionValues(q) })),
    // What each question costs a resident answering by SMS, in segments received (decision 066).
    sms: (() => {
      const links = smsLinks();
      const [fr, en] = [smsCost(c, "fr", links), smsCost(c, "en", links)];
      return { fr: fr.receive, en: en.receive, perQuestion: fr.questions.map((q, i) => ({ fr: q.receive, en: en.questions[i]?.receive ?? 0 })) };
    })(),
  });
}

const REFUSED = {
  stale: { status: 409, key: "stale" },
  code_taken: { status: 409, key: "codeTaken", field: "code" },
  option_code_taken: { status: 409, key: "optionDuplicate", field: "options" },
  option_has_answers: { status: 409, key: "optionHasAnswers", field: "options" },
  kind_locked: { status: 409, key: "kindLocked" },
  locked: { status: 409, key: "questionsLocked" },
  not_found: { status: 409, key: "notFound" },
} satisfies Record<QuestionRefusal, RefusalAnswer>;

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, staff, db, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  const body = await readForm(request);
  const submission = parseFormData(body, questionsSchema);
  // "More answers": the same form back, as typed, with more empty rows; nothing is checked or saved yet.
  if (body.has("more")) return json({ result: { ...submission.reply(), error: undefined }, more: true });
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  const form = submission.value;
  const result =
    form.intent === "add"
      ? await addQuestion(db, staff.id, c, form.version, form)
      : form.intent === "save"
        ? await updateQuestion(db, staff.id, c, form.version, form.questionId, form)
        : form.intent === "remove"
          ? await removeQuestion(db, staff.id, c, form.version, form.questionId)
          : await moveQuestion(db, c, form.version, form.questionId, form.intent, staff.id);
  if (!result.ok) return json({ result: submission.reply(refusalReply(REFUSED[result.reason])) }, { status: REFUSED[result.reason].status });
  const done = { add: "added", save: "saved", remove: "removed", up: "moved", down: "moved" }[form.intent];
  if (form.intent === "remove") return redirect(urls.staff.questions(lang, c.slug, { done, hash: fragments.done }));
  // The confirmation shows beside the question, where the page lands: a new question is the last one.
  const at = form.intent === "add" ? (await getConsultationBySlug(db, c.slug))?.questions.at(-1)?.id : form.questionId;
  return redirect(urls.staff.questions(lang, c.slug, at ? { done, q: at, hash: questionFragment(at) } : { done, hash: fragments.done }));
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.questions.title"), data?.title) },
];

export default function Questions() {
  const { lang, slug, status, title, version, questions, lastSaved, sms } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const result = reply?.result;
  const more = !!(reply && "more" in reply && reply.more);
  const errors = errorsOf(result);
  const typed = valuesOf(result);
  const [search] = useSearchParams();
  const t = useT();
  // A refused form lands on its error summary; a saved question shows its confirmation beside it.
  const post = urls.staff.questions(lang, slug, { hash: fragments.errors });
  const doneAt = search.get("q");
  const doneHere = (id: string) => (doneAt === id ? <Done done={search.get("done")} /> : null);
  const draft = status === "draft";
  // Which form was refused: the add form, or the question it names.
  const target = typed?.intent === "add" ? "add" : typed?.questionId;
  const editing = typed?.intent === "add" || typed?.intent === "save";
  // One question's form at a time (`?edit=`, or the question a refused save or "More answers" came
  // back for); the others read as a list. The form for a new question shows when none is open.
  const asked = typed ? (typed.intent === "save" ? typed.questionId : undefined) : search.get("edit");
  const open = questions.find((q) => q.id === asked)?.id ?? null;
  const adding = draft && !open;
  const sent = versionToSend(errors, typed, version);
  const summary = (saved?: Record<string, string>, fields?: string[]) => (
    <FormSummary
      errors={errors}
      typed={typed}
      saved={editing ? saved : undefined}
      fields={fields}
      label={(name) => questionFieldLabel(t, name)}
      display={(name, value) => questionFieldValue(t, name, value)}
      prefix={target === "add" ? "new" : `q${questions.findIndex((q) => q.id === target) + 1}`}
      list
      lastSaved={lastSaved}
    />
  );
  const hidden = (intent: string, questionId?: string) => (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="version" value={sent} />
      {questionId ? <input type="hidden" name="questionId" value={questionId} /> : null}
    </>
  );
  return (
    <>
      <p>
        <a href={urls.staff.consultation(lang, slug)}>← {title}</a>
      </p>
      <h1>{t("staff.questions.title")}</h1>
      {doneAt && questions.some((q) => q.id === doneAt) ? null : <Done done={search.get("done")} />}
      {!draft ? <p className="notice">{t("staff.questions.openNotice")}</p> : null}
      <p className="help">
        {t("staff.questions.smsTotal", { fr: sms.fr, en: sms.en })} <a href={urls.staff.sms(lang, slug)}>{t("staff.questions.smsDetails")}</a>
      </p>
      {/* A refusal for no question on this page (unknown, removed meanwhile, or a question id that is not one). */}
      {result && !questions.some((q) => q.id === target) && !(target === "add" && draft) ? (
        <FormSummary
          list
          errors={errors.questionId ? { form: errors.questionId } : !errors.form && target !== "add" && target ? { form: { key: "notFound" } } : errors}
        />
      ) : null}
      {questions.length === 0 ? <p>{t("staff.questions.none")}</p> : null}
      {questions.map((q, i) => {
        const mine = target === q.id;
        const shown = mine && editing && typed ? typedQuestion(typed) : q;
        const at = questionFragment(q.id);
        return (
          <section key={q.id} id={at} className={open === q.id ? "question-editor" : "question-editor compact"} aria-labelledby={`h-${q.id}`}>
            <h2 id={`h-${q.id}`}>
              {i + 1}. {q.prompt || t(`staff.kinds.${q.kind}`)}
            </h2>
            <p className="help">{t("staff.questions.smsQuestion", { fr: sms.perQuestion[i]?.fr ?? 0, en: sms.perQuestion[i]?.en ?? 0 })}</p>
            {doneHere(q.id)}
            {mine ? summary(flatQuestion(q), questionFormFields(q, shown)) : null}
            {open === q.id ? (
              <form method="post" action={post} className="staff-form wide">
                {hidden("save", q.id)}
                <QuestionFields prefix={`q${i + 1}`} q={shown} errors={mine ? errors : undefined} kindLocked={!draft} blankRows={mine && more ? 5 : 2} />
                <div className="button-row">
                  <button type="submit" className="primary">
                    {t("staff.questions.save", { number: i + 1 })}
                  </button>
                  <button type="submit" name="more" value="yes" formAction={urls.staff.questions(lang, slug, { hash: `q${i + 1}-f-options` })}>
                    {t("staff.questions.more", { number: i + 1 })}
                  </button>
                  <a href={urls.staff.questions(lang, slug, { hash: at })}>{t("staff.questions.close", { number: i + 1 })}</a>
                </div>
              </form>
            ) : (
              <p className="help">
                {t(`staff.kinds.${q.kind}`)} · {t("staff.questions.codeIs", { code: q.values.code })}
              </p>
            )}
            <div className="button-row">
              {open === q.id ? null : (
                <a className="button" href={urls.staff.questions(lang, slug, { edit: q.id, hash: at })}>
                  {t("staff.questions.edit", { number: i + 1 })}
                </a>
              )}
              {(["up", "down"] as const).map((dir) => (
                <form key={dir} method="post" action={post} className="inline">
                  {hidden(dir, q.id)}
                  <button type="submit" disabled={(dir === "up" && i === 0) || (dir === "down" && i === questions.length - 1)}>
                    {t(`staff.questions.${dir}`, { number: i + 1 })}
                  </button>
                </form>
              ))}
              {draft ? (
                <form method="post" action={post} className="inline">
                  {hidden("remove", q.id)}
                  <button type="submit">{t("staff.questions.remove", { number: i + 1 })}</button>
                </form>
              ) : null}
            </div>
          </section>
        );
      })}
      {adding ? (
        <section id="add" className="question-editor" aria-labelledby="add-heading">
          <h2 id="add-heading">{t("staff.questions.add")}</h2>
          {target === "add" ? summary() : null}
          <form method="post" action={post} className="staff-form wide">
            {hidden("add")}
            <QuestionFields
              prefix="new"
              blankRows={5}
              q={target === "add" && typed ? typedQuestion(typed) : { values: { kind: "single" }, options: [] }}
              errors={target === "add" ? errors : undefined}
            />
            <div className="button-row">
              <button type="submit" className="primary">
                {t("staff.questions.addSubmit")}
              </button>
              <button type="submit" name="more" value="yes" formAction={urls.staff.questions(lang, slug, { hash: "new-f-options" })}>
                {t("staff.questions.moreNew")}
              </button>
            </div>
          </form>
        </section>
      ) : draft ? (
        <p>
          <a className="button" href={urls.staff.questions(lang, slug, { hash: "add" })}>
            {t("staff.questions.add")}
          </a>
        </p>
      ) : null}
    </>
  );
}
