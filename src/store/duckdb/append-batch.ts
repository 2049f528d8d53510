// An EventBatch (store/event-batch.ts) into the events table: its columns go through DuckDB's
// appender as data chunks of numbers — codes, times, ids — written into the chunk's own typed
// arrays (no native call per value; the appender's per-value calls cost ~20 µs a row), its
// dictionary as one bound list, and one statement turns codes back into strings while it
// builds the same `event_batch` table the journal's loader builds (load-events.ts), so both
// paths insert and fold visits with the same statements. (The dictionary as a table of its own,
// appended and read back through a cross join, measured the same decode and three statements
// more per batch; joins per column twice the time.)
import {
  DuckDBBooleanType,
  DuckDBDataChunk,
  DuckDBDoubleType,
  type DuckDBType,
  DuckDBUBigIntType,
  DuckDBUIntegerType,
  DuckDBUTinyIntType,
  listValue,
} from '@duckdb/node-api';
import { batchKind, type EventBatch } from '../event-batch.js';
import { EVENT_COLUMNS, type ValueKind } from '../event-columns.js';
import { insertEventBatchTable } from './load-events.js';
import type { Tx } from './serial-connection.js';

/** What each kind of value is held as in the batch's table of codes. */
const CODE_TYPES: Readonly<Record<ValueKind, { sql: string; type: DuckDBType }>> = {
  text: { sql: 'UINTEGER', type: DuckDBUIntegerType.instance },
  currency: { sql: 'UINTEGER', type: DuckDBUIntegerType.instance },
  decimal: { sql: 'UINTEGER', type: DuckDBUIntegerType.instance },
  props: { sql: 'UINTEGER', type: DuckDBUIntegerType.instance },
  u8: { sql: 'UTINYINT', type: DuckDBUTinyIntType.instance },
  u32: { sql: 'UINTEGER', type: DuckDBUIntegerType.instance },
  // Milliseconds are whole numbers below 2^53: exact in a double, and no BigInt per row.
  epoch_ms: { sql: 'DOUBLE', type: DuckDBDoubleType.instance },
  u64: { sql: 'UBIGINT', type: DuckDBUBigIntType.instance },
  bool: { sql: 'BOOLEAN', type: DuckDBBooleanType.instance },
};

/**
 * A column's value back in the events table's type, from the dictionary `dict.l`. `constant`:
 * the code every row of the batch holds (a log's hostname, its empty UTM fields, …), decoded once
 * instead of per row — measured: 16 constant columns of 27 took 0.6 of the decode's time.
 */
function decoded(kind: ValueKind, key: string, constant: number | undefined): string {
  const text = `list_extract(dict.l, ${constant === undefined ? `codes.${key}` : constant} + 1)`;
  switch (kind) {
    case 'text':
    case 'currency':
      return text;
    case 'decimal':
      return `${text}::DECIMAL(18,3)`;
    case 'props':
      return `${text}::JSON::MAP(VARCHAR, VARCHAR)`;
    case 'epoch_ms':
      return `epoch_ms(codes.${key}::BIGINT)`;
    default:
      return `codes.${key}`;
  }
}

// Every name here is a constant of EVENT_COLUMNS; no input reaches the SQL.
const CREATE_CODES = `CREATE OR REPLACE TEMP TABLE event_codes (${EVENT_COLUMNS.map((c) => `${c.key} ${CODE_TYPES[c.kind].sql}`).join(', ')})`;
/** The decode of this batch: the batch's own codes (whole numbers), no input, reach the SQL. */
function decodeSql(batch: EventBatch): string {
  return (
    'CREATE OR REPLACE TEMP TABLE event_batch AS SELECT ' +
    EVENT_COLUMNS.map(
      (c, i) => `${decoded(c.kind, c.key, constantCode(c.kind, batch.columns[i]!))} AS ${c.name}`,
    ).join(', ') +
    // The dictionary as a column of a one-row table: a bound list used in the select list was
    // cast and copied for every vector of every column — its cost grew with the dictionary's
    // size (4.3× the time at 8,000 strings, 18,500 rows, 15 columns; BENCHMARKS.md).
    ' FROM event_codes codes, (SELECT $1::VARCHAR[] AS l) dict WHERE codes.s IN (SELECT id FROM sites)'
  );
}

/** The code every row holds in a column of codes, if one does. */
function constantCode(kind: ValueKind, values: readonly unknown[]): number | undefined {
  const first = values[0];
  if (batchKind(kind) !== 'code' || !Number.isInteger(first)) return undefined;
  for (const v of values) if (v !== first) return undefined;
  return first as number;
}

const TYPES = EVENT_COLUMNS.map((c) => CODE_TYPES[c.kind].type);
/** Rows per data chunk: DuckDB's vector size. */
const CHUNK_ROWS = 2048;

/**
 * Inserts the batch's events and folds them into the visits, inside the caller's transaction;
 * resolves with the number inserted (those of removed sites are not).
 */
export async function insertEventBatch(tx: Tx, batch: EventBatch): Promise<number> {
  await tx.run(CREATE_CODES);
  await tx.append('event_codes', (appender) => {
    for (let from = 0; from < batch.length; from += CHUNK_ROWS) {
      const rows = Math.min(CHUNK_ROWS, batch.length - from);
      const chunk = DuckDBDataChunk.create(TYPES, rows);
      batch.columns.forEach((values, i) => {
        const vector = chunk.getColumnVector(i);
        for (let row = 0; row < rows; row++) vector.setItem(row, values[from + row] as never);
        vector.flush();
      });
      appender.appendDataChunk(chunk);
    }
  });
  await tx.run(decodeSql(batch), [listValue(batch.strings)]);
  await tx.run('DROP TABLE event_codes');
  return insertEventBatchTable(tx);
}
