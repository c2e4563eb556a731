import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Done } from "~/components/staff/Fields";
import { FormSummary } from "~/components/staff/Refusal";
import { referencesSchema } from "~/domain/consultations/schema.server";
import { listReferenceShares, saveReferences, type ReferencesRefusal } from "~/domain/references/references.server";
import { parseForm } from "~/forms/forms.server";
import { errorsOf, refusalReply, valuesOf, type RefusalAnswer } from "~/forms/result";
import { useFormat, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { staffConsultation } from "~/web/staff.server";
import { urls } from "~/urls";
import { fragments } from "~/components/fragments";
import { pageTitle } from "~/i18n/title";

/** Reference shares (e.g. census) for each demographic question, in percent. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, db, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  const demographic = c.questions.filter((q) => q.demographic);
  const refs = demographic.length ? await listReferenceShares(db, c.id) : [];
  return json({
    lang,
    slug: c.slug,
    title: c.texts[lang].title || c.slug,
    questions: demographic.map((q) => ({
      id: q.id,
      prompt: q.texts[lang].prompt,
      source: refs.find((r) => r.questionId === q.id)?.source ?? "",
      options: q.options.map((o) => ({ id: o.id, label: o.labels[lang], percent: refs.find((r) => r.optionId === o.id)?.percent ?? "" })),
    })),
  });
}

const REFUSED = {
  not_found: { status: 409, key: "notFound" },
} satisfies Record<ReferencesRefusal, RefusalAnswer>;

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, db, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  const submission = await parseForm(request, referencesSchema);
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  const saved = await saveReferences(db, c, submission.value);
  if (!saved.ok) return json({ result: submission.reply(refusalReply(REFUSED[saved.reason])) }, { status: REFUSED[saved.reason].status });
  return redirect(urls.staff.references(lang, c.slug, { done: "saved", hash: fragments.done }));
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.references.title"), data?.title) },
];

export default function References() {
  const { lang, slug, title, questions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>()?.result;
  const errors = errorsOf(result);
  const typed = valuesOf(result);
  const [search] = useSearchParams();
  const t = useT();
  const f = useFormat();
  // The form that was refused shows what was typed in it and its messages.
  const target = typed?.questionId;
  return (
    <>
      <p>
        <a href={urls.staff.consultation(lang, slug)}>← {title}</a>
      </p>
      <h1>{t("staff.references.title")}</h1>
      <p>{t("staff.references.intro")}</p>
      <Done done={search.get("done")} />
      {result && !questions.some((q) => q.id === target) ? <FormSummary errors={errors} /> : null}
      {questions.length === 0 ? <p>{t("staff.references.none")}</p> : null}
      {questions.map((q) => {
        const mine = target === q.id;
        return (
          <form key={q.id} method="post" action={urls.staff.references(lang, slug, { hash: fragments.errors })} className="staff-form">
            <fieldset>
              <legend>{q.prompt}</legend>
              {mine ? <FormSummary errors={errors} /> : null}
              <input type="hidden" name="questionId" value={q.id} />
              {q.options.map((o) => {
                const name = `share.${o.id}`;
                const error = mine ? errors[name] : undefined;
                return (
                  <div className={`field${error ? " has-error" : ""}`} key={o.id}>
                    <label htmlFor={`share-${o.id}`}>{t("staff.references.percentOf", { group: o.label })}</label>
                    {error ? (
                      <p className="error" id={`share-${o.id}-error`}>
                        {t(`staffErrors.${error.key}`, error.params ?? {})}
                      </p>
                    ) : null}
                    <input
                      type="text"
                      inputMode="decimal"
                      id={`share-${o.id}`}
                      name={name}
                      defaultValue={mine ? (typed?.[name] ?? "") : f.inputNumber(o.percent)}
                      size={6}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? `share-${o.id}-error` : undefined}
                    />
                  </div>
                );
              })}
              <div className={`field${mine && errors.source ? " has-error" : ""}`}>
                <label htmlFor={`source-${q.id}`}>{t("staff.references.source")}</label>
                {mine && errors.source ? (
                  <p className="error" id={`source-${q.id}-error`}>
                    {t(`staffErrors.${errors.source.key}`, errors.source.params ?? {})}
                  </p>
                ) : null}
                <input
                  type="text"
                  id={`source-${q.id}`}
                  name="source"
                  defaultValue={mine ? (typed?.source ?? "") : q.source}
                  maxLength={300}
                  aria-invalid={mine && errors.source ? true : undefined}
                  aria-describedby={mine && errors.source ? `source-${q.id}-error` : undefined}
                />
              </div>
              <button type="submit" className="primary">
                {t("staff.editor.save")}
              </button>
            </fieldset>
          </form>
        );
      })}
    </>
  );
}
