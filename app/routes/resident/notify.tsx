import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { NotifyForm } from "~/components/NotifyForm";
import { getDb } from "~/platform/db.server";
import { getConsultationCached } from "~/domain/consultations/cache.server";
import { isPublic } from "~/domain/consultations/rules";
import { askToBeTold } from "~/domain/notify/notify.server";
import { clientKey, hit } from "~/domain/ratelimit/ratelimit.server";
import { parseFormData } from "~/forms/forms.server";
import { errorsOf, valuesOf } from "~/forms/result";
import { notFound, orUnavailable, readForm, requireLang } from "~/web/http.server";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { clientAddressOf } from "~/web/load-context";
import { mailConfigured, mailQueued, notifyMail } from "~/platform/mail.server";
import { urls } from "~/urls";
import { fragments } from "~/components/fragments";
import { pageTitle } from "~/i18n/title";

const schema = z.object({
  email: z
    .string({ error: "notifyEmail" })
    .trim()
    .toLowerCase()
    .max(254, "notifyEmail")
    .pipe(z.email({ error: "notifyEmail" })),
});

/** Requests one client may make per hour: each sends an email to someone. */
const LIMIT = { limit: 10, windowSeconds: 3600 };

async function publicConsultation(slug: string | undefined) {
  if (!slug) throw notFound();
  const c = await orUnavailable(async () => getConsultationCached(await getDb(), slug));
  if (!c || !isPublic(c) || !mailConfigured()) throw notFound();
  return c;
}

export async function loader({ params }: LoaderFunctionArgs) {
  const lang = requireLang(params);
  const c = await publicConsultation(params.slug);
  return json({ lang, slug: c.slug, title: c.texts[lang].title }, { headers: { "Cache-Control": "no-store", "Referrer-Policy": "same-origin" } });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const lang = requireLang(params);
  const c = await publicConsultation(params.slug);
  const submission = parseFormData(await readForm(request), schema);
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  const db = await getDb();
  const limited = await hit(db, await clientKey(db, "notify", clientAddressOf(context)), LIMIT);
  if (!limited.allowed) return json({ result: submission.reply({ fieldErrors: { email: [{ key: "notifyLimited" }] } }) }, { status: 429 });
  const mail = await notifyMail(c);
  if (!mail) throw notFound();
  await askToBeTold(db, c, { email: submission.value.email, lang }, mail);
  mailQueued();
  return redirect(urls.notify(lang, c.slug, { asked: 1, hash: fragments.done }), 303);
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: pageTitle(matches, tFor(data?.lang ?? "fr")("notify.title")) },
  { name: "robots", content: "noindex" },
];

export default function Notify() {
  const { lang, slug, title } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>()?.result;
  const [search] = useSearchParams();
  const t = useT();
  const error = errorsOf(result).email ?? null;
  const asked = search.get("asked") && !result;
  return (
    <>
      <h1>{t(asked ? "notify.askedTitle" : "notify.title")}</h1>
      <p className="lede">{title}</p>
      {asked ? (
        <div className="notice" role="status" id={fragments.done}>
          <p>{t("notify.asked")}</p>
        </div>
      ) : (
        <>
          {error ? (
            <div className="error-summary" role="alert" id={fragments.errors} tabIndex={-1}>
              <p>
                <a href="#notify-email">{t(`errors.${error.key}`)}</a>
              </p>
            </div>
          ) : null}
          <NotifyForm lang={lang} slug={slug} email={valuesOf(result)?.email} error={error} />
        </>
      )}
      <p>
        <a href={urls.consultation(lang, slug)}>{t("notify.back")}</a>
      </p>
    </>
  );
}
