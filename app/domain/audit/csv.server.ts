/** The audit log as CSV: one row per entry, with its sentence; formula-safe cells, either dialect. */
import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { neutralise } from "../exports/raw.server";
import { delimiterOf, type CsvDialect } from "../exports/spreadsheet";

export const AUDIT_COLUMNS = ["at", "actor", "action", "sentence", "target_type", "target", "reason", "details"] as const;
export type AuditCsvRow = Record<(typeof AUDIT_COLUMNS)[number], string>;

export function auditCsv(rows: AuditCsvRow[], dialect: CsvDialect): Readable {
  return Readable.from(rows.map((r) => Object.fromEntries(AUDIT_COLUMNS.map((k) => [k, neutralise(r[k])])))).pipe(
    stringify({ header: true, columns: [...AUDIT_COLUMNS], bom: true, record_delimiter: "\r\n", delimiter: delimiterOf(dialect) }),
  );
}
