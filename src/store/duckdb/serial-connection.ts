// One DuckDB connection that runs one unit of work at a time, and the only place a
// transaction is begun. A DuckDB connection has one transaction at a time: when two requests
// shared one and both ran BEGIN/COMMIT, 10 concurrent site deletions all failed ("cannot
// start a transaction within a transaction") and writes that ran in between were rolled back
// with them (issue 11.3). Queuing every unit on its connection rules that out; metadata
// writes are a few milliseconds each, so the queue costs nothing noticeable.
import type { DuckDBAppender, DuckDBConnection, DuckDBValue } from '@duckdb/node-api';

import type { MetadataSql, Row } from '../metadata-sql.js';

export type { Row } from '../metadata-sql.js';
export type Param = string | number | boolean | null | DuckDBValue;

/** Statements run inside one unit of work (and, in transaction(), inside its transaction). */
export interface Tx {
  rows(sql: string, params?: readonly Param[]): Promise<Row[]>;
  /** Resolves with the number of rows the statement changed. */
  run(sql: string, params?: readonly Param[]): Promise<number>;
  /** Rows into a temporary table through DuckDB's appender: `fill` appends, then it is closed. */
  append(table: string, fill: (appender: DuckDBAppender) => void): Promise<void>;
}

export class SerialConnection implements MetadataSql {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly tx: Tx;

  constructor(private readonly conn: DuckDBConnection) {
    this.tx = {
      rows: async (sql, params = []) =>
        (await conn.runAndReadAll(sql, params as DuckDBValue[])).getRowObjectsJS() as Row[],
      run: async (sql, params = []) => (await conn.run(sql, params as DuckDBValue[])).rowsChanged,
      append: async (table, fill) => {
        const appender = await conn.createAppender(table, 'main', 'temp');
        try {
          fill(appender);
        } finally {
          // Closing flushes what was appended; a failed fill's rows go with the transaction.
          appender.closeSync();
        }
      },
    };
  }

  /** Runs `fn` after every unit queued before it (each statement commits on its own). */
  serial<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const next = this.queue.then(() => fn(this.tx));
    this.queue = next.catch(() => {});
    return next;
  }

  /** One statement, in turn. */
  rows(sql: string, params: readonly Param[] = []): Promise<Row[]> {
    return this.serial((tx) => tx.rows(sql, params));
  }

  /** Runs `fn` in turn, in a transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.serial(async (tx) => {
      await tx.run('BEGIN TRANSACTION');
      try {
        const result = await fn(tx);
        await tx.run('COMMIT');
        return result;
      } catch (err) {
        await tx.run('ROLLBACK').catch(() => {});
        throw err;
      }
    });
  }

  /** Waits for every queued unit, then closes the connection. */
  async close(): Promise<void> {
    await this.queue;
    this.conn.closeSync();
  }
}
