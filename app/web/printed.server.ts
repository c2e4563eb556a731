/**
 * What every printed sheet for residents says about where and how to answer, in both
 * languages: the municipality and how to reach it (placeholders where not configured), the
 * public and short addresses built from the configured origin, a QR code drawn on the server as
 * SVG, the closing date in the municipality's time zone. Used by the letters and the blank
 * paper questionnaire.
 */
import QRCode from "qrcode";
import { shortCodeFor } from "../domain/consultations/short.server";
import type { ConsultationView } from "../domain/consultations/types";
import { formatDateTime } from "../i18n/format";
import { tFor, type Lang } from "../i18n/i18n";
import { municipalityWords } from "../domain/settings/in-sentence";
import { municipality } from "./municipality.server";
import { smsInvite } from "./sms.server";
import { urls } from "~/urls";
import { publicOrigin } from "../platform/commune.server";

export interface PrintedSide {
  lang: Lang;
  title: string;
  /** The consultation's public address, in full. */
  url: string;
  /** The short address as printed (no scheme), and in full for the QR code. */
  shortText: string;
  shortUrl: string;
  qrSvg: string;
  /** "27 novembre 2026 à 23:00", or null without a closing date. */
  closes: string | null;
  /** Where paper forms go: the town hall's address, or a placeholder. */
  returnPlace: string;
  /** How to answer by SMS ("Répondez par SMS : envoyez AIR au …"), or null. */
  sms: string | null;
}

export interface Printed {
  municipality: string;
  /** The municipality's logo, printed beside its name; null without one. */
  logo: { src: string; width: number; height: number } | null;
  /** Lines of the sender block (the postal address keeps its lines); placeholders where a setting is missing. */
  contactLines: string[];
  /** Which settings are missing (the staff page warns before printing). */
  missing: ("address" | "phone" | "contact")[];
  sides: Record<Lang, PrintedSide>;
}

export async function printedFor(c: ConsultationView): Promise<Printed> {
  const m = await municipality();
  const origin = publicOrigin();
  const short = shortCodeFor(c.id);
  const missing: Printed["missing"] = [];
  if (!m.address) missing.push("address");
  if (!m.phone) missing.push("phone");
  if (!m.contact) missing.push("contact");
  const both = (key: string) => `${tFor("fr")(key)} / ${tFor("en")(key)}`;
  const contactLines = [
    ...(m.addressLines.length ? m.addressLines : [both("printed.noAddress")]),
    [m.phone ?? both("printed.noPhone"), m.contact ?? both("printed.noContact")].join(" · "),
  ];
  const side = async (lang: Lang): Promise<PrintedSide> => {
    const t = tFor(lang);
    const shortUrl = `${origin}${urls.short(lang, short)}`;
    return {
      lang,
      title: c.texts[lang].title,
      url: `${origin}${urls.consultation(lang, c.slug)}`,
      shortText: shortUrl.replace(/^https?:\/\//, ""),
      shortUrl,
      qrSvg: await QRCode.toString(shortUrl, { type: "svg", margin: 1, errorCorrectionLevel: "M" }),
      closes: c.closesAt ? formatDateTime(c.closesAt, lang, m.timeZone) : null,
      sms: smsInvite(c, lang),
      // One language per paragraph: the name as this side's sentence says it.
      returnPlace: m.address
        ? t("printed.townHallAt", { ...municipalityWords(lang, m.inSentence[lang]), address: m.address })
        : t("printed.townHallUnset", municipalityWords(lang, m.inSentence[lang])),
    };
  };
  return { municipality: m.name, logo: m.logo, contactLines, missing, sides: { fr: await side("fr"), en: await side("en") } };
}
