import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { accessibilityStatement, SAMPLE_RECEIPT } from "~/domain/accessibility/audit";
import { requireLang } from "~/web/http.server";
import { useFormat, useMunicipality, useMunicipalityWords, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { pageTitle } from "~/i18n/title";

/**
 * The accessibility statement (déclaration d'accessibilité, following the RGAA's model): status
 * and conformance rate, what is not accessible and why, how the statement was prepared (date,
 * technologies, test environment, tools, pages checked), how to report a problem or get content
 * another way, and the recourse. Every figure comes from the assessment in
 * app/domain/accessibility/audit.ts; the municipality's name and contact from its settings.
 */
export function loader({ params }: LoaderFunctionArgs) {
  const lang = requireLang(params);
  return { lang, statement: accessibilityStatement(lang) };
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: pageTitle(matches, tFor(data?.lang ?? "fr")("accessibility.title")) }];

/** An ISO day as a date in words: noon UTC, the same day in every time zone. */
const day = (iso: string) => `${iso}T12:00:00Z`;

function Contact() {
  const t = useT();
  const { contactLink: link, contact } = useMunicipality();
  const href = link && /^https?:\/\//.test(link) ? link : `mailto:${link}`;
  return (
    <>
      {link ? (
        <p>
          {t("accessibility.contactIntro")} <a href={href}>{link}</a>
        </p>
      ) : (
        <p>{t("accessibility.contactUnset")}</p>
      )}
      {contact.phone ? (
        <p>
          {t("accessibility.contactPhone")} <a href={`tel:${contact.phone.replace(/[^+\d]/g, "")}`}>{contact.phone}</a>
        </p>
      ) : null}
      {contact.address ? (
        <p>
          {t("accessibility.contactPost")} {contact.address}
        </p>
      ) : null}
    </>
  );
}

export default function Accessibility() {
  const { statement: s } = useLoaderData<typeof loader>();
  const words = useMunicipalityWords();
  const t = useT();
  const f = useFormat();
  const version = s.rgaaVersion;
  const ids = (list: string[]) => (list.length ? list.join(", ") : t("accessibility.grid.none"));
  const criteria = (list: string[]) => t("accessibility.criteria", { count: list.length, list: f.list(list) });
  return (
    <>
      <h1>{t("accessibility.title")}</h1>
      <p className="lede">{t("accessibility.intro", words)}</p>
      <p>{t("accessibility.scope")}</p>

      <section aria-labelledby="a-status">
        <h2 id="a-status">{t("accessibility.statusTitle")}</h2>
        <p>{t(`accessibility.status.${s.status}`, { version })}</p>
        <p>{t("accessibility.standard")}</p>
      </section>

      <section aria-labelledby="a-results">
        <h2 id="a-results">{t("accessibility.resultsTitle")}</h2>
        <p className="lede">
          {t("accessibility.rate", {
            rate: f.percent(s.conformance.rate / 100),
            version,
            met: s.conformance.conformant,
            applicable: s.conformance.applicable,
          })}
        </p>
        <p>{t("accessibility.rateHow", { notApplicable: s.conformance.notApplicable, total: s.total })}</p>
        <div className="table-scroll" role="region" aria-label={t("accessibility.grid.label")} tabIndex={0}>
          <table>
            <caption>{t("accessibility.grid.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("accessibility.grid.theme")}</th>
                <th scope="col">{t("accessibility.grid.met")}</th>
                <th scope="col">{t("accessibility.grid.notMet")}</th>
                <th scope="col">{t("accessibility.grid.notApplicable")}</th>
              </tr>
            </thead>
            <tbody>
              {s.themes.map((theme) => (
                <tr key={theme.theme}>
                  <th scope="row">{`${theme.number}. ${t(`accessibility.themes.${theme.theme}`)}`}</th>
                  <td>{ids(theme.conformant)}</td>
                  <td>{ids(theme.nonConformant)}</td>
                  <td>{ids(theme.notApplicable)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="a-content">
        <h2 id="a-content">{t("accessibility.contentTitle")}</h2>
        <h3>{t("accessibility.defectsTitle")}</h3>
        <ul>
          {s.defects.map((d) => (
            <li key={d.key}>
              <strong>{t(`accessibility.defects.${d.key}.title`)}</strong> {t(`accessibility.defects.${d.key}.why`)} {criteria(d.criteria)}
            </li>
          ))}
        </ul>
        <h3>{t("accessibility.uncheckedTitle")}</h3>
        <p>{t("accessibility.uncheckedIntro")}</p>
        <ul>
          {s.unchecked.map((u) => (
            <li key={u.key}>
              <strong>{t(`accessibility.unchecked.${u.key}.title`)}</strong> {t(`accessibility.unchecked.${u.key}.why`)} {criteria(u.criteria)}
            </li>
          ))}
        </ul>
        <h3>{t("accessibility.exemptionsTitle")}</h3>
        <p>{t("accessibility.exemptions")}</p>
        <h3>{t("accessibility.notSubjectTitle")}</h3>
        <p>{t("accessibility.notSubject")}</p>
      </section>

      <section aria-labelledby="a-prepared">
        <h2 id="a-prepared">{t("accessibility.preparedTitle")}</h2>
        <p>{t("accessibility.prepared", { first: f.date(day(s.firstPublishedOn)), updated: f.date(day(s.assessedOn)) })}</p>
        <h3>{t("accessibility.technologiesTitle")}</h3>
        <p>{t("accessibility.technologies")}</p>
        <p>{t("accessibility.script")}</p>
        <h3>{t("accessibility.environmentTitle")}</h3>
        <p>{t("accessibility.environment")}</p>
        <p>{t("accessibility.screenReaders")}</p>
        <h3>{t("accessibility.toolsTitle")}</h3>
        <ul>
          <li>{t("accessibility.tools.axe", { version: s.axeVersion })}</li>
          <li>{t("accessibility.tools.keyboard")}</li>
          <li>{t("accessibility.tools.errors")}</li>
          <li>{t("accessibility.tools.staffErrors")}</li>
          <li>{t("accessibility.tools.reflow")}</li>
          <li>{t("accessibility.tools.spacing")}</li>
          <li>{t("accessibility.tools.targets")}</li>
          <li>{t("accessibility.tools.forcedColours")}</li>
          <li>{t("accessibility.tools.code")}</li>
        </ul>
        <h3>{t("accessibility.sampleTitle")}</h3>
        <p>{t("accessibility.sampleIntro", { code: SAMPLE_RECEIPT })}</p>
        <ol className="audited-pages">
          {s.sample.map((p) => (
            <li key={p.key}>
              {t("accessibility.sampleItem", { name: t(`accessibility.sample.${p.key}`) })} <code>{p.address}</code>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="a-contact">
        <h2 id="a-contact">{t("accessibility.contactTitle")}</h2>
        <p>{t("accessibility.otherWay")}</p>
        <Contact />
      </section>

      <section aria-labelledby="a-recourse">
        <h2 id="a-recourse">{t("accessibility.recourseTitle")}</h2>
        <p>{t("accessibility.recourseFrance")}</p>
        <p>{t("accessibility.recourseCanada")}</p>
      </section>
    </>
  );
}
