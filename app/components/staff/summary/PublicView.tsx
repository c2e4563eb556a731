/**
 * What residents see differently from these exact figures (decision 061): public figures as last
 * computed, answers grouped or withheld to protect the few people behind small numbers.
 */
import type { ResidentDifference } from "~/domain/opendata/protect";
import type { Summary } from "~/domain/summary/summary.server";
import { useFormat, useT } from "~/i18n/hooks";
import type { Lang } from "~/i18n/i18n";

export interface PublicViewProps {
  lang: Lang;
  k: number;
  summary: Summary;
  view: { shown: boolean; asOf: string | null; responses: number | null; since: number; step: number; differences: ResidentDifference[] };
}

export function PublicView({ lang, k, summary, view }: PublicViewProps) {
  const t = useT();
  const f = useFormat();
  const nameOf = (code: string, m: string) => {
    const q = summary.questions.find((x) => x.code === code)!;
    if (m === "other") return t("question.other");
    if (m === "prefer_not") return t("results.preferNot");
    const option = q.rows.find((r) => r.kind === "option" && r.key === m)?.labels ?? q.ranks?.find((r) => r.code === m)?.labels;
    return option ? option[lang] : m;
  };
  const prompt = (code: string) => summary.questions.find((x) => x.code === code)!.prompt[lang];
  return (
    <section aria-labelledby="public-view" className="public-view">
      <h2 id="public-view">{t("staff.summary.public.heading")}</h2>
      {view.shown ? (
        <p>
          {t("staff.summary.public.intro", { date: f.dateTime(view.asOf!), n: f.number(view.responses ?? 0), k })}{" "}
          {view.since ? t("staff.summary.public.since", { count: view.since, step: view.step }) : null}
        </p>
      ) : (
        <p>{t("staff.summary.public.introNotShown", { k })}</p>
      )}
      {view.differences.length ? (
        <ul>
          {view.differences.map((d) => (
            <li key={d.code}>
              <strong>{prompt(d.code)}</strong>
              <ul>
                {[
                  ...d.grouped.map((g) => t("staff.summary.public.grouped", { answers: g.map((m) => nameOf(d.code, m)).join(" + ") })),
                  ...(d.withheld.length ? [t("staff.summary.public.withheld", { answers: d.withheld.map((m) => nameOf(d.code, m)).join(", "), k })] : []),
                  ...(d.notSplit ? [t("staff.summary.public.notSplit")] : []),
                  ...(d.noMean ? [t("staff.summary.public.noMean")] : []),
                  ...(d.textsHeld ? [t("staff.summary.public.textsHeld", { k })] : []),
                ].map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("staff.summary.public.none")}</p>
      )}
    </section>
  );
}
