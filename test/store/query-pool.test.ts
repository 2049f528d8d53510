// The stats query connections under a flood (issue 11.5): a statement's timeout counts its
// wait in line; the line is bounded overall and per owner; one owner never holds every
// connection, so another reader's light query runs at once. Real DuckDB, real statements.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FootfallError } from '../../src/errors.js';
import type { PoolLimits } from '../../src/store/duckdb/connection-pool.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import { asQueryOwner, markLight } from '../../src/store/query-owner.js';
import type { Store } from '../../src/store/types.js';
import { removeDir, tempDir } from '../helpers/server.js';

/** Runs until interrupted: DuckDB checks for interrupts between vectors. */
const HEAVY = 'SELECT count(*) AS n FROM range(100000000000) t(a) WHERE a % 7 = 3';
const LIGHT = 'SELECT 42 AS n';
/** Runs a few hundred ms on one thread: long enough for others to queue behind it. */
const FINITE = 'SELECT count(*) AS n FROM range(20000000) t(a) WHERE a % 7 = 3';

async function withStore(limits: PoolLimits, fn: (store: Store) => Promise<void>): Promise<void> {
  const dir = tempDir();
  const store = await openDuckDbStore(dir, { queryLimits: limits, threads: 1 });
  try {
    await fn(store);
  } finally {
    await store.close();
    removeDir(dir);
  }
}

const run = (store: Store, owner: string, sql: string, timeoutMs: number) =>
  asQueryOwner(owner, () => store.runQuery(sql, [], { timeoutMs }));

/** How a promise settles, and after how many ms. */
async function settle(p: Promise<unknown>): Promise<{ ms: number; code?: string; retryAfter?: number }> {
  const t0 = Date.now();
  try {
    await p;
    return { ms: Date.now() - t0 };
  } catch (err) {
    const e = err as FootfallError;
    return { ms: Date.now() - t0, code: e.code, retryAfter: e.retryAfter };
  }
}

