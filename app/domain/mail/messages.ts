/**
 * The words of every email, in the recipient's language: plain text, and a simple HTML part
 * with the same paragraphs and one link, under the municipality's logo when it has one (an
 * image at the site's address: mail programs that hold back remote images show its name).
 * Signed with the municipality's name and contact.
 */
import type { Lang } from "#db/schema";
import { tFor } from "~/i18n/i18n";
import { frenchSpacing } from "~/i18n/typography";
import { municipalityWords } from "../settings/in-sentence";
import { logoPath, type Municipality } from "../settings/settings.server";
import type { Message, MessageKind } from "./outbox.server";

const KEYS: Record<MessageKind, string> = {
  "staff.invite": "invite",
  "staff.reset": "reset",
  "notify.confirm": "confirm",
  "notify.outcome": "outcome",
  "notify.results": "results",
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export interface Compose {
  kind: MessageKind;
  to: string;
  lang: Lang;
  municipality: Municipality;
  /** The one link the message is about. */
  link: string;
  /** Values for the message's words (`{{title}}`, `{{days}}`…). */
  params?: Record<string, string | number>;
  /** A one-click unsubscribe address (RFC 8058), for residents' messages. */
  unsubscribe?: string;
}

export function compose(c: Compose): Message {
  const t = tFor(c.lang);
  const key = `mail.${KEYS[c.kind]}`;
  const params = { ...c.params, municipality: c.municipality.name[c.lang], ...municipalityWords(c.lang, c.municipality.inSentence[c.lang]) };
  const paragraphs = (t(`${key}.body`, params) as string).split("\n\n");
  const action = t(`${key}.action`, params) as string;
  const contact = [c.municipality.contact.email, c.municipality.contact.phone, c.municipality.contact.web].filter(Boolean).join(" · ");
  const signature = [c.municipality.name[c.lang], contact].filter(Boolean);
  const after: string[] = c.unsubscribe ? [t("mail.unsubscribe", params) as string] : [];
  // "Confirmer mon adresse :" before a link on its own line: the colon is added here, so is its space.
  const introduces = (words: string) => (c.lang === "fr" ? frenchSpacing(`${words}:`) : `${words}:`);
  const text = [
    ...paragraphs,
    `${introduces(action)}\n${c.link}`,
    ...(c.unsubscribe ? [`${introduces(after[0])}\n${c.unsubscribe}`] : []),
    `-- \n${signature.join("\n")}`,
  ].join("\n\n");
  const logo = c.municipality.logo;
  const html = [
    `<!DOCTYPE html><html lang="${c.lang}"><body>`,
    ...(logo
      ? [
          `<p><img src="${escapeHtml(new URL(logoPath(logo), c.link).href)}" width="${Math.round((logo.width * 48) / logo.height)}" height="48" alt="${escapeHtml(c.municipality.name[c.lang])}"></p>`,
        ]
      : []),
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${escapeHtml(c.link)}">${escapeHtml(action)}</a></p>`,
    ...(c.unsubscribe ? [`<p><a href="${escapeHtml(c.unsubscribe)}">${escapeHtml(after[0])}</a></p>`] : []),
    `<p>${signature.map(escapeHtml).join("<br>")}</p>`,
    `</body></html>`,
  ].join("\n");
  const headers: Record<string, string> = { "Content-Language": c.lang };
  if (c.unsubscribe) {
    headers["List-Unsubscribe"] = `<${c.unsubscribe}>`;
    headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
  }
  return { kind: c.kind, to: c.to, lang: c.lang, subject: t(`${key}.subject`, params) as string, text, html, headers };
}
