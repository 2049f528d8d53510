// Background jobs as a table: a name, when it next runs, what it does. The scheduler chains
// timeouts (no drift, no overlap), never keeps the process alive, and logs failures.
import { msUntilNextUtcMidnight, type SaltKeeper } from '../enrich/salts.js';
import type { AccountStore } from '../store/accounts.js';

export interface Job {
  name: string;
  /** Milliseconds from `now` until the next run. */
  nextRunIn: (now: number) => number;
  run: (now: number) => Promise<void>;
}

export interface Scheduler {
  stop(): void;
}

export function startJobs(jobs: readonly Job[], now: () => number, log: (msg: string) => void): Scheduler {
  const timers = new Map<string, NodeJS.Timeout>();
  let stopped = false;
  const arm = (job: Job) => {
    if (stopped) return;
    const timer = setTimeout(async () => {
      try {
        await job.run(now());
      } catch (err) {
        log(`job ${job.name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      arm(job);
    }, job.nextRunIn(now()));
    timer.unref();
    timers.set(job.name, timer);
  };
  for (const job of jobs) arm(job);
  return {
    stop() {
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
    },
  };
}

/** The server's jobs (exposed on the running server, so tests run them on a driven clock). */
export function serverJobs(deps: { salts: Pick<SaltKeeper, 'rotate'>; accounts: AccountStore }): Job[] {
  return [
    // Just after 00:00 UTC: create the new day's salt, delete the one from two days ago.
    {
      name: 'rotate-salts',
      nextRunIn: (t) => msUntilNextUtcMidnight(t) + 1000,
      run: (t) => deps.salts.rotate(t),
    },
    {
      name: 'purge-expired-sessions',
      nextRunIn: () => 3600_000,
      run: (t) => deps.accounts.removeExpiredSessions(t),
    },
  ];
}
