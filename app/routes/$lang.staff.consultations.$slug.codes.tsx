import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { stringify } from "csv-stringify/sync";
import { count, eq, isNotNull, and } from "drizzle-orm";
import { z } from "zod";
import { participationCodes } from "#db/schema";
import { Field, FormError, type Errors } from "~/components/staff/Fields";
import { audit } from "~/domain/audit/audit.server";
import { createParticipationCodes } from "~/domain/participation/codes.server";
import { loadEnv } from "~/env.server";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { readForm } from "~/http.server";
import { staffConsultation } from "~/staff.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, db, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  const [{ total }] = await db.select({ total: count() }).from(participationCodes).where(eq(participationCodes.consultationId, c.id));
  const [{ used }] = await db
    .select({ used: count() })
    .from(participationCodes)
    .where(and(eq(participationCodes.consultationId, c.id), isNotNull(participationCodes.usedAt)));
  return json({ lang, slug: c.slug, mode: c.mode, title: c.texts[lang].title || c.slug, total, used });
}

const schema = z.object({ count: z.coerce.number().int().min(1).max(5000) });

/** Codes exist in clear only in this response: the printable sheet and the CSV link both come from it. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { staff, db, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  if (c.mode !== "code") return json({ error: "notCodeMode", errors: {} as Errors, cards: null }, { status: 409 });
  const form = await readForm(request);
  const parsed = schema.safeParse({ count: form.get("count") });
  if (!parsed.success) return json({ error: "fixFields", errors: { count: { key: "intRange", params: { min: 1, max: 5000 } } } as Errors, cards: null }, { status: 400 });
  const codes = await createParticipationCodes(db, c.id, parsed.data.count);
  await audit(db, { actorId: staff.id, action: "codes.generate", targetType: "consultation", targetId: c.slug, details: { count: codes.length } });
  const env = loadEnv();
  const site = (env.QUORUM_PUBLIC_URL ?? new URL(request.url).origin).replace(/\/$/, "");
  const csv = stringify(codes.map((code) => [code, `${site}/fr/consultations/${c.slug}`, `${site}/en/consultations/${c.slug}`]), {
    header: true,
    columns: ["code", "url_fr", "url_en"],
    bom: true,
  });
  return json({
    error: null,
    errors: {} as Errors,
    cards: {
      municipality: env.QUORUM_MUNICIPALITY,
      titleFr: c.texts.fr.title,
      titleEn: c.texts.en.title,
      urlFr: `${site}/fr/consultations/${c.slug}`,
      urlEn: `${site}/en/consultations/${c.slug}`,
      codes,
      csvHref: `data:text/csv;charset=utf-8,${encodeURIComponent(csv)}`,
    },
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${tFor(data?.lang ?? "fr")("staff.codes.title")} – Quorum` }];

export default function Codes() {
  const { lang, slug, mode, title, total, used } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
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
        <FormError error={result?.error} />
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
            <Field name="count" type="number" label={t("staff.codes.count")} value="100" errors={result?.errors} />
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
