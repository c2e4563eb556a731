/**
 * The version of what residents see, per commune (decision 065). Pages, consultations and
 * settings kept in this process are kept under it; when it moves they are read and rendered again.
 *
 * Two parts: a counter of this process, moved at once after a change committed here, and, with
 * many communes, the commune's number in the registry (`quorum_registry.content_versions`),
 * moved by the same change in the database and read by every process with the registry (every
 * 2 s). So a change made through any process behind the proxy reaches every process's pages
 * within the registry's refresh, without a query per commune.
 */
import { bumpContentVersion } from "#db/communes";
import { currentCommune, registeredContentVersion } from "./commune.server";
import { getDb } from "./db.server";
import { errorFields, log } from "./log.server";

/** This process's changes, by commune key ("" with one commune). */
const local = new Map<string, number>();

/** The current commune's content version: equal strings, same content. */
export function contentVersion(): string {
  const commune = currentCommune();
  const here = local.get(commune?.key ?? "") ?? 0;
  return commune ? `${registeredContentVersion(commune.id)}.${here}` : String(here);
}

/**
 * A change of what the current commune's residents see has committed: this process renders
 * again at once; with many communes, the registry's number moves for the other processes.
 * Never rejects: when the database cannot take the number, the other processes see the change
 * when their kept copies expire (COMMUNE_FRESH_MS), and the failure is logged.
 */
export async function contentChangedHere(): Promise<void> {
  const commune = currentCommune();
  const key = commune?.key ?? "";
  local.set(key, (local.get(key) ?? 0) + 1);
  if (!commune) return;
  try {
    await bumpContentVersion(await getDb(), commune.id);
  } catch (error) {
    log.error({ ...errorFields(error), commune: commune.id }, "content version: not moved in the registry");
  }
}

/**
 * How long a page, consultation or settings kept under an unchanged version may serve with many
 * communes (with one, 2 s as before, decision 009). Other processes' changes move the registry's
 * number, and a page that changes at a known moment with no write (a consultation opening or
 * closing) is kept no later than that moment (KEPT_UNTIL_HEADER); this bound is left for a change
 * whose number could not be written. Each kept page is rendered again once in this time: 500
 * communes of four pages, about 4 renders a second in the background.
 */
export const COMMUNE_FRESH_MS = 10 * 60_000;
