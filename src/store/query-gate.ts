// Turns for stats statements, whatever the engine: a few run at once, the rest wait in a
// bounded line. Measured before these bounds (issue 11.5): 12 heavy queries from one reader
// queued without limit, took 42 s to fail (the 10 s timeout started only once a connection
// was free), and a light query from another reader waited 30 s. So:
// - a statement's timeout covers its wait in line as well as its run, and the statements of
//   one request (one scope, src/store/query-owner.ts) share the deadline of the first;
// - the line is bounded, overall and per owner (src/store/query-owner.ts); beyond it the
//   statement is refused at once with a Retry-After;
// - one owner runs at most `perOwner` statements at once, and a freed turn goes to the first
//   waiter whose owner is under that limit, so another reader always finds one;
// - "first" is by request, not by statement: a request's later statements (a comparison, the
//   planner's check before a panel's statement) wait behind earlier requests only, not behind
//   every statement that arrived meanwhile. Measured on the 12-month dashboard: a panel's
//   second statement waited 4–6 s behind the others' first ones, so every panel finished at
//   the very end instead of one after another;
// - light requests (query-owner.ts, markLight: the visits table, realtime) go before heavy
//   ones that wait: on a 12-month dashboard the top row and the visit panels take ~0.2 s each
//   and the panels that read every event 1–3 s, so the numbers a person reads first no longer
//   wait for the chart and the pages. Heavy requests still keep their order among themselves.
// DuckDB's pool (duckdb/connection-pool.ts) holds one connection per turn; ClickHouse
// (clickhouse/run-query.ts) shares one client, and with chdb its statements run on libuv's
// threads, which the journal's file writes need as well — so it takes turns the same way.
import { footfallError } from '../errors.js';
import { currentQueryScope } from './query-owner.js';

export interface PoolLimits {
  /** Statements running side by side. */
  size: number;
  /** Most statements one owner runs at once (below `size`, so others always get a turn). */
  perOwner: number;
  /** Most statements waiting for a turn, all owners together. */
  maxWaiting: number;
  /** Most statements one owner has waiting. A dashboard asks about a dozen panels at once, some of two statements. */
  perOwnerWaiting: number;
}

// 3 at once: each running DuckDB statement holds one of libuv's 4 threads for its whole run,
// and the 4th must stay free for the journal's file writes, ingest loads and account lookups
// (with 4, a flood of 4 heavy statements stalled every request that touched the store,
// measured). One reader gets 2 of them, so another reader always finds one.
export const DEFAULT_POOL_LIMITS: PoolLimits = { size: 3, perOwner: 2, maxWaiting: 64, perOwnerWaiting: 24 };

/** Places in line handed to requests, in order of their first statement (one count for every gate, as a scope may meet two). */
let arrivals = 0;

/** Seconds a refused caller is asked to wait before retrying. */
const RETRY_AFTER_S = 2;

interface Waiter {
  owner: string;
  /** The request's place in line (QueryScope.arrival); light requests rank before heavy ones. */
  rank: [light: number, arrival: number];
  grant(): void;
  refuse(err: Error): void;
  timer: NodeJS.Timeout;
}

/** A statement's turn: the milliseconds left before its deadline, and how to give it back. */
export interface Turn {
  left: number;
  leave(): void;
}

export class QueryGate {
  private readonly waiting: Waiter[] = [];
  /** Statements holding a turn, per owner. */
  private readonly running = new Map<string, number>();
  private inUse = 0;
  private closed = false;

  constructor(private readonly limits: PoolLimits = DEFAULT_POOL_LIMITS) {}

  /** Waits for a turn within the statement's (or its request's) deadline. */
  async enter(timeoutMs: number): Promise<Turn> {
    if (this.closed) throw footfallError('FOOTFALL_ERR_SHUTTING_DOWN');
    const scope = currentQueryScope();
    const owner = scope.owner;
    const started = Date.now();
    scope.deadline ??= started + timeoutMs;
    scope.arrival ??= arrivals++;
    const deadline = Math.min(scope.deadline, started + timeoutMs);
    // Earlier statements of the same request used up its time.
    if (deadline <= started)
      throw footfallError('FOOTFALL_ERR_QUERY_TIMEOUT', `stopped after ${timeoutMs} ms`);
    await this.acquire(owner, [scope.light ? 0 : 1, scope.arrival], deadline - started, timeoutMs);
    const left = deadline - Date.now();
    let held = true;
    const leave = () => {
      if (!held) return;
      held = false;
      this.release(owner);
    };
    if (left <= 0) {
      leave();
      throw this.lateError(timeoutMs);
    }
    return { left, leave };
  }

  /** Statements waiting for a turn (for tests and /metrics). */
  get queued(): number {
    return this.waiting.length;
  }

  /** Refuses every waiting statement and every later one; running ones finish. */
  close(): void {
    this.closed = true;
    for (const w of this.waiting.splice(0)) {
      clearTimeout(w.timer);
      w.refuse(footfallError('FOOTFALL_ERR_SHUTTING_DOWN'));
    }
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

  private acquire(owner: string, rank: Waiter['rank'], waitMs: number, timeoutMs: number): Promise<void> {
    if (this.canRun(owner)) {
      this.take(owner);
      return Promise.resolve();
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
        rank,
        grant: resolve,
        refuse: reject,
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          waiter.refuse(this.lateError(timeoutMs));
        }, waitMs),
      };
      // Behind every waiter of an earlier or the same request, ahead of later requests' (light
      // ones first).
      const after = this.waiting.findIndex(
        (w) => w.rank[0] > rank[0] || (w.rank[0] === rank[0] && w.rank[1] > rank[1]),
      );
      this.waiting.splice(after === -1 ? this.waiting.length : after, 0, waiter);
    });
  }

  private release(owner: string): void {
    this.inUse--;
    const n = (this.running.get(owner) ?? 1) - 1;
    if (n === 0) this.running.delete(owner);
    else this.running.set(owner, n);
    const i = this.waiting.findIndex((w) => this.canRun(w.owner));
    if (i === -1) return;
    const [next] = this.waiting.splice(i, 1);
    clearTimeout(next!.timer);
    this.take(next!.owner);
    next!.grant();
  }
}
