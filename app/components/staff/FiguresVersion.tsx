/**
 * The published figures as staff pages show them (decision 050): their version and dates, and a
 * flag when the published outcome was written on an older version, with the way to update it.
 */
import type { FiguresState } from "~/domain/opendata/figures.server";
import { useFormat, useT } from "~/i18n/hooks";
import type { Lang } from "~/i18n/i18n";
import { urls } from "~/urls";

export function FiguresVersion({
  lang,
  slug,
  figures,
  on,
  canUpdate = true,
}: {
  lang: Lang;
  slug: string;
  figures: FiguresState | null;
  on: "overview" | "summary" | "outcome";
  /** The reader may edit the outcome (the link to update it is theirs to follow). */
  canUpdate?: boolean;
}) {
  const t = useT();
  const format = useFormat();
  if (!figures) return null;
  return (
    <section aria-labelledby="figures-version" className="figures-version">
      <h2 id="figures-version">{t("staff.figures.heading")}</h2>
      <p>
        {t("staff.figures.version", { version: figures.version, date: format.dateTime(figures.publishedAt) })}
        {figures.updatedAt ? ` ${t("staff.figures.updated", { date: format.dateTime(figures.updatedAt) })}` : ""}
      </p>
      {figures.outcomeWrittenOn !== null ? (
        <div className="notice" id="outcome-outdated">
          <p>{t("staff.figures.outcomeOutdated", { written: figures.outcomeWrittenOn, version: figures.version })}</p>
          {on === "outcome" ? (
            <p>
              {t("staff.figures.updateHere", { version: figures.version })} <a href={urls.staff.summary(lang, slug)}>{t("staff.figures.openSummary")}</a>
            </p>
          ) : canUpdate ? (
            <p className="no-print">
              <a href={urls.staff.outcome(lang, slug)}>{t("staff.figures.updateOutcome")}</a>
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
