/**
 * Email end to end at the domain level: messages written to the outbox with what causes them,
 * sent through a real SMTP server in this process (nodemailer → smtp-server), read back with a
 * MIME parser. A server that is down or refuses delays messages; each still arrives once.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consultations, notificationAddresses, outbox, passwordResets, responses, sessions } from "#db/schema";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { form, makeConsultation, makeOfficial, validDemoAnswer } from "../../../tests/helpers/fixtures";
import { startSmtp, type TestSmtp } from "../../../tests/helpers/smtp";
import { saveOutcome } from "../consultations/outcome.server";
import { getConsultationBySlug } from "../consultations/queries.server";
import type { ConsultationView } from "../consultations/types";
import { askToBeTold, confirmAddress, forgetAddress, notificationCounts, purgeUnconfirmed, type NotifyMail } from "../notify/notify.server";
import { publishResults } from "../opendata/publication.server";
import { submitResponse } from "../responses/submit.server";
import { parseAnswers } from "../responses/validate.server";
import { DEMO_MUNICIPALITY, defaultMunicipality, type Municipality } from "../settings/settings.server";
import { findReset, invite, requestReset, resetPassword, type TokenMail } from "../staff/accounts.server";
import { compose } from "./messages";
import { backoffMs, deliverDue, enqueue, MAX_ATTEMPTS, outboxOverview } from "./outbox.server";

let database: TestDatabase;
let smtp: TestSmtp;
let actor: string;
const m: Municipality = { ...defaultMunicipality({ municipality: "X", contact: null, licence: "CC-BY-4.0", timeZone: "Europe/Paris" }), ...DEMO_MUNICIPALITY };
const ORIGIN = "https://consult.example.org";

beforeAll(async () => {
  database = await createTestDatabase();
  smtp = await startSmtp();
  actor = await makeOfficial(database.db, "admin@example.org");
});
afterAll(async () => {
  await smtp.stop();
  await database.dispose();
});

const db = () => database.db;
const inviteMail = (lang: "fr" | "en"): TokenMail => ({
  domain: "consult.example.org",
  compose: (token, email) =>
    compose({
      kind: "staff.invite",
      to: email,
      lang,
      municipality: m,
      link: `${ORIGIN}/${lang}/staff/invitations/${token}`,
      params: { days: 7, role: "official" },
    }),
});
const resetMail = (lang: "fr" | "en"): TokenMail => ({
  domain: "consult.example.org",
  compose: (token, email) =>
    compose({ kind: "staff.reset", to: email, lang, municipality: m, link: `${ORIGIN}/${lang}/staff/reset/${token}`, params: { minutes: 60 } }),
});
const notifyMail = (c: ConsultationView): NotifyMail => ({
  domain: "consult.example.org",
  timeZone: "UTC",
  confirm: ({ email, lang, token }) =>
    compose({
      kind: "notify.confirm",
      to: email,
      lang,
      municipality: m,
      link: `${ORIGIN}/${lang}/notify/confirm/${token}`,
      unsubscribe: `${ORIGIN}/${lang}/notify/stop/${token}`,
      params: { title: c.texts[lang].title, days: 7 },
    }),
  notice: ({ email, lang, token, slug, what }) =>
    compose({
      kind: what === "outcome" ? "notify.outcome" : "notify.results",
      to: email,
      lang,
      municipality: m,
      link: `${ORIGIN}/${lang}/consultations/${slug}${what === "outcome" ? "" : "/results"}`,
      unsubscribe: `${ORIGIN}/${lang}/notify/stop/${token}`,
      params: { title: c.texts[lang].title },
    }),
});
const linkIn = (text: string, path: RegExp) => {
  const found = text.match(new RegExp(`${ORIGIN.replace(/\./g, "\\.")}${path.source}`));
  if (!found) throw new Error(`no link ${path} in:\n${text}`);
  return found[0];
};
const tokenOf = (link: string) => link.split("/").pop()!;
const arrivedFor = (to: string) => smtp.received.filter((r) => r.to === to);

describe("staff email", () => {
  it("sends an invitation in the language chosen, with its single-use link, once", async () => {
    for (const lang of ["fr", "en"] as const) {
      const to = `new-${lang}@example.org`;
      const invited = await invite(db(), actor, { email: to, role: "official" }, new Date(), inviteMail(lang));
      if (!invited.ok) throw new Error(invited.reason);
      const { token } = invited;
      await deliverDue(db(), smtp.send);
      const [mail, ...more] = arrivedFor(to);
      expect(more).toEqual([]);
      expect(mail.lang).toBe(lang);
      expect(mail.subject).toBe(lang === "fr" ? "Invitation à Quorum – Commune de Quorum" : "Your invitation to Quorum – Municipality of Quorum");
      expect(linkIn(mail.text, new RegExp(`/${lang}/staff/invitations/\\S+`))).toBe(`${ORIGIN}/${lang}/staff/invitations/${token}`);
      expect(mail.html).toContain(`href="${ORIGIN}/${lang}/staff/invitations/${token}"`);
      // Signed with the municipality's contact.
      expect(mail.text).toContain("mairie@quorum.example");
      expect(mail.messageId).toMatch(/@consult\.example\.org>$/);
    }
    // Once sent, the outbox keeps no working link.
    const kept = JSON.stringify(await db().select().from(outbox).where(eq(outbox.kind, "staff.invite")));
    expect(kept).not.toMatch(/staff\/invitations\/\w/);
  });

  it("sends a reset link valid once for an hour, that ends every session; an unknown address gets nothing", async () => {
    for (const lang of ["fr", "en"] as const) {
      const email = `reset-${lang}@example.org`;
      const userId = await makeOfficial(db(), email);
      await db()
        .insert(sessions)
        .values({ id: `s-${lang}`, userId, expiresAt: new Date(Date.now() + 3600_000) });
      await requestReset(db(), email, resetMail(lang));
      await deliverDue(db(), smtp.send);
      const [mail] = arrivedFor(email);
      expect(mail.lang).toBe(lang);
      expect(mail.subject).toContain(lang === "fr" ? "Nouveau mot de passe" : "New Quorum password");
      const token = tokenOf(linkIn(mail.text, new RegExp(`/${lang}/staff/reset/\\S+`)));
      expect(await findReset(db(), token)).toEqual({ email });
      // Stored hashed only.
      const stored = await db().select({ tokenHash: passwordResets.tokenHash }).from(passwordResets).where(eq(passwordResets.email, email));
      expect(stored.map((r) => r.tokenHash)).not.toContain(token);
      expect((await resetPassword(db(), token, "a brand new password")).ok).toBe(true);
      expect(await db().select().from(sessions).where(eq(sessions.userId, userId))).toEqual([]);
      expect(await resetPassword(db(), token, "another new password")).toEqual({ ok: false, reason: "invalid" });
    }
    const before = smtp.received.length;
    const rowsBefore = (await db().select().from(outbox)).length;
    await requestReset(db(), "nobody@example.org", resetMail("fr"));
    await deliverDue(db(), smtp.send);
    expect(smtp.received.length).toBe(before);
    expect((await db().select().from(outbox)).length).toBe(rowsBefore);
  });

  it("refuses a reset link after its hour", async () => {
    const email = "late@example.org";
    await makeOfficial(db(), email);
    const asked = new Date(Date.now() - 61 * 60_000);
    await requestReset(db(), email, resetMail("en"), asked);
    await deliverDue(db(), smtp.send);
    const token = tokenOf(linkIn(arrivedFor(email)[0].text, /\/en\/staff\/reset\/\S+/));
    expect(await findReset(db(), token)).toBeNull();
    expect(await resetPassword(db(), token, "a brand new password")).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("the outbox", () => {
  it("keeps every message while the mail server is down or refuses, and delivers each exactly once after", async () => {
    const emails = Array.from({ length: 6 }, (_, i) => `queued-${i}@example.org`);
    await smtp.stop();
    for (const [i, email] of emails.entries()) await invite(db(), actor, { email, role: "moderator" }, new Date(), inviteMail(i % 2 ? "en" : "fr"));
    let clock = Date.now() + 1000;
    const now = () => new Date(clock);
    const down = await deliverDue(db(), smtp.send, now);
    expect(down).toEqual({ sent: 0, retrying: 6, failed: 0, withheld: 0 });
    // Not due again before its backoff: nothing is tried.
    expect(await deliverDue(db(), smtp.send, now)).toEqual({ sent: 0, retrying: 0, failed: 0, withheld: 0 });
    await smtp.start();
    smtp.refusing = true;
    clock += backoffMs(1) + 1000;
    expect(await deliverDue(db(), smtp.send, now)).toEqual({ sent: 0, retrying: 6, failed: 0, withheld: 0 });
    smtp.refusing = false;
    clock += backoffMs(2) + 1000;
    expect(await deliverDue(db(), smtp.send, now)).toEqual({ sent: 6, retrying: 0, failed: 0, withheld: 0 });
    expect(await deliverDue(db(), smtp.send, now)).toEqual({ sent: 0, retrying: 0, failed: 0, withheld: 0 });
    for (const email of emails) expect(arrivedFor(email)).toHaveLength(1);
    const ids = smtp.received.map((r) => r.messageId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("marks a message failed after its tries, shows it to administrators, never a resident's address", async () => {
    smtp.refusing = true;
    await invite(db(), actor, { email: "refused@example.org", role: "official" }, new Date(), inviteMail("fr"));
    let clock = Date.now() + 1000;
    const now = () => new Date(clock);
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await deliverDue(db(), smtp.send, now);
      clock += backoffMs(i + 1) + 1000;
    }
    smtp.refusing = false;
    const { counts, rows } = await outboxOverview(db());
    expect(counts.failed).toBe(1);
    const failed = rows.find((r) => r.status === "failed")!;
    expect(failed.recipient).toBe("refused@example.org");
    expect(failed.lastError).toMatch(/451|busy/i);
    expect(arrivedFor("refused@example.org")).toEqual([]);
  });
});

describe("a resident's message", () => {
  it("keeps the day it was sent in the municipality's time zone, as that date", async () => {
    const zone = "America/Toronto";
    // 5 December at 17:00 and at 20:30 in Toronto: 22:00 UTC the same day, 01:30 UTC the next.
    for (const [i, [at, day]] of [
      ["2026-12-05T22:00:00Z", "2026-12-05"],
      ["2026-12-06T01:30:00Z", "2026-12-05"],
    ].entries()) {
      const to = `day-${i}@example.org`;
      await enqueue(db(), { kind: "notify.confirm", to, lang: "fr", subject: "Confirmez", text: "t", html: "<p>t</p>" }, "consult.example.org", zone);
      await db()
        .update(outbox)
        .set({ nextAttemptAt: new Date(0) })
        .where(eq(outbox.recipient, to));
      await deliverDue(db(), smtp.send, () => new Date(at), 100, zone);
      const { rows } = await outboxOverview(db());
      const sent = rows.find((r) => r.kind === "notify.confirm" && r.subject === "Confirmez" && r.status === "sent" && r.sentAt?.toISOString().startsWith(day));
      expect(sent, at).toBeDefined();
      expect(sent!.sentAt!.toISOString(), at).toBe(`${day}T00:00:00.000Z`);
      expect(arrivedFor(to)).toHaveLength(1);
      await db().delete(outbox).where(eq(outbox.subject, "Confirmez"));
    }
  });
});

describe("residents told of the outcome", () => {
  const answer = async (c: ConsultationView) => {
    const parsed = parseAnswers(c.questions, form(validDemoAnswer));
    if (!parsed.ok) throw new Error("fixture");
    const done = await submitResponse(db(), { consultation: c, submissionId: crypto.randomUUID(), locale: "fr", channel: "web", answers: parsed.answers });
    if (!done.ok) throw new Error("fixture");
    return done;
  };

  it("confirm by email, then one notice in each resident's language when the results are published; the address is gone", async () => {
    const c = await makeConsultation(db(), { status: "open" });
    for (const lang of ["fr", "en"] as const) {
      await answer(c);
      await askToBeTold(db(), c, { email: `resident-${lang}@example.org`, lang }, notifyMail(c));
    }
    await deliverDue(db(), smtp.send);
    for (const lang of ["fr", "en"] as const) {
      const [mail] = arrivedFor(`resident-${lang}@example.org`);
      expect(mail.lang).toBe(lang);
      // The title as typed, with French spacing in a French subject (no-break spaces count as spaces here).
      const spaces = (text: string) => text.replace(/\s+/g, " ");
      expect(spaces(mail.subject)).toContain(spaces(c.texts[lang].title));
      // One-click unsubscribe (RFC 8058).
      expect(mail.lines["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
      expect(mail.lines["list-unsubscribe"]).toMatch(new RegExp(`^<${ORIGIN}/${lang}/notify/stop/\\S+>$`));
      const token = tokenOf(linkIn(mail.text, new RegExp(`/${lang}/notify/confirm/\\S+`)));
      expect(await confirmAddress(db(), token, notifyMail(c))).toEqual({ ok: true, slug: c.slug, toldNow: false });
    }
    expect(await notificationCounts(db(), c.id)).toEqual({ confirmed: 2, unconfirmed: 0 });
    expect(await publishResults(db(), actor, c, true, notifyMail(c))).toEqual({ ok: true });
    await deliverDue(db(), smtp.send);
    for (const lang of ["fr", "en"] as const) {
      const mails = arrivedFor(`resident-${lang}@example.org`);
      expect(mails).toHaveLength(2);
      expect(linkIn(mails[1].text, new RegExp(`/${lang}/consultations/\\S+`))).toBe(`${ORIGIN}/${lang}/consultations/${c.slug}/results`);
    }
    expect(await db().select().from(notificationAddresses).where(eq(notificationAddresses.consultationId, c.id))).toEqual([]);
    // Sent residents' messages keep neither the address nor the links.
    const kept = await db()
      .select()
      .from(outbox)
      .where(sql`${outbox.kind} like 'notify.%'`);
    for (const row of kept) expect([row.recipient, row.textBody, row.htmlBody]).toEqual([null, "", ""]);
  });

  it("sends one address at most 3 confirmation emails a day, whoever asks and for whichever consultation", async () => {
    const first = await makeConsultation(db(), { status: "open" });
    const second = await makeConsultation(db(), { status: "open" });
    const target = "someone-else@example.org";
    // Six requests, as from six clients: the same address typed on two consultations.
    for (let i = 0; i < 6; i++) await askToBeTold(db(), i % 2 ? second : first, { email: target, lang: "fr" }, notifyMail(first));
    await deliverDue(db(), smtp.send, undefined, 100);
    expect(arrivedFor(target)).toHaveLength(3);
    // The next day, one more may go.
    const tomorrow = new Date(Date.now() + 25 * 3600_000);
    await askToBeTold(db(), first, { email: target, lang: "fr" }, notifyMail(first), tomorrow);
    await deliverDue(db(), smtp.send, () => tomorrow, 100);
    expect(arrivedFor(target)).toHaveLength(4);
  });

  it("tells at once an address confirmed after the decision is out; an unsubscribed or expired address is deleted", async () => {
    const c = await makeConsultation(db(), { status: "closed" });
    await askToBeTold(db(), c, { email: "late-resident@example.org", lang: "en" }, notifyMail(c));
    await askToBeTold(db(), c, { email: "stop@example.org", lang: "fr" }, notifyMail(c));
    await askToBeTold(db(), c, { email: "never@example.org", lang: "fr" }, notifyMail(c), new Date(Date.now() - 8 * 24 * 3600_000));
    await deliverDue(db(), smtp.send);
    const outcome = { intent: "publish" as const, version: c.version, fr: { heard: "Entendu", decided: "Décidé" }, en: { heard: "Heard", decided: "Decided" } };
    expect(await saveOutcome(db(), actor, c, outcome, notifyMail(c))).toEqual({ ok: true });
    const late = tokenOf(linkIn(arrivedFor("late-resident@example.org")[0].text, /\/en\/notify\/confirm\/\S+/));
    expect(await confirmAddress(db(), late, notifyMail((await getConsultationBySlug(db(), c.slug))!))).toEqual({ ok: true, slug: c.slug, toldNow: true });
    await deliverDue(db(), smtp.send);
    const notice = arrivedFor("late-resident@example.org")[1];
    expect(notice.subject).toBe(`The decision is published – ${c.texts.en.title}`);
    expect(linkIn(notice.text, /\/en\/consultations\/\S+/)).toBe(`${ORIGIN}/en/consultations/${c.slug}`);
    // The link in a used confirmation says the address is gone.
    expect(await confirmAddress(db(), late, notifyMail(c))).toEqual({ ok: false, reason: "gone" });
    const stop = tokenOf(linkIn(arrivedFor("stop@example.org")[0].text, /\/fr\/notify\/stop\/\S+/));
    expect(await forgetAddress(db(), stop)).toBe(true);
    expect(await forgetAddress(db(), stop)).toBe(false);
    expect(await purgeUnconfirmed(db())).toBeGreaterThanOrEqual(1);
    expect(await db().select().from(notificationAddresses).where(eq(notificationAddresses.consultationId, c.id))).toEqual([]);
  });

  it("deletes the addresses of a consultation archived with nothing published", async () => {
    const c = await makeConsultation(db(), { status: "closed" });
    await askToBeTold(db(), c, { email: "archived@example.org", lang: "fr" }, notifyMail(c));
    await deliverDue(db(), smtp.send);
    const token = tokenOf(linkIn(arrivedFor("archived@example.org")[0].text, /\/fr\/notify\/confirm\/\S+/));
    expect((await confirmAddress(db(), token, notifyMail(c))).ok).toBe(true);
    await purgeUnconfirmed(db());
    expect(await notificationCounts(db(), c.id)).toEqual({ confirmed: 1, unconfirmed: 0 });
    await db().update(consultations).set({ status: "archived" }).where(eq(consultations.id, c.id));
    await purgeUnconfirmed(db());
    expect(await notificationCounts(db(), c.id)).toEqual({ confirmed: 0, unconfirmed: 0 });
  });

  it("keeps nothing that links an address to an answer", async () => {
    const c = await makeConsultation(db(), { status: "open" });
    const receipt = await answer(c);
    await askToBeTold(db(), c, { email: "private@example.org", lang: "fr" }, notifyMail(c));
    const [response] = await db().select().from(responses).where(eq(responses.receiptCode, receipt.receiptCode));
    // The table's columns: no submission, receipt or response; no time finer than a day.
    const columns = await db().execute(
      sql`select column_name, data_type from information_schema.columns where table_name = 'notification_addresses' order by column_name`,
    );
    const list =
      (columns as unknown as { rows?: { column_name: string; data_type: string }[] }).rows ??
      (columns as unknown as { column_name: string; data_type: string }[]);
    expect(list.map((r) => `${r.column_name}:${r.data_type}`)).toEqual([
      "asked_on:date",
      // The commune the address was given to (decision 072), not an answer.
      "commune_id:integer",
      "confirmed_on:date",
      "consultation_id:uuid",
      "email:text",
      "id:uuid",
      "lang:text",
      "token_hash:text",
    ]);
    const keys = await db().execute(
      sql`select ccu.table_name from information_schema.table_constraints tc join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name where tc.table_name = 'notification_addresses' and tc.constraint_type = 'FOREIGN KEY'`,
    );
    const targets = ((keys as unknown as { rows?: { table_name: string }[] }).rows ?? (keys as unknown as { table_name: string }[])).map((r) => r.table_name);
    expect(targets).toEqual(["consultations"]);
    // No value of the answer appears anywhere with the address, nor with the resident's message.
    const [address] = await db().select().from(notificationAddresses).where(eq(notificationAddresses.email, "private@example.org"));
    const residentMessages = await db().select().from(outbox).where(eq(outbox.recipient, "private@example.org"));
    const stored = JSON.stringify([address, residentMessages]);
    for (const secret of [response.id, response.submissionId, response.receiptCode]) expect(stored).not.toContain(secret);
    expect(address.id).not.toBe(response.id);
    // The resident's message keeps only the day it was made.
    for (const row of residentMessages) {
      expect(row.createdAt.toISOString()).toMatch(/T00:00:00\.000Z$/);
      expect(row.nextAttemptAt.toISOString()).toMatch(/T00:00:00\.000Z$/);
    }
  });
});
