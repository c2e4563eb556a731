import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { FormQuestion } from "~/domain/consultations/present";
import { questionsIn } from "~/domain/consultations/present";
import { DEFAULT_MAX_LENGTH } from "~/domain/consultations/types";
import { useT } from "~/i18n/hooks";
import { isLang, tFor, type Lang } from "~/i18n/i18n";
import { printedFor } from "~/web/printed.server";
import { staffConsultation } from "~/web/staff.server";
import { urls } from "~/urls";
import { pageTitle } from "~/i18n/title";
import { Paragraphs } from "~/components/Paragraphs";
import { Sender } from "~/components/staff/Sender";

const PAPERS = ["a4", "letter"] as const;
/** How many of the last questions print on the same page as how to return the sheet. */
const LAST_TOGETHER = 2;

/** What the data card says, in the order the consultation's page shows it. */
const DATA_CARD = ["dataCollected", "dataPurpose", "dataRetention", "dataAccess", "dataLocation"] as const;

/**
 * The blank paper questionnaire of a consultation, in one language, to print: what residents
 * read online before they answer (the proposal and its data card), then the same questions,
 * boxes to tick, lines to write on, the household code field when the consultation uses codes,
 * and how to return it. Typed in later on the paper entry page.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, consultation: c } = await staffConsultation(request, params, "consultations:edit");
  const url = new URL(request.url);
  const as = url.searchParams.get("as");
  const shown: Lang = isLang(as) ? as : lang;
  const paper = PAPERS.find((p) => p === url.searchParams.get("paper")) ?? "a4";
  const printed = await printedFor(c);
  return json({
    lang,
    shown,
    paper,
    slug: c.slug,
    title: c.texts[lang].title || c.slug,
    mode: c.mode,
    form: {
      title: c.texts[shown].title,
      summary: c.texts[shown].summary,
      body: c.texts[shown].body,
      dataCard: DATA_CARD.map((key) => ({ key, text: c.texts[shown][key] })),
      questions: questionsIn(c, shown),
    },
    municipality: printed.municipality,
    logo: printed.logo,
    contactLines: printed.contactLines,
    side: printed.sides[shown],
  });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.blankForm.title"), data?.title) },
];

function Box() {
  return <span className="box" aria-hidden="true" />;
}

function Lines({ count }: { count: number }) {
  return (
    <div className="write-lines" aria-hidden="true">
      {Array.from({ length: count }, (_, i) => (
        <span key={i} className="write-line" />
      ))}
    </div>
  );
}

function Question({ q, number, lang }: { q: FormQuestion; number: number; lang: Lang }) {
  const t = tFor(lang);
  const status = q.demographic ? "question.demographic" : q.required ? "question.required" : "question.optional";
  const hint =
    q.kind === "multiple"
      ? q.minChoices && q.maxChoices
        ? t("question.chooseBetween", { min: q.minChoices, max: q.maxChoices })
        : q.maxChoices
          ? t("question.chooseAtMost", { max: q.maxChoices })
          : q.minChoices
            ? t("question.chooseAtLeast", { min: q.minChoices })
            : t("blankForm.tickAny")
      : q.kind === "single"
        ? t("blankForm.tickOne")
        : q.kind === "scale"
          ? t("blankForm.tickOne")
          : q.kind === "ranking"
            ? t("blankForm.rankHint", { count: q.options.length })
            : t("question.maxLength", { max: q.maxLength ?? DEFAULT_MAX_LENGTH[q.kind] });
  const choice = (key: string, label: string) => (
    <li key={key}>
      <Box /> {label}
    </li>
  );
  return (
    <section className="blank-question">
      <h3>
        {number}. {q.prompt} <span className="opt">({t(status)})</span>
      </h3>
      {q.help ? <p className="help">{q.help}</p> : null}
      <p className="help">{hint}</p>
      {q.kind === "single" || q.kind === "multiple" ? (
        <ul className="blank-choices">
          {q.options.map((o) => choice(o.code, o.label))}
          {q.allowOther ? (
            <li className="other">
              <Box /> {t("question.otherLabel")} <span className="write-inline" />
            </li>
          ) : null}
          {q.allowPreferNot ? choice("prefer", t(q.demographic ? "question.preferNotSay" : "question.preferNot")) : null}
        </ul>
      ) : q.kind === "scale" ? (
        <ul className="blank-choices scale">
          {[1, 2, 3, 4, 5].map((v) =>
            choice(String(v), v === 1 && q.scaleLow ? `1 – ${q.scaleLow}` : v === 5 && q.scaleHigh ? `5 – ${q.scaleHigh}` : String(v)),
          )}
          {q.allowPreferNot ? choice("prefer", t("question.preferNot")) : null}
        </ul>
      ) : q.kind === "ranking" ? (
        <ul className="blank-choices ranking">
          {q.options.map((o) => (
            <li key={o.code}>
              <span className="rank-box" aria-hidden="true" /> {o.label}
            </li>
          ))}
        </ul>
      ) : (
        <Lines count={q.kind === "long_text" ? 6 : 2} />
      )}
    </section>
  );
}

export default function BlankQuestionnaire() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const p = tFor(d.shown);
  return (
    <>
      <div className="no-print">
        <p>
          <a href={urls.staff.consultation(d.lang, d.slug)}>← {d.title}</a>
        </p>
        <h1>{t("staff.blankForm.title")}</h1>
        <p>{t("staff.blankForm.intro")}</p>
        <p>
          {t("staff.blankForm.language", { lang: t(`staff.in.${d.shown}`) })}{" "}
          <a href={urls.staff.questionnaire(d.lang, d.slug, { as: d.shown === "fr" ? "en" : "fr", paper: d.paper })}>{t("staff.blankForm.switch")}</a>
        </p>
        <form method="get" action={urls.staff.questionnaire(d.lang, d.slug)} className="staff-form print-options">
          <input type="hidden" name="as" value={d.shown} />
          <fieldset>
            <legend>{t("staff.letters.paper")}</legend>
            {PAPERS.map((size) => (
              <div className="choice" key={size}>
                <input type="radio" id={`paper-${size}`} name="paper" value={size} defaultChecked={d.paper === size} />
                <label htmlFor={`paper-${size}`}>{t(`staff.letters.paper_${size}`)}</label>
              </div>
            ))}
          </fieldset>
          <button type="submit">{t("staff.blankForm.apply")}</button>
        </form>
        <p>{t("staff.blankForm.howToPrint")}</p>
      </div>
      <article className={`blank-form paper-${d.paper}`} lang={d.shown} aria-label={p("blankForm.sheet")}>
        <header className="letter-head">
          <Sender municipality={d.municipality} logo={d.logo} contactLines={d.contactLines} />
        </header>
        <h2>{d.form.title}</h2>
        <p className="lede">{d.form.summary}</p>
        {/* What residents read online before they answer: on paper too, in the sheet's language. */}
        <section className="blank-proposal" aria-labelledby="blank-proposal">
          <h3 id="blank-proposal">{p("blankForm.proposalHeading")}</h3>
          <Paragraphs text={d.form.body} />
        </section>
        <section className="data-card" aria-labelledby="blank-data-card">
          <h3 id="blank-data-card">{p("consultation.dataCardHeading")}</h3>
          <dl>
            {d.form.dataCard.map(({ key, text }) => (
              <div key={key}>
                <dt>{p(`consultation.${key}`)}</dt>
                <dd>{text}</dd>
              </div>
            ))}
          </dl>
        </section>
        <h3 className="blank-answers">{p("consultation.formHeading")}</h3>
        <p>{p("blankForm.howTo")}</p>
        <p className="help">{p("blankForm.anonymous")}</p>
        {d.mode === "code" ? (
          <section className="blank-question household-code">
            <h3>{p("blankForm.codeLabel")}</h3>
            <p className="help">{p("blankForm.codeHelp")}</p>
            <p className="code-boxes" aria-hidden="true">
              {Array.from({ length: 10 }, (_, i) => (
                <span key={i} className={`code-cell${i === 5 ? " after-dash" : ""}`} />
              ))}
            </p>
          </section>
        ) : null}
        {d.form.questions.slice(0, -LAST_TOGETHER).map((q, i) => (
          <Question key={q.code} q={q} number={i + 1} lang={d.shown} />
        ))}
        {/* The last questions and how to return the sheet stay on one page: no question ends it alone. */}
        <div className="blank-end">
          {d.form.questions.slice(-LAST_TOGETHER).map((q, i, last) => (
            <Question key={q.code} q={q} number={d.form.questions.length - last.length + i + 1} lang={d.shown} />
          ))}
          <section className="blank-return">
            <h3>{p("blankForm.returnHeading")}</h3>
            <p>
              <strong>
                {d.side.closes
                  ? p("blankForm.returnBy", { date: d.side.closes, place: d.side.returnPlace })
                  : p("blankForm.returnTo", { place: d.side.returnPlace })}
              </strong>
            </p>
            <div className="letter-online">
              <div className="qr" role="img" aria-label={p("letters.qrLabel", { url: d.side.shortText })} dangerouslySetInnerHTML={{ __html: d.side.qrSvg }} />
              <p>
                {p("blankForm.online")} <span className="short-address">{d.side.shortText}</span>
              </p>
            </div>
            {d.side.sms ? <p>{d.side.sms}</p> : null}
            <p>{p("blankForm.thanks")}</p>
          </section>
        </div>
      </article>
    </>
  );
}
