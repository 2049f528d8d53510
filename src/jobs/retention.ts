// Retention: a site may keep its events for N months (default: forever). Each night the job
// deletes, per site with a limit, the events before the start of the day N months ago in the
// site's time zone (so every kept day is whole in the reports), with their visit rows
// (store: deleteEventsBefore).
import { footfallError } from '../errors.js';
import { addMonths, localDate, startOfLocalDay } from '../query/zoned-time.js';
import type { RetentionSettings } from '../store/jobs.js';
import type { EventStore } from '../store/types.js';
import type { PeriodicJob } from './ledger.js';

const DAY_MS = 86_400_000;
/** A hundred years: anything longer is "forever". */
const MAX_RETENTION_MONTHS = 1200;
/** The nightly run, in UTC (after the salt rotation at 00:00, before most sites' mornings). */
const RUN_AT_MS = 3600_000;

/** `--retention 25m` or `--retention forever` → months, or null for forever. */
export function parseRetention(input: string): number | null {
  const text = input.trim().toLowerCase();
  if (text === 'forever') return null;
  const m = /^(\d{1,4})m$/.exec(text);
  if (!m) {
    throw footfallError(
      'FOOTFALL_ERR_INVALID_RETENTION',
      `"${input}": give a number of months such as 25m, or forever`,
    );
  }
  return checkRetentionMonths(Number(m[1]));
}

/** The API's `retentionMonths`: a whole number of months, 1–1200, or null for forever. */
export function checkRetentionMonths(value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_RETENTION_MONTHS) {
    throw footfallError(
      'FOOTFALL_ERR_INVALID_RETENTION',
      `${JSON.stringify(value)}: give a whole number of months from 1 to ${MAX_RETENTION_MONTHS}, or null (forever)`,
    );
  }
  return value;
}

/** How a setting reads in the CLI and the dashboard. */
export function retentionText(months: number | null): string {
  return months === null ? 'forever' : `${months} months`;
}

/** The first instant kept at `now`: the start of the day `months` ago in the site's zone. */
export function retentionCut(now: number, months: number, timezone: string): number {
  return startOfLocalDay(addMonths(localDate(now, timezone), -months), timezone);
}

export function retentionJob(
  store: { jobs: RetentionSettings } & Pick<EventStore, 'deleteEventsBefore'>,
  log: (msg: string) => void,
): PeriodicJob {
  return {
    name: 'retention',
    nextRunIn: (t) => {
      const next = t - (t % DAY_MS) + RUN_AT_MS;
      return next > t ? next - t : next + DAY_MS - t;
    },
    due: async (t) => {
      const day = new Date(t).toISOString().slice(0, 10);
      return (await store.jobs.retentionRules()).map((rule) => ({
        period: `site${rule.siteId}:${day}`,
        run: async () => {
          const cut = retentionCut(t, rule.months, rule.timezone);
          const deleted = await store.deleteEventsBefore(rule.siteId, cut);
          if (deleted > 0) {
            log(
              `retention: deleted ${deleted} events of ${rule.domain} before ${new Date(cut).toISOString()} (kept ${retentionText(rule.months)})`,
            );
          }
        },
      }));
    },
  };
}
