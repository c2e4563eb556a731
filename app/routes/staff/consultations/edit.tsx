import { municipalTimeZone } from "~/web/settings.server";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import {
  CONSULTATION_FORM_FIELDS,
  ConsultationFields,
  consultationFieldLabel,
  consultationFieldValue,
  consultationValues,
} from "~/components/staff/ConsultationFields";
import { lastSave } from "~/domain/consultations/queries.server";
import { FormSummary, versionToSend } from "~/components/staff/Refusal";
import { utcToZonedInput } from "~/domain/consultations/dates";
import { consultationSchemas } from "~/domain/consultations/schema.server";
import { saveTexts, type SaveTextsRefusal } from "~/domain/consultations/texts.server";
import { parseForm } from "~/forms/forms.server";
import { errorsOf, refusalReply, valuesOf, type RefusalAnswer } from "~/forms/result";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { staffConsultation } from "~/web/staff.server";
import { urls } from "~/urls";
import { fragments } from "~/components/fragments";
import { pageTitle } from "~/i18n/title";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, db, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  const saved = await lastSave(db, c);
  const timeZone = await municipalTimeZone();
  return json({
    lang,
    timeZone,
    slug: c.slug,
    status: c.status,
    title: c.texts[lang].title || c.slug,
    version: c.version,
    lastSaved: { at: saved.at.toISOString(), by: saved.by },
    values: consultationValues(c, (d) => utcToZonedInput(d, timeZone)),
  });
}

const REFUSED = {
  slug_taken: { status: 409, key: "slugTaken", field: "slug" },
  slug_locked: { status: 409, key: "slugLocked", field: "slug" },
  stale: { status: 409, key: "stale" },
  texts_missing: { status: 400, key: "textRequiredWhileVisible" },
} satisfies Record<SaveTextsRefusal, RefusalAnswer>;

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, staff, db, consultation } = await staffConsultation(request, params, "consultations:edit");
  const submission = await parseForm(request, consultationSchemas(await municipalTimeZone()).edit);
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  const saved = await saveTexts(db, staff.id, consultation, submission.value);
  if (!saved.ok && saved.reason === "texts_missing") {
    // Every emptied text at its field, with what was typed kept.
    const error = [{ key: REFUSED.texts_missing.key }];
    const fieldErrors = Object.fromEntries(saved.missing.map((m) => [`${m.lang}.${m.field}`, error]));
    return json({ result: submission.reply({ fieldErrors }) }, { status: REFUSED.texts_missing.status });
  }
  if (!saved.ok) return json({ result: submission.reply(refusalReply(REFUSED[saved.reason])) }, { status: REFUSED[saved.reason].status });
  return redirect(urls.staff.consultation(lang, saved.slug, { done: "saved", hash: fragments.done }));
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.editor.editTitle"), data?.title) },
];

export default function EditConsultation() {
  const { lang, timeZone, slug, status, title, version, values, lastSaved } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>()?.result;
  const errors = errorsOf(result);
  const typed = valuesOf(result);
  const t = useT();
  return (
    <>
      <p>
        <a href={urls.staff.consultation(lang, slug)}>← {title}</a>
      </p>
      <h1>{t("staff.editor.editTitle")}</h1>
      <FormSummary
        errors={errors}
        typed={typed}
        saved={values}
        fields={CONSULTATION_FORM_FIELDS}
        label={(name) => consultationFieldLabel(t, name)}
        display={(name, value) => consultationFieldValue(t, name, value)}
        list
        lastSaved={lastSaved}
      />
      <form method="post" action={urls.staff.edit(lang, slug, { hash: fragments.errors })} className="staff-form wide">
        <input type="hidden" name="version" value={versionToSend(errors, typed, version)} />
        <ConsultationFields values={typed ?? values} errors={errors} timeZone={timeZone} slugLocked={status !== "draft"} modeLocked={status !== "draft"} />
        <button type="submit" className="primary">
          {t("staff.editor.save")}
        </button>
      </form>
    </>
  );
}
