// `footfall migrate metadata --to <postgres-url>`: copies a data directory's metadata (every
// table the PostgreSQL schema has: sites, accounts, salts, goals, segments, funnels, the job
// ledger, the settings) from its DuckDB file into an empty PostgreSQL database, in one
// transaction, then verifies each table — the same row count and the same checksum of its rows
// on both sides — before committing. The DuckDB file is only read.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { EngineConfigError } from '../engine-config-error.js';
import type { Row } from '../metadata-sql.js';
import type { Store } from '../types.js';
import { openPool } from './connection.js';
import { migrate } from './migrate.js';
import { connectError } from './open.js';
import type { PostgresTarget } from './url.js';

export interface TableCopy {
  table: string;
  rows: number;
  /** SHA-256 of the table's rows, each normalised and sorted: equal on both sides. */
  checksum: string;
}

interface Column {
  name: string;
  type: string;
}

/** Rows per INSERT: PostgreSQL takes at most 65,535 parameters a statement. */
const PARAMS_PER_INSERT = 30_000;

/**
 * Tables only a cluster has (node registrations, failed attempts counted across nodes): a data
 * directory has nothing to copy into them.
 */
const CLUSTER_ONLY = ['nodes', 'attempt_failures'];

/** The tables of our PostgreSQL schema (all but footfall_meta) with their columns in order. */
async function targetTables(client: pg.PoolClient): Promise<Map<string, Column[]>> {
  const rows = await client.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name <> 'footfall_meta'
       AND NOT (table_name = ANY($1))
     ORDER BY table_name, ordinal_position`,
    [CLUSTER_ONLY],
  );
  const tables = new Map<string, Column[]>();
  for (const r of rows.rows) {
    const list = tables.get(r.table_name) ?? [];
    list.push({ name: r.column_name, type: r.data_type });
    tables.set(r.table_name, list);
  }
  return tables;
}

/** A value as text both engines agree on, for the checksum (types as PostgreSQL names them). */
function normalise(value: unknown, type: string): string {
  if (value === null || value === undefined) return '\u0000null';
  if (type === 'date') return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
  if (value instanceof Date) return String(value.getTime());
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (typeof value === 'bigint' || typeof value === 'number') return String(Number(value));
  return String(value);
}

function checksum(rows: readonly Row[], columns: readonly Column[]): string {
  const lines = rows.map((r) => JSON.stringify(columns.map((c) => normalise(r[c.name], c.type)))).sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line).update('\n');
  return hash.digest('hex');
}

/**
 * Copies `source`'s metadata into the PostgreSQL database (migrated first); refuses a database
 * that already holds sites or users. Throws EngineConfigError (one line with the fix).
 */
export async function copyMetadata(source: Store, target: PostgresTarget): Promise<TableCopy[]> {
  const pool = openPool(target.connectionString);
  try {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw connectError(err, target);
    }
    try {
      await migrate(client, target);
      const tables = await targetTables(client);
      const taken = await client.query(
        'SELECT (SELECT count(*) FROM sites) + (SELECT count(*) FROM users) AS n',
      );
      if (Number(taken.rows[0].n) > 0) {
        throw new EngineConfigError(
          `--to ${target.shown} already holds Footfall sites or users: ` +
            'copy into a new, empty database (CREATE DATABASE …), or drop this one first if it is a failed copy',
        );
      }
      await client.query('BEGIN');
      try {
        const copies: TableCopy[] = [];
        for (const [table, columns] of tables) copies.push(await copyTable(source, client, table, columns));
        await advanceSequences(client);
        await client.query('COMMIT');
        return copies;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      }
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
  }
}

async function copyTable(
  source: Store,
  client: pg.PoolClient,
  table: string,
  columns: Column[],
): Promise<TableCopy> {
  // Every column of the DuckDB table must have a place here, or the copy would drop it.
  const local = await source.queryRows(
    'SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position',
    [table],
  );
  const missing = local.map((r) => String(r.column_name)).filter((c) => !columns.some((x) => x.name === c));
  if (local.length === 0 || missing.length > 0) {
    throw new EngineConfigError(
      `the data directory's ${table} table ${local.length === 0 ? 'is missing' : `has columns PostgreSQL's lacks (${missing.join(', ')})`}: ` +
        'upgrade the data directory with this Footfall (start it once without --database-url), or use the Footfall that wrote it',
    );
  }
  const names = columns.map((c) => `"${c.name}"`).join(', ');
  // Text across, except bytes and booleans: PostgreSQL casts each value to its column's type,
  // and timestamps keep their microseconds (no time zone is applied on the way).
  const select = columns
    .map((c) =>
      c.type === 'bytea' || c.type === 'boolean'
        ? `"${c.name}"`
        : `CAST("${c.name}" AS VARCHAR) AS "${c.name}"`,
    )
    .join(', ');
  const rows = await source.queryRows(`SELECT ${select} FROM ${table}`);
  const perInsert = Math.max(1, Math.floor(PARAMS_PER_INSERT / columns.length));
  for (let i = 0; i < rows.length; i += perInsert) {
    const chunk = rows.slice(i, i + perInsert);
    const params: unknown[] = [];
    const tuples = chunk.map((r) => {
      const marks = columns.map((c) => {
        const v = r[c.name];
        params.push(v instanceof Uint8Array ? Buffer.from(v) : (v ?? null));
        return `$${params.length}`;
      });
      return `(${marks.join(', ')})`;
    });
    await client.query(`INSERT INTO ${table} (${names}) VALUES ${tuples.join(', ')}`, params);
  }
  // Verified inside the transaction: both sides read as the stores read them, normalised.
  const before = await source.queryRows(`SELECT ${names} FROM ${table}`);
  const after = (await client.query(`SELECT ${names} FROM ${table}`)).rows as Row[];
  const sum = checksum(before, columns);
  if (after.length !== before.length || checksum(after, columns) !== sum) {
    throw new EngineConfigError(
      `${table}: ${before.length} rows in the data directory, ${after.length} in PostgreSQL after the copy, ` +
        'or their contents differ: nothing was committed; stop the server writing to the data directory and run the command again',
    );
  }
  return { table, rows: before.length, checksum: sum };
}

/** Each id sequence continues after the highest id copied, so new rows get fresh ids. */
async function advanceSequences(client: pg.PoolClient): Promise<void> {
  const serials = await client.query<{ table_name: string; column_name: string; seq: string }>(
    `SELECT table_name, column_name, substring(column_default FROM 'nextval\\(''([a-z_]+)''') AS seq
     FROM information_schema.columns
     WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'`,
  );
  for (const s of serials.rows) {
    // Names come from our own schema's catalogue, not from input.
    await client.query(
      `SELECT setval('${s.seq}', coalesce((SELECT max("${s.column_name}") FROM ${s.table_name}), 0) + 1, false)`,
    );
  }
}
