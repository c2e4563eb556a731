import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Field } from "~/components/staff/Fields";
import { FormSummary } from "~/components/staff/Refusal";
import { duplicateConsultation, type DuplicateRefusal } from "~/domain/consultations/copy.server";
import { duplicateSchema } from "~/domain/consultations/schema.server";
import { parseForm } from "~/forms/forms.server";
import { errorsOf, refusalReply, valuesOf, type RefusalAnswer } from "~/forms/result";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { staffConsultation } from "~/web/staff.server";
import { urls } from "~/urls";
import { fragments } from "~/components/fragments";
import { pageTitle } from "~/i18n/title";

/** Duplicate a consultation (last year's, for this year): the copy's address, then a new draft. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  return json({ lang, slug: c.slug, title: c.texts[lang].title || c.slug, suggested: `${c.slug}-${new Date().getFullYear() + 1}` });
}

const REFUSED = {
  slug_taken: { status: 409, key: "slugTaken", field: "slug" },
} satisfies Record<DuplicateRefusal, RefusalAnswer>;

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, staff, db, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  const submission = await parseForm(request, duplicateSchema);
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  const copied = await duplicateConsultation(db, staff.id, c, submission.value.slug);
  if (!copied.ok) return json({ result: submission.reply(refusalReply(REFUSED[copied.reason])) }, { status: REFUSED[copied.reason].status });
  return redirect(urls.staff.consultation(lang, copied.slug, { done: "duplicated", hash: fragments.done }));
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.duplicate.title", { title: data?.title ?? "" })) },
];

export default function Duplicate() {
  const { lang, slug, title, suggested } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>()?.result;
  const errors = errorsOf(result);
  const t = useT();
  return (
    <>
      <p>
        <a href={urls.staff.consultation(lang, slug)}>← {title}</a>
      </p>
      <h1>{t("staff.duplicate.title", { title })}</h1>
      <p>{t("staff.duplicate.intro")}</p>
      <FormSummary errors={errors} list label={() => t("staff.editor.slug")} />
      <form method="post" action={urls.staff.duplicate(lang, slug, { hash: fragments.errors })} className="staff-form">
        <Field name="slug" label={t("staff.editor.slug")} help={t("staff.duplicate.slugHelp")} value={valuesOf(result)?.slug ?? suggested} errors={errors} />
        <button type="submit" className="primary">
          {t("staff.duplicate.submit")}
        </button>
      </form>
    </>
  );
}
