// Turns a time-dimension query answer into the chart's aligned arrays: one slot per time
// label (buckets without events are 0, not gaps), and the previous period's values in the
// same slots when comparing.
import type { QueryResponse } from '../api/types.js';
import type { Interval } from '../time/range.js';

export interface Series {
  labels: string[];
  current: number[];
  previous: number[] | undefined;
  /** The previous period's own labels, for the tooltip. */
  previousLabels: string[] | undefined;
}

export function toSeries(res: QueryResponse, compare: boolean): Series {
  const byLabel = new Map(res.results.map((r) => [r.dimensions[0] ?? '', r]));
  const labels = res.meta.time_labels ?? [...byLabel.keys()].sort();
  const current = labels.map((l) => byLabel.get(l)?.metrics[0] ?? 0);
  if (!compare) return { labels, current, previous: undefined, previousLabels: undefined };
  const previous = labels.map((l) => byLabel.get(l)?.comparison?.metrics[0] ?? 0);
  const previousLabels = labels.map((l) => byLabel.get(l)?.comparison?.dimensions[0] ?? '');
  return { labels, current, previous, previousLabels };
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
