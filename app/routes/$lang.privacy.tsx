import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { requireLang } from "~/http.server";
import { useT } from "~/i18n/hooks";
import { tFor } from "~/i18n/i18n";

/** What Quorum keeps about residents, why, how long, and who to ask. */
export function loader({ params }: LoaderFunctionArgs) {
  return { lang: requireLang(params) };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${tFor(data?.lang ?? "fr")("privacy.title")} – Quorum` }];

const SECTIONS = ["what", "notKept", "why", "howLong", "who", "device", "rights"] as const;

export default function Privacy() {
  const t = useT();
  return (
    <>
      <h1>{t("privacy.title")}</h1>
      <p className="lede">{t("privacy.intro")}</p>
      {SECTIONS.map((s) => (
        <section key={s} aria-labelledby={`p-${s}`}>
          <h2 id={`p-${s}`}>{t(`privacy.${s}.title`)}</h2>
          <p>{t(`privacy.${s}.body`)}</p>
        </section>
      ))}
    </>
  );
}
