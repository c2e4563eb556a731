import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireLang } from "~/web/http.server";
import { useMunicipality, useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";
import { pageTitle } from "~/i18n/title";

/**
 * The accessibility statement (déclaration d'accessibilité, RGAA template): status, standard,
 * what is not conformant and why, the audit, how to report a problem or get content another way,
 * and the recourse. The municipality's name and contact come from the settings.
 */
export function loader({ params }: LoaderFunctionArgs) {
  return { lang: requireLang(params) };
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: pageTitle(matches, tFor(data?.lang ?? "fr")("accessibility.title")) }];

/** What an audit found not conformant yet; each key has a title and a reason in locales/. */
const GAPS = ["screenReaders"] as const;

function Contact({ contact }: { contact: string | null }) {
  const t = useT();
  if (!contact) return <p>{t("accessibility.contactUnset")}</p>;
  const href = /^https?:\/\//.test(contact) ? contact : `mailto:${contact}`;
  return (
    <p>
      {t("accessibility.contactIntro")} <a href={href}>{contact}</a>
    </p>
  );
}

export default function Accessibility() {
  useLoaderData<typeof loader>();
  const { name: municipality, contactLink: contact } = useMunicipality();
  const t = useT();
  return (
    <>
      <h1>{t("accessibility.title")}</h1>
      <p className="lede">{t("accessibility.intro", { municipality })}</p>
      <section aria-labelledby="a-status">
        <h2 id="a-status">{t("accessibility.statusTitle")}</h2>
        <p>{t("accessibility.status")}</p>
        <p>{t("accessibility.standard")}</p>
      </section>
      <section aria-labelledby="a-gaps">
        <h2 id="a-gaps">{t("accessibility.gapsTitle")}</h2>
        <ul>
          {GAPS.map((g) => (
            <li key={g}>
              <strong>{t(`accessibility.gaps.${g}.title`)}</strong> {t(`accessibility.gaps.${g}.why`)}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="a-audit">
        <h2 id="a-audit">{t("accessibility.auditTitle")}</h2>
        <p>{t("accessibility.audit")}</p>
      </section>
      <section aria-labelledby="a-contact">
        <h2 id="a-contact">{t("accessibility.contactTitle")}</h2>
        <p>{t("accessibility.otherWay")}</p>
        <Contact contact={contact} />
      </section>
      <section aria-labelledby="a-recourse">
        <h2 id="a-recourse">{t("accessibility.recourseTitle")}</h2>
        <p>{t("accessibility.recourseFrance")}</p>
        <p>{t("accessibility.recourseCanada")}</p>
      </section>
    </>
  );
}
