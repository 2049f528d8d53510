// A site's events written to a file by DuckDB's own COPY (Parquet, CSV or newline-delimited
// JSON): no row passes through JavaScript. See store/export-format.ts for what each format holds.
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
  if (format === 'ndjson' && (name === 'visitor_id' || name === 'session_id'))
    return `${name}::VARCHAR AS ${name}`;
  if (format === 'csv' && TEXT_COLUMNS.has(name)) {
    return `CASE WHEN left(${name}, 1) IN ('''', '=', '+', '-', '@', chr(9), chr(13)) THEN '''' || ${name} ELSE ${name} END AS ${name}`;
  }
  return name;
}

const OPTIONS: Readonly<Record<ExportFormat, string>> = {
  parquet: 'FORMAT parquet, COMPRESSION zstd',
  csv: 'FORMAT csv, HEADER',
  ndjson: 'FORMAT json',
};

/** The COPY statement; the file name is Footfall's own (never user input), quoted here. */
export function exportSql(
  req: EventExportRequest,
  file: string,
): { sql: string; params: (number | string)[] } {
  const select = EXPORT_COLUMNS.map((c) => column(c, req.format)).join(', ');
  return {
    sql:
      `COPY (SELECT ${select} FROM events WHERE site_id = $1 AND ts >= $2::TIMESTAMP AND ts < $3::TIMESTAMP) ` +
      `TO '${file.replaceAll("'", "''")}' (${OPTIONS[req.format]})`,
    params: [req.siteKey, new Date(req.fromMs).toISOString(), new Date(req.toMs).toISOString()],
  };
}
