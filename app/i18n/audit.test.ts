import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS } from "~/domain/audit/actions";
import { auditSentence, type AuditRow } from "./audit";
import { tFor } from "./i18n";

const lights = { fr: { title: "Lampadaires intelligents" }, en: { title: "Smart streetlights" } };
const row = (action: string, over: Partial<AuditRow> = {}): AuditRow => ({
  actorEmail: "official@example.org",
  action,
  targetType: "consultation",
  targetId: "lampadaires",
  details: null,
  titles: lights,
  ...over,
});

describe("the audit log as sentences", () => {
  it("says who closed which consultation, by its title in the page's language", () => {
    expect(auditSentence(tFor("en"), "en", row("consultation.close"))).toBe("official@example.org closed the consultation “Smart streetlights”");
    expect(auditSentence(tFor("fr"), "fr", row("consultation.close"))).toBe("official@example.org a clos la consultation « Lampadaires intelligents »");
  });

  it("has one template per action in both languages, never the raw key", () => {
    for (const lang of ["fr", "en"] as const)
      for (const action of AUDIT_ACTIONS) {
        const sentence = auditSentence(
          tFor(lang),
          lang,
          row(action, { details: { code: "dim", count: 3, role: "official", from: "moderator", to: "official" } }),
        );
        expect(sentence, `${lang} ${action}`).not.toMatch(/auditLog|\{\{/);
        expect(sentence, `${lang} ${action}`).toMatch(/official@example.org|lampadaires/);
      }
  });

  it("names a deleted consultation by the title kept in the entry, roles and counts in words", () => {
    const gone = row("consultation.delete", { titles: null, details: { title: { fr: "Brouillon", en: "Draft plan" } } });
    expect(auditSentence(tFor("en"), "en", gone)).toBe("official@example.org deleted the draft “Draft plan”");
    const role = row("staff.role", { targetType: "user", targetId: "m@example.org", titles: null, details: { from: "moderator", to: "official" } });
    expect(auditSentence(tFor("fr"), "fr", role)).toBe("official@example.org a changé le rôle de m@example.org : modérateur·rice → élu·e ou agent");
    expect(auditSentence(tFor("en"), "en", row("codes.generate", { details: { count: 1 } }))).toBe(
      "official@example.org generated 1 participation code for the consultation “Smart streetlights”",
    );
  });

  it("reads an action it does not know, and an account since deleted, without failing", () => {
    expect(auditSentence(tFor("en"), "en", row("future.action", { actorEmail: null }))).toBe("Someone (account deleted): future.action (lampadaires)");
  });
});
