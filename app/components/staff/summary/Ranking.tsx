/** A ranking question's table: average positions and how many gave each rank (never a share). */
import type { ReactNode } from "react";
import type { BreakdownGroup, QuestionSummary } from "~/domain/summary/summary.server";
import { useFormat, useLang, useT } from "~/i18n/hooks";
import { GroupHeader, GroupMean } from "./Figures";

export function Ranking({
  q,
  groups,
  groupLabel,
  by,
}: {
  q: QuestionSummary;
  groups: BreakdownGroup[];
  groupLabel: (g: BreakdownGroup) => string;
  by: string;
}): ReactNode {
  const t = useT();
  const f = useFormat();
  const lang = useLang();
  const ranks = q.ranks!;
  const positions = ranks[0]?.positions.length ?? 0;
  return (
    <table className="figures ranking">
      <caption>
        {t("staff.summary.rankCaption", { n: f.number(q.answered, 0), last: positions })} {groups.length ? t("staff.summary.rankCaptionGroups", { by }) : null}
      </caption>
      <colgroup>
        <col className="c-label" />
        <col className="c-rank" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">{t("staff.summary.item")}</th>
          <th scope="col" className="num">
            {t("staff.summary.meanRank")}
          </th>
          {Array.from({ length: positions }, (_, k) => (
            <th scope="col" className="num" key={k}>
              {t("staff.summary.rankN", { n: k + 1 })}
            </th>
          ))}
          {groups.map((g) => (
            <GroupHeader key={g.key} label={groupLabel(g)} n={q.groupAnswered[g.key] ?? 0} />
          ))}
        </tr>
      </thead>
      <tbody>
        {ranks.map((r) => (
          <tr key={r.optionId}>
            <th scope="row">{r.labels[lang]}</th>
            <td className="num">{r.meanPosition === null ? "—" : f.number(r.meanPosition, 2)}</td>
            {r.positions.map((p, k) => (
              <td className="num" key={k}>
                {f.number(p, 0)}
              </td>
            ))}
            {groups.map((g) => {
              const m = r.groups[g.key];
              return (
                <td key={g.key} className="num">
                  {m && m.meanPosition !== null ? <GroupMean mean={m.meanPosition} n={m.n} /> : "—"}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
