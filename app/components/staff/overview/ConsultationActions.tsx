/** What a staff member may do with a consultation: edit, preview, print, enter paper forms… and read what came in. */
import { can } from "~/auth/permissions";
import type { Role } from "~/auth/permissions";
import type { ConsultationView } from "~/domain/consultations/types";
import { useT } from "~/i18n/hooks";
import type { Lang } from "~/i18n/i18n";
import { urls } from "~/urls";

export interface ConsultationActionsProps {
  lang: Lang;
  slug: string;
  role: Role;
  status: ConsultationView["status"];
  mode: ConsultationView["mode"];
  /** The demo consultation, which an administrator may remove even once open. */
  isDemo: boolean;
}

export function ConsultationActions({ lang, slug, role, status, mode, isDemo }: ConsultationActionsProps) {
  const t = useT();
  const edit = can(role, "consultations:edit");
  return (
    <>
      <ul className="actions">
        {edit ? (
          <>
            <li>
              <a href={urls.staff.edit(lang, slug)}>{t("staff.manage.editTexts")}</a>
            </li>
            <li>
              <a href={urls.staff.questions(lang, slug)}>{t("staff.manage.editQuestions")}</a>
            </li>
          </>
        ) : null}
        <li>
          <a href={urls.staff.preview(lang, slug, { as: "fr" })}>{t("staff.manage.previewFr")}</a>
        </li>
        <li>
          <a href={urls.staff.preview(lang, slug, { as: "en" })}>{t("staff.manage.previewEn")}</a>
        </li>
        {edit && mode === "code" ? (
          <li>
            <a href={urls.staff.codes(lang, slug)}>{t("staff.manage.codes")}</a>
          </li>
        ) : null}
        {edit ? (
          <li>
            <a href={urls.staff.questionnaire(lang, slug)}>{t("staff.manage.blankForm")}</a>
          </li>
        ) : null}
        {can(role, "answers:paper") && (status === "open" || status === "closed") ? (
          <li>
            <a href={urls.staff.paper(lang, slug)}>{t("staff.manage.paper")}</a>
          </li>
        ) : null}
        {edit ? (
          <li>
            <a href={urls.staff.sms(lang, slug)}>{t("staff.manage.sms")}</a>
          </li>
        ) : null}
        {edit ? (
          <li>
            <a href={urls.staff.outcome(lang, slug)}>{t("staff.manage.outcome")}</a>
          </li>
        ) : null}
        {status !== "draft" ? (
          <li>
            <a href={urls.consultation(lang, slug)}>{t("staff.manage.publicPage")}</a>
          </li>
        ) : null}
        {edit ? (
          <li>
            <a href={urls.staff.duplicate(lang, slug)}>{t("staff.manage.duplicate")}</a>
          </li>
        ) : null}
        {edit && status === "draft" ? (
          <li>
            <a href={urls.staff.delete(lang, slug)}>{t("staff.manage.delete")}</a>
          </li>
        ) : null}
        {isDemo && role === "admin" && status !== "draft" ? (
          <li>
            <a href={urls.staff.delete(lang, slug)}>{t("staff.manage.removeDemo")}</a>
          </li>
        ) : null}
      </ul>
      <h2>{t("staff.manage.feedback")}</h2>
      <ul className="actions">
        <li>
          <a href={urls.staff.summary(lang, slug)}>{t("staff.manage.summary")}</a>
        </li>
        {can(role, "answers:moderate") ? (
          <li>
            <a href={urls.staff.moderation(lang, slug)}>{t("staff.manage.moderation")}</a>
          </li>
        ) : null}
        {can(role, "themes:manage") ? (
          <li>
            <a href={urls.staff.themes(lang, slug)}>{t("staff.manage.themes")}</a>
          </li>
        ) : null}
        <li>
          <a href={urls.staff.exportCsv(lang, slug)}>{t("staff.manage.exportCsv")}</a> ·{" "}
          <a href={urls.staff.exportCsv(lang, slug, { format: "fr" })}>{t("staff.manage.exportCsvFr")}</a> ·{" "}
          <a href={urls.staff.exportJson(lang, slug)}>{t("staff.manage.exportJson")}</a>
        </li>
        {edit ? (
          <li>
            <a href={urls.staff.references(lang, slug)}>{t("staff.manage.references")}</a>
          </li>
        ) : null}
      </ul>
    </>
  );
}
