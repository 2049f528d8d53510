// Date ranges in the site's time zone → UTC instants [from, to), the local dates they
// cover, the interval `time` stands for, their comparison ranges and their time labels.
// Labels are built in JavaScript, one per bucket, so the number of buckets a request may ask
// for is bounded here (RANGE_LIMITS): 1970–2100 is 47,847 day labels, two years 17,590 hour
// labels, where an unbounded hour range (1000–9999) held the event loop for minutes.
import { footfallError } from '../errors.js';
import type { Comparison, DateRangeInput, TimeUnit } from './model.js';
import {
  addDays,
  addMonths,
  daysBetween,
  isoWeekday,
  localDate,
  localParts,
  offsetAt,
  startOfLocalDay,
} from './zoned-time.js';

export const RANGE_LIMITS = {
  /** Dates a query may name, inclusive (JavaScript's Date.UTC reads years 0–99 as 1900–1999). */
  firstDate: '1970-01-01',
  lastDate: '2100-12-31',
  /** Longest range `time:hour` may cover: two years and a leap day (17,568 hourly buckets). */
  hourBucketDays: 732,
} as const;

export interface ResolvedRange {
  /** First instant inside the range (UTC ms). */
  fromMs: number;
  /** First instant after the range (UTC ms). */
  toMs: number;
  /** The local dates of the first and last instants. */
  firstDate: string;
  lastDate: string;
  timezone: string;
}

function fromDates(first: string, last: string, timezone: string): ResolvedRange {
  return {
    fromMs: startOfLocalDay(first, timezone),
    toMs: startOfLocalDay(addDays(last, 1), timezone),
    firstDate: first,
    lastDate: last,
    timezone,
  };
}

/**
 * The first instant after an inclusive ISO date-time end: a time written to the second takes
 * in its whole second (so the echoed `…T23:59:59+01:00` means the same range when posted
 * back), one with a fraction its millisecond.
 */
export function endAfter(to: string): number {
  return Date.parse(to) + (/T\d{2}:\d{2}(:\d{2})?(Z|[+-])/.test(to) ? 1000 : 1);
}

function fromInstants(fromMs: number, toMs: number, timezone: string): ResolvedRange {
  return {
    fromMs,
    toMs,
    firstDate: localDate(fromMs, timezone),
    lastDate: localDate(toMs - 1, timezone),
    timezone,
  };
}

