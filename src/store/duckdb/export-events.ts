// A site's events written to a file by DuckDB's own COPY (Parquet, CSV or newline-delimited
// JSON): no row passes through JavaScript. See store/export-format.ts for what each format holds.
// Rows come in no particular order (mostly time order); ts sorts them.
import {
  type EventExportRequest,
  EXPORT_COLUMNS,
  type ExportFormat,
  TEXT_COLUMNS,
} from '../export-format.js';

const ISO_TS = "strftime(ts, '%Y-%m-%dT%H:%M:%S.%gZ')";

function column(name: string, format: ExportFormat): string {
  if (format === 'parquet') return name;
  if (name === 'ts') return `${ISO_TS} AS ts`;
  if (name === 'props') return format === 'csv' ? 'to_json(props)::VARCHAR AS props' : 'props::JSON AS props';
  if (format === 'ndjson' && (name === 'visitor_id' || name === 'session_id' || name === 'revenue_amount'))
    return `${name}::VARCHAR AS ${name}`;
  if (format === 'csv' && TEXT_COLUMNS.has(name)) {
    return `CASE WHEN left(${name}, 1) IN ('''', '=', '+', '-', '@', chr(9), chr(13)) THEN '''' || ${name} ELSE ${name} END AS ${name}`;
  }
  return name;
}

const OPTIONS: Readonly<Record<ExportFormat, string>> = {
  // Snappy: what pyarrow and Spark write by default, read by every Parquet reader. zstd made the
  // file ~20 % smaller and the export ~12 % slower (10 M events: 11.3 s against ~10; BENCHMARKS.md,
  // "Where a Parquet export's time goes").
  parquet: 'FORMAT parquet, COMPRESSION snappy',
  csv: 'FORMAT csv, HEADER',
  ndjson: 'FORMAT json',
};

/**
 * The COPY, as a script after a SET: without insertion order DuckDB writes each thread's rows
 * as they come instead of holding them back to keep the stored order — measured on 1 M events:
 * peak RSS 634 → 396 MB and a little less CPU. Every value in it is Footfall's own (the site's
 * number, instants it computed, a file name it made), not user input; they are written into the
 * script because a prepared statement holds one statement only. Answers with COPY's count.
 */
export function exportSql(req: EventExportRequest, file: string): string {
  if (!Number.isInteger(req.siteKey)) throw new Error('site key must be an integer');
  const select = EXPORT_COLUMNS.map((c) => column(c, req.format)).join(', ');
  const at = (ms: number) => `TIMESTAMP '${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')}'`;
  return (
    'SET preserve_insertion_order = false; ' +
    `COPY (SELECT ${select} FROM events WHERE site_id = ${req.siteKey} AND ts >= ${at(req.fromMs)} AND ts < ${at(req.toMs)}) ` +
    `TO '${file.replaceAll("'", "''")}' (${OPTIONS[req.format]})`
  );
}
