import { describe, expect, it } from "vitest";
import { HOSTILE_NEXT } from "../../tests/helpers/hostile-next";
import { NEXT_BASE_ORIGIN, safeNext } from "./next";

const ORIGIN = NEXT_BASE_ORIGIN;

describe("safeNext", () => {
  it.each(HOSTILE_NEXT.map((v) => [JSON.stringify(v).slice(0, 80), v]))("sends %s to the staff home", (_, value) => {
    expect(safeNext("en", value, ORIGIN)).toBe("/en/staff");
  });

  it("holds at least 25 hostile variants", () => {
    expect(HOSTILE_NEXT.length).toBeGreaterThanOrEqual(25);
  });

  it("ignores what is not a string", () => {
    for (const value of [null, undefined, 42, ["/en/staff/users"], { toString: () => "/en/staff/users" }])
      expect(safeNext("en", value, ORIGIN)).toBe("/en/staff");
  });

  it.each([
    ["/en/staff", "/en/staff"],
    ["/en/staff/", "/en/staff/"],
    ["/en/staff/users", "/en/staff/users"],
    ["/en/staff/consultations/demo/summary?by=area", "/en/staff/consultations/demo/summary?by=area"],
    ["/en/staff/consultations/demo#questions", "/en/staff/consultations/demo"],
    ["/en/staff/consultations/./demo", "/en/staff/consultations/demo"],
    ["/en/staff/consultations/x/../demo", "/en/staff/consultations/demo"],
    ["/en/staff/audit?actor=a%0D%0Ab", "/en/staff/audit?actor=a%0D%0Ab"],
    ["/en/staff/audit?actor=é", "/en/staff/audit?actor=%C3%A9"],
    ["/en/staff/login-help", "/en/staff/login-help"],
  ])("keeps a path inside the staff area: %s", (value, expected) => {
    expect(safeNext("en", value, ORIGIN)).toBe(expected);
  });

  it("keeps the language it is asked for", () => {
    expect(safeNext("fr", "/fr/staff/users", ORIGIN)).toBe("/fr/staff/users");
    expect(safeNext("fr", "/en/staff/users", ORIGIN)).toBe("/fr/staff");
  });

  it("resolves against the origin it is given, and answers only ASCII", () => {
    const origin = "https://consultation.example.org";
    expect(safeNext("en", "/en/staff/users", origin)).toBe("/en/staff/users");
    expect(safeNext("en", "https://consultation.example.org/en/staff/users", origin)).toBe("/en/staff");
    expect(safeNext("en", "/en/staff/ünïcode?q=日本", origin)).toMatch(/^[\x21-\x7E]+$/);
    expect(safeNext("en", "/en/staff", "not an origin")).toBe("/en/staff");
  });
});