function monthStart(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

function monthEnd(date: string): string {
  return addDays(addMonths(monthStart(date), 1), -1);
}

/**
 * Resolves a range as Plausible does: `day` is today, `7d` today and the 6 days before
 * (`28d`, `91d` likewise), `30d` today and the 30 before, `month` this calendar month, `6mo`/`12mo` this month and
 * the 5/11 before, `year` this calendar year, `all` from the first event to today.
 * [from, to] dates are inclusive; [from, to] date-times are instants (the second inclusive).
 */
export function resolveRange(
  input: DateRangeInput,
  timezone: string,
  nowMs: number,
  firstEventMs: number | undefined,
): ResolvedRange {
  const today = localDate(nowMs, timezone);
  if (typeof input !== 'string') {
    const [from, to] = input;
    if (from.length === 10) return fromDates(from, to, timezone);
    return fromInstants(Date.parse(from), endAfter(to), timezone);
  }
  switch (input) {
    case 'day':
      return fromDates(today, today, timezone);
    case '7d':
      return fromDates(addDays(today, -6), today, timezone);
    case '28d':
      return fromDates(addDays(today, -27), today, timezone);
    case '30d':
      return fromDates(addDays(today, -30), today, timezone);
    case '91d':
      return fromDates(addDays(today, -90), today, timezone);
    case 'month':
      return fromDates(monthStart(today), monthEnd(today), timezone);
    case '6mo':
      return fromDates(addMonths(monthStart(today), -5), monthEnd(today), timezone);
    case '12mo':
      return fromDates(addMonths(monthStart(today), -11), monthEnd(today), timezone);
    case 'year':
      return fromDates(`${today.slice(0, 4)}-01-01`, `${today.slice(0, 4)}-12-31`, timezone);
    case 'all': {
      // An imported event from before 1970 does not widen "all" past the dates a query may name.
      const at = firstEventMs === undefined ? today : localDate(firstEventMs, timezone);
      // biome-ignore lint/complexity/useMathMinMax: ISO date strings, compared as text
      const first = at < RANGE_LIMITS.firstDate ? RANGE_LIMITS.firstDate : at;
      // biome-ignore lint/complexity/useMathMinMax: ISO date strings, compared as text
      return fromDates(first < today ? first : today, today, timezone);
    }
  }
}

/** The range a comparison asks for. */
export function comparisonRange(range: ResolvedRange, comparison: Comparison): ResolvedRange {
  const tz = range.timezone;
  if (comparison.mode === 'custom') {
    const [from, to] = comparison.dateRange;
    if (from.length === 10) return fromDates(from, to, tz);
    return fromInstants(Date.parse(from), endAfter(to), tz);
  }
  const wholeDays =
    range.fromMs === startOfLocalDay(range.firstDate, tz) &&
    range.toMs === startOfLocalDay(addDays(range.lastDate, 1), tz);
  if (comparison.mode === 'year_over_year') {
    if (wholeDays) return fromDates(addMonths(range.firstDate, -12), addMonths(range.lastDate, -12), tz);
    const year = 365 * 86_400_000;
    return fromInstants(range.fromMs - year, range.toMs - year, tz);
  }
  if (wholeDays) {
    const days = daysBetween(range.firstDate, range.lastDate) + 1;
    return fromDates(addDays(range.firstDate, -days), addDays(range.firstDate, -1), tz);
  }
  const span = range.toMs - range.fromMs;
  return fromInstants(range.fromMs - span, range.fromMs, tz);
}

/** What `time` means for a range: hours up to 2 days, days up to 92, then months. */
export function autoUnit(range: ResolvedRange): TimeUnit {
  const days = daysBetween(range.firstDate, range.lastDate) + 1;
  if (days <= 2) return 'hour';
  if (days <= 92) return 'day';
  return 'month';
}

/** The label of the bucket holding local `date` + `hour`, as the compiler formats it. */
export function bucketLabel(unit: TimeUnit, date: string, hour: number, range: ResolvedRange): string {
  switch (unit) {
    case 'hour':
      return `${date} ${String(hour).padStart(2, '0')}:00:00`;
    case 'day':
      return date;
    case 'week': {
      const monday = addDays(date, 1 - isoWeekday(date));
      // biome-ignore lint/complexity/useMathMinMax: ISO date strings, compared as text
      return monday < range.firstDate ? range.firstDate : monday;
    }
    case 'month':
      return monthStart(date);
  }
}

/**
 * Refuses a range with more buckets than a request may build: hours beyond RANGE_LIMITS
 * (days, weeks and months are bounded by the dates a query may name).
 */
export function assertBucketLimit(unit: TimeUnit, range: ResolvedRange, field = 'date_range'): void {
  const days = daysBetween(range.firstDate, range.lastDate) + 1;
  if (unit === 'hour' && days > RANGE_LIMITS.hourBucketDays) {
    throw footfallError(
      'FOOTFALL_ERR_RANGE_TOO_LONG',
      `${field}: hour buckets cover at most ${RANGE_LIMITS.hourBucketDays} days and this range has ${days}; ` +
        'use time:day, time:week or time:month, or a shorter range',
    );
  }
}

/** "2026-10-25 02:00:00" for the wall-clock instant `localMs` (local time written as UTC). */
function hourLabel(localMs: number): string {
  const iso = new Date(localMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 13)}:00:00`;
}

/**
 * Every bucket label of the range, in order (a DST fall-back hour appears once); at most
 * `max` of them (a comparison needs only as many as the main range has). Steps from bucket
 * to bucket, one Date per label (weeks and months no longer walk every day of the range).
 */
export function timeLabels(unit: TimeUnit, range: ResolvedRange, max = Number.POSITIVE_INFINITY): string[] {
  const labels: string[] = [];
  const push = (l: string) => {
    if (labels[labels.length - 1] !== l) labels.push(l);
  };
  const tz = range.timezone;
  if (unit === 'hour') {
    // Whole local hours: step through UTC at the range's minute and second. The wall clock is
    // UTC plus the zone's offset, which changes at most once a day, so Intl is asked for the
    // offset at both ends of each day (and hour by hour only on a day where they differ) —
    // one Intl call per hour took ~900 ms for two years.
    let t = range.fromMs - (((range.fromMs % 60_000) + 60_000) % 60_000);
    while (t < range.toMs && labels.length < max) {
      const dayEnd = Math.min(t + 86_400_000, range.toMs);
      const first = offsetAt(t, tz);
      const same = first === offsetAt(dayEnd - 1, tz);
      for (; t < dayEnd && labels.length < max; t += 3_600_000) {
        push(hourLabel(t + (same ? first : offsetAt(t, tz))));
      }
    }
    const last = localParts(range.toMs - 1, tz);
    if (labels.length < max) push(bucketLabel('hour', last.date, last.hour, range));
    return labels;
  }
  if (unit === 'day') {
    const end = Date.parse(`${range.lastDate}T00:00:00Z`);
    for (
      let t = Date.parse(`${range.firstDate}T00:00:00Z`);
      t <= end && labels.length < max;
      t += 86_400_000
    ) {
      labels.push(new Date(t).toISOString().slice(0, 10));
    }
    return labels;
  }
  // Weeks: the range's first day, then every Monday; months: every first of the month.
  let d = bucketLabel(unit, range.firstDate, 0, range);
  while (d <= range.lastDate && labels.length < max) {
    labels.push(d);
    d = unit === 'week' ? addDays(d, 8 - isoWeekday(d)) : addMonths(d, 1);
  }
  return labels;
}
