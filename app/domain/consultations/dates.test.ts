import { describe, expect, it } from "vitest";
import { readDay, readLocalDateTime, utcToZonedInput } from "./dates";

const instant = (local: string, zone: string) => {
  const read = readLocalDateTime(local, zone);
  return read.ok ? read.date.toISOString() : read.reason;
};

describe("dates typed in the municipality's time zone", () => {
  it("round-trip through UTC, across daylight saving time", () => {
    expect(instant("2027-01-15T18:00", "Europe/Paris")).toBe("2027-01-15T17:00:00.000Z");
    expect(instant("2027-07-15T18:00", "Europe/Paris")).toBe("2027-07-15T16:00:00.000Z");
    expect(instant("2027-07-15T18:00", "America/Toronto")).toBe("2027-07-15T22:00:00.000Z");
    // In the hour that does not exist when clocks go forward, the later reading.
    expect(instant("2027-03-28T02:30", "Europe/Paris")).toBe("2027-03-28T01:30:00.000Z");
    expect(utcToZonedInput(new Date("2027-07-15T16:00:00Z"), "Europe/Paris")).toBe("2027-07-15T18:00");
  });

  it("are read strictly: a day or time that does not exist is refused, never rolled over", () => {
    const read = (s: string) => readLocalDateTime(s, "Europe/Paris");
    expect(read("2027-01-15T18:00")).toEqual({ ok: true, date: new Date("2027-01-15T17:00:00Z") });
    expect(read("2028-02-29T08:30:15")).toEqual({ ok: true, date: new Date("2028-02-29T07:30:00Z") });
    for (const bad of [
      "2024-13-01T10:00",
      "2025-02-29T10:00",
      "2024-04-31T10:00",
      "2024-00-10T10:00",
      "2024-01-00T10:00",
      "9999-99-99T99:99",
      "2024-01-01T24:00",
      "2024-01-01T10:60",
      "2024-01-01",
      "2024-1-1T1:00",
      "+10000-01-01T00:00",
      "10000-01-01T00:00",
      "2024-01-01T10:00Z",
      " ",
      "€",
    ])
      expect(read(bad), bad).toEqual({ ok: false, reason: "format" });
  });

  it("are refused before 1900 or after 9999, even where the zone pushes the instant past it", () => {
    expect(readLocalDateTime("0001-01-01T00:00", "Europe/Paris")).toEqual({ ok: false, reason: "range" });
    expect(readLocalDateTime("1899-12-31T12:00", "Europe/Paris")).toEqual({ ok: false, reason: "range" });
    expect(readLocalDateTime("9999-12-31T23:59", "America/Toronto")).toEqual({ ok: false, reason: "range" });
    expect(readLocalDateTime("9999-12-31T12:00", "Europe/Paris").ok).toBe(true);
  });

  it("read a day as the instants bounding it, the last day there is included", () => {
    expect(readDay("2024-05-31", "Europe/Paris")).toEqual({ ok: true, start: new Date("2024-05-30T22:00:00Z"), end: new Date("2024-05-31T22:00:00Z") });
    expect(readDay("2024-12-31", "UTC")).toEqual({ ok: true, start: new Date("2024-12-31T00:00:00Z"), end: new Date("2025-01-01T00:00:00Z") });
    expect(readDay("9999-12-31", "America/Toronto")).toEqual({ ok: true, start: new Date("9999-12-31T05:00:00Z"), end: null });
    expect(readDay("2024-99-99", "Europe/Paris")).toEqual({ ok: false, reason: "format" });
    expect(readDay("2024-13-01", "Europe/Paris")).toEqual({ ok: false, reason: "format" });
    expect(readDay("0200-01-01", "Europe/Paris")).toEqual({ ok: false, reason: "range" });
  });
});
