/**
 * Opening, closing, reopening and archiving. Opening, closing and reopening lead to a page that says
 * what residents will see, and asks to confirm; archiving posts at once. A draft lists what is
 * still missing before it can open.
 */
import type { Missing } from "~/domain/consultations/completeness";
import type { ConsultationView } from "~/domain/consultations/types";
import { missingText } from "~/components/staff/missing";
import { useT } from "~/i18n/hooks";
import type { Lang } from "~/i18n/i18n";
import { urls } from "~/urls";
import { fragments } from "~/components/fragments";

type Move = "open" | "close" | "reopen" | "archive";

export function Lifecycle({ lang, slug, status, missing }: { lang: Lang; slug: string; status: ConsultationView["status"]; missing: Missing[] }) {
  const t = useT();
  const lifecycle = (intent: Move) => (
    <form
      method={intent === "archive" ? "post" : "get"}
      action={intent === "archive" ? urls.staff.consultation(lang, slug, { hash: fragments.errors }) : urls.staff.confirm(lang, slug)}
      className="inline"
    >
      <input type="hidden" name="intent" value={intent} />
      <button type="submit" className={intent === "open" ? "primary" : undefined}>
        {t(`staff.manage.${intent}`)}
      </button>
    </form>
  );
  return (
    <section aria-labelledby="lifecycle">
      <h2 id="lifecycle">{t("staff.manage.lifecycle")}</h2>
      {status === "draft" && missing.length ? (
        <div className="notice">
          <p>{t("staff.manage.missingIntro")}</p>
          <ul>
            {missing.map((m, i) => (
              <li key={i}>{missingText(t, m)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="button-row">
        {status === "draft" ? lifecycle("open") : null}
        {status === "open" ? lifecycle("close") : null}
        {status === "closed" ? (
          <>
            {lifecycle("reopen")}
            {lifecycle("archive")}
          </>
        ) : null}
      </div>
    </section>
  );
}
