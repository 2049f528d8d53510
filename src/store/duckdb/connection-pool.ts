// A few DuckDB connections for stats queries. Each runs one statement at a time; callers wait
// in line for a free one. Measured before these bounds (issue 11.5): 12 heavy queries from
// one reader queued without limit, took 42 s to fail (the 10 s timeout started only once a
// connection was free), and a light query from another reader waited 30 s. So:
// - a statement's timeout covers its wait in line as well as its run, and the statements of
//   one request (one scope, src/store/query-owner.ts) share the deadline of the first;
// - the line is bounded, overall and per owner (src/store/query-owner.ts); beyond it the
//   statement is refused at once with a Retry-After;
// - one owner runs at most `perOwner` statements at once, and a freed connection goes to
//   the first waiter whose owner is under that limit, so another reader always finds one.
// A statement that outlives its timeout is interrupted, which frees the connection at once
// (DuckDB checks for interrupts between vectors).
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import { footfallError } from '../../errors.js';
import { currentQueryScope } from '../query-owner.js';
import type { SqlValue } from '../types.js';

export interface PoolLimits {
  /** Connections, i.e. statements running side by side. */
  size: number;
  /** Most statements one owner runs at once (below `size`, so others always get a turn). */
  perOwner: number;
  /** Most statements waiting for a connection, all owners together. */
  maxWaiting: number;
  /** Most statements one owner has waiting. A dashboard asks about a dozen panels at once, some of two statements. */
  perOwnerWaiting: number;
}

// 3 connections: each running statement holds one of libuv's 4 threads for its whole run, and
// the 4th must stay free for the journal's file writes, ingest loads and account lookups (with
// 4, a flood of 4 heavy statements stalled every request that touched the store, measured).
// One reader gets 2 of them, so another reader always finds one.
export const DEFAULT_POOL_LIMITS: PoolLimits = { size: 3, perOwner: 2, maxWaiting: 64, perOwnerWaiting: 24 };

/** Seconds a refused caller is asked to wait before retrying. */
const RETRY_AFTER_S = 2;

interface Waiter {
  owner: string;
  grant(conn: DuckDBConnection): void;
  refuse(err: Error): void;
  timer: NodeJS.Timeout;
}

export class ConnectionPool {
  private readonly idle: DuckDBConnection[] = [];
  private readonly waiting: Waiter[] = [];
  private readonly busy = new Set<Promise<unknown>>();
  /** Statements holding a connection, per owner. */
  private readonly running = new Map<string, number>();
  private inUse = 0;
  private closed = false;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly limits: PoolLimits = DEFAULT_POOL_LIMITS,
  ) {}

  async run(sql: string, params: readonly SqlValue[], timeoutMs: number): Promise<Record<string, unknown>[]> {
    if (this.closed) throw footfallError('FOOTFALL_ERR_SHUTTING_DOWN');
    const scope = currentQueryScope();
    const owner = scope.owner;
    const started = Date.now();
    scope.deadline ??= started + timeoutMs;
    const deadline = Math.min(scope.deadline, started + timeoutMs);
    // Earlier statements of the same request used up its time.
    if (deadline <= started)
      throw footfallError('FOOTFALL_ERR_QUERY_TIMEOUT', `stopped after ${timeoutMs} ms`);
    const conn = await this.acquire(owner, deadline - started, timeoutMs);
    const left = deadline - Date.now();
    if (left <= 0) {
      this.release(conn, owner);
      throw this.lateError(timeoutMs);
    }
    let timedOut = false;
    let again: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      conn.interrupt();
      // An interrupt that lands before DuckDB has started the statement is lost (a statement
      // granted just before its deadline); repeat it until the statement has stopped.
      again = setInterval(() => conn.interrupt(), 50);
    }, left);
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
        this.release(conn, owner);
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
    return this.waiting.length;
  }

  private canRun(owner: string): boolean {
    return this.inUse < this.limits.size && (this.running.get(owner) ?? 0) < this.limits.perOwner;
  }

  private take(owner: string): void {
    this.inUse++;
    this.running.set(owner, (this.running.get(owner) ?? 0) + 1);
  }

  private lateError(timeoutMs: number): Error {
    return footfallError('FOOTFALL_ERR_QUERY_TIMEOUT', `waited ${timeoutMs} ms for a free connection`);
  }

  private async acquire(owner: string, waitMs: number, timeoutMs: number): Promise<DuckDBConnection> {
    if (this.canRun(owner)) {
      this.take(owner);
      const conn = this.idle.pop();
      if (conn) return conn;
      try {
        return await this.instance.connect();
      } catch (err) {
        this.giveBack(owner);
        throw err;
      }
    }
    if (this.waiting.length >= this.limits.maxWaiting) {
      throw footfallError(
        'FOOTFALL_ERR_QUERIES_BUSY',
        `${this.waiting.length} queries are waiting`,
        RETRY_AFTER_S,
      );
    }
    const mine = this.waiting.reduce((n, w) => n + (w.owner === owner ? 1 : 0), 0);
    if (mine >= this.limits.perOwnerWaiting) {
      throw footfallError(
        'FOOTFALL_ERR_TOO_MANY_QUERIES',
        `${this.limits.perOwner} running and ${mine} waiting`,
        RETRY_AFTER_S,
      );
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        owner,
        grant: resolve,
        refuse: reject,
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          waiter.refuse(this.lateError(timeoutMs));
        }, waitMs),
      };
      this.waiting.push(waiter);
    });
  }

  private giveBack(owner: string): void {
    this.inUse--;
    const n = (this.running.get(owner) ?? 1) - 1;
    if (n === 0) this.running.delete(owner);
    else this.running.set(owner, n);
  }

  private release(conn: DuckDBConnection, owner: string): void {
    this.giveBack(owner);
    const i = this.waiting.findIndex((w) => this.canRun(w.owner));
    if (i === -1) {
      this.idle.push(conn);
      return;
    }
    const [next] = this.waiting.splice(i, 1);
    clearTimeout(next!.timer);
    this.take(next!.owner);
    next!.grant(conn);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) {
      clearTimeout(w.timer);
      w.refuse(footfallError('FOOTFALL_ERR_SHUTTING_DOWN'));
    }
    await Promise.allSettled([...this.busy]);
    for (const c of this.idle.splice(0)) c.closeSync();
  }
}
