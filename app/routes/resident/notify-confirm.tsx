import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useParams } from "@remix-run/react";
import { getDb } from "~/platform/db.server";
import { getConsultationBySlug } from "~/domain/consultations/queries.server";
import { confirmAddress, findAddress, type ConfirmRefusal } from "~/domain/notify/notify.server";
import { requireLang } from "~/web/http.server";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { mailQueued, notifyMail } from "~/platform/mail.server";
import { urls } from "~/urls";
import { pageTitle } from "~/i18n/title";

const HEADERS = { "Cache-Control": "no-store", "Referrer-Policy": "same-origin" };

/** The confirmation link of a notification address: a button, so that a mail scanner opening the link confirms nothing. */
export async function loader({ params }: LoaderFunctionArgs) {
  const lang = requireLang(params);
  const found = await findAddress(await getDb(), params.token ?? "");
  return json({ lang, found }, { status: found ? 200 : 404, headers: HEADERS });
}

/** The page for each refusal: the link leads nowhere any more. */
const REFUSED = { gone: 404 } satisfies Record<ConfirmRefusal, number>;

export async function action({ params }: ActionFunctionArgs) {
  const lang = requireLang(params);
  const db = await getDb();
  const found = await findAddress(db, params.token ?? "");
  const c = found ? await getConsultationBySlug(db, found.slug) : null;
  const mail = c ? await notifyMail(c) : undefined;
  if (!found || !c || !mail) return json({ lang, outcome: "gone" as const }, { status: 404, headers: HEADERS });
  const confirmed = await confirmAddress(db, params.token ?? "", mail);
  if (!confirmed.ok) return json({ lang, outcome: "gone" as const }, { status: REFUSED[confirmed.reason], headers: HEADERS });
  if (confirmed.toldNow) mailQueued();
  return json({ lang, outcome: confirmed.toldNow ? ("toldNow" as const) : ("confirmed" as const), slug: confirmed.slug }, { headers: HEADERS });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: pageTitle(matches, tFor(data?.lang ?? "fr")("notify.confirmTitle")) },
  { name: "robots", content: "noindex" },
];

export default function Confirm() {
  const { lang, found } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  const token = useParams().token ?? "";
  const t = useT();
  const outcome = done?.outcome ?? (found ? null : "gone");
  return (
    <>
      <h1>{t("notify.confirmTitle")}</h1>
      {outcome === "gone" ? (
        <p>{t("notify.gone")}</p>
      ) : outcome ? (
        <div className="notice" role="status">
          <p>{t(outcome === "toldNow" ? "notify.toldNow" : "notify.confirmed")}</p>
        </div>
      ) : found?.confirmed ? (
        <p>{t("notify.confirmed")}</p>
      ) : (
        <form method="post" action={urls.notifyConfirm(lang, token)}>
          <p>{t("notify.confirmIntro")}</p>
          <button type="submit" className="primary">
            {t("notify.confirmButton")}
          </button>
        </form>
      )}
      {found || outcome !== "gone" ? (
        <p>
          <a href={urls.notifyStop(lang, token)}>{t("notify.stopLink")}</a>
        </p>
      ) : null}
    </>
  );
}
