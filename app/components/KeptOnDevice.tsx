import type { TFunction } from "i18next";
import type { ReactNode } from "react";
import { tFor, type Lang } from "~/i18n/i18n";
import { urls } from "~/urls";
import { KEPT_RECEIPT, KEPT_TEMPLATE_ID } from "~/components/kept";

/** "Your answer is saved on this device", with its receipt code; the same words whoever keeps the answer. */
export function KeptOnDevice({ t, lang, children }: { t: TFunction; lang: Lang; children?: ReactNode }) {
  return (
    <>
      <h1 tabIndex={-1}>{t("offline.savedTitle")}</h1>
      <p className="lede">{t("offline.savedBody")}</p>
      <div className="receipt">
        <p>{t("offline.savedReceipt")}</p>
        <p className="receipt-code">
          <strong>{KEPT_RECEIPT}</strong>
        </p>
      </div>
      <p>{t("offline.savedKeep")}</p>
      {children}
      <p>
        <a href={urls.home(lang)}>{t("offline.home")}</a>
      </p>
    </>
  );
}

/**
 * On a page whose form takes answers: what the page script shows when it keeps an answer itself,
 * before the service worker controls the page (decision 046). Inert until then.
 */
export function KeptOnDeviceTemplate({ lang }: { lang: Lang }) {
  const t = tFor(lang);
  return (
    <template id={KEPT_TEMPLATE_ID} data-title={t("offline.savedTitle")}>
      <KeptOnDevice t={t} lang={lang} />
    </template>
  );
}
