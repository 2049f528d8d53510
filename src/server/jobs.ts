// The server's background jobs as a table: a name, when it next runs, what it does (run by
// src/jobs/scheduler.ts). Jobs that work by periods (salts, retention, reports) record each
// period in the job ledger (src/jobs/ledger.ts): they run once at start to catch up what came
// due while the server was down, and the ledger keeps them from repeating a period — across
// nodes too: each period is claimed as this node's lease (jobs/ledger.ts), so with several nodes
// on one PostgreSQL each period runs on one of them. Salts and retention are tidy work, retaken
// from a node that died mid-run; reports and alerts send mail, so theirs are not repeated.
import { msUntilNextUtcMidnight, type SaltKeeper } from '../enrich/salts.js';
import { type AlertDeps, alertsJob } from '../jobs/alerts.js';
import { ledgered } from '../jobs/ledger.js';
import { type ReportDeps, reportsJob } from '../jobs/reports.js';
import { retentionJob } from '../jobs/retention.js';
import { rollupJob } from '../jobs/rollups.js';
import type { Job } from '../jobs/scheduler.js';
import type { AccountStore } from '../store/accounts.js';
import type { Store } from '../store/types.js';

/** The server's jobs (exposed on the running server, so tests run them on a driven clock). */
export function serverJobs(deps: {
  salts: Pick<SaltKeeper, 'rotate'>;
  accounts: AccountStore;
  store: Pick<Store, 'jobs' | 'deleteEventsBefore' | 'rollUp'>;
  reports: ReportDeps;
  alerts: AlertDeps;
  now: () => number;
  log: (msg: string) => void;
  /** This node's id: each period is claimed as its lease, so it runs once per cluster. */
  node: string;
}): Job[] {
  const ledger = deps.store.jobs;
  const rollups = deps.store.rollUp ? [rollupJob(deps.store.rollUp.bind(deps.store), deps.log)] : [];
  return [
    ...rollups,
    // Just after 00:00 UTC: create the new day's salt, delete the one from two days ago.
    ledgered(
      {
        name: 'rotate-salts',
        nextRunIn: (t) => msUntilNextUtcMidnight(t) + 1000,
        due: async (t) => [
          { period: new Date(t).toISOString().slice(0, 10), run: () => deps.salts.rotate(t) },
        ],
        retake: true,
      },
      ledger,
      deps.now,
      deps.node,
    ),
    // 01:00 UTC: events older than each site's retention go.
    ledgered({ ...retentionJob(deps.store, deps.log), retake: true }, ledger, deps.now, deps.node),
    // Every quarter hour: weekly and monthly reports due at 09:00 in their site's time zone.
    ledgered(reportsJob(deps.reports), ledger, deps.now, deps.node),
    // Every minute: traffic spikes and drops, each at most once per 12 hours per site.
    ledgered(alertsJob(deps.alerts), ledger, deps.now, deps.node),
    // Hourly: sign-in sessions past their expiry are deleted (one node an hour does it for all).
    ledgered(
      {
        name: 'purge-expired-sessions',
        nextRunIn: () => 3600_000,
        due: async (t) => [
          {
            period: new Date(t).toISOString().slice(0, 13),
            run: () => deps.accounts.removeExpiredSessions(t),
          },
        ],
        retake: true,
      },
      ledger,
      deps.now,
      deps.node,
    ),
  ];
}
