// The group-commit writer on a real DuckDB store in a temporary directory, without a server:
// what a start says when the journal cannot be opened or a leftover cannot be loaded, the
// bounds of its queue and journal budget, what health() and the metrics report, and that a
// segment whose load failed is loaded later with nothing lost or counted twice.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { FootfallError } from '../../src/errors.js';
import { encodeRow } from '../../src/ingest/row-codec.js';
import { IngestWriter, JournalError } from '../../src/ingest/writer.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { addSite } from '../../src/sites/manage.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import type { Store } from '../../src/store/types.js';
import { FaultyJournalFs } from '../helpers/journal-fs.js';
import { sampleRow as row } from '../helpers/sample-row.js';
import { removeDir, tempDir } from '../helpers/server.js';

const OPTIONS = { maxQueue: 10_000, loadIntervalMs: 60_000 };
const segmentName = (n: number): string => `${String(n).padStart(12, '0')}.ndjson`;

/** A fresh store with example.com as site 1 (events of unknown sites are not loaded). */
async function openStore(dir: string): Promise<Store> {
  const store = await openDuckDbStore(dir);
  if ((await store.listSites()).length === 0) await addSite(store, { domain: 'example.com' });
  return store;
}

/** A data directory holding a store with example.com, for `fn`; the directory is gone afterwards. */
async function withStore(fn: (store: Store, dir: string) => Promise<void>): Promise<void> {
  const dir = tempDir();
  try {
    const store = await openStore(dir);
    await fn(store, dir);
    await store.close();
  } finally {
    removeDir(dir);
  }
}

/** The store, with loads into it failing while `away.failing` is set (a store that went away). */
function withLoadsFailing(store: Store, away: { failing: boolean; error?: Error }): Store {
  return Object.assign(Object.create(store) as Store, {
    loadEvents: (file: string | undefined, mark: { segment: number; offset: number }) =>
      away.failing ? Promise.reject(away.error ?? new Error('store away')) : store.loadEvents(file, mark),
  });
}

/** The store, with every load held until `release()`; `loading` settles when the first begins. */
function withLoadsHeld(store: Store): { store: Store; loading: Promise<void>; release: () => void } {
  let began!: () => void;
  const loading = new Promise<void>((resolve) => {
    began = resolve;
  });
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const slow = Object.assign(Object.create(store) as Store, {
    loadEvents: async (file: string | undefined, mark: { segment: number; offset: number }) => {
      began();
      await held;
      return store.loadEvents(file, mark);
    },
  });
  return { store: slow, loading, release };
}

async function count(store: Store): Promise<number> {
  return Number((await store.queryRows('SELECT count(*) AS n FROM events'))[0]!.n);
}

