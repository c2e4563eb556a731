import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvStream } from "./raw.server";
import { csvName, decimal, dialectOf } from "./spreadsheet";

async function* rows() {
  yield { code: "K7M3-9QXF", value: 2.5, text: "Oui; et non, peut-être =1+1" };
}
const columns = [{ key: "code" }, { key: "value" }, { key: "text" }] as never;

describe("CSV for French-locale spreadsheets", () => {
  it("is asked for with ?format=fr, anything else is the standard form", () => {
    expect(dialectOf(new URLSearchParams("format=fr"))).toBe("fr");
    expect(dialectOf(new URLSearchParams("format=xx"))).toBe("standard");
    expect(csvName("x-summary", "fr")).toBe("x-summary-fr.csv");
    expect(decimal(0.25, "fr")).toBe("0,25");
    expect(decimal(0.25, "standard")).toBe(0.25);
  });

  it("raw answers: semicolons, a decimal comma, quoted semicolons, formula-safe", async () => {
    let text = "";
    for await (const chunk of csvStream(columns, rows(), "fr")) text += chunk.toString();
    const [header, row] = parse(text, { delimiter: ";", bom: true }) as string[][];
    expect(header).toEqual(["code", "value", "text"]);
    expect(row).toEqual(["K7M3-9QXF", "2,5", "Oui; et non, peut-être =1+1"]);
    let standard = "";
    for await (const chunk of csvStream(columns, rows())) standard += chunk.toString();
    expect((parse(standard, { bom: true }) as string[][])[1]).toEqual(["K7M3-9QXF", "2.5", "Oui; et non, peut-être =1+1"]);
  });
});
