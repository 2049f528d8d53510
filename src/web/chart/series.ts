// Turns time-dimension query answers into the chart's aligned arrays: one slot per time
// label (buckets without events are 0, not gaps). The previous period is its own query
// (see previousRange), matched bucket by bucket in order, so a bucket that is empty now
// still shows what it had before.
import { dimensionText, type QueryResponse } from '../api/types.js';
import type { Interval } from '../time/range.js';
import { addDays, daysBetween } from '../time/range.js';

export interface Series {
  labels: string[];
  current: number[];
  previous: number[] | undefined;
  /** The previous period's own labels, for the legend. */
  previousLabels: string[] | undefined;
}

function aligned(res: QueryResponse): { labels: string[]; values: number[] } {
  const byLabel = new Map(res.results.map((r) => [dimensionText(r), r.metrics[0] ?? 0]));
  const labels = res.meta.time_labels ?? [...byLabel.keys()].sort();
  return { labels, values: labels.map((l) => byLabel.get(l) ?? 0) };
}

export function toSeries(res: QueryResponse, previous?: QueryResponse): Series {
  const cur = aligned(res);
  if (!previous)
    return { labels: cur.labels, current: cur.values, previous: undefined, previousLabels: undefined };
  const prev = aligned(previous);
  return {
    labels: cur.labels,
    current: cur.values,
    previous: cur.labels.map((_, i) => prev.values[i] ?? 0),
    previousLabels: cur.labels.map((_, i) => prev.labels[i] ?? ''),
  };
}

/**
 * The period before the one the API resolved (its `query.date_range`, zoned ISO date-times
 * whose first ten characters are the site's local dates): as many whole days, ending the day
 * before — what the API's own `previous_period` comparison uses for the top row.
 */
export function previousRange(resolved: unknown): [string, string] | undefined {
  if (!Array.isArray(resolved) || typeof resolved[0] !== 'string' || typeof resolved[1] !== 'string')
    return undefined;
  const first = resolved[0].slice(0, 10);
  const last = resolved[1].slice(0, 10);
  const days = daysBetween(first, last);
  if (!Number.isFinite(days) || days < 1) return undefined;
  return [addDays(first, -days), addDays(first, -1)];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-11-27 13:00:00" → "13:00" (hour), "Nov 27" (day, week), "Nov 2026" (month). */
export function formatTimeLabel(label: string, interval: Interval, long = false): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?/.exec(label);
  if (!m) return label;
  const [, y, mo, d, h, mi] = m;
  const month = MONTHS[Number(mo) - 1] ?? mo;
  const day = `${month} ${Number(d)}`;
  switch (interval) {
    case 'hour': {
      const time = `${h ?? '00'}:${mi ?? '00'}`;
      return long ? `${day}, ${time}` : time;
    }
    case 'week':
      return long ? `Week of ${day}, ${y}` : day;
    case 'month':
      return `${month} ${y}`;
    default:
      return long ? `${day}, ${y}` : day;
  }
}
