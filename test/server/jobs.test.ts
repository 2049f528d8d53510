import assert from 'node:assert/strict';
import { it } from 'node:test';
import { startJobs } from '../../src/server/jobs.js';

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
