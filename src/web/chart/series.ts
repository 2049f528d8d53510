// Turns time-dimension query answers into the chart's aligned arrays: one slot per time
// label (buckets without events are 0, not gaps). The previous period is its own query
// (see previousRange), matched bucket by bucket in order, so a bucket that is empty now
// still shows what it had before.
import { type Comparison, dimensionText, type QueryResponse } from '../api/types.js';
import type { Interval } from '../time/range.js';
import { addDays, addYears, daysBetween } from '../time/range.js';

/** `V` is number, or number | null once buckets still to come are blanked (withoutFuture). */
export interface Series<V = number> {
  labels: string[];
  current: V[];
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
 * Buckets that start after `now` (the site's local time, "YYYY-MM-DD HH:MM:SS", the labels'
 * own form) have not happened yet: no point instead of a drop to 0 ("today" at 9:00 would
 * otherwise draw fifteen empty hours). The previous period keeps all of its buckets.
 */
export function withoutFuture(series: Series, now: string): Series<number | null> {
  return { ...series, current: series.current.map((v, i) => ((series.labels[i] ?? '') > now ? null : v)) };
}

/** The dates the chart's dashed line covers, for a resolved range and a comparison. */
export function comparisonRange(resolved: unknown, comparison: Comparison): [string, string] | undefined {
  if (comparison.mode === 'custom') return comparison.date_range;
  if (comparison.mode === 'previous_period') return previousRange(resolved);
  const dates = resolvedDates(resolved);
  return dates && [addYears(dates[0], -1), addYears(dates[1], -1)];
}

function resolvedDates(resolved: unknown): [string, string] | undefined {
  if (!Array.isArray(resolved) || typeof resolved[0] !== 'string' || typeof resolved[1] !== 'string')
    return undefined;
  const dates: [string, string] = [resolved[0].slice(0, 10), resolved[1].slice(0, 10)];
  return dates.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)) ? dates : undefined;
}

/**
 * The period before the one the API resolved (its `query.date_range`, zoned ISO date-times
 * whose first ten characters are the site's local dates): as many whole days, ending the day
 * before — what the API's own `previous_period` comparison uses for the top row.
 */
export function previousRange(resolved: unknown): [string, string] | undefined {
  const dates = resolvedDates(resolved);
  if (!dates) return undefined;
  const [first, last] = dates;
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
