// What the sites list asks per site: unique visitors over the last 24 hours, and the same
// hour by hour for the sparkline.
import type { QueryRequest } from '../api/types.js';

/** [from, to] as ISO datetimes: from the start of the hour 23 hours ago until now. */
export function last24h(now: Date): [string, string] {
  const from = new Date(now.getTime());
  from.setUTCMinutes(0, 0, 0);
  from.setTime(from.getTime() - 23 * 3_600_000);
  return [from.toISOString(), now.toISOString()];
}

export function visitors24hRequest(site: string, now: Date): QueryRequest {
  return { site_id: site, metrics: ['visitors'], date_range: last24h(now) };
}

export function sparklineRequest(site: string, now: Date): QueryRequest {
  return {
    site_id: site,
    metrics: ['visitors'],
    date_range: last24h(now),
    dimensions: ['time:hour'],
    order_by: [['time:hour', 'asc']],
    include: { time_labels: true },
  };
}

/** Every page view the site ever had (for "waiting for the first page view"). */
export function anyPageviewRequest(site: string): QueryRequest {
  return { site_id: site, metrics: ['pageviews'], date_range: 'all' };
}

/** The IANA zones this browser knows, with UTC first. */
export function timeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...zones.filter((z) => z !== 'UTC')];
}

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}
