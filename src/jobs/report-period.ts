// When a report is due and which days it covers, in the site's time zone: a weekly report on
// Monday at 09:00 for the Monday–Sunday before, a monthly one on the 1st at 09:00 for the month
// before. Wall-clock times are turned into instants with the zone's own offset at that moment,
// so the week after a DST change is sent at 09:00 local, not an hour off.
import { addDays, addMonths, isoWeekday, localDate, offsetAt } from '../query/zoned-time.js';
import type { ReportPeriod } from '../store/jobs.js';

const SEND_HOUR = 9;

export interface DueReport {
  /** When it was due (ms). */
  at: number;
  /** The ledger's name for the period: `2026-W13` or `2026-03`. */
  key: string;
  /** The days it covers, inclusive, as the Stats API's date_range. */
  from: string;
  to: string;
}

/** The instant a local date's wall-clock hour happens in the zone (the later one in a gap). */
function localInstant(date: string, hour: number, timezone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, hour);
  const first = wall - offsetAt(wall, timezone);
  return wall - offsetAt(first, timezone);
}

/** ISO 8601 week name of a Monday, e.g. 2026-W13. */
function isoWeek(monday: string): string {
  // The ISO year is the year of the week's Thursday; week 1 holds the year's first Thursday.
  const thursday = addDays(monday, 3);
  const year = thursday.slice(0, 4);
  const first = Date.parse(`${year}-01-01T00:00:00Z`);
  const week = Math.floor((Date.parse(`${thursday}T00:00:00Z`) - first) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The report of `period` whose send time is the latest at or before `now`. */
export function latestDue(period: ReportPeriod, now: number, timezone: string): DueReport {
  const today = localDate(now, timezone);
  if (period === 'week') {
    let monday = addDays(today, 1 - isoWeekday(today));
    if (localInstant(monday, SEND_HOUR, timezone) > now) monday = addDays(monday, -7);
    return {
      at: localInstant(monday, SEND_HOUR, timezone),
      key: isoWeek(addDays(monday, -7)),
      from: addDays(monday, -7),
      to: addDays(monday, -1),
    };
  }
  let first = `${today.slice(0, 8)}01`;
  if (localInstant(first, SEND_HOUR, timezone) > now) first = addMonths(first, -1);
  const from = addMonths(first, -1);
  return {
    at: localInstant(first, SEND_HOUR, timezone),
    key: from.slice(0, 7),
    from,
    to: addDays(first, -1),
  };
}
