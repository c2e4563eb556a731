/**
 * The municipality's settings as pages read them: from the database, kept for a couple of
 * seconds (every page needs them), the last copy served while the database cannot be reached.
 */
import { contentChanged } from "../domain/consultations/cache.server";
import { isDatabaseUnavailable } from "#db/client";
import { defaultMunicipality, readSettings, type Municipality, type SettingsDefaults, type SettingsRow } from "../domain/settings/settings.server";
import { communeKey, currentCommune } from "../platform/commune.server";
import { getDb } from "../platform/db.server";
import { loadEnv } from "../platform/env.server";
import { publicOrigin } from "../platform/commune.server";

const FRESH_MS = 2_000;
/** Per commune (one entry with one commune). */
const held = new Map<string, { cached?: { row: SettingsRow; at: number }; reading?: Promise<SettingsRow> }>();

function heldHere() {
  const key = communeKey();
  let h = held.get(key);
  if (!h) held.set(key, (h = {}));
  return h;
}

/** What the settings are before an administrator saves any: the deployment's environment. */
export function settingsDefaults(): SettingsDefaults {
  const env = loadEnv();
  return {
    municipality: currentCommune()?.names ?? env.QUORUM_MUNICIPALITY,
    contact: env.QUORUM_CONTACT || null,
    licence: env.QUORUM_OPEN_DATA_LICENCE,
    timeZone: env.QUORUM_TIMEZONE,
  };
}

export async function currentSettings(now = Date.now()): Promise<SettingsRow> {
  const h = heldHere();
  if (h.cached && now - h.cached.at < FRESH_MS) return h.cached.row;
  if (!h.reading)
    h.reading = getDb()
      .then((db) => readSettings(db, settingsDefaults()))
      .finally(() => (h.reading = undefined));
  try {
    const row = await h.reading;
    h.cached = { row, at: now };
    return row;
  } catch (error) {
    if (h.cached) return h.cached.row;
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
  heldHere().cached = undefined;
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
  return { origin: publicOrigin(), municipality: m.name, licence: m.licence, contact: m.contact.email || null };
}

/** The municipality's time zone: every date shown or read is a date there. */
export async function municipalTimeZone(): Promise<string> {
  return (await municipality()).timeZone;
}
