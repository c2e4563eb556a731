/**
 * Every action the audit log records, in the order the log's filter lists them. Each has one
 * sentence template per language under `auditLog.<action>` in locales (checked by a test); an
 * action written by newer code without a template reads with the generic `auditLog.other`.
 */
export const AUDIT_ACTIONS = [
  "consultation.create",
  "consultation.edit",
  "consultation.duplicate",
  "consultation.open",
  "consultation.close",
  "consultation.archive",
  "consultation.delete",
  "consultation.remove",
  "question.add",
  "question.edit",
  "question.remove",
  "codes.generate",
  "outcome.publish",
  "outcome.unpublish",
  "results.publish",
  "results.unpublish",
  "opendata.publish",
  "opendata.unpublish",
  "texts.publish",
  "texts.unpublish",
  "moderation.hide",
  "moderation.restore",
  "export.csv",
  "export.json",
  "export.summary",
  "staff.invite",
  "staff.join",
  "staff.role",
  "staff.deactivate",
  "staff.reactivate",
  "staff.password",
  "staff.reset_request",
  "staff.reset",
  "settings.save",
  "mail.retry",
  "themes.create",
  "themes.update",
  "themes.merge",
  "themes.retire",
  "themes.restore",
  "themes.tag",
  "themes.untag",
  "themes.reject",
  "themes.quote",
  "themes.unquote",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const isKnownAction = (action: string): action is AuditAction => (AUDIT_ACTIONS as readonly string[]).includes(action);
