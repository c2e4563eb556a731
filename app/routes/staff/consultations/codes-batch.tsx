import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { codeSecret } from "~/platform/code-secret.server";
import { auditCodesPrinted } from "~/domain/audit/audit.server";
import { batchCodesToPrint, getCodeBatch, type LettersRefusal } from "~/domain/participation/batches.server";
import { notFound } from "~/web/http.server";
import { useFormat, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { printedFor, type PrintedSide } from "~/web/printed.server";
import { staffConsultation } from "~/web/staff.server";
import { urls } from "~/urls";
import { fragments } from "~/components/fragments";
import { Sender } from "~/components/staff/Sender";
import { pageTitle } from "~/i18n/title";

const PAPERS = ["a4", "letter"] as const;
const LAYOUTS = ["page", "cut"] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The letters of one batch, ready for the mailbox: both languages on one sheet, one letter per
 * page or two per page with a cut line (the official chooses), A4 or US Letter. A GET: reloading
 * it or printing it again makes no code (decision 037).
 */
/** What the page says instead of the letters, for each refusal (the page itself is found: 200). */
const REFUSED = {
  not_found: "staff.letters.refused.not_found",
  cancelled: "staff.letters.refused.cancelled",
  secret_changed: "staff.letters.refused.secret_changed",
} satisfies Record<LettersRefusal, string>;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, staff, db, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  const batchId = params.batch ?? "";
  if (!UUID.test(batchId)) throw notFound();
  const batch = await getCodeBatch(db, c.id, batchId);
  if (!batch) throw notFound();
  const url = new URL(request.url);
  const paper = PAPERS.find((p) => p === url.searchParams.get("paper")) ?? "a4";
  const layout = LAYOUTS.find((l) => l === url.searchParams.get("layout")) ?? "page";
  const codes = await batchCodesToPrint(db, c.id, batchId, codeSecret());
  if (codes.ok && codes.codes.length)
    await auditCodesPrinted(db, request.method, { actorId: staff.id, slug: c.slug, batch: batchId, count: codes.codes.length });
  return json(
    {
      lang,
      slug: c.slug,
      title: c.texts[lang].title || c.slug,
      made: url.searchParams.get("made") === "1",
      batch: { id: batch.id, label: batch.label, size: batch.size, used: batch.used, cancelled: batch.cancelledAt !== null },
      paper,
      layout,
      refusal: codes.ok ? null : REFUSED[codes.reason],
      codes: codes.ok ? codes.codes : [],
      printed: await printedFor(c),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.letters.title", { label: data?.batch.label ?? "" }), data?.title) },
];

function Side({ side, size, label, index }: { side: PrintedSide; size: number; label: string; index: number }) {
  const t = tFor(side.lang);
  return (
    <div className="letter-side" lang={side.lang}>
      <h2>{side.title}</h2>
      <p>{t("letters.invite")}</p>
      <p>
        <strong>{side.closes ? t("letters.deadline", { date: side.closes }) : t("letters.noDeadline")}</strong>
      </p>
      <div className="letter-online">
        {/* Drawn on the server by the qrcode library from our own address: no user input in it. */}
        <div className="qr" role="img" aria-label={t("letters.qrLabel", { url: side.shortText })} dangerouslySetInnerHTML={{ __html: side.qrSvg }} />
        <div>
          <p>{t("letters.online")}</p>
          <p className="short-address">{side.shortText}</p>
          <p className="help">{t("letters.fullAddress", { url: side.url })}</p>
        </div>
      </div>
      {side.sms ? <p>{side.sms}</p> : null}
      <p>{t("letters.paper", { place: side.returnPlace })}</p>
      <p>{t(side.sms ? "letters.onceWithSms" : "letters.once")}</p>
      <p className="letter-number">{t("letters.number", { label, index, size })}</p>
    </div>
  );
}

export default function Letters() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const f = useFormat();
  const fr = tFor("fr");
  const en = tFor("en");
  return (
    <>
      <div className="no-print">
        <p>
          <a href={urls.staff.codes(d.lang, d.slug)}>← {t("staff.codes.title")}</a>
        </p>
        <h1>{t("staff.letters.title", { label: d.batch.label })}</h1>
        {d.made ? (
          <p className="notice" role="status" id={fragments.done}>
            {t("staff.letters.made", { count: d.batch.size })}
          </p>
        ) : null}
        <p>{t("staff.letters.counts", { size: f.number(d.batch.size), used: f.number(d.batch.used), toPrint: f.number(d.codes.length) })}</p>
        {d.refusal ? (
          <div className="error-summary" role="alert">
            <p>{t(d.refusal)}</p>
          </div>
        ) : (
          <>
            <p>{t("staff.letters.reprint")}</p>
            {d.printed.missing.length ? (
              <p className="notice">{t("staff.letters.missing", { settings: d.printed.missing.map((m) => t(`staff.letters.setting.${m}`)).join(", ") })}</p>
            ) : null}
            <form method="get" className="staff-form print-options">
              <fieldset>
                <legend>{t("staff.letters.paper")}</legend>
                {(["a4", "letter"] as const).map((p) => (
                  <div className="choice" key={p}>
                    <input type="radio" id={`paper-${p}`} name="paper" value={p} defaultChecked={d.paper === p} />
                    <label htmlFor={`paper-${p}`}>{t(`staff.letters.paper_${p}`)}</label>
                  </div>
                ))}
              </fieldset>
              <fieldset>
                <legend>{t("staff.letters.layout")}</legend>
                {(["page", "cut"] as const).map((l) => (
                  <div className="choice" key={l}>
                    <input type="radio" id={`layout-${l}`} name="layout" value={l} defaultChecked={d.layout === l} />
                    <label htmlFor={`layout-${l}`}>{t(`staff.letters.layout_${l}`)}</label>
                  </div>
                ))}
              </fieldset>
              <button type="submit">{t("staff.letters.apply")}</button>
            </form>
            <p>{t("staff.letters.howToPrint")}</p>
          </>
        )}
      </div>
      {d.codes.length ? (
        <div className={`letters paper-${d.paper} layout-${d.layout}`}>
          {d.codes.map(({ index, code }) => (
            <section className="letter" key={index} aria-label={t("staff.letters.one", { index, size: d.batch.size })}>
              <header className="letter-head">
                <Sender municipality={d.printed.municipality} logo={d.printed.logo} contactLines={d.printed.contactLines} />
                <p className="letter-code">
                  <span lang="fr">{fr("letters.yourCode")}</span> / <span lang="en">{en("letters.yourCode")}</span>
                  <br />
                  <strong className="code">{code}</strong>
                </p>
              </header>
              <div className="letter-sides">
                <Side side={d.printed.sides.fr} size={d.batch.size} label={d.batch.label} index={index} />
                <Side side={d.printed.sides.en} size={d.batch.size} label={d.batch.label} index={index} />
              </div>
            </section>
          ))}
        </div>
      ) : null}
    </>
  );
}
