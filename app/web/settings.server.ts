/**
 * The municipality's settings as pages read them: from the database, kept for a couple of
 * seconds (every page needs them), the last copy served while the database cannot be reached.
 */
import { contentChanged, contentVersion } from "../domain/consultations/cache.server";
import { isDatabaseUnavailable } from "#db/client";
import { defaultMunicipality, readSettings, type Municipality, type SettingsDefaults, type SettingsRow } from "../domain/settings/settings.server";
import { communeKey, currentCommune, manyCommunes } from "../platform/commune.server";
import { COMMUNE_FRESH_MS } from "../platform/content-version.server";
import { getDb } from "../platform/db.server";
import { loadEnv } from "../platform/env.server";
import { publicOrigin } from "../platform/commune.server";

/** With one commune; with many, COMMUNE_FRESH_MS under an unchanged content version (decision 065). */
const FRESH_MS = 2_000;
/** Per commune (one entry with one commune); `version` is the content version a read started under. */
const held = new Map<string, { cached?: { row: SettingsRow; at: number; version: string }; reading?: { version: string; done: Promise<SettingsRow> } }>();

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
  const version = contentVersion();
  if (h.cached && h.cached.version === version && now - h.cached.at < (manyCommunes() ? COMMUNE_FRESH_MS : FRESH_MS)) return h.cached.row;
  if (!h.reading || h.reading.version !== version) {
    const reading = {
      version,
      done: getDb()
        .then((db) => readSettings(db, settingsDefaults()))
        .finally(() => {
          if (h.reading === reading) h.reading = undefined;
        }),
    };
    h.reading = reading;
  }
  const started = h.reading;
  try {
    const row = await started.done;
    h.cached = { row, at: now, version: started.version };
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

/** Settings were saved in this process: read them again, and render resident pages again (every process's, once this resolves). */
export function settingsChanged(): Promise<void> {
  heldHere().cached = undefined;
  return contentChanged();
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
