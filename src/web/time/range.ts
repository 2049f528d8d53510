// Date ranges: what each period choice sends to the API, which time bucket the main chart
// uses for it, and how it is named. Dates are YYYY-MM-DD in the site's time zone; "today"
// is passed in, so the functions are pure and the tests pin the clock.
import type { ApiDateRange } from '../api/types.js';
import type { DashboardState, Period } from '../state/url-state.js';
import type { Interval } from './interval.js';

export type { Interval };

export const PERIOD_LABELS: Record<Period, string> = {
  day: 'Today',
  yesterday: 'Yesterday',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  month: 'This month',
  last_month: 'Last month',
  '6mo': 'Last 6 months',
  '12mo': 'Last 12 months',
  all: 'All time',
  custom: 'Custom range',
};

const CLOCK: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
};

/** The local date and time in an IANA time zone (the browser's own when the zone is unknown). */
function localParts(timeZone: string | undefined, now: Date): (type: string) => string {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', { ...CLOCK, timeZone }).formatToParts(now);
  } catch {
    parts = new Intl.DateTimeFormat('en-US', CLOCK).formatToParts(now);
  }
  return (type) => parts.find((p) => p.type === type)?.value ?? '';
}

/** Today's date in an IANA time zone (the browser's own when the zone is unknown). */
export function todayIn(timeZone: string | undefined, now: Date = new Date()): string {
  const get = localParts(timeZone, now);
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Now in the zone as "YYYY-MM-DD HH:MM:SS", the form of the API's hourly time labels. */
export function nowIn(timeZone: string | undefined, now: Date = new Date()): string {
  const get = localParts(timeZone, now);
  return `${todayIn(timeZone, now)} ${get('hour')}:${get('minute')}:${get('second')}`;
}

function utc(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const d = utc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return iso(d);
}

/** The same day a year earlier (29 February becomes the 28th). */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y + years, m - 1, d));
  // Date.UTC rolls 29 February over into March; step back to the month's last day.
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return iso(target);
}

/** Inclusive number of days from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  return Math.round((utc(to).getTime() - utc(from).getTime()) / 86_400_000) + 1;
}

/** The first and last day of the month before the one `today` is in. */
export function lastMonth(today: string): [string, string] {
  const d = utc(today);
  const firstThis = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  const lastPrev = new Date(firstThis.getTime() - 86_400_000);
  const firstPrev = new Date(Date.UTC(lastPrev.getUTCFullYear(), lastPrev.getUTCMonth(), 1));
  return [iso(firstPrev), iso(lastPrev)];
}

export function apiDateRange(state: DashboardState, today: string): ApiDateRange {
  switch (state.period) {
    case 'yesterday': {
      const y = addDays(today, -1);
      return [y, y];
    }
    case 'last_month':
      return lastMonth(today);
    case 'custom':
      return [state.from ?? today, state.to ?? today];
    default:
      return state.period;
  }
}

/** About how many days a period spans (for which buckets make sense); "all" is unbounded. */
function spanDays(state: DashboardState): number {
  switch (state.period) {
    case 'day':
    case 'yesterday':
      return 1;
    case '7d':
      return 7;
    case '30d':
    case 'month':
    case 'last_month':
      return 31;
    case '6mo':
      return 183;
    case '12mo':
      return 366;
    case 'all':
      return Number.POSITIVE_INFINITY;
    case 'custom': {
      const days = daysBetween(state.from ?? '', state.to ?? '');
      return Number.isFinite(days) ? days : 1;
    }
  }
}

/**
 * The buckets the interval picker offers for a range: at least two buckets and at most about
 * four hundred points (hours up to a week, days up to 400 days, weeks from two weeks,
 * months from two months).
 */
export function intervalsFor(state: DashboardState): Interval[] {
  const days = spanDays(state);
  const out: Interval[] = [];
  if (days <= 7) out.push('hour');
  if (days >= 2 && days <= 400) out.push('day');
  if (days >= 14) out.push('week');
  if (days >= 60) out.push('month');
  return out;
}

/** The main chart's bucket: the one picked, if the range offers it; else a few dozen points. */
export function chooseInterval(state: DashboardState): Interval {
  if (state.interval && intervalsFor(state).includes(state.interval)) return state.interval;
  return defaultInterval(state);
}

function defaultInterval(state: DashboardState): Interval {
  switch (state.period) {
    case 'day':
    case 'yesterday':
      return 'hour';
    case '7d':
    case '30d':
    case 'month':
    case 'last_month':
      return 'day';
    case '6mo':
      return 'week';
    case '12mo':
    case 'all':
      return 'month';
    case 'custom': {
      const days = daysBetween(state.from ?? '', state.to ?? '');
      if (!Number.isFinite(days) || days <= 2) return 'hour';
      if (days <= 100) return 'day';
      if (days <= 400) return 'week';
      return 'month';
    }
  }
}

export function periodLabel(state: DashboardState): string {
  if (state.period === 'custom' && state.from && state.to) {
    return state.from === state.to ? state.from : `${state.from} – ${state.to}`;
  }
  return PERIOD_LABELS[state.period];
}
