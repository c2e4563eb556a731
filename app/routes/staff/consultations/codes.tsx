import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { codeSecret } from "~/platform/code-secret.server";
import { Field } from "~/components/staff/Fields";
import { FormSummary } from "~/components/staff/Refusal";
import { cancelBatchSchema, codeBatchSchema } from "~/domain/consultations/schema.server";
import {
  cancelCodeBatch,
  countUnbatchedCodes,
  createCodeBatch,
  listCodeBatches,
  type CancelBatchRefusal,
  type CreateBatchRefusal,
} from "~/domain/participation/batches.server";
import { parseFormData } from "~/forms/forms.server";
import { errorsOf, refusalReply, valuesOf, type RefusalAnswer } from "~/forms/result";
import { readForm } from "~/web/http.server";
import { useFormat, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { staffConsultation } from "~/web/staff.server";
import { urls } from "~/urls";
import { fragments } from "~/components/fragments";
import { ScrollTable } from "~/components/staff/ScrollTable";
import { pageTitle } from "~/i18n/title";

/**
 * Participation codes in named batches (decision 037): the form carries its own idempotency key,
 * so a form sent again makes no second batch; the letters are shown after a redirect (POST →
 * 303 → GET), so reloading them makes nothing either.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, db, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  const batches = await listCodeBatches(db, c.id);
  const unbatched = await countUnbatchedCodes(db, c.id);
  return json({
    lang,
    slug: c.slug,
    mode: c.mode,
    title: c.texts[lang].title || c.slug,
    requestId: crypto.randomUUID(),
    unbatched,
    batches: batches.map((b) => ({ ...b, createdAt: b.createdAt.toISOString(), cancelledAt: b.cancelledAt?.toISOString() ?? null })),
  });
}

const CANCEL_REFUSED = {
  cancelled: { status: 409, key: "batchCancelled" },
  not_found: { status: 409, key: "notFound" },
} satisfies Record<CancelBatchRefusal, RefusalAnswer>;
const BATCH_REFUSED = {
  not_code_mode: { status: 409, key: "notCodeMode" },
  request_reused: { status: 409, key: "formExpired" },
} satisfies Record<CreateBatchRefusal, RefusalAnswer>;

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, staff, db, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  const form = await readForm(request);
  if (form.get("intent") === "cancel") {
    const submission = parseFormData(form, cancelBatchSchema);
    if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
    const cancelled = await cancelCodeBatch(db, staff.id, c, submission.value.batch);
    if (!cancelled.ok)
      return json({ result: submission.reply(refusalReply(CANCEL_REFUSED[cancelled.reason])) }, { status: CANCEL_REFUSED[cancelled.reason].status });
    return redirect(urls.staff.codes(lang, c.slug, { cancelled: cancelled.voided, hash: fragments.done }), 303);
  }
  const submission = parseFormData(form, codeBatchSchema);
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  const { label, count, request_id } = submission.value;
  const made = await createCodeBatch(db, staff.id, { consultation: c, label, size: count, requestId: request_id, secret: codeSecret() });
  if (!made.ok) return json({ result: submission.reply(refusalReply(BATCH_REFUSED[made.reason])) }, { status: BATCH_REFUSED[made.reason].status });
  return redirect(urls.staff.codesBatch(lang, c.slug, made.batchId, made.created ? { made: 1, hash: fragments.done } : { hash: fragments.main }), 303);
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.codes.title"), data?.title) },
];

export default function Codes() {
  const { lang, slug, mode, title, requestId, batches, unbatched } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const errors = errorsOf(result?.result);
  const typed = valuesOf(result?.result);
  const t = useT();
  const f = useFormat();
  const codes = urls.staff.codes(lang, slug, { hash: fragments.errors });
  const cancelled = search.get("cancelled");
  return (
    <>
      <p>
        <a href={urls.staff.consultation(lang, slug)}>← {title}</a>
      </p>
      <h1>{t("staff.codes.title")}</h1>
      {cancelled !== null ? (
        <p className="notice" role="status" id={fragments.done}>
          {t("staff.codes.cancelledDone", { voided: Number(cancelled) || 0 })}
        </p>
      ) : null}
      <FormSummary errors={errors} list label={(name) => t(name === "count" ? "staff.codes.count" : "staff.codes.labelField")} />
      {mode !== "code" ? <p className="notice">{t("staffErrors.notCodeMode")}</p> : null}
      <p>{t("staff.codes.intro")}</p>
      <h2>{t("staff.codes.batches")}</h2>
      {batches.length ? (
        <ScrollTable label={t("staff.codes.batches")}>
          <table className="batches">
            <thead>
              <tr>
                <th scope="col">{t("staff.codes.label")}</th>
                <th scope="col">{t("staff.codes.made")}</th>
                <th scope="col">{t("staff.codes.issued")}</th>
                <th scope="col">{t("staff.codes.used")}</th>
                <th scope="col">{t("staff.codes.state")}</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((b) => (
                <tr key={b.id}>
                  <th scope="row">{b.cancelledAt ? b.label : <a href={urls.staff.codesBatch(lang, slug, b.id)}>{b.label}</a>}</th>
                  <td>{f.dateTime(b.createdAt)}</td>
                  <td>{f.number(b.size)}</td>
                  <td>{f.number(b.used)}</td>
                  <td>
                    {b.cancelledAt ? (
                      t("staff.codes.cancelledOn", { date: f.dateTime(b.cancelledAt), voided: b.voided })
                    ) : (
                      <form method="post" action={codes} className="inline">
                        <input type="hidden" name="intent" value="cancel" />
                        <input type="hidden" name="batch" value={b.id} />
                        <button type="submit">{t("staff.codes.cancel", { label: b.label, unused: b.size - b.used })}</button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : (
        <p>{t("staff.codes.none")}</p>
      )}
      {unbatched.total ? <p className="help">{t("staff.codes.unbatched", { total: unbatched.total, used: unbatched.used })}</p> : null}
      {mode === "code" ? (
        <form method="post" action={codes} className="staff-form">
          <h2>{t("staff.codes.newBatch")}</h2>
          {/* The idempotency key: the same form sent again finds the batch it made. */}
          <input type="hidden" name="request_id" value={typed?.request_id ?? requestId} />
          <Field name="label" label={t("staff.codes.labelField")} help={t("staff.codes.labelHelp")} value={typed?.label ?? ""} errors={errors} />
          <Field name="count" type="number" label={t("staff.codes.count")} value={typed?.count ?? "100"} errors={errors} />
          <button type="submit" className="primary">
            {t("staff.codes.generate")}
          </button>
        </form>
      ) : null}
    </>
  );
}
