// The rollup job (store/duckdb/rollups.ts): every 10 minutes, and at start, the finished salt
// days not rolled yet are rolled, a batch at a time so loads and queries go on between them;
// while a batch leaves more to do (a data directory's first start after the upgrade: a year is
// ~365 days per site) the next one follows a second later. Not in the job ledger: rolling is
// this node's own file's work, and rolling a day again gives the same rows.
import type { Job } from './scheduler.js';

/** Days rolled per run; each is its own transaction. */
export const ROLLUP_BATCH_DAYS = 20;
const EVERY_MS = 10 * 60_000;

export function rollupJob(
  rollUp: (nowMs: number, maxDays: number) => Promise<number>,
  log: (msg: string) => void,
): Job {
  let more = false;
  let total = 0;
  return {
    name: 'rollups',
    catchUp: true,
    nextRunIn: () => (more ? 1000 : EVERY_MS),
    run: async (now) => {
      const n = await rollUp(now, ROLLUP_BATCH_DAYS);
      more = n >= ROLLUP_BATCH_DAYS;
      total += n;
      // One line when a run of batches ends, not one per batch.
      if (!more && total > 0) {
        log(`rollups: rolled ${total} finished day${total === 1 ? '' : 's'}`);
        total = 0;
      }
    },
  };
}
