// Calendar arithmetic in a site's time zone, from the IANA data built into Node (Intl).
// Used to turn "the last 7 days in Europe/Berlin" into UTC instants, DST included.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timezone, f);
  }
  return f;
}

/** Local wall-clock fields of an instant in a zone. */
export function localParts(
  ms: number,
  timezone: string,
): { date: string; hour: number; minute: number; second: number } {
  const p: Record<string, string> = {};
  for (const part of formatter(timezone).formatToParts(new Date(ms))) p[part.type] = part.value;
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  };
}

/** The zone's offset from UTC at an instant, in milliseconds (Berlin in summer: +7,200,000). */
export function offsetAt(ms: number, timezone: string): number {
  const l = localParts(ms, timezone);
  const [y, m, d] = l.date.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(y, m - 1, d, l.hour, l.minute, l.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant at which a local date begins in the zone. Where midnight does not exist (a
 * DST jump at 00:00), the day begins at the first instant after the gap.
 */
export function startOfLocalDay(date: string, timezone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  let t = wall - offsetAt(wall, timezone);
  const second = wall - offsetAt(t, timezone);
  if (second !== t) t = second;
  // In a gap, the computed instant shows a later local date or an earlier one; step forward.
  while (localParts(t, timezone).date < date) t += 15 * 60_000;
  return t;
}

/** Today's date in the zone. */
export function localDate(ms: number, timezone: string): string {
  return localParts(ms, timezone).date;
}

export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Adds months, clamping the day (2026-03-31 minus one month is 2026-02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/**
 * The instant as the zone's wall clock with its offset, e.g. 2026-11-27T00:00:00+01:00
 * (with milliseconds where there are any, or always with `millis`: 2026-11-27T00:00:00.250+01:00).
 */
export function toZonedIso(ms: number, timezone: string, millis = false): string {
  const l = localParts(ms, timezone);
  const off = Math.round(offsetAt(ms, timezone) / 60_000);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  const time = [l.hour, l.minute, l.second].map((n) => String(n).padStart(2, '0')).join(':');
  const milli = ((ms % 1000) + 1000) % 1000;
  const fraction = milli === 0 && !millis ? '' : `.${String(milli).padStart(3, '0')}`;
  return `${l.date}T${time}${fraction}${sign}${hh}:${mm}`;
}
