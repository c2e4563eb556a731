import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Bilingual, Done } from "~/components/staff/Fields";
import { lastSave } from "~/domain/consultations/queries.server";
import { FiguresVersion } from "~/components/staff/FiguresVersion";
import { FormSummary, versionToSend } from "~/components/staff/Refusal";
import { saveOutcome, type OutcomeRefusal } from "~/domain/consultations/outcome.server";
import { outcomeSchema } from "~/domain/consultations/schema.server";
import { figuresState } from "~/domain/opendata/figures.server";
import { parseForm } from "~/forms/forms.server";
import { errorsOf, refusalReply, valuesOf, type RefusalAnswer } from "~/forms/result";
import { useFormat, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { notifyMail } from "~/platform/mail.server";
import { staffConsultation } from "~/web/staff.server";
import { urls } from "~/urls";
import { fragments } from "~/components/fragments";
import { pageTitle } from "~/i18n/title";

const FIELDS = ["fr.heard", "en.heard", "fr.decided", "en.decided"];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, db, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  const saved = await lastSave(db, c);
  const o = c.outcome;
  return json({
    lang,
    slug: c.slug,
    status: c.status,
    title: c.texts[lang].title || c.slug,
    publishedAt: c.outcomePublishedAt?.toISOString() ?? null,
    figures: figuresState(c),
    version: c.version,
    lastSaved: { at: saved.at.toISOString(), by: saved.by },
    values: {
      "fr.heard": o?.fr.heard ?? "",
      "fr.decided": o?.fr.decided ?? "",
      "en.heard": o?.en.heard ?? "",
      "en.decided": o?.en.decided ?? "",
    } as Record<string, string>,
  });
}

const REFUSED = {
  incomplete: { status: 409, key: "outcomeIncomplete" },
  not_closed: { status: 409, key: "outcomeNotClosed" },
  stale: { status: 409, key: "stale" },
} satisfies Record<OutcomeRefusal, RefusalAnswer>;

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, staff, db, consultation } = await staffConsultation(request, params, "consultations:edit");
  const submission = await parseForm(request, outcomeSchema);
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  const saved = await saveOutcome(db, staff.id, consultation, submission.value, await notifyMail(consultation));
  // Publishing with a part left empty: each empty part named at its field and in the summary.
  if (!saved.ok && saved.reason === "incomplete")
    return json(
      {
        result: submission.reply({
          formErrors: [{ key: REFUSED.incomplete.key }],
          fieldErrors: Object.fromEntries(saved.missing.map((name) => [name, [{ key: "outcomePartMissing" }]])),
        }),
      },
      { status: REFUSED.incomplete.status },
    );
  if (!saved.ok) return json({ result: submission.reply(refusalReply(REFUSED[saved.reason])) }, { status: REFUSED[saved.reason].status });
  return redirect(urls.staff.outcome(lang, consultation.slug, { done: `outcome-${submission.value.intent}`, hash: fragments.done }));
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.outcome.title"), data?.title) },
];

export default function Outcome() {
  const { lang, slug, status, title, publishedAt, figures, version, values, lastSaved } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>()?.result;
  const errors = errorsOf(result);
  const typed = valuesOf(result);
  const [search] = useSearchParams();
  const t = useT();
  const format = useFormat();
  return (
    <>
      <p>
        <a href={urls.staff.consultation(lang, slug)}>← {title}</a>
      </p>
      <h1>{t("staff.outcome.title")}</h1>
      <Done done={search.get("done")} />
      <FormSummary
        errors={errors}
        typed={typed}
        saved={values}
        fields={FIELDS}
        label={(name) => t("staff.missing.field", { field: t(`staff.outcome.${name.split(".")[1]}`), lang: t(`staff.in.${name.split(".")[0]}`) })}
        list
        lastSaved={lastSaved}
      />
      <p>{publishedAt ? t("staff.outcome.published", { date: format.dateTime(publishedAt) }) : t("staff.outcome.notPublished")}</p>
      <FiguresVersion lang={lang} slug={slug} figures={figures} on="outcome" />
      {status !== "closed" && status !== "archived" ? <p className="help">{t("staff.outcome.closeFirst")}</p> : null}
      <form method="post" action={urls.staff.outcome(lang, slug, { hash: fragments.errors })} className="staff-form wide">
        <input type="hidden" name="version" value={versionToSend(errors, typed, version)} />
        <Bilingual name="heard" label={t("staff.outcome.heard")} values={typed ?? values} errors={errors} multiline rows={8} />
        <Bilingual name="decided" label={t("staff.outcome.decided")} values={typed ?? values} errors={errors} multiline rows={8} />
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
