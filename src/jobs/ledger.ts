// A periodic job whose work is cut into periods ("the salt of 2026-03-11", "site 4's retention
// on 2026-03-11"), each recorded in the job ledger (store/jobs.ts) so that a restart neither
// repeats nor skips one: every tick asks the job which periods are due by now, claims each in
// the ledger, runs it, and records how it ended.
//
// At most once. A period is claimed before its work starts; a process that stops mid-run leaves
// the claim `running`, and the next start marks it `interrupted` and does not run it again. For
// mail that is the right side to err on (a report or alert sent twice is worse than one missed,
// and a missed one is logged); the jobs that only keep data tidy (salts, retention) do all the
// work due up to their run, so the next period's run catches up whatever an interrupted one left.
// A period whose work threw (the SMTP server refused, the disk was full) did not deliver, so it
// is tried again at the next ticks, up to MAX_FAILURES times.

import type { JobLedger } from '../store/jobs.js';
import type { Job } from './scheduler.js';

/** How often a failed period is tried before the ledger gives it up. */
export const MAX_FAILURES = 3;

export interface DuePeriod {
  /** Unique within the job, e.g. `2026-03-11` or `site4:2026-W11`. */
  period: string;
  run: () => Promise<void>;
}

export interface PeriodicJob {
  name: string;
  nextRunIn: (now: number) => number;
  /** The periods due at `now` (already done ones included: the ledger skips them). */
  due: (now: number) => Promise<DuePeriod[]>;
}

/** The job as the scheduler runs it: each due period claimed, run and recorded. */
export function ledgered(job: PeriodicJob, ledger: JobLedger, now: () => number): Job {
  return {
    name: job.name,
    nextRunIn: job.nextRunIn,
    catchUp: true,
    run: async (at) => {
      const failures: string[] = [];
      for (const due of await job.due(at)) {
        if (!(await ledger.claim(job.name, due.period, now(), MAX_FAILURES))) continue;
        try {
          await due.run();
          await ledger.finish(job.name, due.period, now());
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          await ledger.finish(job.name, due.period, now(), message);
          failures.push(`${due.period}: ${message}`);
        }
      }
      if (failures.length > 0) throw new Error(failures.join('; '));
    },
  };
}
