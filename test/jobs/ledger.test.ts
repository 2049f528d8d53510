// The job ledger: every periodic job runs each period once — not again after a restart, not
// skipped when the server was down at the due time, not repeated when a stop cut a run short —
// and /metrics tells each job's runs, failures and last success, read from the ledger.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ledgered, MAX_FAILURES, type PeriodicJob } from '../../src/jobs/ledger.js';
import { startJobs } from '../../src/jobs/scheduler.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import type { Store } from '../../src/store/types.js';
import { manualClock } from '../helpers/accounts.js';
import { metricValue, removeDir, startTestServer, tempDir } from '../helpers/server.js';

const D = Date.parse('2026-03-10T00:00:00.000Z');
const DAY = 86_400_000;

/** A job with one period per UTC day that counts its runs; `fail` makes the next runs throw. */
function dailyJob(runs: string[], fail = { times: 0 }): PeriodicJob {
  return {
    name: 'daily',
    nextRunIn: () => DAY,
    due: async (t) => {
      const day = new Date(t).toISOString().slice(0, 10);
      return [
        {
          period: day,
          run: async () => {
            runs.push(day);
            if (fail.times > 0) {
              fail.times--;
              throw new Error('smtp down');
            }
          },
        },
      ];
    },
  };
}

describe('a ledgered job on the real store', () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = tempDir();
    store = await openDuckDbStore(dir);
  });
  after(async () => {
    await store.close();
    removeDir(dir);
  });

  it('runs a period once, even when asked again after a restart', async () => {
    const runs: string[] = [];
    const clock = manualClock(D + 3600_000);
    await ledgered(dailyJob(runs), store.jobs, clock.now).run(clock.now());
    await ledgered(dailyJob(runs), store.jobs, clock.now).run(clock.now());
    await store.close();
    store = await openDuckDbStore(dir);
    clock.advance(60_000);
    await ledgered(dailyJob(runs), store.jobs, clock.now).run(clock.now());
    assert.deepEqual(runs, ['2026-03-10'], 'one run for the day, across two ticks and a restart');
    clock.advance(DAY);
    await ledgered(dailyJob(runs), store.jobs, clock.now).run(clock.now());
    assert.deepEqual(runs, ['2026-03-10', '2026-03-11'], 'the next day runs');
  });

  it('a period that threw is tried again, up to MAX_FAILURES times, and the failures are counted', async () => {
    const runs: string[] = [];
    const clock = manualClock(D + 5 * DAY);
    const job = ledgered(dailyJob(runs, { times: 99 }), store.jobs, clock.now);
    for (let i = 0; i < MAX_FAILURES + 2; i++) {
      await assert.rejects(job.run(clock.now()), /2026-03-15: smtp down/).catch(() => {});
    }
    assert.equal(runs.length, MAX_FAILURES, `tried ${MAX_FAILURES} times, then given up`);
    const recovering = { times: 1 };
    const job2 = ledgered(dailyJob(runs, recovering), store.jobs, clock.now);
    clock.advance(DAY);
    await assert.rejects(job2.run(clock.now()), /smtp down/);
    await job2.run(clock.now());
    const daily = (await store.jobs.summary()).find((s) => s.job === 'daily');
    assert.equal(daily?.failed, MAX_FAILURES + 1);
    assert.equal(daily?.lastSuccess, clock.now(), 'the retry that worked is the last success');
  });

  it('a job marked catchUp runs at start: a period due while the server was down is not skipped', async () => {
    const runs: string[] = [];
    const clock = manualClock(D + 20 * DAY + 5 * 3600_000);
    const job = ledgered(dailyJob(runs), store.jobs, clock.now);
    // The next regular run is a day away; the catch-up run happens now.
    const scheduler = startJobs([job], clock.now, () => {});
    const deadline = Date.now() + 2000;
    while (runs.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    scheduler.stop();
    assert.deepEqual(runs, ['2026-03-30']);
  });
});

describe('the server and its ledger', () => {
  const clock = manualClock(D + DAY - 60_000); // 23:59 UTC
  let dataDir: string;
  before(() => {
    dataDir = tempDir();
  });
  after(() => removeDir(dataDir));

  it('a period a stop left running is not run again; /metrics tells runs, failures and last success', async () => {
    let server = await startTestServer({ dataDir, now: clock.now, schedule: false });
    const salts = server.jobs.find((j) => j.name === 'rotate-salts')!;
    clock.advance(61_000); // 00:00:01 on 11 March
    await salts.run(clock.now());
    assert.equal(await metricValue(server, 'footfall_job_runs{job="rotate-salts"}'), 1);
    assert.equal(
      await metricValue(server, 'footfall_job_last_success_seconds{job="rotate-salts"}'),
      clock.now() / 1000,
    );
    // A run of the next day's period that the process never finished (stopped mid-run).
    assert.equal(await server.store.jobs.claim('rotate-salts', '2026-03-12', clock.now(), 3), true);
    await server.close();

    clock.advance(DAY);
    server = await startTestServer({ dataDir, sites: [], now: clock.now, schedule: false });
    try {
      assert.ok(
        server.logs.some((l) =>
          l.includes('job rotate-salts was stopped while running 2026-03-12: not repeated'),
        ),
        server.logs.join('\n'),
      );
      await server.jobs.find((j) => j.name === 'rotate-salts')!.run(clock.now());
      // Run again, its row would say done.
      const rows = await server.query('SELECT period, state FROM job_runs WHERE job = $1 ORDER BY period', [
        'rotate-salts',
      ]);
      assert.deepEqual(
        rows.map((r) => `${r.period} ${r.state}`),
        ['2026-03-11 done', '2026-03-12 interrupted'],
      );
      assert.equal(
        await metricValue(server, 'footfall_job_runs{job="rotate-salts"}'),
        1,
        'from the ledger, across the restart',
      );
      assert.equal(await metricValue(server, 'footfall_job_failures{job="rotate-salts"}'), 0);
    } finally {
      await server.close();
    }
  });
});
