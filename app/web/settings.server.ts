/**
 * The municipality's settings as pages read them: from the database, kept for a couple of
 * seconds (every page needs them), the last copy served while the database cannot be reached.
 */
import { contentChanged } from "../domain/consultations/cache.server";
import { isDatabaseUnavailable } from "#db/client";
import { defaultMunicipality, readSettings, type Municipality, type SettingsDefaults, type SettingsRow } from "../domain/settings/settings.server";
import { getDb } from "../platform/db.server";
import { loadEnv } from "../platform/env.server";

const FRESH_MS = 2_000;
let cached: { row: SettingsRow; at: number } | undefined;
let reading: Promise<SettingsRow> | undefined;

/** What the settings are before an administrator saves any: the deployment's environment. */
export function settingsDefaults(): SettingsDefaults {
  const env = loadEnv();
  return { municipality: env.QUORUM_MUNICIPALITY, contact: env.QUORUM_CONTACT || null, licence: env.QUORUM_OPEN_DATA_LICENCE, timeZone: env.QUORUM_TIMEZONE };
}

export async function currentSettings(now = Date.now()): Promise<SettingsRow> {
  if (cached && now - cached.at < FRESH_MS) return cached.row;
  if (!reading)
    reading = getDb()
      .then((db) => readSettings(db, settingsDefaults()))
      .finally(() => (reading = undefined));
  try {
    const row = await reading;
    cached = { row, at: now };
    return row;
  } catch (error) {
    if (cached) return cached.row;
    // Database unreachable and nothing read yet: pages still render, with the deployment's defaults.
    if (isDatabaseUnavailable(error)) return { municipality: defaultMunicipality(settingsDefaults()), version: 0, saved: false };
    throw error;
  }
}

export async function municipality(): Promise<Municipality> {
  return (await currentSettings()).municipality;
}

/** Settings were saved in this process: read them again, and render resident pages again. */
export function settingsChanged(): void {
  cached = undefined;
  contentChanged();
}

/** What open data is written with. */
export async function openDataSettings() {
  const m = await municipality();
  return { k: loadEnv().QUORUM_SMALL_COUNT_K, timeZone: m.timeZone, licence: m.licence };
}

/** Who publishes open data, and where. */
export async function publisherSettings() {
  const m = await municipality();
  return { origin: loadEnv().QUORUM_ORIGIN, municipality: m.name, licence: m.licence, contact: m.contact.email || null };
}

/** The municipality's time zone: every date shown or read is a date there. */
export async function municipalTimeZone(): Promise<string> {
  return (await municipality()).timeZone;
}
