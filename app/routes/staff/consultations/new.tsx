import { municipalTimeZone } from "~/web/settings.server";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { consultationFieldLabel, ConsultationFields } from "~/components/staff/ConsultationFields";
import { FormSummary } from "~/components/staff/Refusal";
import { consultationSchemas } from "~/domain/consultations/schema.server";
import { createDraft, type CreateDraftRefusal } from "~/domain/consultations/texts.server";
import { parseForm } from "~/forms/forms.server";
import { errorsOf, refusalReply, valuesOf, type RefusalAnswer } from "~/forms/result";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { staffRequest } from "~/web/staff.server";
import { urls } from "~/urls";
import { fragments } from "~/components/fragments";
import { pageTitle } from "~/i18n/title";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang } = await staffRequest(request, params, "consultations:edit");
  return json({ lang, timeZone: await municipalTimeZone() });
}

const REFUSED = {
  slug_taken: { status: 409, key: "slugTaken", field: "slug" },
} satisfies Record<CreateDraftRefusal, RefusalAnswer>;

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, staff, db } = await staffRequest(request, params, "consultations:edit");
  const submission = await parseForm(request, consultationSchemas(await municipalTimeZone()).create);
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  const created = await createDraft(db, staff.id, submission.value);
  if (!created.ok) return json({ result: submission.reply(refusalReply(REFUSED[created.reason])) }, { status: REFUSED[created.reason].status });
  return redirect(urls.staff.questions(lang, created.slug, { done: "created", hash: fragments.done }));
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.editor.newTitle")) }];

export default function NewConsultation() {
  const { lang, timeZone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>()?.result;
  const errors = errorsOf(result);
  const t = useT();
  return (
    <>
      <h1>{t("staff.editor.newTitle")}</h1>
      <p>{t("staff.editor.newIntro")}</p>
      <FormSummary errors={errors} list label={(name) => consultationFieldLabel(t, name)} />
      <form method="post" action={urls.staff.newConsultation(lang, { hash: fragments.errors })} className="staff-form wide">
        <ConsultationFields values={valuesOf(result) ?? { mode: "open" }} errors={errors} timeZone={timeZone} />
        <button type="submit" className="primary">
          {t("staff.editor.create")}
        </button>
      </form>
    </>
  );
}
