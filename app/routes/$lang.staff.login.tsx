import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireSameOrigin } from "~/auth/origin.server";
import { getStaff, startSession } from "~/auth/session.server";
import { Field } from "~/components/staff/Fields";
import { accountKey, clear, clientKey, hit } from "~/domain/ratelimit/ratelimit.server";
import { authenticate } from "~/domain/staff/accounts.server";
import { getDb } from "~/db.server";
import { requireLang, readForm } from "~/http.server";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { clientAddressOf } from "~/load-context";

export const SIGN_IN_LIMITS = { account: { limit: 5, windowSeconds: 15 * 60 }, client: { limit: 50, windowSeconds: 15 * 60 } };

/** Only a path inside this language's staff area may be returned to. */
function safeNext(lang: string, next: unknown): string {
  return typeof next === "string" && next.startsWith(`/${lang}/staff`) && !next.startsWith("//") ? next : `/${lang}/staff`;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const lang = requireLang(params);
  const next = new URL(request.url).searchParams.get("next");
  const { staff } = await getStaff(request);
  if (staff) throw redirect(safeNext(lang, next));
  return json({ lang, next: safeNext(lang, next) });
}

const schema = z.object({ email: z.string().trim().max(254), password: z.string().max(256), next: z.string().max(500).optional() });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const lang = requireLang(params);
  requireSameOrigin(request);
  const form = await readForm(request);
  const parsed = schema.safeParse({ email: form.get("email") ?? "", password: form.get("password") ?? "", next: form.get("next") ?? undefined });
  const email = parsed.success ? parsed.data.email : String(form.get("email") ?? "").slice(0, 254);
  if (!parsed.success || !parsed.data.email || !parsed.data.password) return json({ email, error: "signInMissing" }, { status: 400 });
  const db = await getDb();
  const byAccount = await hit(db, accountKey("signin", email), SIGN_IN_LIMITS.account);
  const byClient = await hit(db, await clientKey(db, "signin", clientAddressOf(context)), SIGN_IN_LIMITS.client);
  if (!byAccount.allowed || !byClient.allowed) {
    const minutes = Math.ceil(Math.max(byAccount.allowed ? 0 : byAccount.retryAfterSeconds, byClient.allowed ? 0 : byClient.retryAfterSeconds) / 60);
    return json({ email, error: "signInLimited", minutes }, { status: 429, headers: { "Retry-After": String(minutes * 60) } });
  }
  const user = await authenticate(db, email, parsed.data.password);
  if (!user) return json({ email, error: "signInFailed" }, { status: 400 });
  await clear(db, accountKey("signin", email));
  return redirect(safeNext(lang, parsed.data.next), { headers: { "Set-Cookie": await startSession(user.id) } });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${tFor(data?.lang ?? "fr")("staff.login.title")} – Quorum` }];

export default function Login() {
  const { lang, next } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { email: string; error: string; minutes?: number } | undefined;
  const t = useT();
  return (
    <>
      <h1>{t("staff.login.title")}</h1>
      <p>{t("staff.login.intro")}</p>
      {result?.error ? (
        <div className="error-summary" role="alert">
          <p>{t(`staffErrors.${result.error}`, { minutes: result.minutes ?? 15 })}</p>
        </div>
      ) : null}
      <form method="post" action={`/${lang}/staff/login`} className="staff-form">
        <input type="hidden" name="next" value={next} />
        <Field name="email" type="email" label={t("staff.login.email")} value={result?.email} />
        <Field name="password" type="password" label={t("staff.login.password")} />
        <button type="submit" className="primary">
          {t("staff.login.submit")}
        </button>
      </form>
    </>
  );
}

