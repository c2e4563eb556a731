import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { MIN_PASSWORD_LENGTH } from "~/auth/password.server";
import { Done, Field, type Errors } from "~/components/staff/Fields";
import { changePassword, passwordSchema } from "~/domain/staff/accounts.server";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { readForm } from "~/http.server";
import { staffRequest } from "~/staff.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang } = await staffRequest(request, params, "consultations:read");
  return json({ lang, min: MIN_PASSWORD_LENGTH });
}

const schema = z
  .object({ current: z.string().min(1, { message: "required" }).max(256), next: passwordSchema, confirm: z.string() })
  .refine((v) => v.next === v.confirm, { message: "passwordsDiffer", path: ["confirm"] });

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, staff, db } = await staffRequest(request, params, "consultations:read");
  const form = await readForm(request);
  const parsed = schema.safeParse({ current: form.get("current") ?? "", next: form.get("next") ?? "", confirm: form.get("confirm") ?? "" });
  if (!parsed.success) {
    const errors: Errors = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0]);
      errors[field] ??= field === "next" ? { key: "passwordShort", params: { min: MIN_PASSWORD_LENGTH } } : { key: issue.message === "passwordsDiffer" ? "passwordsDiffer" : "required" };
    }
    return json({ errors }, { status: 400 });
  }
  const result = await changePassword(db, staff.id, parsed.data.current, parsed.data.next);
  if (!result.ok) return json({ errors: { current: { key: "wrongPassword" } } as Errors }, { status: 400 });
  return redirect(`/${lang}/staff/password?done=password`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${tFor(data?.lang ?? "fr")("staff.password.title")} – Quorum` }];

export default function Password() {
  const { lang, min } = useLoaderData<typeof loader>();
  const errors = (useActionData<typeof action>() as { errors: Errors } | undefined)?.errors;
  const [search] = useSearchParams();
  const t = useT();
  return (
    <>
      <h1>{t("staff.password.title")}</h1>
      <Done done={search.get("done")} />
      <form method="post" action={`/${lang}/staff/password`} className="staff-form">
        <Field name="current" type="password" label={t("staff.password.current")} errors={errors} />
        <Field name="next" type="password" label={t("staff.password.next")} help={t("staff.password.rule", { min })} errors={errors} />
        <Field name="confirm" type="password" label={t("staff.password.confirm")} errors={errors} />
        <button type="submit" className="primary">
          {t("staff.password.submit")}
        </button>
      </form>
    </>
  );
}
