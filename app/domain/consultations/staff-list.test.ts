import { describe, expect, it } from "vitest";
import { filterStaffList, readStaffListFilter } from "./staff-list";

const item = (slug: string, status: "draft" | "open" | "closed" | "archived", fr: string, en: string) => ({
  slug,
  status,
  texts: { fr: { title: fr }, en: { title: en } },
});
const LIST = [
  item("lampadaires", "open", "Lampadaires intelligents", "Smart streetlights"),
  item("wifi-2025", "closed", "Wi-Fi à la bibliothèque", "Library Wi-Fi"),
  item("wifi-2026", "draft", "Wi-Fi à la bibliothèque", "Library Wi-Fi"),
  item("economie", "archived", "Économie d’énergie", "Saving energy"),
];
const slugs = (params: string) => filterStaffList(LIST, readStaffListFilter(new URLSearchParams(params))).map((c) => c.slug);

describe("the staff list's search and filter", () => {
  it("finds words in either language's title or the address, whatever the case and accents", () => {
    expect(slugs("q=LAMPADAIRE")).toEqual(["lampadaires"]);
    expect(slugs("q=streetlights")).toEqual(["lampadaires"]);
    expect(slugs("q=econom")).toEqual(["economie"]);
    expect(slugs("q=wifi+2026")).toEqual(["wifi-2026"]);
    expect(slugs("q=bibliotheque")).toEqual(["wifi-2025", "wifi-2026"]);
  });

  it("filters by status, alone or with words", () => {
    expect(slugs("status=draft")).toEqual(["wifi-2026"]);
    expect(slugs("status=closed&q=wi-fi")).toEqual(["wifi-2025"]);
    expect(slugs("status=open&q=wi-fi")).toEqual([]);
  });

  it("ignores what it cannot read", () => {
    expect(slugs("status=deleted")).toHaveLength(4);
    expect(slugs("q=%00%20%20")).toHaveLength(4);
    expect(readStaffListFilter(new URLSearchParams("status=nope&q=" + "x".repeat(500)))).toEqual({ q: "x".repeat(200), status: "" });
  });
});
