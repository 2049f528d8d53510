// The formats a raw event export is written in, and what each file looks like. Every format
// has the events table's columns under their own names, in one order (EXPORT_COLUMNS), except
// the site id (an export is of one site): Parquet with the stored types (ts a UTC TIMESTAMP,
// props a MAP), CSV and NDJSON with ts as ISO 8601 UTC text, props as a JSON object (as text in
// CSV), and the 64-bit visitor and session ids and the exact revenue amount ("29.990") as
// decimal strings in NDJSON (JSON numbers lose digits past 2^53, and cents through floats). CSV cells that a spreadsheet would run as a formula (= + - @ tab CR) get a
// leading apostrophe, as do cells that begin with one, so `footfall import events` can undo
// it exactly.
import { EVENT_COLUMNS } from './event-columns.js';

export const EXPORT_FORMATS = ['parquet', 'csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  parquet: 'application/vnd.apache.parquet',
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson',
};

/** Column names in export order: every events column but the site id. */
export const EXPORT_COLUMNS: readonly string[] = EVENT_COLUMNS.map((c) => c.name).filter(
  (n) => n !== 'site_id',
);

/** Text columns (formula-escaped in CSV). */
export const TEXT_COLUMNS: ReadonlySet<string> = new Set(
  EVENT_COLUMNS.filter((c) => c.kind === 'text').map((c) => c.name),
);

/** Characters that make a CSV cell a formula, and the apostrophe that escapes them. */
export const CSV_ESCAPED_START = /^['=+\-@\t\r]/;

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** The format a file name implies, if any (.parquet, .csv, .ndjson / .jsonl). */
export function formatOfFile(file: string): ExportFormat | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith('.parquet')) return 'parquet';
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  return undefined;
}

/** A site's events over a range, in one format. */
export interface EventExportRequest {
  siteKey: number;
  fromMs: number;
  toMs: number;
  format: ExportFormat;
}
