// The metadata stores' SQL (store/metadata-sql.ts) on a PostgreSQL pool. Where DuckDB runs
// every metadata write in turn on one connection, several nodes write to one PostgreSQL at
// once, so a transaction here is SERIALIZABLE and retried when PostgreSQL aborts it for a race
// (40001, or 40P01 a deadlock): a check and the write after it (a name free, a period unclaimed,
// the setup token unused) then hold across nodes as they do in DuckDB's queue.
import pg from 'pg';
import type { MetadataSql, Row, SqlParam, Tx } from '../metadata-sql.js';

/** Attempts of a transaction that keeps losing races before the error is passed on. */
const ATTEMPTS = 8;
const RETRYABLE = new Set(['40001', '40P01']);

// Values as the shared store code expects them from DuckDB: BIGINT and COUNT as numbers (every
// value here — ids, epoch milliseconds, TOTP steps — is far below 2^53), DATE as 'YYYY-MM-DD'
// text, TIMESTAMP (without time zone, written as UTC) as a Date in UTC, not the process's zone.
const INT8 = 20;
const DATE = 1082;
const TIMESTAMP = 1114;
const parsers: Record<number, (text: string) => unknown> = {
  [INT8]: (text) => Number(text),
  [DATE]: (text) => text,
  [TIMESTAMP]: (text) => new Date(`${text.replace(' ', 'T')}Z`),
};
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    parsers[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export function openPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 10, types, connectionTimeoutMillis: 10_000 });
  // An idle client whose connection drops (a PostgreSQL restart) must not crash the process:
  // the next statement gets a fresh client and its own error.
  pool.on('error', () => {});
  return pool;
}

function txOf(client: pg.PoolClient): Tx {
  return {
    rows: async (sql, params = []) => (await client.query(sql, params as SqlParam[])).rows as Row[],
    run: async (sql, params = []) => (await client.query(sql, params as SqlParam[])).rowCount ?? 0,
  };
}

export class PostgresSql implements MetadataSql {
  constructor(readonly pool: pg.Pool) {}

  async rows(sql: string, params: readonly SqlParam[] = []): Promise<Row[]> {
    return (await this.pool.query(sql, params as SqlParam[])).rows as Row[];
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      for (let attempt = 1; ; attempt++) {
        await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        try {
          const result = await fn(txOf(client));
          await client.query('COMMIT');
          return result;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {});
          const code = (err as { code?: string }).code;
          if (attempt >= ATTEMPTS || code === undefined || !RETRYABLE.has(code)) throw err;
        }
      }
    } finally {
      client.release();
    }
  }

  /** Runs `fn` on one client outside a transaction (migrations take a session lock on it). */
  async session<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
