import { municipalTimeZone } from "~/web/settings.server";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { can, type Role } from "~/auth/permissions";
import { FormError } from "~/components/staff/Fields";
import { deleteDraft, removeWithAnswers, type DeleteRefusal } from "~/domain/consultations/copy.server";
import { participation } from "~/domain/consultations/dashboard.server";
import { DEMO_SLUG } from "~/domain/consultations/demo";
import type { ConsultationView } from "~/domain/consultations/types";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { staffConsultation } from "~/web/staff.server";
import { urls } from "~/urls";
import { fragments } from "~/components/fragments";
import { pageTitle } from "~/i18n/title";

/**
 * Deleting: a draft that never opened (officials), or the demo consultation with its answers
 * (administrators, so a real deployment shows residents nothing made up). A confirmation page,
 * then its POST; anything else is refused with a message.
 */
type What = "draft" | "demo" | null;
const whatCanGo = (c: ConsultationView, role: Role): What =>
  c.status === "draft" ? "draft" : c.slug === DEMO_SLUG && can(role, "staff:manage") ? "demo" : null;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, staff, db, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  const what = whatCanGo(c, staff.role);
  const answers = what === "demo" ? (await participation(db, c.id, await municipalTimeZone())).total : 0;
  return json({ lang, slug: c.slug, title: c.texts[lang].title || c.slug, what, answers });
}

/** The page says only that it cannot be deleted (and why it would be, above); each refusal's status. */
const REFUSED = { not_draft: 409, has_answers: 409 } satisfies Record<DeleteRefusal, number>;

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, staff, db, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  const what = whatCanGo(c, staff.role);
  if (!what) return json({ refused: true }, { status: 409 });
  const done = what === "demo" ? await removeWithAnswers(db, staff.id, c) : await deleteDraft(db, staff.id, c);
  if (!done.ok) return json({ refused: true }, { status: REFUSED[done.reason] });
  return redirect(urls.staff.home(lang, { done: what === "demo" ? "demoRemoved" : "deleted", hash: fragments.done }));
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  {
    title: pageTitle(matches, tFor(data?.lang ?? "fr")(data?.what === "demo" ? "staff.delete.demoTitle" : "staff.delete.title", { title: data?.title ?? "" })),
  },
];

export default function Delete() {
  const { lang, slug, title, what, answers } = useLoaderData<typeof loader>();
  // Refused when sent (answers arrived, or someone deleted it first): the page says so at the top.
  const refused = !!useActionData<typeof action>()?.refused;
  const t = useT();
  const base = urls.staff.consultation(lang, slug);
  return (
    <>
      <p>
        <a href={base}>← {title}</a>
      </p>
      <h1>{t(what === "demo" ? "staff.delete.demoTitle" : "staff.delete.title", { title })}</h1>
      {what && refused ? <FormError error="notDeletable" /> : null}
      {what ? (
        <>
          <p className="notice">{what === "demo" ? t("staff.delete.demoIntro", { count: answers }) : t("staff.delete.intro")}</p>
          <div className="button-row">
            <form method="post" action={urls.staff.delete(lang, slug, { hash: fragments.errors })} className="inline">
              <button type="submit" className="primary">
                {t(what === "demo" ? "staff.delete.demoSubmit" : "staff.delete.submit")}
              </button>
            </form>
            <a href={base}>{t("staff.confirm.cancel")}</a>
          </div>
        </>
      ) : (
        <FormError error="notDeletable" />
      )}
    </>
  );
}
