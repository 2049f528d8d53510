import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { msUntilNextUtcMidnight, SaltKeeper } from '../../src/enrich/salts.js';
import { visitorId } from '../../src/enrich/visitor-id.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import type { Salt, SaltStore, Store } from '../../src/store/types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DAY0 = Date.parse('2026-03-10T00:00:00.000Z');
const ua = 'Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0';

/** Pinned randomness: every call returns a different, recognisable buffer. */
function counterBytes(start = 0): (n: number) => Buffer {
  let calls = start;
  return (n) => Buffer.alloc(n, ++calls);
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'footfall-salts-'));
}

async function storedDays(store: SaltStore): Promise<string[]> {
  return (await store.listSalts()).map((s) => s.day);
}

describe('SaltKeeper with the DuckDB store', () => {
  let dir: string;
  let store: Store;
  const clock = { now: DAY0 + 10 * HOUR };
  const deps = () => ({ now: () => clock.now, randomBytes: counterBytes() });

  beforeEach(async () => {
    dir = tempDir();
    store = await openDuckDbStore(dir);
    clock.now = DAY0 + 10 * HOUR;
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores a random salt of at least 16 bytes for today when it opens', async () => {
    const keeper = await SaltKeeper.open(store, deps());
    const salts = await store.listSalts();
    assert.deepEqual(
      salts.map((s) => s.day),
      ['2026-03-10'],
    );
    assert.ok(salts[0]!.salt.length >= 16);
    assert.deepEqual(keeper.saltsFor(clock.now), { today: salts[0]!.salt, yesterday: undefined });
  });

  it('gives one visitor the same id all day on a site, and another id on another site', async () => {
    const keeper = await SaltKeeper.open(store, deps());
    const morning = keeper.saltsFor(DAY0 + 1).today;
    const evening = keeper.saltsFor(DAY0 + DAY - 1).today;
    assert.equal(visitorId(morning, 1, '203.0.113.9', ua), visitorId(evening, 1, '203.0.113.9', ua));
    assert.notEqual(visitorId(morning, 1, '203.0.113.9', ua), visitorId(morning, 2, '203.0.113.9', ua));
  });

  it("reuses today's salt after a restart", async () => {
    const first = await SaltKeeper.open(store, deps());
    const before = visitorId(first.saltsFor(clock.now).today, 1, '203.0.113.9', ua);
    await store.close();
    store = await openDuckDbStore(dir);
    clock.now += HOUR;
    const second = await SaltKeeper.open(store, deps());
    assert.equal(visitorId(second.saltsFor(clock.now).today, 1, '203.0.113.9', ua), before);
    assert.equal((await store.listSalts()).length, 1);
  });

  it("keeps yesterday's salt after midnight and deletes it a day later", async () => {
    const keeper = await SaltKeeper.open(store, deps());
    const day0Salt = keeper.saltsFor(clock.now).today;
    const day0Id = visitorId(day0Salt, 1, '203.0.113.9', ua);

    await keeper.rotate(DAY0 + DAY);
    const day1 = keeper.saltsFor(DAY0 + DAY + 5);
    assert.equal(day1.yesterday, day0Salt);
    assert.notEqual(visitorId(day1.today, 1, '203.0.113.9', ua), day0Id);
    assert.deepEqual(await storedDays(store), ['2026-03-10', '2026-03-11']);

    await keeper.rotate(DAY0 + 2 * DAY);
    const day2 = keeper.saltsFor(DAY0 + 2 * DAY + 5);
    assert.deepEqual(await storedDays(store), ['2026-03-11', '2026-03-12']);
    assert.ok(!(await store.listSalts()).some((s) => s.salt.equals(day0Salt)), 'day 0 salt is gone');
    assert.notEqual(day2.yesterday, day0Salt);
    assert.notEqual(visitorId(day2.today, 1, '203.0.113.9', ua), day0Id);
    assert.notEqual(visitorId(day2.yesterday!, 1, '203.0.113.9', ua), day0Id);
  });

  it('never leaves more than two days of salts in the table after rotate()', async () => {
    const keeper = await SaltKeeper.open(store, deps());
    for (let d = 1; d <= 5; d++) {
      // The timer may fire late; events of the new day came first.
      keeper.saltsFor(DAY0 + d * DAY + 7);
      await keeper.rotate(DAY0 + d * DAY + 30_000);
      const days = await storedDays(store);
      assert.equal(days.length, 2, days.join());
      assert.deepEqual(days, [
        new Date(DAY0 + (d - 1) * DAY).toISOString().slice(0, 10),
        new Date(DAY0 + d * DAY).toISOString().slice(0, 10),
      ]);
    }
  });

  it("serves a new day's salt at once when the timer is late, and stores that same salt", async () => {
    const keeper = await SaltKeeper.open(store, deps());
    const day0Salt = keeper.saltsFor(clock.now).today;

    // No rotate() yet: saltsFor is synchronous and must not wait for the store.
    const late = keeper.saltsFor(DAY0 + DAY + 1);
    assert.notEqual(late.today, day0Salt);
    assert.equal(late.yesterday, day0Salt);
    const id = visitorId(late.today, 1, '203.0.113.9', ua);

    await keeper.rotate(DAY0 + DAY + 2);
    const stored = (await store.listSalts()).find((s) => s.day === '2026-03-11');
    assert.ok(stored?.salt.equals(late.today), 'the salt events used is the one stored');
    assert.equal(visitorId(keeper.saltsFor(DAY0 + DAY + 3).today, 1, '203.0.113.9', ua), id);
  });

  it('agrees with another keeper on the same store, even when both started the day on their own', async () => {
    const a = await SaltKeeper.open(store, deps());
    const b = await SaltKeeper.open(store, { now: () => clock.now, randomBytes: counterBytes(100) });
    assert.equal(a.saltsFor(clock.now).today.equals(b.saltsFor(clock.now).today), true);

    const next = DAY0 + DAY + 1;
    const fromA = a.saltsFor(next).today;
    const fromB = b.saltsFor(next).today;
    assert.equal(fromA.equals(fromB), false, 'different in memory until the store decides');
    await a.rotate(next);
    await b.rotate(next);
    assert.ok(a.saltsFor(next).today.equals(b.saltsFor(next).today));
    assert.equal((await store.listSalts()).filter((s) => s.day === '2026-03-11').length, 1);
  });
});

