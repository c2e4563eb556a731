/**
 * The codebook: the active themes with their counts, each with its forms (rename, merge, retire),
 * the retired ones (restore), and the form for a new theme.
 */
import { FormSummary } from "~/components/staff/Refusal";
import type { Errors } from "~/forms/result";
import { useFormat, useT } from "~/i18n/hooks";
import type { Lang } from "~/i18n/i18n";
import { ThemeFields } from "./ThemeFields";
import type { LabelOf, ThemeView } from "./types";
import { ScrollTable } from "~/components/staff/ScrollTable";
import { themeFragment } from "~/components/fragments";
import type { ReactNode } from "react";

export interface CodebookProps {
  lang: Lang;
  themes: ThemeView[];
  /** Where the page's forms post: the page with its filter. */
  here: string;
  /** The queue filtered by one theme. */
  themeUrl: (themeId: string) => string;
  label: LabelOf;
  /** What a refused form typed, and its errors. */
  typed: Record<string, string> | undefined;
  errors: Errors;
  /** The confirmation of the last action, beside the element it was on (by its id), or nothing. */
  doneAt: (id: string) => ReactNode;
}

export function Codebook({ lang, themes, here, themeUrl, label, typed, errors, doneAt }: CodebookProps) {
  const t = useT();
  const f = useFormat();
  const active = themes.filter((x) => !x.retiredAt);
  const retired = themes.filter((x) => x.retiredAt);
  const intent = typed?.intent;
  const editing = intent === "update" ? typed?.themeId : undefined;
  const valuesFor = (th: ThemeView): Record<string, string> =>
    editing === th.id && typed
      ? typed
      : {
          "fr.label": th.labels.fr,
          "en.label": th.labels.en,
          "fr.description": th.description.fr,
          "en.description": th.description.en,
          "fr.keywords": th.keywords.fr.join(", "),
          "en.keywords": th.keywords.en.join(", "),
        };
  return (
    <section aria-labelledby="codebook">
      <h2 id="codebook">{t("staff.themes.codebook")}</h2>
      {active.length ? (
        <ScrollTable label={t("staff.themes.codebookCaption")}>
          <table>
            <caption>{t("staff.themes.codebookCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("staff.themes.code")}</th>
                <th scope="col">{t("staff.themes.label")}</th>
                <th scope="col">{t("staff.themes.keywords")}</th>
                <th scope="col">{t("staff.themes.tagged")}</th>
                <th scope="col">{t("staff.themes.quotes")}</th>
              </tr>
            </thead>
            <tbody>
              {active.map((th) => (
                <tr key={th.id}>
                  <td>{th.code}</td>
                  <th scope="row">
                    <span lang="fr">{th.labels.fr}</span> / <span lang="en">{th.labels.en}</span>
                  </th>
                  <td>
                    <span lang="fr">{th.keywords.fr.join(", ")}</span>
                    {th.keywords.fr.length && th.keywords.en.length ? " · " : ""}
                    <span lang="en">{th.keywords.en.join(", ")}</span>
                  </td>
                  <td>
                    <a href={themeUrl(th.id)}>{f.number(th.count)}</a>
                  </td>
                  <td>{f.number(th.quotes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : (
        <p>{t("staff.themes.none")}</p>
      )}
      {active.map((th) => (
        // Each theme, active or retired, is where the page lands after an action on it.
        <div key={th.id} id={themeFragment(th.id)} className="landing">
          {doneAt(themeFragment(th.id))}
          <details open={editing === th.id || undefined}>
            <summary>{t("staff.themes.manage", { theme: th.labels[lang], code: th.code })}</summary>
            <form method="post" action={here}>
              <input type="hidden" name="intent" value="update" />
              <input type="hidden" name="themeId" value={th.id} />
              {editing === th.id ? <FormSummary errors={errors} /> : null}
              <ThemeFields prefix={`edit-${th.code}`} values={valuesFor(th)} errors={editing === th.id ? errors : {}} />
              <button type="submit">{t("staff.themes.save")}</button>
            </form>
            {active.length > 1 ? (
              <form method="post" action={here} className="inline">
                <input type="hidden" name="intent" value="merge" />
                <input type="hidden" name="themeId" value={th.id} />
                <label htmlFor={`merge-${th.code}`}>{t("staff.themes.mergeInto")}</label>
                <select id={`merge-${th.code}`} name="into" defaultValue="">
                  <option value="">{t("staff.themes.chooseTheme")}</option>
                  {active
                    .filter((o) => o.id !== th.id)
                    .map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.labels[lang]} ({o.code})
                      </option>
                    ))}
                </select>
                <button type="submit">{t("staff.themes.merge")}</button>
              </form>
            ) : null}
            <form method="post" action={here} className="inline">
              <input type="hidden" name="intent" value="retire" />
              <input type="hidden" name="themeId" value={th.id} />
              <button type="submit">{t("staff.themes.retire")}</button>
            </form>
          </details>
        </div>
      ))}
      {retired.length ? (
        <>
          <h3>{t("staff.themes.retired")}</h3>
          <ul>
            {retired.map((th) => (
              <li key={th.id} id={themeFragment(th.id)} className="landing">
                {doneAt(themeFragment(th.id))}
                {th.labels[lang]} ({th.code}) {th.mergedInto ? `— ${t("staff.themes.mergedInto", { theme: label(th.mergedInto) })}` : null}
                {!th.mergedInto ? (
                  <form method="post" action={here} className="inline">
                    <input type="hidden" name="intent" value="restore" />
                    <input type="hidden" name="themeId" value={th.id} />
                    <button type="submit">{t("staff.themes.restore")}</button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <details open={intent === "create" || !active.length || undefined}>
        <summary>{t("staff.themes.new")}</summary>
        <form method="post" action={here}>
          <input type="hidden" name="intent" value="create" />
          {intent === "create" ? <FormSummary errors={errors} /> : null}
          <ThemeFields prefix="new" values={intent === "create" && typed ? typed : {}} errors={intent === "create" ? errors : {}} />
          <button type="submit">{t("staff.themes.create")}</button>
        </form>
      </details>
    </section>
  );
}
