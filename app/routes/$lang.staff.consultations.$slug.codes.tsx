import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { stringify } from "csv-stringify/sync";
import { Field } from "~/components/staff/Fields";
import { FormSummary } from "~/components/staff/Refusal";
import { codesSchema } from "~/domain/consultations/schema.server";
import { countParticipationCodes, generateParticipationCodes } from "~/domain/participation/codes.server";
import { loadEnv } from "~/env.server";
import { parseForm } from "~/forms/forms.server";
import { errorsOf, valuesOf } from "~/forms/result";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { bothNames } from "~/domain/settings/settings.server";
import { municipality } from "~/settings.server";
import { staffConsultation } from "~/staff.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, db, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  const { total, used } = await countParticipationCodes(db, c.id);
  return json({ lang, slug: c.slug, mode: c.mode, title: c.texts[lang].title || c.slug, total, used });
}

/** Codes exist in clear only in this response: the printable sheet and the CSV link both come from it. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { staff, db, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  const submission = await parseForm(request, codesSchema);
  if (submission.status !== "success") return json({ result: submission.reply(), cards: null }, { status: 400 });
  const generated = await generateParticipationCodes(db, staff.id, c, submission.value.count);
  if (!generated.ok) return json({ result: submission.reply({ formErrors: [{ key: "notCodeMode" }] }), cards: null }, { status: 409 });
  const env = loadEnv();
  const site = env.QUORUM_ORIGIN;
  const url = (lang: string) => `${site}/${lang}/consultations/${c.slug}`;
  const csv = stringify(
    generated.codes.map((code) => [code, url("fr"), url("en")]),
    { header: true, columns: ["code", "url_fr", "url_en"], bom: true },
  );
  return json({
    result: null,
    cards: {
      municipality: bothNames((await municipality()).name),
      titleFr: c.texts.fr.title,
      titleEn: c.texts.en.title,
      urlFr: url("fr"),
      urlEn: url("en"),
      codes: generated.codes,
      csvHref: `data:text/csv;charset=utf-8,${encodeURIComponent(csv)}`,
    },
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${tFor(data?.lang ?? "fr")("staff.codes.title")} – Quorum` }];

export default function Codes() {
  const { lang, slug, mode, title, total, used } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = errorsOf(result?.result);
  const t = useT();
  const fr = tFor("fr");
  const en = tFor("en");
  const cards = result?.cards;
  return (
    <>
      <div className="no-print">
        <p>
          <a href={`/${lang}/staff/consultations/${slug}`}>← {title}</a>
        </p>
        <h1>{t("staff.codes.title")}</h1>
        <p>{t("staff.codes.counts", { total, used })}</p>
        <FormSummary errors={errors} />
        {mode !== "code" ? <p className="notice">{t("staffErrors.notCodeMode")}</p> : null}
        {cards ? (
          <div className="notice" role="status">
            <p>{t("staff.codes.generated", { count: cards.codes.length })}</p>
            <p>
              <a href={cards.csvHref} download={`codes-${slug}.csv`}>
                {t("staff.codes.downloadCsv")}
              </a>
            </p>
          </div>
        ) : (
          <form method="post" action={`/${lang}/staff/consultations/${slug}/codes`} className="staff-form">
            <p>{t("staff.codes.intro")}</p>
            <Field name="count" type="number" label={t("staff.codes.count")} value={valuesOf(result?.result)?.count ?? "100"} errors={errors} />
            <button type="submit" className="primary">
              {t("staff.codes.generate")}
            </button>
          </form>
        )}
      </div>
      {cards ? (
        <ul className="code-cards">
          {cards.codes.map((code) => (
            <li key={code} className="code-card">
              <p className="municipality">{cards.municipality}</p>
              <p lang="fr">
                <strong>{cards.titleFr}</strong>
                <br />
                {fr("staff.codes.cardText", { url: cards.urlFr })}
              </p>
              <p lang="en">
                <strong>{cards.titleEn}</strong>
                <br />
                {en("staff.codes.cardText", { url: cards.urlEn })}
              </p>
              <p className="card-code">
                <span lang="fr">{fr("staff.codes.yourCode")}</span> / <span lang="en">{en("staff.codes.yourCode")}</span>
                <br />
                <strong>{code}</strong>
              </p>
              <p className="help">
                <span lang="fr">{fr("staff.codes.once")}</span> <span lang="en">{en("staff.codes.once")}</span>
              </p>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
