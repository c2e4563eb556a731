import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ConsultationView } from "~/components/ConsultationView";
import { consultationIn } from "~/domain/consultations/present";
import { answerWindow } from "~/domain/consultations/rules";
import { useT } from "~/i18n/hooks";
import { isLang, tFor } from "~/i18n/i18n";
import { staffConsultation } from "~/web/staff.server";
import { urls } from "~/urls";
import { pageTitle } from "~/i18n/title";

/** The consultation exactly as a resident sees it, in either language, without a way to send. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, consultation: c } = await staffConsultation(request, params, "consultations:read");
  const as = new URL(request.url).searchParams.get("as");
  const shown = isLang(as) ? as : lang;
  return json({
    lang,
    shown,
    slug: c.slug,
    consultation: consultationIn({ ...c, outcomePublishedAt: c.outcomePublishedAt ?? (c.outcome ? new Date() : null) }, shown),
    accepting: answerWindow(c, new Date()).ok,
  });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.preview.title"), data?.consultation.texts.title) },
];

export default function Preview() {
  const { lang, shown, slug, consultation, accepting } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <div className="notice" role="note">
        <p>{t("staff.preview.banner", { lang: t(`staff.in.${shown}`) })}</p>
        <p>
          <a href={urls.staff.consultation(lang, slug)}>← {t("staff.preview.back")}</a> ·{" "}
          <a href={urls.staff.preview(lang, slug, { as: shown === "fr" ? "en" : "fr" })}>{t("staff.preview.other")}</a>
        </p>
      </div>
      <ConsultationView lang={shown} consultation={consultation} accepting={accepting} submissionId="00000000-0000-4000-8000-000000000000" preview />
    </>
  );
}
