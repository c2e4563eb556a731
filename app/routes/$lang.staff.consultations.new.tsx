import { readForm } from "~/http.server";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ConsultationFields } from "~/components/staff/ConsultationFields";
import { FormError, type Errors } from "~/components/staff/Fields";
import { consultationFormSchema, createDraft } from "~/domain/consultations/editor.server";
import { consultationFormInput } from "~/domain/consultations/form-input";
import { loadEnv } from "~/env.server";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { fieldErrors, staffRequest, typed } from "~/staff.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang } = await staffRequest(request, params, "consultations:edit");
  return json({ lang, timeZone: loadEnv().QUORUM_TIMEZONE });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, staff, db } = await staffRequest(request, params, "consultations:edit");
  const form = await readForm(request);
  const parsed = consultationFormSchema.safeParse(consultationFormInput(form));
  if (!parsed.success) return json({ values: typed(form), errors: fieldErrors(parsed.error), error: "fixFields" }, { status: 400 });
  const result = await createDraft(db, staff.id, parsed.data, loadEnv().QUORUM_TIMEZONE);
  if (!result.ok) return json({ values: typed(form), errors: { slug: { key: "slugTaken" } } as Errors, error: "fixFields" }, { status: 409 });
  return redirect(`/${lang}/staff/consultations/${result.slug}/questions?done=created`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${tFor(data?.lang ?? "fr")("staff.editor.newTitle")} – Quorum` }];

export default function NewConsultation() {
  const { lang, timeZone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  return (
    <>
      <h1>{t("staff.editor.newTitle")}</h1>
      <p>{t("staff.editor.newIntro")}</p>
      <FormError error={result?.error} />
      <form method="post" action={`/${lang}/staff/consultations/new`} className="staff-form wide">
        <ConsultationFields values={result?.values ?? { mode: "open" }} errors={result?.errors} timeZone={timeZone} />
        <button type="submit" className="primary">
          {t("staff.editor.create")}
        </button>
      </form>
    </>
  );
}
