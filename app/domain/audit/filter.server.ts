/**
 * The audit log's filters, read from the query string: an action, an actor's email, and
 * days from/to in the municipality's time zone. A filter that cannot be read is left out
 * of the query and named, so the page says why — never an error page.
 */
import { EARLIEST_YEAR, LATEST_YEAR, readDay } from "../consultations/dates";
import type { AuditFilter } from "./audit.server";

export interface AuditFilterMessage {
  key: "dateFormat" | "yearRange";
  params?: Record<string, number>;
}

export interface ReadAuditFilter {
  /** What the page shows back in the filter form, as typed. */
  shown: { action: string; actor: string; consultation: string; from: string; to: string };
  query: AuditFilter;
  errors: Partial<Record<"from" | "to", AuditFilterMessage>>;
}

const clean = (params: URLSearchParams, name: string, max: number) =>
  (params.get(name) ?? "")
    .replace(/\u0000/g, "")
    .trim()
    .slice(0, max);

export function readAuditFilter(params: URLSearchParams, timeZone: string, limit = 500): ReadAuditFilter {
  const shown = {
    action: clean(params, "action", 60),
    actor: clean(params, "actor", 254),
    consultation: clean(params, "consultation", 80),
    from: clean(params, "from", 20),
    to: clean(params, "to", 20),
  };
  const query: AuditFilter = { action: shown.action || undefined, actorEmail: shown.actor || undefined, consultation: shown.consultation || undefined, limit };
  const errors: ReadAuditFilter["errors"] = {};
  for (const bound of ["from", "to"] as const) {
    if (!shown[bound]) continue;
    const day = readDay(shown[bound], timeZone);
    if (!day.ok) errors[bound] = day.reason === "range" ? { key: "yearRange", params: { min: EARLIEST_YEAR, max: LATEST_YEAR } } : { key: "dateFormat" };
    else if (bound === "from") query.from = day.start;
    else query.to = day.end ?? undefined;
  }
  return { shown, query, errors };
}
