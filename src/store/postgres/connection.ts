// The metadata stores' SQL (store/metadata-sql.ts) on a PostgreSQL pool. Where DuckDB runs
// every metadata write in turn on one connection, several nodes write to one PostgreSQL at
// once, so a transaction here is SERIALIZABLE and retried when PostgreSQL aborts it for a race
// (40001, or 40P01 a deadlock): a check and the write after it (a name free, a period unclaimed,
// the setup token unused) then hold across nodes as they do in DuckDB's queue. Each retry
// waits a short random time first (full jitter, growing to ~100 ms): nodes that lost the same
// race then try again at different moments instead of colliding again in lockstep.
//
// A PostgreSQL that cannot be reached (refused, reset, shut down, timed out) becomes
// FOOTFALL_ERR_METADATA_UNAVAILABLE (503) here, so every route that needs metadata answers with
// that code while tracking, which needs none per event, goes on (server/serve.ts).
import pg from 'pg';
import { FootfallError, footfallError } from '../../errors.js';
import { firstLine } from '../disk-fix.js';
import type { MetadataSql, Row, SqlParam, Tx } from '../metadata-sql.js';

/** Attempts of a transaction that keeps losing races before the error is passed on. */
const ATTEMPTS = 8;
const RETRYABLE = new Set(['40001', '40P01']);
/** The longest wait before a retry (the n-th waits up to min(this, 5 ms × 2^n)). */
const MAX_BACKOFF_MS = 100;

/** How long the n-th retry waits: uniformly random up to the capped exponential bound. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(MAX_BACKOFF_MS, 5 * 2 ** attempt));
}

// Node's socket errors, PostgreSQL's connection exceptions (class 08) and shutdowns (57P01–03),
// and pg's own words for a connection that died or never came.
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);
const UNREACHABLE_TEXT =
  /Connection terminated|timeout exceeded when trying to connect|connection error|ECONNREFUSED/i;

/** Whether `err` says PostgreSQL cannot be reached (rather than refusing a statement). */
export function isUnreachable(err: unknown): boolean {
  if (err instanceof FootfallError) return err.code === 'FOOTFALL_ERR_METADATA_UNAVAILABLE';
  const code = (err as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    (UNREACHABLE_CODES.has(code) || code.startsWith('08') || /^57P0[123]$/.test(code))
  )
    return true;
  return err instanceof Error && UNREACHABLE_TEXT.test(err.message);
}

/** `err` as FOOTFALL_ERR_METADATA_UNAVAILABLE when it says PostgreSQL cannot be reached; else as it is. */
export function unavailable(err: unknown): unknown {
  return isUnreachable(err) && !(err instanceof FootfallError)
    ? footfallError(
        'FOOTFALL_ERR_METADATA_UNAVAILABLE',
        firstLine(err) || String((err as { code?: unknown }).code),
        RETRY_AFTER_S,
      )
    : err;
}

/** Retry-After of FOOTFALL_ERR_METADATA_UNAVAILABLE (seconds). */
const RETRY_AFTER_S = 5;

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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
    return (await this.query(sql, params)).rows as Row[];
  }

  /** One statement on the pool, its values typed as pg takes them (a Buffer for BYTEA). */
  async query<R extends pg.QueryResultRow = Row>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(sql, params as unknown[]);
    } catch (err) {
      throw unavailable(err);
    }
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw unavailable(err);
    }
    // A client whose connection broke mid-transaction is destroyed, not handed out again.
    let broken: unknown;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
          const result = await fn(txOf(client));
          await client.query('COMMIT');
          return result;
        } catch (err) {
          if (isUnreachable(err)) {
            broken = err;
            throw unavailable(err);
          }
          await client.query('ROLLBACK').catch(() => {});
          const code = (err as { code?: string }).code;
          if (attempt >= ATTEMPTS || code === undefined || !RETRYABLE.has(code)) throw err;
          await wait(backoffMs(attempt));
        }
      }
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  /**
   * Runs `fn` on one client outside a transaction (migrations take a session lock on it). Errors
   * pass as they are (the start turns them into one line with the fix, postgres/open.ts).
   */
  async session<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: unknown;
    try {
      return await fn(client);
    } catch (err) {
      if (isUnreachable(err)) broken = err;
      throw err;
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