/** The value of a metric line in Prometheus text, e.g. `footfall_events_stored_total`. */
async function metric(metrics: ReturnType<typeof createMetrics>, line: string): Promise<number | undefined> {
  const text = await metrics.registry.metrics();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

/** The journal's file system with fdatasync held until the test lets it go. */
class HeldSyncFs extends FaultyJournalFs {
  private gate: Promise<void> | undefined;
  private release: (() => void) | undefined;
  private entered: (() => void) | undefined;

  /** Holds the next syncs; resolves once one of them waits. */
  hold(): Promise<void> {
    this.gate = new Promise((resolve) => {
      this.release = resolve;
    });
    return new Promise((resolve) => {
      this.entered = resolve;
    });
  }

  /** Lets the held syncs go on. */
  letGo(): void {
    this.gate = undefined;
    this.release?.();
  }

  override async fdatasync(fd: number): Promise<void> {
    if (this.gate) {
      this.entered?.();
      await this.gate;
    }
    await super.fdatasync(fd);
  }
}

describe('ingest writer: start', () => {
  it('a journal that cannot be opened stops the start with the fix: a file in its place', async () => {
    await withStore(async (store, dir) => {
      writeFileSync(path.join(dir, 'journal'), 'a file');
      await assert.rejects(IngestWriter.open(store, dir, createMetrics(), OPTIONS), (err: Error) => {
        assert.ok(err instanceof JournalError);
        assert.equal(
          err.message,
          `the ingest journal ${dir}/journal cannot be opened (${(err.cause as Error).message}): ` +
            `move the file ${dir}/journal aside: the journal needs a directory there`,
        );
        assert.equal((err.cause as NodeJS.ErrnoException).code, 'EEXIST');
        return true;
      });
    });
  });

  it('a journal under a file (ENOTDIR) names the same fix', async () => {
    await withStore(async (store, dir) => {
      const data = path.join(dir, 'not-a-dir');
      writeFileSync(data, 'a file');
      await assert.rejects(IngestWriter.open(store, data, createMetrics(), OPTIONS), (err: Error) => {
        assert.equal((err.cause as NodeJS.ErrnoException).code, 'ENOTDIR');
        assert.match(
          err.message,
          /: move the file .*not-a-dir\/journal aside: the journal needs a directory there$/,
        );
        return true;
      });
    });
  });

  it('a store whose load mark cannot be read stops the start, naming the fix for a disk failure', async () => {
    await withStore(async (store, dir) => {
      const broken = Object.assign(Object.create(store) as Store, {
        loadMark: () => Promise.reject(new Error('mark unreadable\nsecond line')),
      });
      await assert.rejects(
        IngestWriter.open(broken, dir, createMetrics(), OPTIONS),
        new JournalError(
          `the ingest journal ${dir}/journal cannot be opened (mark unreadable): ` +
            `make ${dir}/journal a directory Footfall can read and write`,
        ),
      );
      const readOnly = Object.assign(Object.create(store) as Store, {
        loadMark: () =>
          Promise.reject(Object.assign(new Error('EROFS: read-only file system, open'), { code: 'EROFS' })),
      });
      await assert.rejects(IngestWriter.open(readOnly, dir, createMetrics(), OPTIONS), {
        message: `the ingest journal ${dir}/journal cannot be opened (EROFS: read-only file system, open): mount ${dir} read-write`,
      });
    });
  });

  it('a leftover segment the store refuses stops the start and stays; a full disk names its fix', async () => {
    await withStore(async (store, dir) => {
      const journal = path.join(dir, 'journal');
      mkdirSync(journal);
      const leftover = path.join(journal, segmentName(1));
      writeFileSync(leftover, `${encodeRow(row(1))}\n`);
      const away = { failing: true };
      await assert.rejects(
        IngestWriter.open(withLoadsFailing(store, away), dir, createMetrics(), OPTIONS),
        (err: Error) => {
          assert.ok(err instanceof JournalError);
          assert.equal(
            err.message,
            `the ingest journal's segment ${leftover} cannot be loaded (store away): ` +
              'its events stay in the journal; mend the database, then start again',
          );
          assert.equal((err.cause as Error).message, 'store away', 'the store error is kept as the cause');
          return true;
        },
      );
      assert.deepEqual(
        readdirSync(journal),
        [segmentName(1)],
        'the leftover stays; the new empty segment is gone',
      );

      const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      await assert.rejects(
        IngestWriter.open(
          withLoadsFailing(store, { failing: true, error: full }),
          dir,
          createMetrics(),
          OPTIONS,
        ),
        {
          message:
            /cannot be loaded \(ENOSPC: no space left on device, write\): free disk space where .* lives$/,
        },
      );
    });
  });

  it('leftovers are loaded first and logged with their count; a segment with no whole line is not logged', async () => {
    await withStore(async (store, dir) => {
      const journal = path.join(dir, 'journal');
      mkdirSync(journal);
      writeFileSync(path.join(journal, segmentName(1)), `${encodeRow(row(1))}\n${encodeRow(row(2))}\n`);
      writeFileSync(path.join(journal, segmentName(2)), '{"torn');
      const logs: string[] = [];
      const writer = await IngestWriter.open(store, dir, createMetrics(), {
        ...OPTIONS,
        log: (m) => logs.push(m),
      });
      assert.deepEqual(logs, ['journal: loaded 2 events left by the previous run']);
      assert.equal(await count(store), 2);
      await writer.close();
    });
  });
});

describe('ingest writer: bounds', () => {
  it('canTake and write agree on the queue bound: up to maxQueue waiting, not one more', async () => {
    await withStore(async (store, dir) => {
      const writer = await IngestWriter.open(store, dir, createMetrics(), { ...OPTIONS, maxQueue: 3 });
      assert.equal(writer.canTake(3), true);
      assert.equal(writer.canTake(4), false);
      const first = writer.write(row(1));
      assert.equal(writer.depth, 1);
      assert.equal(writer.canTake(2), true);
      assert.equal(writer.canTake(3), false);
      const more = [writer.write(row(2)), writer.write(row(3))];
      await assert.rejects(writer.write(row(4)), (err: FootfallError) => {
        assert.equal(err.code, 'FOOTFALL_ERR_QUEUE_FULL');
        assert.equal(err.retryAfter, 1);
        return true;
      });
      await Promise.all([first, ...more]);
      assert.equal(writer.canTake(3), true, 'journaled events no longer count against the queue');
      assert.equal(writer.depth, 3, 'they wait for the store');
      await writer.close();
      assert.equal(writer.canTake(1), false, 'a closed writer takes nothing');
      await assert.rejects(writer.write(row(5)), (err: FootfallError) => {
        assert.equal(err.code, 'FOOTFALL_ERR_SHUTTING_DOWN');
        assert.equal(err.retryAfter, 1);
        return true;
      });
      assert.equal(await count(store), 3);
    });
  });

  it('the journal budget: writes are taken until the bytes waiting reach it, then refused naming the events waiting', async () => {
    await withStore(async (store, dir) => {
      const one = Buffer.byteLength(`${encodeRow(row(1))}\n`);
      const writer = await IngestWriter.open(store, dir, createMetrics(), {
        ...OPTIONS,
        journalMaxBytes: 2 * one,
      });
      await writer.write(row(1));
      assert.equal(writer.canTake(1), true, 'under the budget');
      await writer.write(row(3)); // same length as row 1: the budget exactly
      assert.equal(writer.canTake(1), false, 'at the budget');
      await assert.rejects(writer.write(row(5)), {
        code: 'FOOTFALL_ERR_JOURNAL_FULL',
        message:
          'the ingest journal has reached --journal-max while the store catches up, retry later: 2 events wait for the store',
      });
      await writer.flush();
      assert.equal(writer.canTake(1), true);
      await writer.close();
    });
  });

  it('a batch the journal cannot sync is refused with a 503 and reported; the writer goes on', async () => {
    await withStore(async (store, dir) => {
      const fs = new FaultyJournalFs();
      const errors: unknown[] = [];
      const writer = await IngestWriter.open(store, dir, createMetrics(), {
        ...OPTIONS,
        fs,
        onError: (e) => errors.push(e),
      });
      fs.failSync = true;
      const refused = await Promise.allSettled([writer.write(row(1)), writer.write(row(2))]);
      for (const r of refused) {
        assert.equal(r.status, 'rejected');
        assert.equal((r.reason as FootfallError).code, 'FOOTFALL_ERR_STORE_UNAVAILABLE');
        assert.equal((r.reason as FootfallError).retryAfter, 5);
      }
      assert.deepEqual(
        errors.map((e) => (e as NodeJS.ErrnoException).code),
        ['EIO'],
        'one failed batch, told once',
      );
      assert.equal(writer.depth, 0, 'refused events wait nowhere');
      assert.equal(writer.health().backlogEvents, 0);
      fs.failSync = false;
      await writer.write(row(3));
      await writer.close();
      assert.equal(await count(store), 1);
    });
  });

  it('events being written to the journal count against the queue and in the depth', async () => {
    await withStore(async (store, dir) => {
      const fs = new HeldSyncFs();
      const metrics = createMetrics();
      const writer = await IngestWriter.open(store, dir, metrics, { ...OPTIONS, maxQueue: 4, fs });
      const syncing = fs.hold();
      const batch = [writer.write(row(1)), writer.write(row(3))];
      await syncing; // the batch has left the queue and waits for its sync
      assert.equal(writer.depth, 2);
      assert.equal(writer.canTake(2), true);
      assert.equal(writer.canTake(3), false);
      // Writes arriving now wait in the queue for the next batch: one journal write at a time.
      batch.push(writer.write(row(5)), writer.write(row(7)));
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(writer.depth, 4);
      assert.equal(writer.canTake(1), false);
      await assert.rejects(writer.write(row(9)), { code: 'FOOTFALL_ERR_QUEUE_FULL' });
      fs.letGo();
      await Promise.all(batch);
      assert.equal(await metric(metrics, 'footfall_queue_depth'), 4, 'journaled, waiting for the store');
      await writer.flush();
      assert.equal(await metric(metrics, 'footfall_queue_depth'), 0);
      await writer.close();
    });
  });

  it('writes in one turn share a batch; writes arriving during it form the next one', async () => {
    await withStore(async (store, dir) => {
      const fs = new FaultyJournalFs();
      fs.syncDelayMs = 30;
      const metrics = createMetrics();
      const writer = await IngestWriter.open(store, dir, metrics, { ...OPTIONS, fs });
      const first = [1, 2, 3].map((i) => writer.write(row(i)));
      await new Promise((r) => setTimeout(r, 10)); // the first batch is syncing
      const second = [4, 5].map((i) => writer.write(row(i)));
      await Promise.all([...first, ...second]);
      assert.equal(await metric(metrics, 'footfall_batch_size_count'), 2);
      assert.equal(await metric(metrics, 'footfall_batch_size_sum'), 5);
      // Each batch's time is its write and sync (30 ms held), not a clock reading: far less
      // than the time this process has run (a clock reading would be several times that).
      const commitSeconds = (await metric(metrics, 'footfall_commit_seconds_sum'))!;
      assert.ok(commitSeconds >= 0.06 && commitSeconds < performance.now() / 1000, `${commitSeconds} s`);
      assert.deepEqual(
        fs.calls.map((c) => c.op),
        ['write', 'fdatasync', 'write', 'fdatasync'],
      );
      await writer.close();
    });
  });
});

describe('ingest writer: health and loads', () => {
  it('the lag counts from the first acknowledged event not yet in the store, and ends once it is stored', async () => {
    let clock = 1_000_000;
    await withStore(async (store, dir) => {
      const writer = await IngestWriter.open(store, dir, createMetrics(), { ...OPTIONS, now: () => clock });
      clock += 10_000; // idle time is no lag
      assert.equal(writer.health().lagSeconds, 0);
      await writer.write(row(1));
      const bytes = Buffer.byteLength(`${encodeRow(row(1))}\n`);
      assert.deepEqual(writer.health(), {
        failing: undefined,
        backlogEvents: 1,
        backlogBytes: bytes,
        lagSeconds: 0,
      });
      clock += 2_000;
      await writer.write(row(3));
      clock += 500;
      assert.equal(writer.health().lagSeconds, 2.5, 'a later event does not restart the lag');
      clock -= 5_000; // a clock stepped back shows no negative lag
      assert.equal(writer.health().lagSeconds, 0);
      clock += 5_000;
      await writer.flush();
      clock += 1_000;
      assert.deepEqual(writer.health(), {
        failing: undefined,
        backlogEvents: 0,
        backlogBytes: 0,
        lagSeconds: 0,
      });
      assert.equal(writer.depth, 0);
      await writer.close();
    });
  });

  it('a flush while a load runs also loads what was acknowledged after that load began', async () => {
    await withStore(async (store, dir) => {
      const { store: slow, loading, release } = withLoadsHeld(store);
      const writer = await IngestWriter.open(slow, dir, createMetrics(), OPTIONS);
      await writer.write(row(1));
      const first = writer.flush();
      await loading; // segment 1 is being loaded
      await writer.write(row(3)); // into segment 2
      const second = writer.flush();
      release();
      await second;
      assert.equal(await count(store), 2);
      await first;
      await writer.close();
    });
  });

  it('events journaled while a load runs keep their lag after it', async () => {
    let clock = 1_000_000;
    await withStore(async (store, dir) => {
      const { store: slow, loading, release } = withLoadsHeld(store);
      const writer = await IngestWriter.open(slow, dir, createMetrics(), { ...OPTIONS, now: () => clock });
      await writer.write(row(1));
      const first = writer.flush();
      await loading; // segment 1 is being loaded
      clock += 1_000;
      await writer.write(row(3)); // waits in segment 2 from now on
      clock += 2_000;
      release();
      await first;
      assert.equal(writer.health().backlogEvents, 1);
      assert.ok(writer.health().lagSeconds >= 2, `lag ${writer.health().lagSeconds} s`);
      await writer.close();
    });
  });

  it('flush waits for writes still on their way to the journal', async () => {
    await withStore(async (store, dir) => {
      const writer = await IngestWriter.open(store, dir, createMetrics(), OPTIONS);
      const writes = [writer.write(row(1)), writer.write(row(3))];
      await writer.flush();
      assert.equal(await count(store), 2);
      await Promise.all(writes);
      await writer.close();
    });
  });

  it('a success clears the retry wait: the loader runs at its interval again, and the next failure waits 0.5 s', async () => {
    const clock = { now: 1_000_000 };
    await withStore(async (store, dir) => {
      const away = { failing: true };
      let attempts = 0;
      const counted = Object.assign(Object.create(store) as Store, {
        loadEvents: (file: string | undefined, mark: { segment: number; offset: number }) => {
          attempts++;
          return away.failing ? Promise.reject(new Error('store away')) : store.loadEvents(file, mark);
        },
      });
      const writer = await IngestWriter.open(counted, dir, createMetrics(), {
        ...OPTIONS,
        loadIntervalMs: 5,
        now: () => clock.now,
      });
      /** Polls (up to 10 s: the machine may be busy) until `done`. */
      const until = async (done: () => boolean): Promise<boolean> => {
        for (let waited = 0; !done() && waited < 10_000; waited += 5)
          await new Promise((resolve) => setTimeout(resolve, 5));
        return done();
      };
      await writer.write(row(1));
      await assert.rejects(writer.flush()); // the next try waits 0.5 s
      await assert.rejects(writer.flush()); // and then 1 s
      away.failing = false;
      await writer.flush();
      // The clock stands still: a wait left over from the failures would stop the loader.
      await writer.write(row(3));
      assert.ok(await until(() => writer.health().backlogEvents === 0), 'loaded at the next tick');
      away.failing = true;
      const before = attempts;
      await writer.write(row(5));
      assert.ok(await until(() => attempts > before && !writer.healthy), 'the next load fails');
      const failed = attempts;
      clock.now += 500;
      assert.ok(await until(() => attempts > failed), 'retried after 0.5 s, as after a first failure');
      away.failing = false;
      await writer.close();
      assert.equal(await count(store), 3);
    });
  });

  it('when the next segment cannot be started, the load fails and is reported; events go on into the current one', async () => {
    await withStore(async (store, dir) => {
      // Something sits where segment 2 would go, as when a disk is out of inodes.
      const blocker = path.join(dir, 'journal', segmentName(2));
      mkdirSync(blocker, { recursive: true });
      const errors: unknown[] = [];
      const writer = await IngestWriter.open(store, dir, createMetrics(), {
        ...OPTIONS,
        onError: (e) => errors.push(e),
      });
      await writer.write(row(1));
      await assert.rejects(writer.flush(), { code: 'EEXIST' });
      assert.equal(writer.healthy, false);
      assert.deepEqual(
        errors.map((e) => (e as NodeJS.ErrnoException).code),
        ['EEXIST'],
      );
      await writer.write(row(3));
      assert.equal(writer.health().backlogEvents, 2);
      rmSync(blocker, { recursive: true });
      await writer.flush();
      assert.equal(writer.healthy, true);
      assert.equal(await count(store), 2);
      await writer.close();
    });
  });

  it('a close whose last load fails still closes the journal segment, and reports the failure', async () => {
    await withStore(async (store, dir) => {
      const blocker = path.join(dir, 'journal', segmentName(2));
      mkdirSync(blocker, { recursive: true });
      const writer = await IngestWriter.open(store, dir, createMetrics(), OPTIONS);
      await writer.write(row(1));
      const segment = path.join(dir, 'journal', segmentName(1));
      /** Descriptors of this process open on segment 1. */
      const openOnSegment = () =>
        readdirSync('/proc/self/fd').filter((fd) => {
          try {
            return readlinkSync(`/proc/self/fd/${fd}`) === segment;
          } catch {
            return false; // closed while listed (the listing's own descriptor)
          }
        }).length;
      assert.equal(openOnSegment(), 1);
      await assert.rejects(writer.close(), { code: 'EEXIST' });
      assert.equal(openOnSegment(), 0);
      // The events stay in the journal for the next start.
      rmSync(blocker, { recursive: true });
      const again = await IngestWriter.open(store, dir, createMetrics(), OPTIONS);
      assert.equal(await count(store), 1);
      await again.close();
    });
  });

  it('after a load that failed part-way, only the segments not yet loaded are retried', async () => {
    await withStore(async (store, dir) => {
      let refused = 0; // a segment number the store refuses; 0: none, -1: every one
      const picky = Object.assign(Object.create(store) as Store, {
        loadEvents: (file: string | undefined, mark: { segment: number; offset: number }) =>
          refused === -1 || mark.segment === refused
            ? Promise.reject(new Error('store away'))
            : store.loadEvents(file, mark),
      });
      const writer = await IngestWriter.open(picky, dir, createMetrics(), OPTIONS);
      await writer.write(row(1));
      refused = -1;
      await assert.rejects(writer.flush()); // segment 1 waits
      await writer.write(row(3));
      refused = 2;
      await assert.rejects(writer.flush()); // segment 1 loads, segment 2 waits
      assert.equal(await count(store), 1);
      refused = 0;
      await writer.flush();
      assert.equal(await count(store), 2);
      assert.equal(writer.healthy, true);
      await writer.close();
    });
  });

  it('a store failing without an error still shows as failing', async () => {
    await withStore(async (store, dir) => {
      const mute = Object.assign(Object.create(store) as Store, {
        loadEvents: () => Promise.reject(undefined),
      });
      const writer = await IngestWriter.open(mute, dir, createMetrics(), OPTIONS);
      await writer.write(row(1));
      await assert.rejects(writer.flush());
      assert.equal((writer.health().failing as Error).message, 'loads into the store are failing');
      await writer.close().catch(() => {});
    });
  });

  it('a failed load is reported and retried with what came after; once the store is back, each event is stored once', async () => {
    await withStore(async (store, dir) => {
      const away = { failing: true };
      const metrics = createMetrics();
      const errors: unknown[] = [];
      const logs: string[] = [];
      const writer = await IngestWriter.open(withLoadsFailing(store, away), dir, metrics, {
        ...OPTIONS,
        onError: (e) => errors.push(e),
        log: (m) => logs.push(m),
      });
      await writer.write(row(1));
      await assert.rejects(writer.flush(), /store away/);
      assert.equal(writer.healthy, false);
      assert.equal((writer.health().failing as Error).message, 'store away');
      assert.equal(errors.length, 1);
      assert.deepEqual(logs, [], 'every line is sound: nothing is quarantined');
      await writer.write(row(3));
      await assert.rejects(writer.flush(), /store away/);
      assert.equal(writer.health().backlogEvents, 2);
      assert.deepEqual(
        readdirSync(path.join(dir, 'journal')).sort(),
        [segmentName(1), segmentName(2), segmentName(3)],
        'both failed segments kept, the third open',
      );
      away.failing = false;
      await writer.flush();
      assert.equal(writer.healthy, true);
      assert.deepEqual(writer.health(), {
        failing: undefined,
        backlogEvents: 0,
        backlogBytes: 0,
        lagSeconds: 0,
      });
      assert.deepEqual(
        (await store.queryRows('SELECT pathname FROM events ORDER BY ts')).map((r) => r.pathname),
        ['/p/1', '/p/3'],
      );
      assert.deepEqual(
        readdirSync(path.join(dir, 'journal')),
        [segmentName(3)],
        'loaded segments are deleted',
      );
      assert.deepEqual(
        await store.loadMark(),
        { segment: 2, offset: Buffer.byteLength(`${encodeRow(row(3))}\n`) },
        'the store records the last segment loaded and its size',
      );
      assert.equal(await metric(metrics, 'footfall_events_stored_total'), 2);
      assert.equal(await metric(metrics, 'footfall_store_load_rows_count'), 2);
      assert.equal(await metric(metrics, 'footfall_store_load_rows_sum'), 2);
      const loadSeconds = (await metric(metrics, 'footfall_store_load_seconds_sum'))!;
      assert.ok(loadSeconds > 0 && loadSeconds < performance.now() / 1000, `${loadSeconds} s`);
      assert.equal(
        await metric(metrics, 'footfall_events_dropped_total{reason="site_removed"}'),
        undefined,
        'no event was dropped',
      );
      await writer.close();
    });
  });

  it('damaged lines found by a failed load leave the backlog even when the rest cannot be loaded yet', async () => {
    await withStore(async (store, dir) => {
      const away = { failing: true };
      const metrics = createMetrics();
      const logs: string[] = [];
      const writer = await IngestWriter.open(withLoadsFailing(store, away), dir, metrics, {
        ...OPTIONS,
        log: (m) => logs.push(m),
      });
      await Promise.all([1, 3, 5].map((i) => writer.write(row(i))));
      // The first line is damaged on disk after it was acknowledged (same length, not JSON).
      const file = path.join(dir, 'journal', segmentName(1));
      const text = readFileSync(file, 'utf8');
      const lines = text.split('\n');
      writeFileSync(file, `x${lines[0]!.slice(1)}\n${lines.slice(1).join('\n')}`);
      await assert.rejects(writer.flush(), /store away/);
      const rest = Buffer.byteLength(`${lines[1]}\n${lines[2]}\n`);
      assert.deepEqual(
        [writer.health().backlogEvents, writer.health().backlogBytes],
        [2, rest],
        'the damaged line left the backlog',
      );
      assert.equal(await metric(metrics, 'footfall_journal_quarantined_total'), 1);
      assert.deepEqual(logs, [
        `journal: moved 1 line(s) of segment 1 that cannot be loaded to ${path.join(dir, 'journal', 'quarantine.ndjson')} (line 1: not valid JSON)`,
      ]);
      away.failing = false;
      await writer.flush();
      assert.equal(writer.health().backlogEvents, 0);
      assert.equal(writer.health().backlogBytes, 0);
      assert.deepEqual(
        (await store.queryRows('SELECT pathname FROM events ORDER BY ts')).map((r) => r.pathname),
        ['/p/3', '/p/5'],
      );
      assert.equal(await metric(metrics, 'footfall_journal_quarantined_total'), 1, 'checked once');
      await writer.close();
    });
  });
});
