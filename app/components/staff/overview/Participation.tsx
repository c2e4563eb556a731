/** How many answered, by channel, by day and by question. */
import type { Participation as Counts } from "~/domain/consultations/dashboard.server";
import { CHANNELS } from "~/domain/consultations/types";
import { useFormat, useT } from "~/i18n/hooks";
import { ScrollTable } from "~/components/staff/ScrollTable";

export function Participation({
  stats,
  questions,
}: {
  stats: Pick<Counts, "total" | "byChannel" | "byDay">;
  questions: { number: number; prompt: string; answered: number }[];
}) {
  const t = useT();
  const format = useFormat();
  return (
    <section aria-labelledby="participation">
      <h2 id="participation">{t("staff.manage.participation")}</h2>
      <p>
        {t("staff.manage.total", { count: stats.total })} ({CHANNELS.map((ch) => `${t(`staff.channel.${ch}`)} ${stats.byChannel[ch]}`).join(", ")})
      </p>
      {stats.byDay.length ? (
        <ScrollTable label={t("staff.manage.byDay")}>
          <table>
            <caption>{t("staff.manage.byDay")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("staff.manage.day")}</th>
                {CHANNELS.map((ch) => (
                  <th key={ch} scope="col">
                    {t(`staff.channel.${ch}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {stats.byDay.map((d) => (
                <tr key={d.day}>
                  <th scope="row">{format.date(`${d.day}T12:00:00Z`)}</th>
                  {CHANNELS.map((ch) => (
                    <td key={ch}>{d[ch]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
      {questions.length ? (
        <ScrollTable label={t("staff.manage.byQuestion")}>
          <table>
            <caption>{t("staff.manage.byQuestion")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("staff.manage.question")}</th>
                <th scope="col">{t("staff.manage.answered")}</th>
              </tr>
            </thead>
            <tbody>
              {questions.map((q) => (
                <tr key={q.number}>
                  <th scope="row">
                    {q.number}. {q.prompt}
                  </th>
                  <td>{q.answered}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
    </section>
  );
}
