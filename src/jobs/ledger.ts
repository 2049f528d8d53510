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
//
// Once per cluster. Nodes sharing one ledger (PostgreSQL) race for each period; the claim is one
// unit, so one wins. The winner holds it as a lease — its node id and an expiry, renewed every
// third of LEASE_MS while the work runs — so a node that dies mid-run blocks nobody: once its
// lease lapses, the next node whose tick finds the period due takes it over (tidy jobs, `retake`)
// or marks it interrupted (mail, at most once). A node that lost the race looks again soon after
// the winner's lease would lapse, rather than a whole period later.

import type { JobLedger, Lease } from '../store/jobs.js';
import type { Job } from './scheduler.js';

/** How often a failed period is tried before the ledger gives it up. */
export const MAX_FAILURES = 3;
/** How long a claimed period is held without renewal (renewed every third of it while it runs). */
export const LEASE_MS = 120_000;

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
  /** A period a dead node left is run again by another (true: tidy, repeatable work). */
  retake?: boolean;
}

/** The job as the scheduler runs it: each due period claimed, run and recorded. */
export function ledgered(
  job: PeriodicJob,
  ledger: JobLedger,
  now: () => number,
  /** The node claiming (--node-id); unset: periods are claimed without a lease (tools, tests). */
  node?: string,
): Job {
  // The earliest moment another node's lease on a due period lapses (undefined: none held).
  let recheckAt: number | undefined;
  const lease: Lease | undefined = node ? { node, ms: LEASE_MS, retake: job.retake === true } : undefined;
  return {
    name: job.name,
    nextRunIn: (t) => {
      const regular = job.nextRunIn(t);
      return recheckAt === undefined ? regular : Math.min(regular, Math.max(1000, recheckAt - t + 1000));
    },
    catchUp: true,
    run: async (at) => {
      const failures: string[] = [];
      recheckAt = undefined;
      for (const due of await job.due(at)) {
        const claim = await ledger.take(job.name, due.period, now(), MAX_FAILURES, lease);
        if (!claim.taken) {
          if (claim.heldUntil !== undefined)
            recheckAt = Math.min(recheckAt ?? claim.heldUntil, claim.heldUntil);
          continue;
        }
        const renewal = lease
          ? setInterval(() => {
              void ledger.renew(job.name, due.period, lease.node, now() + lease.ms).catch(() => {});
            }, lease.ms / 3)
          : undefined;
        renewal?.unref();
        try {
          await due.run();
          await ledger.finish(job.name, due.period, now());
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          await ledger.finish(job.name, due.period, now(), message);
          failures.push(`${due.period}: ${message}`);
        } finally {
          if (renewal) clearInterval(renewal);
        }
      }
      if (failures.length > 0) throw new Error(failures.join('; '));
    },
  };
}
