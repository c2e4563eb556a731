import { readForm } from "~/http.server";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Bilingual, Done, FormError } from "~/components/staff/Fields";
import { outcomeFormSchema, saveOutcome } from "~/domain/consultations/editor.server";
import { useFormat, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { fieldErrors, staffConsultation, typed } from "~/staff.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  const o = c.outcome;
  return json({
    lang,
    slug: c.slug,
    status: c.status,
    title: c.texts[lang].title || c.slug,
    publishedAt: c.outcomePublishedAt?.toISOString() ?? null,
    values: {
      "fr.heard": o?.fr.heard ?? "",
      "fr.decided": o?.fr.decided ?? "",
      "en.heard": o?.en.heard ?? "",
      "en.decided": o?.en.decided ?? "",
    } as Record<string, string>,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, staff, db, consultation } = await staffConsultation(request, params, "consultations:edit");
  const form = await readForm(request);
  const get = (k: string) => (typeof form.get(k) === "string" ? (form.get(k) as string) : undefined);
  const parsed = outcomeFormSchema.safeParse({
    fr: { heard: get("fr.heard"), decided: get("fr.decided") },
    en: { heard: get("en.heard"), decided: get("en.decided") },
    intent: get("intent"),
  });
  if (!parsed.success) return json({ values: typed(form), errors: fieldErrors(parsed.error), error: "fixFields" }, { status: 400 });
  const { intent, ...outcome } = parsed.data;
  const result = await saveOutcome(db, staff.id, consultation, outcome, intent);
  if (!result.ok) return json({ values: typed(form), errors: {}, error: result.reason === "incomplete" ? "outcomeIncomplete" : "outcomeNotClosed" }, { status: 409 });
  return redirect(`/${lang}/staff/consultations/${consultation.slug}/outcome?done=outcome-${intent}`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${tFor(data?.lang ?? "fr")("staff.outcome.title")} – Quorum` }];

export default function Outcome() {
  const { lang, slug, status, title, publishedAt, values } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const t = useT();
  const format = useFormat();
  return (
    <>
      <p>
        <a href={`/${lang}/staff/consultations/${slug}`}>← {title}</a>
      </p>
      <h1>{t("staff.outcome.title")}</h1>
      <Done done={search.get("done")} />
      <FormError error={result?.error} />
      <p>{publishedAt ? t("staff.outcome.published", { date: format.dateTime(publishedAt) }) : t("staff.outcome.notPublished")}</p>
      {status !== "closed" && status !== "archived" ? <p className="help">{t("staff.outcome.closeFirst")}</p> : null}
      <form method="post" action={`/${lang}/staff/consultations/${slug}/outcome`} className="staff-form wide">
        <Bilingual name="heard" label={t("staff.outcome.heard")} values={result?.values ?? values} errors={result?.errors} multiline rows={8} />
        <Bilingual name="decided" label={t("staff.outcome.decided")} values={result?.values ?? values} errors={result?.errors} multiline rows={8} />
        <div className="button-row">
          <button type="submit" name="intent" value="save">
            {t("staff.outcome.save")}
          </button>
          <button type="submit" name="intent" value="publish" className="primary">
            {t("staff.outcome.publish")}
          </button>
          {publishedAt ? (
            <button type="submit" name="intent" value="unpublish">
              {t("staff.outcome.unpublish")}
            </button>
          ) : null}
        </div>
      </form>
    </>
  );
}
