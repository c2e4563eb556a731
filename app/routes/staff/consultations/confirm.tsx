import { municipalTimeZone } from "~/web/settings.server";
import { json, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/staff/Fields";
import { missingText } from "~/components/staff/missing";
import { missingForOpening } from "~/domain/consultations/completeness";
import { effectOf, isConfirmedIntent } from "~/domain/consultations/confirm";
import { participation } from "~/domain/consultations/dashboard.server";
import { countParticipationCodes } from "~/domain/participation/codes.server";
import { useFormat, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { staffConsultation } from "~/web/staff.server";
import { urls } from "~/urls";
import { fragments } from "~/components/fragments";
import { pageTitle } from "~/i18n/title";

/**
 * "Open to residents", "Close now" and "Open again" lead here (a GET form, no JavaScript):
 * the page says what residents will see, and only its own POST (with `confirmed=yes`) changes the status.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, db, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  const intent = new URL(request.url).searchParams.get("intent") ?? "";
  if (!isConfirmedIntent(intent)) throw redirect(urls.staff.consultation(lang, c.slug));
  const answers = intent === "close" ? (await participation(db, c.id, await municipalTimeZone())).total : 0;
  const effect = effectOf(c, intent, answers, new Date());
  const missing = effect && intent === "open" ? missingForOpening(c) : [];
  // A consultation residents answer with a code: how many codes exist to hand out (none yet: nobody can answer).
  const codes = effect && c.mode === "code" && intent !== "close" ? (await countParticipationCodes(db, c.id)).total : null;
  // Reopening does not withdraw what is published: the page says what residents already see.
  const published =
    intent === "reopen"
      ? {
          results: (c.resultsPublishedAt ?? c.openDataPublishedAt)?.toISOString() ?? null,
          outcome: c.outcomePublishedAt?.toISOString() ?? null,
        }
      : null;
  return json({
    lang,
    slug: c.slug,
    status: c.status,
    intent,
    title: c.texts[lang].title || c.slug,
    effect: effect && {
      ...effect,
      ...("ignoredOpening" in effect
        ? {
            ignoredOpening: effect.ignoredOpening?.toISOString() ?? null,
            removedClosing: effect.removedClosing?.toISOString() ?? null,
            closesAt: effect.closesAt?.toISOString() ?? null,
          }
        : { broughtForward: effect.broughtForward?.toISOString() ?? null }),
    },
    missing,
    codes,
    published,
  });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: pageTitle(matches, tFor(data?.lang ?? "fr")(`staff.confirm.title.${data?.intent ?? "open"}`, { title: data?.title ?? "" })) },
];

export default function Confirm() {
  const { lang, slug, status, intent, title, effect, missing, codes, published } = useLoaderData<typeof loader>();
  const t = useT();
  const format = useFormat();
  const base = urls.staff.consultation(lang, slug);
  const back = (
    <p>
      <a href={base}>← {title}</a>
    </p>
  );
  if (!effect || missing.length) {
    return (
      <>
        {back}
        <h1>{t(`staff.confirm.title.${intent}`, { title })}</h1>
        {/* Reached again after the change was made (the Back button): what the consultation is now, and what can be done. */}
        <FormError error={effect ? "incomplete" : `notAllowedNow.${status}`} />
        {missing.length ? (
          <>
            <ul>
              {missing.map((m, i) => (
                <li key={i}>{missingText(t, m)}</li>
              ))}
            </ul>
            <p>
              <a href={urls.staff.edit(lang, slug)}>{t("staff.manage.editTexts")}</a> ·{" "}
              <a href={urls.staff.questions(lang, slug)}>{t("staff.manage.editQuestions")}</a>
            </p>
          </>
        ) : null}
      </>
    );
  }
  const lines: string[] = [];
  if (effect.intent === "close") {
    lines.push(t("staff.confirm.close", { count: effect.answers }));
    if (effect.broughtForward) lines.push(t("staff.confirm.broughtForward", { date: format.dateTime(effect.broughtForward) }));
  } else {
    lines.push(codes === null ? t("staff.confirm.open") : t("staff.confirm.openWithCodes"));
    if (effect.ignoredOpening) lines.push(t("staff.confirm.ignoredOpening", { date: format.dateTime(effect.ignoredOpening) }));
    if (effect.removedClosing) lines.push(t("staff.confirm.removedClosing", { date: format.dateTime(effect.removedClosing) }));
    else lines.push(effect.closesAt ? t("staff.confirm.until", { date: format.dateTime(effect.closesAt) }) : t("staff.confirm.noClosing"));
    if (published?.outcome) lines.push(t("staff.confirm.outcomePublished", { date: format.dateTime(published.outcome) }));
    if (published?.results) lines.push(t("staff.confirm.resultsPublished", { date: format.dateTime(published.results) }));
  }
  // No codes yet in code mode: said apart, as a warning, with the way to make them.
  const noCodes =
    codes === 0 ? (
      <div className="notice">
        <p>{t("staff.confirm.noCodes")}</p>
        <p>
          <a href={urls.staff.codes(lang, slug)}>{t("staff.confirm.makeCodes")}</a>
        </p>
      </div>
    ) : null;
  return (
    <>
      {back}
      <h1>{t(`staff.confirm.title.${intent}`, { title })}</h1>
      <div className="notice">
        {lines.map((line) => (
          <p key={line}>{line}</p>
        ))}
      </div>
      {noCodes}
      <div className="button-row">
        <form method="post" action={urls.staff.consultation(lang, slug, { hash: fragments.errors })} className="inline">
          <input type="hidden" name="intent" value={intent} />
          <input type="hidden" name="confirmed" value="yes" />
          <button type="submit" className="primary">
            {t(`staff.confirm.yes.${intent}`)}
          </button>
        </form>
        <a href={base}>{t("staff.confirm.cancel")}</a>
      </div>
    </>
  );
}
