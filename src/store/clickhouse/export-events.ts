// A site's events written to a file by ClickHouse in the export's format (Parquet, CSVWithNames,
// JSONEachRow), streamed from the engine straight into the file. The columns and text forms
// match the DuckDB export (store/export-format.ts), so a file reads the same whichever engine
// wrote it.
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { ClickHouseClient } from '@clickhouse/client';
import { footfallError } from '../../errors.js';
import {
  type EventExportRequest,
  EXPORT_COLUMNS,
  type ExportFormat,
  TEXT_COLUMNS,
} from '../export-format.js';
import type { QueryGate } from '../query-gate.js';
import { engineError } from './engine-errors.js';

// toString of a DateTime64(3, 'UTC') is 'YYYY-MM-DD hh:mm:ss.sss'.
const ISO_TS = "concat(replaceOne(toString(ts), ' ', 'T'), 'Z')";

function column(name: string, format: ExportFormat): string {
  if (format === 'parquet') return name;
  if (name === 'ts') return `${ISO_TS} AS ts`;
  if (name === 'props' && format === 'csv') return 'toJSONString(props) AS props';
  // Three places always ("0.990", as DuckDB writes a DECIMAL(18,3)); toString drops trailing zeros.
  if (name === 'revenue_amount') return 'toDecimalString(revenue_amount, 3) AS revenue_amount';
  if (format === 'csv' && TEXT_COLUMNS.has(name)) {
    return `if(substring(${name}, 1, 1) IN ('''', '=', '+', '-', '@', '\\t', '\\r'), concat('''', ${name}), ${name}) AS ${name}`;
  }
  return name;
}

const FORMATS: Readonly<Record<ExportFormat, string>> = {
  parquet: 'Parquet',
  csv: 'CSVWithNames',
  ndjson: 'JSONEachRow',
};

export async function exportEventsFrom(
  client: ClickHouseClient,
  gate: QueryGate,
  req: EventExportRequest,
  file: string,
  timeoutMs: number,
): Promise<number> {
  const turn = await gate.enter(timeoutMs);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), turn.left);
  const where = 'site_id = {site:UInt32} AND ts >= {from:DateTime64(3)} AND ts < {to:DateTime64(3)}';
  const query_params = {
    site: req.siteKey,
    from: new Date(req.fromMs).toISOString().replace('T', ' ').replace('Z', ''),
    to: new Date(req.toMs).toISOString().replace('T', ' ').replace('Z', ''),
  };
  try {
    const select = EXPORT_COLUMNS.map((c) => column(c, req.format)).join(', ');
    const result = await client.exec({
      query: `SELECT ${select} FROM events WHERE ${where} FORMAT ${FORMATS[req.format]}`,
      query_params,
      abort_signal: abort.signal,
      clickhouse_settings: {
        max_execution_time: Math.max(1, Math.ceil(turn.left / 1000)),
        // As DuckDB writes them: a missing number is an empty cell, not \N.
        format_csv_null_representation: '',
        output_format_parquet_string_as_string: 1,
        // The same codec as DuckDB's export (its default is lz4).
        output_format_parquet_compression_method: 'snappy',
        // WHERE reads the stored ts, not the text column of the same name the SELECT makes.
        prefer_column_name_to_alias: 1,
      },
    });
    await pipeline(result.stream, createWriteStream(file, { mode: 0o600 }));
    const counted = await client.query({
      query: `SELECT count() AS n FROM events WHERE ${where}`,
      query_params,
      format: 'JSONEachRow',
    });
    const [row] = (await counted.json()) as { n: string }[];
    return Number(row?.n ?? 0);
  } catch (err) {
    if (abort.signal.aborted)
      throw footfallError('FOOTFALL_ERR_QUERY_TIMEOUT', `stopped after ${timeoutMs} ms`);
    throw engineError(err);
  } finally {
    clearTimeout(timer);
    turn.leave();
  }
}
