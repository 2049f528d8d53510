// The job scheduler, and the server's own job table driven by a hand-moved clock.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateTraffic } from '../../bench/generate/events.js';
import { loadRows } from '../../bench/generate/load.js';
import { startJobs } from '../../src/jobs/scheduler.js';
import { addSite } from '../../src/sites/manage.js';
import { createStore } from '../../src/store/create-store.js';
import { manualClock } from '../helpers/accounts.js';
import { removeDir, startTestServer, type TestServer, tempDir } from '../helpers/server.js';

it('runs each job when due, runs it again after, logs a failure and keeps going, and stops', async () => {
  const runs: number[] = [];
  const logs: string[] = [];
  let failed = false;
  const scheduler = startJobs(
    [
      {
        name: 'flaky',
        nextRunIn: () => 1,
        run: async (now) => {
          runs.push(now);
          if (!failed) {
            failed = true;
            throw new Error('disk full');
          }
        },
      },
    ],
    () => 42,
    (m) => logs.push(m),
  );
  while (runs.length < 3) await new Promise((r) => setTimeout(r, 5));
  scheduler.stop();
  const after = runs.length;
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(runs.length, after, 'no run after stop()');
  assert.deepEqual(runs.slice(0, 3), [42, 42, 42], 'jobs get the injected clock');
  assert.deepEqual(logs, ['job flaky failed: disk full']);
});

describe("the server's salt job", () => {
  const DAY = 86_400_000;
  const D = Date.parse('2026-03-10T00:00:00.000Z');
  const clock = manualClock(D + DAY - 60_000); // 23:59:00 UTC
  let server: TestServer;
  const storedDays = async () => (await server.store.listSalts()).map((s) => s.day);

  before(async () => {
    server = await startTestServer({ now: clock.now });
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('runs just after each 00:00 UTC and deletes the salt of two days before', async () => {
    const job = server.jobs.find((j) => j.name === 'rotate-salts');
    assert.ok(job, 'the server runs a salt job');
    assert.deepEqual(await storedDays(), ['2026-03-10']);

    const first = clock.now() + job.nextRunIn(clock.now());
    assert.equal(new Date(first).toISOString(), '2026-03-11T00:00:01.000Z');
    clock.advance(first - clock.now());
    await job.run(clock.now());
    assert.deepEqual(await storedDays(), ['2026-03-10', '2026-03-11'], "yesterday's salt is kept");

    const second = clock.now() + job.nextRunIn(clock.now());
    assert.equal(new Date(second).toISOString(), '2026-03-12T00:00:01.000Z');
    clock.advance(second - clock.now());
    await job.run(clock.now());
    assert.deepEqual(await storedDays(), ['2026-03-11', '2026-03-12'], 'the salt of 10 March is gone');
  });
});

describe("the server's rollup job", () => {
  let server: TestServer;
  after(async () => {
    await server?.close();
    if (server) removeDir(server.dataDir);
  });

  it('rolls the finished days at start, without being asked, and is in the job table', async () => {
    const dataDir = tempDir();
    const store = await createStore({ dataDir });
    const site = await addSite(store, { domain: 'rolled.example', timezone: 'UTC' });
    await loadRows(
      store,
      generateTraffic({ seed: 5, siteId: site.id, startDate: '2026-03-01', days: 5, visitsPerDay: 10 }),
    );
    await store.close();
    server = await startTestServer({ dataDir, sites: [], now: () => Date.parse('2026-03-09T12:00:00Z') });
    const job = server.jobs.find((j) => j.name === 'rollups');
    assert.ok(job, 'the server runs a rollup job');
    let days: unknown[] = [];
    for (let i = 0; i < 100 && days.length < 5; i++) {
      days = (
        await server.store.queryRows("SELECT strftime(salt_day, '%Y-%m-%d') AS d FROM rollup_days ORDER BY d")
      ).map((r) => r.d);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(days, ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05']);
  });
});