// A bound on each test: without the limits under test, some statements would never stop.
describe('query connection pool', { timeout: 20_000 }, () => {
  it("a statement's timeout covers its wait for a connection", async () => {
    await withStore({ size: 1, perOwner: 1, maxWaiting: 4, perOwnerWaiting: 4 }, async (store) => {
      const holder = settle(run(store, 'a', HEAVY, 1500));
      const waiter = await settle(run(store, 'b', LIGHT, 300));
      assert.equal(waiter.code, 'FOOTFALL_ERR_QUERY_TIMEOUT');
      assert.ok(waiter.ms < 1000, `gave up after ${waiter.ms} ms, not when the holder finished`);
      assert.equal((await holder).code, 'FOOTFALL_ERR_QUERY_TIMEOUT');
      // The line is empty again and the connection serves the next statement.
      assert.deepEqual(await run(store, 'b', LIGHT, 1000), [{ n: 42 }]);
    });
  });

  it('a statement that waited for its connection runs only for the rest of its time', async () => {
    await withStore({ size: 1, perOwner: 1, maxWaiting: 4, perOwnerWaiting: 4 }, async (store) => {
      const holder = settle(run(store, 'a', HEAVY, 500));
      const waiter = await settle(run(store, 'b', HEAVY, 1200));
      assert.equal(waiter.code, 'FOOTFALL_ERR_QUERY_TIMEOUT');
      assert.ok(waiter.ms < 1600, `stopped after ${waiter.ms} ms (of 1200, ~500 of them waiting)`);
      await holder;
    });
  });

  it('the statements of one request share the deadline of its first', async () => {
    await withStore({ size: 2, perOwner: 2, maxWaiting: 4, perOwnerWaiting: 4 }, async (store) => {
      const t0 = Date.now();
      const outcome = await settle(
        asQueryOwner('a', async () => {
          await store.runQuery(HEAVY, [], { timeoutMs: 800 }).catch(() => {});
          await store.runQuery(HEAVY, [], { timeoutMs: 800 });
        }),
      );
      assert.equal(outcome.code, 'FOOTFALL_ERR_QUERY_TIMEOUT');
      assert.ok(Date.now() - t0 < 1200, `two statements took ${Date.now() - t0} ms of an 800 ms deadline`);
      // Outside a request each statement has its own.
      assert.deepEqual(await store.runQuery(LIGHT, [], { timeoutMs: 800 }), [{ n: 42 }]);
    });
  });

  it("a request's later statement waits behind earlier requests only, not behind later ones", async () => {
    await withStore({ size: 1, perOwner: 1, maxWaiting: 8, perOwnerWaiting: 8 }, async (store) => {
      const done: string[] = [];
      // A panel of two statements (the planner's check, then its own), and three panels asked
      // just after it: the second statement goes before the later panels' first.
      const first = asQueryOwner('a', async () => {
        await store.runQuery(FINITE, [], { timeoutMs: 5000 });
        done.push('A1');
        await store.runQuery(LIGHT, [], { timeoutMs: 5000 });
        done.push('A2');
      });
      const later = ['B', 'C', 'D'].map((name) =>
        run(store, 'a', LIGHT, 5000).then(() => {
          done.push(name);
        }),
      );
      await Promise.all([first, ...later]);
      assert.deepEqual(done, ['A1', 'B', 'A2', 'C', 'D']);
    });
  });

  it('light requests go before heavy ones that wait; heavy ones keep their order', async () => {
    await withStore({ size: 1, perOwner: 1, maxWaiting: 8, perOwnerWaiting: 8 }, async (store) => {
      const done: string[] = [];
      const ask = (name: string, light: boolean, sql = LIGHT) =>
        asQueryOwner('a', async () => {
          if (light) markLight();
          await store.runQuery(sql, [], { timeoutMs: 5000 });
          done.push(name);
        });
      // A heavy panel runs; then, while it does, heavy B, light C, heavy D, light E are asked.
      const first = ask('A', false, FINITE);
      const later = [ask('B', false), ask('C', true), ask('D', false), ask('E', true)];
      await Promise.all([first, ...later]);
      assert.deepEqual(done, ['A', 'C', 'E', 'B', 'D']);
    });
  });

  it('one owner runs at most perOwner statements: another reader gets a connection at once', async () => {
    await withStore({ size: 3, perOwner: 2, maxWaiting: 8, perOwnerWaiting: 8 }, async (store) => {
      const flood = Array.from({ length: 6 }, () => settle(run(store, 'flooder', HEAVY, 1500)));
      await new Promise((r) => setTimeout(r, 100));
      const light = await settle(run(store, 'reader', LIGHT, 1500));
      assert.equal(light.code, undefined);
      assert.ok(light.ms < 500, `the light query took ${light.ms} ms`);
      const results = await Promise.all(flood);
      // Each flooder statement stopped at its own deadline, waiting or running: none outlived it.
      for (const r of results) assert.equal(r.code, 'FOOTFALL_ERR_QUERY_TIMEOUT');
      assert.ok(Math.max(...results.map((r) => r.ms)) < 2500);
    });
  });

  it('the line is bounded: beyond it a statement is refused at once with 503 and Retry-After', async () => {
    await withStore({ size: 1, perOwner: 1, maxWaiting: 2, perOwnerWaiting: 2 }, async (store) => {
      const held = [
        settle(run(store, 'a', HEAVY, 800)),
        settle(run(store, 'b', LIGHT, 800)),
        settle(run(store, 'c', LIGHT, 800)),
      ];
      const refused = await settle(run(store, 'd', LIGHT, 800));
      assert.equal(refused.code, 'FOOTFALL_ERR_QUERIES_BUSY');
      assert.equal(refused.retryAfter, 2);
      assert.ok(refused.ms < 100, `refused after ${refused.ms} ms`);
      await Promise.all(held);
    });
  });

  it("one owner's line is bounded too: 429 with Retry-After, while others still queue", async () => {
    await withStore({ size: 2, perOwner: 1, maxWaiting: 8, perOwnerWaiting: 2 }, async (store) => {
      const held = [
        settle(run(store, 'a', HEAVY, 800)),
        settle(run(store, 'a', LIGHT, 800)),
        settle(run(store, 'a', LIGHT, 800)),
      ];
      const refused = await settle(run(store, 'a', LIGHT, 800));
      assert.equal(refused.code, 'FOOTFALL_ERR_TOO_MANY_QUERIES');
      assert.equal(refused.retryAfter, 2);
      assert.deepEqual(await run(store, 'b', LIGHT, 800), [{ n: 42 }], 'another owner is served');
      await Promise.all(held);
    });
  });

  describe('closing', () => {
    let store: Store;
    let dir: string;
    before(async () => {
      dir = tempDir();
      store = await openDuckDbStore(dir, {
        queryLimits: { size: 1, perOwner: 1, maxWaiting: 4, perOwnerWaiting: 4 },
        threads: 1,
      });
    });
    after(() => removeDir(dir));

    it('refuses the statements still waiting, and waits for the running one', async () => {
      const running = settle(run(store, 'a', HEAVY, 500));
      const waiting = settle(run(store, 'b', LIGHT, 5000));
      await store.close();
      assert.equal((await waiting).code, 'FOOTFALL_ERR_SHUTTING_DOWN');
      assert.equal((await running).code, 'FOOTFALL_ERR_QUERY_TIMEOUT');
    });
  });
});
