import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Field } from "~/components/staff/Fields";
import { FormSummary } from "~/components/staff/Refusal";
import { fragments } from "~/components/fragments";
import { smsCost } from "~/domain/sms/cost.server";
import { setSmsSettings, smsSettingsSchema, type SmsSettingsRefusal } from "~/domain/sms/settings.server";
import { parseFormData } from "~/forms/forms.server";
import { errorsOf, refusalReply, valuesOf, type FormResult, type RefusalAnswer } from "~/forms/result";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { pageTitle } from "~/i18n/title";
import { urls } from "~/urls";
import { readForm } from "~/web/http.server";
import { receiveSms, smsLinks, smsNumber, smsProvider } from "~/web/sms.server";
import { staffConsultation } from "~/web/staff.server";

/** The simulator's conversation, as the page carries it from one message to the next. */
interface Exchange {
  from: "resident" | "quorum";
  text: string;
}
const MAX_EXCHANGES = 80;

/**
 * A consultation by text message (decision 066): its keyword and the one-answer-per-phone rule,
 * what answering costs a resident in segments in each language, and the conversation itself to
 * try — the same engine residents meet, with nothing stored.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  const links = smsLinks();
  return json({
    lang,
    slug: c.slug,
    title: c.texts[lang].title || c.slug,
    status: c.status,
    keyword: c.smsKeyword,
    onePerPhone: c.smsOnePerPhone,
    provider: smsProvider(),
    number: smsNumber(),
    cost: { fr: smsCost(c, "fr", links), en: smsCost(c, "en", links) },
  });
}

const REFUSED = {
  keyword_taken: { status: 409, key: "smsKeywordTaken", field: "keyword" },
} satisfies Record<SmsSettingsRefusal, RefusalAnswer>;

function transcriptOf(raw: FormDataEntryValue | null): Exchange[] {
  try {
    const parsed: unknown = JSON.parse(typeof raw === "string" ? raw : "[]");
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter((e): e is Exchange => !!e && typeof e === "object" && (e.from === "resident" || e.from === "quorum") && typeof e.text === "string")
      .slice(-MAX_EXCHANGES)
      .map((e) => ({ from: e.from, text: e.text.slice(0, 2_000) }));
  } catch {
    return [];
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, staff, db, consultation } = await staffConsultation(request, params, "consultations:edit");
  const form = await readForm(request);
  if (form.get("intent") === "try") {
    const transcript = transcriptOf(form.get("transcript"));
    const message = String(form.get("message") ?? "").trim();
    if (!message) return json({ settings: null, transcript, empty: true });
    // The same engine as residents' messages, on a conversation of this staff member's own; nothing is stored.
    const reply = await receiveSms({ provider: "trial", messageId: crypto.randomUUID(), from: `staff:${staff.id}`, body: message, trial: true });
    const next: Exchange[] = [...transcript, { from: "resident", text: message }, ...(reply ? [{ from: "quorum" as const, text: reply }] : [])];
    return json({ settings: null, transcript: next.slice(-MAX_EXCHANGES), empty: false });
  }
  const submission = parseFormData(form, smsSettingsSchema);
  if (submission.status !== "success") return json({ settings: submission.reply() as FormResult, transcript: null, empty: false }, { status: 400 });
  const saved = await setSmsSettings(db, staff.id, consultation, submission.value);
  if (!saved.ok) {
    const refused = REFUSED[saved.reason];
    return json({ settings: submission.reply(refusalReply(refused)) as FormResult, transcript: null, empty: false }, { status: refused.status });
  }
  return redirect(urls.staff.sms(lang, consultation.slug, { done: "sms", hash: fragments.done }), 303);
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.sms.title"), data?.title) },
];

export default function Sms() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const t = useT();
  const { lang, slug } = data;
  const errors = errorsOf(result?.settings);
  const typed = valuesOf(result?.settings);
  const transcript = result?.transcript ?? [];
  return (
    <>
      <p>
        <a href={urls.staff.consultation(lang, slug)}>← {data.title}</a>
      </p>
      <h1>{t("staff.sms.title")}</h1>
      <p>{data.provider ? t("staff.sms.on", { number: data.number ?? t("staff.sms.noNumber"), provider: data.provider }) : t("staff.sms.off")}</p>
      {search.get("done") === "sms" ? (
        <p className="notice" role="status" id={fragments.done}>
          {t("staff.sms.saved")}
        </p>
      ) : null}

      <section aria-labelledby="sms-settings">
        <h2 id="sms-settings">{t("staff.sms.settingsHeading")}</h2>
        <FormSummary errors={errors} />
        <form method="post" action={urls.staff.sms(lang, slug, { hash: fragments.errors })}>
          <input type="hidden" name="intent" value="settings" />
          <Field name="keyword" label={t("staff.sms.keyword")} help={t("staff.sms.keywordHelp")} value={typed?.keyword ?? data.keyword ?? ""} errors={errors} />
          <div className="field">
            <input
              type="checkbox"
              id="one-per-phone"
              name="onePerPhone"
              value="on"
              defaultChecked={typed ? typed.onePerPhone === "on" : data.onePerPhone}
              aria-describedby="one-per-phone-help"
            />{" "}
            <label htmlFor="one-per-phone">{t("staff.sms.onePerPhone")}</label>
            <p className="help" id="one-per-phone-help">
              {t("staff.sms.onePerPhoneHelp")}
            </p>
          </div>
          <button type="submit">{t("staff.sms.save")}</button>
        </form>
      </section>

      <section aria-labelledby="sms-cost">
        <h2 id="sms-cost">{t("staff.sms.costHeading")}</h2>
        <p>{t("staff.sms.costIntro")}</p>
        <table>
          <caption>{t("staff.sms.costCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("staff.sms.question")}</th>
              <th scope="col">{t("staff.sms.receiveFr")}</th>
              <th scope="col">{t("staff.sms.sendFr")}</th>
              <th scope="col">{t("staff.sms.receiveEn")}</th>
              <th scope="col">{t("staff.sms.sendEn")}</th>
            </tr>
          </thead>
          <tbody>
            {data.cost.fr.questions.map((q, i) => (
              <tr key={q.n}>
                <th scope="row">{t("staff.sms.questionN", { n: q.n })}</th>
                <td>{q.receive}</td>
                <td>{q.send}</td>
                <td>{data.cost.en.questions[i]?.receive}</td>
                <td>{data.cost.en.questions[i]?.send}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t("staff.sms.recapAndReceipt")}</th>
              <td>{data.cost.fr.recap + data.cost.fr.receipt}</td>
              <td>1</td>
              <td>{data.cost.en.recap + data.cost.en.receipt}</td>
              <td>1</td>
            </tr>
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t("staff.sms.total")}</th>
              <td>{data.cost.fr.receive}</td>
              <td>{data.cost.fr.send}</td>
              <td>{data.cost.en.receive}</td>
              <td>{data.cost.en.send}</td>
            </tr>
          </tfoot>
        </table>
        {data.cost.fr.ucs2 + data.cost.en.ucs2 > 0 ? <p className="warning">{t("staff.sms.ucs2", { count: data.cost.fr.ucs2 + data.cost.en.ucs2 })}</p> : null}
      </section>

      <section aria-labelledby="sms-try">
        <h2 id="sms-try">{t("staff.sms.tryHeading")}</h2>
        <p>{data.keyword ? t("staff.sms.tryIntro", { keyword: data.keyword }) : t("staff.sms.tryNoKeyword")}</p>
        {transcript.length ? (
          <ol className="sms-transcript" aria-label={t("staff.sms.transcript")}>
            {transcript.map((e, i) => (
              <li key={i} className={e.from}>
                <strong>{e.from === "resident" ? t("staff.sms.you") : "Quorum"}</strong>
                <pre>{e.text}</pre>
              </li>
            ))}
          </ol>
        ) : null}
        {result?.transcript && !result.empty && !transcript.some((e) => e.from === "quorum") ? <p>{t("staff.sms.noReply")}</p> : null}
        <form method="post" action={urls.staff.sms(lang, slug, { hash: "sms-try" })}>
          <input type="hidden" name="intent" value="try" />
          <input type="hidden" name="transcript" value={JSON.stringify(transcript)} />
          <Field
            name="message"
            label={t("staff.sms.message")}
            value={transcript.length ? "" : (data.keyword ?? "")}
            errors={result?.empty ? { message: { key: "smsMessageEmpty" } } : {}}
          />
          <button type="submit">{t("staff.sms.send")}</button>
        </form>
      </section>
    </>
  );
}
