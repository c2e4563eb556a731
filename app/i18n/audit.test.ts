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
    expect(auditSentence(tFor("fr"), "fr", row("consultation.close"))).toBe(
      "official@example.org a clos la consultation «\u00a0Lampadaires intelligents\u00a0»",
    );
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

  it("names every action in words for the log's filter, in both languages", () => {
    for (const lang of ["fr", "en"] as const) {
      const labels = AUDIT_ACTIONS.map((action) => tFor(lang)(`staff.audit.actions.${action}`));
      for (const [i, label] of labels.entries()) expect(label, `${lang} ${AUDIT_ACTIONS[i]}`).not.toMatch(/^staff\.|^[a-z_]+\.[a-z_]+$/);
      expect(new Set(labels).size).toBe(labels.length);
    }
  });

  it("names a theme, a question and a hidden free text by what they say, never by a code or a number", () => {
    const theme = (action: string, details: Record<string, unknown>) =>
      row(action, {
        targetType: "theme",
        targetId: "5e0c2b4a-7d1f-4a8e-9c3b-2f6d8e1a4b7c",
        details,
        names: { theme: { fr: "Vie privée", en: "Privacy" }, into: null, question: null },
      });
    expect(auditSentence(tFor("fr"), "fr", theme("themes.tag", { answers: [70, 71] }))).toBe(
      "official@example.org a appliqué le thème «\u00a0Vie privée\u00a0» à 2 réponses de la consultation «\u00a0Lampadaires intelligents\u00a0»",
    );
    expect(auditSentence(tFor("en"), "en", theme("themes.retire", {}))).toBe(
      "official@example.org retired the theme “Privacy” of the consultation “Smart streetlights”",
    );
    // A theme gone since, named as the entry kept it.
    const kept = row("themes.create", { targetType: "theme", targetId: "x", titles: null, details: { code: "t4", labels: { fr: "Bruit", en: "Noise" } } });
    expect(auditSentence(tFor("fr"), "fr", kept)).not.toContain("t4");
    expect(auditSentence(tFor("fr"), "fr", kept)).toContain("«\u00a0Bruit\u00a0»");
    const hidden = row("moderation.hide", {
      targetType: "answer",
      targetId: "70",
      titles: lights,
      names: { theme: null, into: null, question: { fr: "Vos remarques", en: "Your remarks" } },
    });
    expect(auditSentence(tFor("fr"), "fr", hidden)).toBe(
      "official@example.org a masqué une réponse libre à la question «\u00a0Vos remarques\u00a0» de la consultation «\u00a0Lampadaires intelligents\u00a0»",
    );
    expect(auditSentence(tFor("en"), "en", { ...hidden, names: undefined, titles: null })).toBe("official@example.org hid a free-text answer, deleted since");
  });

  it("names a deleted consultation by the title kept in the entry, roles and counts in words", () => {
    const gone = row("consultation.delete", { titles: null, details: { title: { fr: "Brouillon", en: "Draft plan" } } });
    expect(auditSentence(tFor("en"), "en", gone)).toBe("official@example.org deleted the draft “Draft plan”");
    const role = row("staff.role", { targetType: "user", targetId: "m@example.org", titles: null, details: { from: "moderator", to: "official" } });
    expect(auditSentence(tFor("fr"), "fr", role)).toBe("official@example.org a changé le rôle de m@example.org\u00a0: modérateur·rice → élu·e ou agent");
    expect(auditSentence(tFor("en"), "en", row("codes.generate", { details: { count: 1 } }))).toBe(
      "official@example.org generated 1 participation code for the consultation “Smart streetlights”",
    );
  });

  it("reads an action it does not know, and an account since deleted, without failing", () => {
    expect(auditSentence(tFor("en"), "en", row("future.action", { actorEmail: null }))).toBe("Someone (account deleted): future.action (lampadaires)");
  });
});
