// Runs background jobs: a name, when it next runs, what it does. Chains timeouts (no drift, no
// overlap), never keeps the process alive, logs failures and tries a failed job again soon.
export interface Job {
  name: string;
  /** Milliseconds from `now` until the next run. */
  nextRunIn: (now: number) => number;
  run: (now: number) => Promise<void>;
  /** Run once right at start, not only when next due (periodic jobs catching up). */
  catchUp?: boolean;
}

/** After a failed run, the job is tried again this soon (or when next due, if sooner). */
const RETRY_AFTER_MS = 60_000;

export interface Scheduler {
  /** No run starts after this; resolves when the runs under way have finished. */
  stop(): Promise<void>;
}

export function startJobs(jobs: readonly Job[], now: () => number, log: (msg: string) => void): Scheduler {
  const timers = new Map<string, NodeJS.Timeout>();
  // Runs under way: a stop waits for them, so none is cut off by the store closing under it
  // (which would leave its period claimed but unfinished, and skipped at the next start).
  const running = new Set<Promise<void>>();
  let stopped = false;
  const arm = (job: Job, delay: number) => {
    if (stopped) return;
    const timer = setTimeout(() => {
      const run = (async () => {
        let next: number;
        try {
          await job.run(now());
          next = job.nextRunIn(now());
        } catch (err) {
          log(`job ${job.name} failed: ${err instanceof Error ? err.message : String(err)}`);
          next = Math.min(job.nextRunIn(now()), RETRY_AFTER_MS);
        }
        arm(job, next);
      })();
      running.add(run);
      void run.finally(() => running.delete(run));
    }, delay);
    timer.unref();
    timers.set(job.name, timer);
  };
  for (const job of jobs) arm(job, job.catchUp ? 0 : job.nextRunIn(now()));
  return {
    async stop() {
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
      await Promise.all(running);
    },
  };
}
