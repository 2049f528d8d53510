// Date ranges: what each period choice sends to the API, which time bucket the main chart
// uses for it, and how it is named. Dates are YYYY-MM-DD in the site's time zone; "today"
// is passed in, so the functions are pure and the tests pin the clock.
import type { ApiDateRange } from '../api/types.js';
import type { DashboardState, Period } from '../state/url-state.js';

export type Interval = 'hour' | 'day' | 'week' | 'month';

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

/** Today's date in an IANA time zone (the browser's own when the zone is unknown). */
export function todayIn(timeZone: string | undefined, now: Date = new Date()): string {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).formatToParts(now);
  } catch {
    parts = new Intl.DateTimeFormat('en-US', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).formatToParts(now);
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
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

/** The main chart's bucket: a few dozen points for any range. */
export function chooseInterval(state: DashboardState): Interval {
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
