// SaltKeeper at the edges its main test (salts.test.ts) does not reach: the first and last
// millisecond of a day, a clock in the UTC afternoon, a restart the day after, a random
// source of exactly the minimum size, and another process storing the day's salt first.
// Each case kills mutants that survived `npm run test:mutation -- salts` (see BENCHMARKS.md).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SaltKeeper } from '../../src/enrich/salts.js';
import type { Salt, SaltStore } from '../../src/store/types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DAY0 = Date.parse('2026-03-10T00:00:00.000Z');

/** A salt table in memory that keeps the first salt written for a day, as the real stores do. */
function memoryStore(): SaltStore & { rows: Map<string, Buffer> } {
  const rows = new Map<string, Buffer>();
  return {
    rows,
    async listSalts() {
      return [...rows].sort().map(([day, salt]) => ({ day, salt }));
    },
    async addSalt(salt: Salt) {
      if (!rows.has(salt.day)) rows.set(salt.day, salt.salt);
      return { day: salt.day, salt: rows.get(salt.day)! };
    },
    async deleteSaltsBefore(day: string) {
      for (const d of rows.keys()) if (d < day) rows.delete(d);
    },
  };
}

/** Every call returns a different, recognisable buffer. */
function counterBytes(start = 0): (n: number) => Buffer {
  let calls = start;
  return (n) => Buffer.alloc(n, ++calls);
}

describe('SaltKeeper at the edges of a day', () => {
  it("an event stamped before midnight that arrives after the new day began gets the old day's salt", async () => {
    const keeper = await SaltKeeper.open(memoryStore(), {
      now: () => DAY0 + 10 * HOUR,
      randomBytes: counterBytes(),
    });
    const day0 = keeper.saltsFor(DAY0 + 10 * HOUR).today;
    const day1 = keeper.saltsFor(DAY0 + DAY + 5).today;
    assert.notEqual(day1, day0);
    assert.equal(keeper.saltsFor(DAY0 + DAY - 1).today, day0);
  });

  it("the first millisecond of a day gets that day's salt, not the day before's", async () => {
    const keeper = await SaltKeeper.open(memoryStore(), {
      now: () => DAY0 + 10 * HOUR,
      randomBytes: counterBytes(),
    });
    const day0 = keeper.saltsFor(DAY0 + 10 * HOUR).today;
    const midnight = keeper.saltsFor(DAY0 + DAY);
    assert.notEqual(midnight.today, day0);
    assert.equal(midnight.yesterday, day0);
  });

  it("rotate() in the UTC afternoon stores today's salt, not tomorrow's", async () => {
    const store = memoryStore();
    await SaltKeeper.open(store, { now: () => DAY0 + 13 * HOUR, randomBytes: counterBytes() });
    assert.deepEqual([...store.rows.keys()], ['2026-03-10']);
  });

  it("after a restart the next day, yesterday's salt comes back from the store", async () => {
    const store = memoryStore();
    const before = await SaltKeeper.open(store, { now: () => DAY0 + 10 * HOUR, randomBytes: counterBytes() });
    const day0 = before.saltsFor(DAY0 + 10 * HOUR).today;
    const after = await SaltKeeper.open(store, {
      now: () => DAY0 + DAY + HOUR,
      randomBytes: counterBytes(50),
    });
    const salts = after.saltsFor(DAY0 + DAY + HOUR);
    assert.ok(salts.yesterday?.equals(day0), 'a visit crossing midnight keeps its visitor id');
  });

  it('accepts a random source that returns exactly 16 bytes', async () => {
    const keeper = await SaltKeeper.open(memoryStore(), {
      now: () => DAY0,
      randomBytes: () => Buffer.alloc(16, 7),
    });
    assert.equal(keeper.saltsFor(DAY0).today.length, 16);
  });

  it('adopts the salt another process stored first, without waiting for rotate()', async () => {
    const store = memoryStore();
    const keeper = await SaltKeeper.open(store, { now: () => DAY0, randomBytes: counterBytes() });
    const theirs = Buffer.alloc(32, 0xee);
    store.rows.set('2026-03-11', theirs); // another process began the day first
    const mine = keeper.saltsFor(DAY0 + DAY + 1).today;
    assert.notEqual(mine, theirs, 'in memory at once, before the store answers');
    // The background write finds the stored salt; the keeper adopts it.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(keeper.saltsFor(DAY0 + DAY + 2).today, theirs);
  });
});
