// Background jobs as a table: a name, when it next runs, what it does. The scheduler chains
// timeouts (no drift, no overlap), never keeps the process alive, and logs failures.

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
