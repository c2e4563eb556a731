import { describe, expect, it } from "vitest";
import { formatDay, formatInputNumber } from "./format";

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
