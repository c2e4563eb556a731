import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { requireLang } from "~/web/http.server";
import { useMunicipality, useMunicipalityWords, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { pageTitle } from "~/i18n/title";

/** What Quorum keeps about residents, why, how long, and who to ask. */
export function loader({ params }: LoaderFunctionArgs) {
  return { lang: requireLang(params) };
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: pageTitle(matches, tFor(data?.lang ?? "fr")("privacy.title")) }];

const SECTIONS = ["what", "notKept", "why", "howLong", "who", "device", "notify", "sms", "rights"] as const;

/** Who answers questions about personal data: the municipality's privacy officer, from its settings. */
function Officer() {
  const t = useT();
  const { privacyOfficer: o } = useMunicipality();
  const words = useMunicipalityWords();
  if (!o.name && !o.email && !o.address) return <p>{t("privacy.officer.unset", words)}</p>;
  return (
    <>
      <p>{t("privacy.officer.intro", words)}</p>
      <address>
        {o.name ? (
          <>
            {o.name}
            <br />
          </>
        ) : null}
        {o.email ? (
          <>
            <a href={`mailto:${o.email}`}>{o.email}</a>
            <br />
          </>
        ) : null}
        {o.address ? <span className="pre">{o.address}</span> : null}
      </address>
    </>
  );
}

export default function Privacy() {
  const t = useT();
  return (
    <>
      <h1>{t("privacy.title")}</h1>
      <p className="lede">{t("privacy.intro")}</p>
      {SECTIONS.map((s) => (
        <section key={s} aria-labelledby={`p-${s}`} id={s === "notify" ? "notify" : undefined}>
          <h2 id={`p-${s}`}>{t(`privacy.${s}.title`)}</h2>
          <p>{t(`privacy.${s}.body`)}</p>
        </section>
      ))}
      <section aria-labelledby="p-officer">
        <h2 id="p-officer">{t("privacy.officer.title")}</h2>
        <Officer />
      </section>
    </>
  );
}
