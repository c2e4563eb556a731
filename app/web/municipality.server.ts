/**
 * The municipality as letters, paper questionnaires and paper entry print it: its name, how to
 * reach it, where paper forms go, and its time zone — from its settings (/{lang}/staff/settings).
 */
import type { Bilingual } from "#db/schema";
import { bothNames } from "../domain/settings/settings.server";
import { municipality as settings } from "./settings.server";

export interface Municipality {
  name: string;
  /** The name as a sentence in each language says it ("la commune de Saint-Damien"). */
  inSentence: Bilingual<string>;
  /** Email or web address; null when not configured (the page prints a placeholder to fill in). */
  contact: string | null;
  /** Postal address of the town hall, where paper forms are brought; null until configured. */
  address: string | null;
  /** Telephone; null until configured. */
  phone: string | null;
  timeZone: string;
}

export async function municipality(): Promise<Municipality> {
  const m = await settings();
  return {
    name: bothNames(m.name),
    inSentence: m.inSentence,
    contact: m.contact.email || m.contact.web || null,
    address: m.contact.address || null,
    phone: m.contact.phone || null,
    timeZone: m.timeZone,
  };
}
