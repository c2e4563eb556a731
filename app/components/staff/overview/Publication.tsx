/**
 * Publishing what residents read: the results page (live while open, or later) and, once closed,
 * the open data. Each button posts to the consultation's page.
 */
import { useT } from "~/i18n/hooks";
import type { Lang } from "~/i18n/i18n";
import type { ConsultationView } from "~/domain/consultations/types";
import { urls } from "~/urls";
import { fragments } from "~/components/fragments";

export interface ResultsPublicationProps {
  lang: Lang;
  slug: string;
  status: ConsultationView["status"];
  resultsPublished: boolean;
  openDataPublished: boolean;
  /** Whether email goes out (residents can ask to be told). */
  mail: boolean;
  /** Residents who asked to be told, confirmed or not yet. */
  told: { confirmed: number; unconfirmed: number };
}

export function ResultsPublication({ lang, slug, status, resultsPublished, openDataPublished, mail, told }: ResultsPublicationProps) {
  const t = useT();
  return (
    <section aria-labelledby="results">
      <h2 id="results">{t("staff.manage.results")}</h2>
      <p>
        {resultsPublished || openDataPublished ? (
          <>
            {t("staff.manage.resultsShown")} <a href={urls.results(lang, slug)}>{urls.results(lang, slug)}</a>
          </>
        ) : (
          t(status === "open" ? "staff.manage.resultsIntroLive" : "staff.manage.resultsIntro")
        )}
      </p>
      {openDataPublished && !resultsPublished ? <p className="help">{t("staff.manage.resultsWithOpenData")}</p> : null}
      <p className="help" id="told">
        {mail ? t("staff.manage.told", { confirmed: told.confirmed, unconfirmed: told.unconfirmed }) : t("staff.manage.toldNoMail")}
      </p>
      {!openDataPublished || resultsPublished ? (
        <form method="post" action={urls.staff.consultation(lang, slug, { hash: fragments.errors })} className="inline">
          <input type="hidden" name="intent" value={resultsPublished ? "unpublishResults" : "publishResults"} />
          <button type="submit">{resultsPublished ? t("staff.manage.unpublishResults") : t("staff.manage.publishResults")}</button>
        </form>
      ) : null}
    </section>
  );
}

export function OpenDataPublication({ lang, slug, openDataPublished }: { lang: Lang; slug: string; openDataPublished: boolean }) {
  const t = useT();
  return (
    <section aria-labelledby="open-data">
      <h2 id="open-data">{t("staff.manage.openData")}</h2>
      {openDataPublished ? (
        <p>
          {t("staff.manage.openDataPublished")} <a href={urls.openData.csv(slug)}>{urls.openData.csv(slug)}</a> ·{" "}
          <a href={urls.openData.json(slug)}>{urls.openData.json(slug)}</a>
        </p>
      ) : (
        <p>{t("staff.manage.openDataIntro")}</p>
      )}
      <form method="post" action={urls.staff.consultation(lang, slug, { hash: fragments.errors })} className="inline">
        <input type="hidden" name="intent" value={openDataPublished ? "unpublishOpenData" : "publishOpenData"} />
        <button type="submit">{openDataPublished ? t("staff.manage.unpublishOpenData") : t("staff.manage.publishOpenData")}</button>
      </form>
    </section>
  );
}
