/** Suggestions from the keywords, grouped: a person accepts or rejects them; nothing is tagged before. */
import type { ReactNode } from "react";
import { useT } from "~/i18n/hooks";
import type { LabelOf, SuggestionView } from "./types";

/** The suggestions' heading: where the page lands once suggestions are accepted or turned down. */
export const SUGGESTIONS = "suggestions";

export function Suggestions({
  suggestions,
  here,
  label,
  doneAt,
}: {
  suggestions: { total: number; groups: SuggestionView[] };
  here: string;
  label: LabelOf;
  doneAt: (id: string) => ReactNode;
}) {
  const t = useT();
  return (
    <section aria-labelledby={SUGGESTIONS}>
      <h2 id={SUGGESTIONS} className="landing">
        {t("staff.themes.suggestions")}
      </h2>
      {doneAt(SUGGESTIONS)}
      <p>{t("staff.themes.suggestionsIntro")}</p>
      {suggestions.groups.length ? (
        <form method="post" action={here}>
          <p>{t("staff.themes.suggestionCount", { count: suggestions.total })}</p>
          <ul className="suggestions">
            {suggestions.groups.map((g) => (
              <li key={g.id}>
                <input type="checkbox" name="pick" value={g.id} id={`pick-${g.id}`} aria-describedby={`pick-${g.id}-text`} />{" "}
                <label htmlFor={`pick-${g.id}`}>
                  {t("staff.themes.suggest", { theme: label(g.themeId) })}
                  {g.count > 1 ? ` — ${t("staff.themes.duplicates", { count: g.count })}` : ""}
                </label>
                <p className="help">
                  {g.prompt} · {t("staff.themes.matched", { keywords: g.keywords.join(", ") })}
                </p>
                <blockquote id={`pick-${g.id}-text`}>
                  {g.segments.map((s, i) => (s.hit ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
                </blockquote>
              </li>
            ))}
          </ul>
          <div className="button-row">
            <button type="submit" name="intent" value="accept">
              {t("staff.themes.accept")}
            </button>
            <button type="submit" name="intent" value="reject">
              {t("staff.themes.reject")}
            </button>
          </div>
        </form>
      ) : (
        <p>{t("staff.themes.noSuggestions")}</p>
      )}
    </section>
  );
}
