/**
 * "Tell me by email when the results and the decision are published": a page and a form of their
 * own, apart from the answer. The thank-you page links to it: its address holds the receipt and
 * it sends no referrer, so the request that gives an email address carries nothing of the answer.
 * Works without JavaScript.
 */
import type { FieldError } from "~/forms/result";
import { useT } from "~/i18n/hooks";
import type { Lang } from "~/i18n/i18n";
import { urls } from "~/urls";
import { fragments } from "~/components/fragments";

/** The form itself, under the page's own heading. */
export function NotifyForm({ lang, slug, email, error }: { lang: Lang; slug: string; email?: string; error?: FieldError | null }) {
  const t = useT();
  return (
    <section className="notify">
      <p>{t("notify.intro")}</p>
      <form method="post" action={urls.notify(lang, slug, { hash: fragments.errors })} noValidate>
        <div className={`field${error ? " has-error" : ""}`}>
          <label htmlFor="notify-email">{t("notify.email")}</label>
          {error ? (
            <p className="error" id="notify-email-error">
              {t(`errors.${error.key}`, error.params ?? {})}
            </p>
          ) : null}
          <input
            id="notify-email"
            name="email"
            type="email"
            autoComplete="email"
            defaultValue={email ?? ""}
            aria-describedby={`notify-kept${error ? " notify-email-error" : ""}`}
            aria-invalid={error ? true : undefined}
          />
        </div>
        <p className="help" id="notify-kept">
          {t("notify.kept")} <a href={urls.privacy(lang, { hash: "notify" })}>{t("notify.privacyLink")}</a>
        </p>
        <button type="submit">{t("notify.submit")}</button>
      </form>
    </section>
  );
}

/** On the thank-you page (and the offline "saved" page): the way to the form. */
export function NotifyInvite({ lang, slug }: { lang: Lang; slug: string }) {
  const t = useT();
  return (
    <section className="notify" aria-labelledby="notify-title">
      <h2 id="notify-title">{t("notify.title")}</h2>
      <p>{t("notify.intro")}</p>
      <p>
        <a href={urls.notify(lang, slug)}>{t("notify.submit")}</a>
      </p>
    </section>
  );
}
