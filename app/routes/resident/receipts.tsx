import { json, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { formatReceipt, normaliseReceipt } from "~/domain/responses/receipt";
import { requireLang } from "~/web/http.server";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { urls } from "~/urls";
import { fragments } from "~/components/fragments";
import { pageTitle } from "~/i18n/title";

/** A form to type a receipt code; ?code=… goes to that receipt's page. */
export function loader({ params, request }: LoaderFunctionArgs) {
  const lang = requireLang(params);
  const typed = new URL(request.url).searchParams.get("code");
  if (typed !== null) {
    const code = normaliseReceipt(typed);
    if (code) return redirect(urls.receipt(lang, formatReceipt(code), { hash: fragments.main }), 303);
    return json({ lang, typed: typed.slice(0, 64), invalid: true }, { status: 400 });
  }
  return json({ lang, typed: "", invalid: false });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = tFor(data?.lang ?? "fr");
  // A code that cannot be read says so in the title first, as a refused answer does.
  return [{ title: pageTitle(matches, `${data?.invalid ? t("errors.titlePrefix") : ""}${t("receipts.title")}`) }];
};

export default function ReceiptForm() {
  const { lang, typed, invalid } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <h1>{t("receipts.title")}</h1>
      <p>{t("receipts.intro")}</p>
      {invalid ? (
        <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} id={fragments.errors}>
          <h2 id="error-summary-title">{t("receipts.invalidHeading")}</h2>
          <ul>
            <li>
              <a href="#code">{t("receipts.invalid")}</a>
            </li>
          </ul>
        </div>
      ) : null}
      {/* A code that cannot be read lands on the summary above, as a refused answer does. */}
      <form method="get" action={urls.receipts(lang, { hash: fragments.errors })} className="questionnaire">
        <div className={`question${invalid ? " has-error" : ""}`}>
          <label htmlFor="code" className="legend">
            {t("receipts.codeLabel")}
          </label>
          <p className="help" id="code-help">
            {t("receipts.codeHelp")}
          </p>
          {invalid ? (
            <p className="error" id="code-error">
              {t("receipts.invalid")}
            </p>
          ) : null}
          <input
            type="text"
            id="code"
            name="code"
            defaultValue={typed}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={64}
            aria-describedby={invalid ? "code-help code-error" : "code-help"}
            aria-invalid={invalid ? true : undefined}
          />
        </div>
        <button type="submit" className="primary">
          {t("receipts.submit")}
        </button>
      </form>
    </>
  );
}