describe('SaltKeeper when the store fails', () => {
  it('keeps the salt in memory, reports the error, and stores it on the next rotate()', async () => {
    const rows = new Map<string, Buffer>();
    let failNext = false;
    const store: SaltStore = {
      async listSalts() {
        return [...rows].sort().map(([day, salt]) => ({ day, salt }));
      },
      async addSalt(salt: Salt) {
        if (failNext) {
          failNext = false;
          throw new Error('disk full');
        }
        if (!rows.has(salt.day)) rows.set(salt.day, salt.salt);
        return { day: salt.day, salt: rows.get(salt.day)! };
      },
      async deleteSaltsBefore(day: string) {
        for (const d of rows.keys()) if (d < day) rows.delete(d);
      },
    };
    const errors: unknown[] = [];
    const keeper = await SaltKeeper.open(store, {
      now: () => DAY0,
      randomBytes: counterBytes(),
      onError: (err) => errors.push(err),
    });

    failNext = true;
    const today = keeper.saltsFor(DAY0 + DAY).today;
    await keeper.rotate(DAY0 + DAY); // waits for the failed background write, then retries
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /disk full/);
    assert.ok(rows.get('2026-03-11')?.equals(today));
    assert.equal(keeper.saltsFor(DAY0 + DAY + 1).today, today);
  });

  it('rejects a random source that returns fewer than 16 bytes', async () => {
    const store: SaltStore = {
      listSalts: async () => [],
      addSalt: async (salt) => salt,
      deleteSaltsBefore: async () => {},
    };
    await assert.rejects(
      SaltKeeper.open(store, { now: () => DAY0, randomBytes: (n) => Buffer.alloc(Math.min(n, 8)) }),
      /at least 16/,
    );
  });
});

describe('msUntilNextUtcMidnight', () => {
  it('counts to the next 00:00 UTC', () => {
    assert.equal(msUntilNextUtcMidnight(DAY0 + 23 * HOUR), HOUR);
    assert.equal(msUntilNextUtcMidnight(DAY0 + DAY - 1), 1);
    assert.equal(msUntilNextUtcMidnight(DAY0), DAY);
  });
});
