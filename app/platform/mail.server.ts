/**
 * Email in the app: whether it is configured, the SMTP transport (nodemailer), and the worker
 * that sends the outbox — every few seconds, and at once after a request queued a message.
 */
import nodemailer from "nodemailer";
import { forEachCommune, publicOrigin } from "./commune.server";
import { getDb } from "./db.server";
import type { ConsultationView } from "../domain/consultations/types";
import { compose } from "../domain/mail/messages";
import { deliverDue, purgeOutbox, type Send } from "../domain/mail/outbox.server";
import { purgeUnconfirmed, UNCONFIRMED_DAYS, type NotifyMail } from "../domain/notify/notify.server";
import { INVITATION_DAYS, RESET_MINUTES, type TokenMail } from "../domain/staff/accounts.server";
import { tFor, type Lang } from "../i18n/i18n";
import { municipality } from "../web/settings.server";
import { loadEnv } from "./env.server";
import { errorFields, log } from "./log.server";
import { urls } from "~/urls";

export function mailConfigured(): boolean {
  return !!loadEnv().QUORUM_SMTP_URL;
}

/** The domain Message-IDs are made in: the public origin's host. */
export function mailDomain(): string {
  return new URL(publicOrigin()).hostname;
}

let sender: Send | undefined;
function smtpSend(): Send {
  if (!sender) {
    const env = loadEnv();
    // Bounded waits: a batch of messages ends well within the time the worker holds it (outbox.server.ts).
    const transport = nodemailer.createTransport(env.QUORUM_SMTP_URL!, { from: env.QUORUM_MAIL_FROM });
    Object.assign((transport.transporter as unknown as { options: object }).options, {
      connectionTimeout: 20_000,
      greetingTimeout: 20_000,
      socketTimeout: 60_000,
    });
    sender = async (mail) => {
      await transport.sendMail({
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: mail.headers,
        messageId: mail.messageId,
      });
    };
  }
  return sender;
}

const TICK_MS = 5_000;
let timer: NodeJS.Timeout | undefined;
let running: Promise<void> | undefined;
let again = false;

/** One commune's outbox: what is due sent; once an hour, what is done purged. */
async function deliver(purging: boolean): Promise<void> {
  const db = await getDb();
  const report = await deliverDue(db, smtpSend(), undefined, undefined, (await municipality()).timeZone);
  if (report.sent || report.retrying || report.failed || report.withheld) log.info({ ...report }, "mail: outbox delivered");
  if (purging) {
    await purgeOutbox(db);
    const purged = await purgeUnconfirmed(db);
    if (purged) log.info({ purged }, "notify: unconfirmed addresses deleted");
  }
}
let lastPurge = 0;

async function tick(): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    do {
      again = false;
      const purging = Date.now() - lastPurge > 3600_000;
      if (purging) lastPurge = Date.now();
      await forEachCommune(
        () => deliver(purging),
        (error) => log.error(errorFields(error), "mail: outbox run failed"),
      );
    } while (again);
  })().finally(() => (running = undefined));
  return running;
}

/** Starts the worker when email is configured. */
export function startMailWorker(): void {
  if (!mailConfigured() || timer) return;
  timer = setInterval(() => void tick(), TICK_MS);
  timer.unref();
  void tick();
}

export async function stopMailWorker(): Promise<void> {
  if (timer) clearInterval(timer);
  timer = undefined;
  await running;
}

/** A request queued a message: send it now rather than at the next tick. */
export function mailQueued(): void {
  if (timer) void tick();
}

// ---- The messages, with their links (always at the configured public origin) -----------

/** An invitation email, in the language the administrator chose for the person invited. */
export async function invitationMail(lang: Lang, role: string): Promise<TokenMail | undefined> {
  if (!mailConfigured()) return undefined;
  const m = await municipality();
  const origin = publicOrigin();
  return {
    domain: mailDomain(),
    compose: (token, email) =>
      compose({
        kind: "staff.invite",
        to: email,
        lang,
        municipality: m,
        link: `${origin}${urls.staff.invitation(lang, token)}`,
        params: { days: INVITATION_DAYS, role: tFor(lang)(`staff.roles.${role}`) as string },
      }),
  };
}

/** A password reset email, in the language of the page it was asked from. */
export async function resetMail(lang: Lang): Promise<TokenMail | undefined> {
  if (!mailConfigured()) return undefined;
  const m = await municipality();
  const origin = publicOrigin();
  return {
    domain: mailDomain(),
    compose: (token, email) =>
      compose({ kind: "staff.reset", to: email, lang, municipality: m, link: `${origin}${urls.staff.reset(lang, token)}`, params: { minutes: RESET_MINUTES } }),
  };
}

/** Residents' confirmation and notice emails for a consultation, each in the resident's language. */
export async function notifyMail(c: Pick<ConsultationView, "texts">): Promise<NotifyMail | undefined> {
  if (!mailConfigured()) return undefined;
  const m = await municipality();
  const origin = publicOrigin();
  const stop = (lang: Lang, token: string) => `${origin}${urls.notifyStop(lang, token)}`;
  return {
    domain: mailDomain(),
    timeZone: m.timeZone,
    confirm: ({ email, lang, token }) =>
      compose({
        kind: "notify.confirm",
        to: email,
        lang,
        municipality: m,
        link: `${origin}${urls.notifyConfirm(lang, token)}`,
        unsubscribe: stop(lang, token),
        params: { title: c.texts[lang].title, days: UNCONFIRMED_DAYS },
      }),
    notice: ({ email, lang, token, slug, what }) =>
      compose({
        kind: what === "outcome" ? "notify.outcome" : "notify.results",
        to: email,
        lang,
        municipality: m,
        link: `${origin}${what === "outcome" ? urls.consultation(lang, slug) : urls.results(lang, slug)}`,
        unsubscribe: stop(lang, token),
        params: { title: c.texts[lang].title },
      }),
  };
}
