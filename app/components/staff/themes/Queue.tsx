/** The free texts to tag, filtered by theme, question and words; tagged one by one or many at once. */
import type { ReactNode } from "react";
import { answerFragment } from "~/components/fragments";
import { UNTAGGED } from "~/domain/themes/queue.server";
import { useFormat, useT } from "~/i18n/hooks";
import type { Lang } from "~/i18n/i18n";
import type { LabelOf, QueueItemView, ThemesFilterView, ThemeView } from "./types";

export interface QueueProps {
  lang: Lang;
  /** The page without a filter, where the filter form goes. */
  base: string;
  /** Where the page's forms post: the page with its filter. */
  here: string;
  pageUrl: (page: number) => string;
  filter: ThemesFilterView;
  active: ThemeView[];
  questions: { code: string; prompt: string }[];
  total: number;
  pages: number;
  items: QueueItemView[];
  label: LabelOf;
  typed: Record<string, string> | undefined;
  /** The confirmation of the last action, beside the text it was on (by its id), or nothing. */
  doneAt: (id: string) => ReactNode;
}

export function Queue({ lang, base, here, pageUrl, filter, active, questions, total, pages, items, label, typed, doneAt }: QueueProps) {
  const t = useT();
  const f = useFormat();
  return (
    <section aria-labelledby="queue">
      <h2 id="queue">{t("staff.themes.queue")}</h2>
      <form method="get" action={base} className="inline filters">
        <label htmlFor="filter-theme">{t("staff.themes.filterTheme")}</label>
        <select id="filter-theme" name="theme" defaultValue={filter.theme ?? ""}>
          <option value="">{t("staff.themes.allAnswers")}</option>
          <option value={UNTAGGED}>{t("staff.themes.untagged")}</option>
          {active.map((th) => (
            <option key={th.id} value={th.id}>
              {th.labels[lang]}
            </option>
          ))}
        </select>
        <label htmlFor="filter-question">{t("staff.moderation.question")}</label>
        <select id="filter-question" name="question" defaultValue={filter.question ?? ""}>
          <option value="">{t("staff.moderation.allQuestions")}</option>
          {questions.map((q) => (
            <option key={q.code} value={q.code}>
              {q.prompt}
            </option>
          ))}
        </select>
        <label htmlFor="filter-q">{t("staff.themes.search")}</label>
        <input type="search" id="filter-q" name="q" defaultValue={filter.q ?? ""} maxLength={200} />
        <button type="submit">{t("staff.summary.apply")}</button>
      </form>
      <p>{t("staff.moderation.count", { count: total })}</p>
      {items.length && active.length ? (
        <form method="post" action={here} id="bulk" className="inline">
          <label htmlFor="bulk-theme">{t("staff.themes.bulkTheme")}</label>
          <select id="bulk-theme" name="themeId" defaultValue={typed?.themeId ?? ""}>
            <option value="">{t("staff.themes.chooseTheme")}</option>
            {active.map((th) => (
              <option key={th.id} value={th.id}>
                {th.labels[lang]}
              </option>
            ))}
          </select>
          <button type="submit" name="intent" value="tag">
            {t("staff.themes.tag")}
          </button>
          <button type="submit" name="intent" value="untag">
            {t("staff.themes.untag")}
          </button>
        </form>
      ) : null}
      <ol className="moderation">
        {items.map((item) => (
          <li key={item.answerId} id={answerFragment(item.answerId)} className="landing">
            {doneAt(answerFragment(item.answerId))}
            {active.length ? (
              <>
                <input
                  type="checkbox"
                  form="bulk"
                  name="answerId"
                  value={item.answerId}
                  id={`select-${item.answerId}`}
                  aria-describedby={`text-${item.answerId}`}
                />{" "}
                <label htmlFor={`select-${item.answerId}`}>{t("staff.themes.select", { number: item.answerId })}</label>
              </>
            ) : null}
            <p className="help">
              {item.prompt} · {f.date(item.receivedAt)} {item.isOther ? `· ${t("question.other")}` : ""}
            </p>
            {/* Each control about this text (select it, mark it as a quote) is described by it. */}
            <blockquote id={`text-${item.answerId}`}>{item.text}</blockquote>
            {item.kept ? <p className="help">{t("staff.themes.kept")}</p> : null}
            {item.tags.length ? (
              <ul className="tags" aria-label={t("staff.themes.tagsOf")}>
                {item.tags.map((tag) => (
                  <li key={tag.themeId}>
                    {label(tag.themeId)}
                    {tag.quote ? ` (${t("staff.themes.isQuote")})` : ""}{" "}
                    <form method="post" action={here} className="inline">
                      <input type="hidden" name="themeId" value={tag.themeId} />
                      <input type="hidden" name="answerId" value={item.answerId} />
                      <button type="submit" name="intent" value={tag.quote ? "unquote" : "quote"} aria-describedby={`text-${item.answerId}`}>
                        {tag.quote ? t("staff.themes.unquote", { theme: label(tag.themeId) }) : t("staff.themes.quote", { theme: label(tag.themeId) })}
                      </button>
                    </form>
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ol>
      {pages > 1 ? (
        <nav aria-label={t("staff.moderation.pages")} className="button-row">
          {filter.page > 1 ? <a href={pageUrl(filter.page - 1)}>{t("staff.moderation.previous")}</a> : null}
          <span>{t("staff.moderation.pageOf", { page: filter.page, pages: pages })}</span>
          {filter.page < pages ? <a href={pageUrl(filter.page + 1)}>{t("staff.moderation.next")}</a> : null}
        </nav>
      ) : null}
    </section>
  );
}
