/**
 * The municipality as letters, paper questionnaires and paper entry print it: its name, how to
 * reach it, where paper forms go, and its time zone — from its settings (/{lang}/staff/settings).
 */
import type { Bilingual } from "#db/schema";
import { bothNames, logoPath } from "../domain/settings/settings.server";
import { municipality as settings } from "./settings.server";

export interface Municipality {
  name: string;
  /** The name as a sentence in each language says it ("la commune de Saint-Damien"). */
  inSentence: Bilingual<string>;
  /** Email or web address; null when not configured (the page prints a placeholder to fill in). */
  contact: string | null;
  /** Postal address of the town hall, where paper forms are brought; null until configured. */
  address: string | null;
  /** The same address line by line, as it was typed in the settings (a letter keeps its lines). */
  addressLines: string[];
  /** Telephone; null until configured. */
  phone: string | null;
  timeZone: string;
  /** The logo set in the settings, at the height it is drawn with on paper; null without one. */
  logo: { src: string; width: number; height: number } | null;
}

export async function municipality(): Promise<Municipality> {
  const m = await settings();
  const addressLines = m.contact.address
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  return {
    name: bothNames(m.name),
    inSentence: m.inSentence,
    contact: m.contact.email || m.contact.web || null,
    address: addressLines.length ? addressLines.join(", ") : null,
    addressLines,
    phone: m.contact.phone || null,
    timeZone: m.timeZone,
    logo: m.logo ? { src: logoPath(m.logo), width: m.logo.width, height: m.logo.height } : null,
  };
}
