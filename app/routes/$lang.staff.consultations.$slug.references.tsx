import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { inArray } from "drizzle-orm";
import { referenceShares } from "#db/schema";
import { Done, FormError } from "~/components/staff/Fields";
import { setReferenceShares } from "~/domain/summary/summary.server";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { readForm } from "~/http.server";
import { staffConsultation } from "~/staff.server";

/** Reference shares (e.g. census) for each demographic question, in percent. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, db, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  const demographic = c.questions.filter((q) => q.demographic);
  const refs = demographic.length ? await db.select().from(referenceShares).where(inArray(referenceShares.questionId, demographic.map((q) => q.id))) : [];
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

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, db, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  const form = await readForm(request);
  const q = c.questions.find((x) => x.id === form.get("questionId") && x.demographic);
  if (!q) return json({ error: "notFound", target: null as string | null }, { status: 400 });
  const shares: { optionId: string; percent: number }[] = [];
  for (const o of q.options) {
    const raw = String(form.get(`share.${o.id}`) ?? "").trim().replace(",", ".");
    if (raw === "") continue;
    const n = Number(raw);
    if (!/^\d{1,3}(\.\d{1,2})?$/.test(raw) || n > 100) return json({ error: "percentFormat", target: q.id }, { status: 400 });
    shares.push({ optionId: o.id, percent: n });
  }
  if (shares.reduce((s, x) => s + x.percent, 0) > 100.5) return json({ error: "percentSum", target: q.id }, { status: 400 });
  await setReferenceShares(db, q.id, shares, String(form.get("source") ?? "").slice(0, 300));
  return redirect(`/${lang}/staff/consultations/${c.slug}/references?done=saved`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${tFor(data?.lang ?? "fr")("staff.references.title")} – Quorum` }];

export default function References() {
  const { lang, slug, title, questions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const t = useT();
  return (
    <>
      <p>
        <a href={`/${lang}/staff/consultations/${slug}`}>← {title}</a>
      </p>
      <h1>{t("staff.references.title")}</h1>
      <p>{t("staff.references.intro")}</p>
      <Done done={search.get("done")} />
      {result && !questions.some((q) => q.id === result.target) ? <FormError error={result.error} /> : null}
      {questions.length === 0 ? <p>{t("staff.references.none")}</p> : null}
      {questions.map((q) => (
        <form key={q.id} method="post" action={`/${lang}/staff/consultations/${slug}/references`} className="staff-form">
          <fieldset>
            <legend>{q.prompt}</legend>
            {result?.target === q.id ? <FormError error={result.error} /> : null}
            <input type="hidden" name="questionId" value={q.id} />
            {q.options.map((o) => (
              <div className="field" key={o.id}>
                <label htmlFor={`share-${o.id}`}>{t("staff.references.percentOf", { group: o.label })}</label>
                <input type="text" inputMode="decimal" id={`share-${o.id}`} name={`share.${o.id}`} defaultValue={o.percent} size={6} />
              </div>
            ))}
            <div className="field">
              <label htmlFor={`source-${q.id}`}>{t("staff.references.source")}</label>
              <input type="text" id={`source-${q.id}`} name="source" defaultValue={q.source} maxLength={300} />
            </div>
            <button type="submit" className="primary">
              {t("staff.editor.save")}
            </button>
          </fieldset>
        </form>
      ))}
    </>
  );
}
