// A few DuckDB connections for stats queries, one per turn of the query gate (store/query-gate.ts:
// bounded line, per-owner shares, one deadline per request). Each connection runs one
// statement at a time. A statement that outlives its timeout is interrupted, which frees the
// connection at once (DuckDB checks for interrupts between vectors).
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import { footfallError } from '../../errors.js';
import { DEFAULT_POOL_LIMITS, type PoolLimits, QueryGate } from '../query-gate.js';
import type { SqlValue } from '../types.js';

export { DEFAULT_POOL_LIMITS, type PoolLimits } from '../query-gate.js';

export class ConnectionPool {
  private readonly idle: DuckDBConnection[] = [];
  private readonly busy = new Set<Promise<unknown>>();
  private readonly gate: QueryGate;

  constructor(
    private readonly instance: DuckDBInstance,
    limits: PoolLimits = DEFAULT_POOL_LIMITS,
  ) {
    this.gate = new QueryGate(limits);
  }

  async run(sql: string, params: readonly SqlValue[], timeoutMs: number): Promise<Record<string, unknown>[]> {
    const turn = await this.gate.enter(timeoutMs);
    let conn: DuckDBConnection;
    try {
      conn = this.idle.pop() ?? (await this.instance.connect());
    } catch (err) {
      turn.leave();
      throw err;
    }
    let timedOut = false;
    let again: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      conn.interrupt();
      // An interrupt that lands before DuckDB has started the statement is lost (a statement
      // granted just before its deadline); repeat it until the statement has stopped.
      again = setInterval(() => conn.interrupt(), 50);
    }, turn.left);
    const work = (async () => {
      try {
        const reader = await conn.runAndReadAll(sql, params as DuckDBValue[]);
        return reader.getRowObjectsJS() as Record<string, unknown>[];
      } catch (err) {
        if (timedOut) throw footfallError('FOOTFALL_ERR_QUERY_TIMEOUT', `stopped after ${timeoutMs} ms`);
        throw err;
      } finally {
        clearTimeout(timer);
        clearInterval(again);
        // Back to the idle list before the turn passes on, so the next statement finds it.
        this.idle.push(conn);
        turn.leave();
      }
    })();
    this.busy.add(work);
    work.then(
      () => this.busy.delete(work),
      () => this.busy.delete(work),
    );
    return work;
  }

  /** Statements waiting for a connection (for tests and /metrics). */
  get queued(): number {
    return this.gate.queued;
  }

  async close(): Promise<void> {
    this.gate.close();
    await Promise.allSettled([...this.busy]);
    for (const c of this.idle.splice(0)) c.closeSync();
  }
}
