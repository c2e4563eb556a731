/**
 * The municipality as letters, paper questionnaires and paper entry print it: its name, how to
 * reach it, where paper forms go, and its time zone. Read here and nowhere else in those pages,
 * so that it can follow the municipality's own settings when they are stored in the database.
 */
import { municipalitySettings, openDataSettings } from "./env.server";

export interface Municipality {
  name: string;
  /** Email or web address; null when not configured (the page prints a placeholder to fill in). */
  contact: string | null;
  /** Postal address of the town hall, where paper forms are brought; null until configured. */
  address: string | null;
  /** Telephone; null until configured. */
  phone: string | null;
  timeZone: string;
}

export function municipality(): Municipality {
  const { name, contact } = municipalitySettings();
  return { name, contact, address: null, phone: null, timeZone: openDataSettings().timeZone };
}
