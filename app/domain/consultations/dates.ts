/**
 * Dates staff type, in the municipality's time zone: read strictly (a day that does not
 * exist, such as 2024-13-01 or 2025-02-29, is refused, never rolled over into another),
 * within years PostgreSQL and every browser agree on. Pure; the forms and filters use it.
 */

export const EARLIEST_YEAR = 1900;
export const LATEST_YEAR = 9999;

/** Why a typed date is not read: not in the expected form, or outside the years Quorum takes. */
export type DateRefusal = "format" | "range";

export type DateReading = { ok: true; date: Date } | { ok: false; reason: DateRefusal };

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, m: number) => [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];

function isDay(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m);
}

const inRange = (date: Date) => {
  const y = date.getUTCFullYear();
  return !Number.isNaN(date.getTime()) && y >= EARLIEST_YEAR && y <= LATEST_YEAR;
};

/** The wall-clock fields of an instant in `timeZone`. */
function zonedParts(instant: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return { year: get("year").padStart(4, "0"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute") };
}

/** The instant a wall-clock time names in `timeZone` (the later one in a daylight-saving gap). */
function wallClockToUtc(y: number, m: number, d: number, hh: number, mm: number, timeZone: string): Date {
  const asUtc = Date.UTC(y, m - 1, d, hh, mm);
  const offsetAt = (instant: number) => {
    const p = zonedParts(new Date(instant), timeZone);
    return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute) - instant;
  };
  let guess = asUtc - offsetAt(asUtc);
  guess = asUtc - offsetAt(guess);
  return new Date(guess);
}

/** The `datetime-local` value of an instant in `timeZone`. */
export function utcToZonedInput(date: Date | null, timeZone: string): string {
  if (!date) return "";
  const p = zonedParts(date, timeZone);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** A `datetime-local` value ("2027-01-15T18:00", seconds allowed) as an instant, or why not. */
export function readLocalDateTime(text: string, timeZone: string): DateReading {
  const match = LOCAL.exec(text);
  if (!match) return { ok: false, reason: "format" };
  const [y, m, d, hh, mm, ss = 0] = match.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  if (!isDay(y, m, d) || hh > 23 || mm > 59 || ss > 59) return { ok: false, reason: "format" };
  if (y < EARLIEST_YEAR || y > LATEST_YEAR) return { ok: false, reason: "range" };
  const date = wallClockToUtc(y, m, d, hh, mm, timeZone);
  return inRange(date) ? { ok: true, date } : { ok: false, reason: "range" };
}

/**
 * A day ("2024-05-31") as the instants that bound it in `timeZone`: its first moment and
 * the first moment of the next day (null past the last year there is).
 */
export function readDay(text: string, timeZone: string): { ok: true; start: Date; end: Date | null } | { ok: false; reason: DateRefusal } {
  const match = DAY.exec(text);
  if (!match) return { ok: false, reason: "format" };
  const [y, m, d] = match.slice(1).map(Number);
  if (!isDay(y, m, d)) return { ok: false, reason: "format" };
  if (y < EARLIEST_YEAR || y > LATEST_YEAR) return { ok: false, reason: "range" };
  const start = wallClockToUtc(y, m, d, 0, 0, timeZone);
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  const end = wallClockToUtc(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, timeZone);
  return { ok: true, start, end: inRange(end) ? end : null };
}

/** The day (YYYY-MM-DD) an instant falls on in `timeZone`. */
export function localDay(instant: Date, timeZone: string): string {
  const p = zonedParts(instant, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** Whether `text` is a day that exists, written YYYY-MM-DD, within the years accepted. */
export function isDayText(text: string): boolean {
  const m = DAY.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return y >= EARLIEST_YEAR && y <= LATEST_YEAR && isDay(y, mo, d);
}
