// A few DuckDB connections for stats queries. Each runs one statement at a time; callers wait
// in line for a free one. A statement that outlives its timeout is interrupted, which frees
// the connection at once (DuckDB checks for interrupts between vectors).
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import { footfallError } from '../../errors.js';
import type { SqlValue } from '../types.js';

export class ConnectionPool {
  private readonly idle: DuckDBConnection[] = [];
  private readonly waiting: ((c: DuckDBConnection) => void)[] = [];
  private readonly busy = new Set<Promise<unknown>>();
  private created = 0;
  private closed = false;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly size: number,
  ) {}

  async run(sql: string, params: readonly SqlValue[], timeoutMs: number): Promise<Record<string, unknown>[]> {
    if (this.closed) throw footfallError('FOOTFALL_ERR_SHUTTING_DOWN');
    const conn = await this.acquire();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      conn.interrupt();
    }, timeoutMs);
    const work = (async () => {
      try {
        const reader = await conn.runAndReadAll(sql, params as DuckDBValue[]);
        return reader.getRowObjectsJS() as Record<string, unknown>[];
      } catch (err) {
        if (timedOut) throw footfallError('FOOTFALL_ERR_QUERY_TIMEOUT', `stopped after ${timeoutMs} ms`);
        throw err;
      } finally {
        clearTimeout(timer);
        this.release(conn);
      }
    })();
    this.busy.add(work);
    work.then(
      () => this.busy.delete(work),
      () => this.busy.delete(work),
    );
    return work;
  }

  private async acquire(): Promise<DuckDBConnection> {
    const conn = this.idle.pop();
    if (conn) return conn;
    if (this.created < this.size) {
      this.created++;
      return this.instance.connect();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(conn: DuckDBConnection): void {
    const next = this.waiting.shift();
    if (next) next(conn);
    else this.idle.push(conn);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.busy]);
    for (const c of this.idle.splice(0)) c.closeSync();
  }
}
