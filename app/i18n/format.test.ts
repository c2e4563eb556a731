import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatDay, formatInputNumber, formatNumber, formatPercent } from "./format";

describe("numbers in staff forms", () => {
  it("follow the page's language: a decimal comma in French, no trailing zeros", () => {
    expect(formatInputNumber("26.50", "fr")).toBe("26,5");
    expect(formatInputNumber("26.50", "en")).toBe("26.5");
    expect(formatInputNumber(10.5, "fr")).toBe("10,5");
    expect(formatInputNumber("100.00", "fr")).toBe("100");
    expect(formatInputNumber(12.25, "fr")).toBe("12,25");
    expect(formatInputNumber("", "fr")).toBe("");
  });
});

describe("a day kept without its time", () => {
  it("reads as that calendar date, whatever the instant it is stored as", () => {
    expect(formatDay("2026-12-05T00:00:00.000Z", "fr")).toBe("5 décembre 2026");
    expect(formatDay(new Date("2026-12-05T00:00:00.000Z"), "en")).toBe("5 December 2026");
    expect(formatDay("2026-12-05", "fr")).toBe("5 décembre 2026");
  });
});

describe("formatters kept between calls", () => {
  it("keep each language, time zone and precision apart, in any order of calls", () => {
    const instant = "2026-12-05T23:30:00.000Z";
    // Asked in turns, so a formatter kept for one call would show in the next if keys met.
    for (let i = 0; i < 2; i++) {
      expect(formatDateTime(instant, "fr", "Europe/Paris")).toBe("6 décembre 2026 à 00:30");
      expect(formatDateTime(instant, "fr", "UTC")).toBe("5 décembre 2026 à 23:30");
      expect(formatDateTime(instant, "en", "America/Cayenne")).toBe("5 December 2026 at 20:30");
      expect(formatDate(instant, "fr", "Europe/Paris")).toBe("6 décembre 2026");
      expect(formatDate(instant, "en", "UTC")).toBe("5 December 2026");
      expect(formatNumber(2.345, "fr", 2)).toBe("2,35");
      expect(formatNumber(2.345, "fr")).toBe("2,3");
      expect(formatInputNumber(1234.5, "en")).toBe("1234.5");
      expect(formatNumber(1234.5, "en")).toBe("1,234.5");
      expect(formatPercent(0.305, "en")).toBe("30.5%");
    }
  });

  it("refuses an unknown time zone every time, keeping nothing for it", () => {
    expect(() => formatDate("2026-12-05T12:00:00Z", "fr", "Mars/Olympus")).toThrow(RangeError);
    expect(() => formatDate("2026-12-05T12:00:00Z", "fr", "Mars/Olympus")).toThrow(RangeError);
  });
});
