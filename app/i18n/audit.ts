/**
 * An audit entry as a sentence in the page's language: "official@example.org closed the
 * consultation “Lampadaires intelligents”". One template per action under `auditLog.` in
 * locales; the consultation is named by its title in that language (from the entry itself once
 * it is deleted), roles in words.
 */
import type { TFunction } from "i18next";
import { isKnownAction } from "~/domain/audit/actions";
import type { Lang } from "./i18n";

export interface AuditRow {
  actorEmail: string | null;
  action: string;
  targetType: string;
  targetId: string;
  details: unknown;
  titles: { fr: { title: string }; en: { title: string } } | null;
}

type Details = Record<string, unknown>;

const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : "");

export function auditSentence(t: TFunction, lang: Lang, row: AuditRow): string {
  const d: Details = row.details && typeof row.details === "object" ? (row.details as Details) : {};
  const kept = d.title && typeof d.title === "object" ? (d.title as Record<string, unknown>) : null;
  const title = row.titles?.[lang].title || str(kept?.[lang]) || row.targetId;
  const role = (code: unknown) => (str(code) ? t(`staff.roles.${str(code)}`) : "");
  const params = {
    actor: row.actorEmail ?? t("auditLog.someone"),
    title,
    target: row.targetId,
    code: str(d.code),
    count: Number(d.count ?? d.answers ?? 0),
    from: str(d.from),
    role: role(d.role),
    fromRole: role(d.from),
    toRole: role(d.to),
    action: row.action,
  };
  return isKnownAction(row.action) ? t(`auditLog.${row.action}`, params) : t("auditLog.other", params);
}
