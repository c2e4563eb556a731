/**
 * The two CSV dialects staff downloads come in: the standard one (RFC 4180: comma, decimal
 * point), which programs and open-data tools read, and the French-locale one (semicolon,
 * decimal comma), which a spreadsheet set to French opens in columns with numbers as numbers.
 * Chosen by the official (`?format=fr`).
 */
export type CsvDialect = "standard" | "fr";

export const dialectOf = (params: URLSearchParams): CsvDialect => (params.get("format") === "fr" ? "fr" : "standard");

export const delimiterOf = (dialect: CsvDialect) => (dialect === "fr" ? ";" : ",");

/** A number as the dialect writes it: `0.25` or `0,25`. Anything else is left as it is. */
export function decimal<T>(value: T, dialect: CsvDialect): T | string {
  return dialect === "fr" && typeof value === "number" ? String(value).replace(".", ",") : value;
}

/** The file name of a download in the dialect: `x-summary.csv` or `x-summary-fr.csv`. */
export const csvName = (base: string, dialect: CsvDialect) => `${base}${dialect === "fr" ? "-fr" : ""}.csv`;
