import { readForm } from "~/http.server";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ConsultationFields, consultationValues } from "~/components/staff/ConsultationFields";
import { FormError, type Errors } from "~/components/staff/Fields";
import { consultationFormSchema, updateConsultation, utcToZonedInput } from "~/domain/consultations/editor.server";
import { consultationFormInput } from "~/domain/consultations/form-input";
import { loadEnv } from "~/env.server";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { fieldErrors, staffConsultation, typed } from "~/staff.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  const timeZone = loadEnv().QUORUM_TIMEZONE;
  return json({
    lang,
    timeZone,
    slug: c.slug,
    status: c.status,
    title: c.texts[lang].title || c.slug,
    values: consultationValues(c, (d) => utcToZonedInput(d, timeZone)),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, staff, db, consultation } = await staffConsultation(request, params, "consultations:edit");
  const form = await readForm(request);
  const parsed = consultationFormSchema.safeParse(consultationFormInput(form));
  if (!parsed.success) return json({ values: typed(form), errors: fieldErrors(parsed.error), error: "fixFields" }, { status: 400 });
  const result = await updateConsultation(db, staff.id, consultation, parsed.data, loadEnv().QUORUM_TIMEZONE);
  if (!result.ok)
    return json({ values: typed(form), errors: { slug: { key: result.reason === "slug_taken" ? "slugTaken" : "slugLocked" } } as Errors, error: "fixFields" }, { status: 409 });
  return redirect(`/${lang}/staff/consultations/${result.slug}?done=saved`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${tFor(data?.lang ?? "fr")("staff.editor.editTitle")} – Quorum` }];

export default function EditConsultation() {
  const { lang, timeZone, slug, status, title, values } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  return (
    <>
      <p>
        <a href={`/${lang}/staff/consultations/${slug}`}>← {title}</a>
      </p>
      <h1>{t("staff.editor.editTitle")}</h1>
      <FormError error={result?.error} />
      <form method="post" action={`/${lang}/staff/consultations/${slug}/edit`} className="staff-form wide">
        <ConsultationFields values={result?.values ?? values} errors={result?.errors} timeZone={timeZone} slugLocked={status !== "draft"} modeLocked={status !== "draft"} />
        <button type="submit" className="primary">
          {t("staff.editor.save")}
        </button>
      </form>
    </>
  );
}
