import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { requireLang } from "~/web/http.server";
import { useLang, useT } from "~/i18n/hooks";
import { tFor, type Lang } from "~/i18n/i18n";
import { urls } from "~/urls";

/** On the device that kept a refused answer, the service worker serves that answer here; elsewhere this explains. */
export function loader({ params }: LoaderFunctionArgs) {
  return { lang: requireLang(params) };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${tFor((data?.lang ?? "fr") as Lang)("offline.answerTitle")} – Quorum` }];

export default function AnswerElsewhere() {
  const t = useT();
  const lang = useLang();
  return (
    <>
      <h1>{t("offline.answerTitle")}</h1>
      <p>{t("offline.answerBody")}</p>
      <p>
        <a href={urls.home(lang)}>{t("offline.home")}</a>
      </p>
    </>
  );
}
