import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { Done, FormError } from "~/components/staff/Fields";
import { isResidentKind, outboxOverview, retryMessage, type RetryRefusal } from "~/domain/mail/outbox.server";
import { parseForm } from "~/forms/forms.server";
import { useFormat, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { mailConfigured, mailQueued } from "~/platform/mail.server";
import { staffRequest } from "~/web/staff.server";
import { urls } from "~/urls";
import { fragments } from "~/components/fragments";
import { ScrollTable } from "~/components/staff/ScrollTable";
import { pageTitle } from "~/i18n/title";

/** The outbox as administrators see it: what waits, what went, what failed and why. Residents' addresses never show. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, db } = await staffRequest(request, params, "settings:manage");
  const { counts, rows } = await outboxOverview(db);
  const now = new Date();
  return json({
    lang,
    mail: mailConfigured(),
    counts,
    rows: rows.map((r) => ({
      ...r,
      // A resident's message keeps only the municipality's day it was queued and sent (no time).
      dayOnly: isResidentKind(r.kind),
      due: r.nextAttemptAt <= now,
      nextAttemptAt: r.nextAttemptAt.toISOString(),
      createdAt: r.createdAt.toISOString(),
      sentAt: r.sentAt?.toISOString() ?? null,
    })),
  });
}

const retrySchema = z.object({ intent: z.literal("retry", { error: "unknownIntent" }), id: z.coerce.number({ error: "notFound" }).int().min(1, "notFound") });

/** The page says only that the message could not be queued again; each refusal's status. */
const REFUSED = { not_failed: 409 } satisfies Record<RetryRefusal, number>;

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, staff, db } = await staffRequest(request, params, "settings:manage");
  const submission = await parseForm(request, retrySchema);
  if (submission.status !== "success") return json({ refused: true }, { status: 400 });
  const retried = await retryMessage(db, staff.id, submission.value.id);
  if (!retried.ok) return json({ refused: true }, { status: REFUSED[retried.reason] });
  mailQueued();
  return redirect(urls.staff.mail(lang, { done: "retry", hash: fragments.done }), 303);
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.mail.title")) }];

export default function Outbox() {
  const { lang, mail, counts, rows } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const t = useT();
  const format = useFormat();
  return (
    <>
      <h1>{t("staff.mail.title")}</h1>
      <p>{mail ? t("staff.settings.mailOn") : t("staff.settings.mailOff")}</p>
      <Done done={search.get("done")} />
      <FormError error={useActionData<typeof action>()?.refused ? "notFound" : null} />
      <p id="outbox-counts">{t("staff.mail.counts", { pending: counts.pending, sent: counts.sent, failed: counts.failed })}</p>
      {rows.length ? (
        <ScrollTable label={t("staff.mail.title")}>
          <table>
            <caption className="visually-hidden">{t("staff.mail.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("staff.mail.what")}</th>
                <th scope="col">{t("staff.mail.to")}</th>
                <th scope="col">{t("staff.mail.state")}</th>
                <th scope="col">{t("staff.mail.when")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    {t(`staff.mail.kind.${r.kind.replace(".", "_")}`)}
                    <br />
                    <span className="help">{r.subject}</span>
                  </td>
                  <td>{r.recipient ?? t("staff.mail.resident")}</td>
                  <td>
                    {t(`staff.mail.status.${r.status}`, { attempts: r.attempts })}
                    {r.lastError && r.status !== "sent" ? (
                      <>
                        <br />
                        <span className="help">{r.lastError}</span>
                      </>
                    ) : null}
                    {r.status === "failed" ? (
                      <form method="post" action={urls.staff.mail(lang, { hash: fragments.errors })} className="inline">
                        <input type="hidden" name="intent" value="retry" />
                        <input type="hidden" name="id" value={r.id} />
                        <button type="submit">{t("staff.mail.retry")}</button>
                      </form>
                    ) : null}
                  </td>
                  <td>
                    {r.status === "sent" && r.sentAt
                      ? r.dayOnly
                        ? t("staff.mail.sentOn", { date: format.day(r.sentAt) })
                        : t("staff.mail.sentAt", { date: format.dateTime(r.sentAt) })
                      : r.status === "pending"
                        ? r.due
                          ? t("staff.mail.due")
                          : t("staff.mail.nextAt", { date: format.dateTime(r.nextAttemptAt) })
                        : r.dayOnly
                          ? format.day(r.createdAt)
                          : format.dateTime(r.createdAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : (
        <p>{t("staff.mail.empty")}</p>
      )}
    </>
  );
}
