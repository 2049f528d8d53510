// One seed row → the event Footfall would have recorded had its beacon been the seed's: the
// page URL rebuilt from the domain, the path and the stored query (so UTM tags count), the
// title and referrer as sent, the client from the stored headers and IP, and the time the
// seed stored — the server's naive local time, read in the zone the user names.

import { type ClientInfo, pageviewEvent, type RawEvent } from '../collect/raw-event.js';
import { parseTrackedUrl } from '../collect/tracked-url.js';
import { FootfallError } from '../errors.js';
import { offsetAt } from '../query/zoned-time.js';
import { siteKey } from '../sites/domain.js';
import type { SeedRow } from './seed-db.js';

export interface SeedEvent {
  raw: RawEvent;
  client: ClientInfo;
  ts: number;
}

/** Why a row is skipped (each is counted, and listed with --verbose). */
export type SkipReason = 'bad_timestamp' | 'out_of_range' | 'bad_url' | 'other_site' | 'bad_json';

export interface SeedRowContext {
  /** The domain of the site being imported (rows of its www. form count too, as when tracking). */
  siteDomain: string;
  timezone: string;
  /** Rows after this instant are refused as "in the future". */
  nowMs: number;
}

// Text that has no place in a stored string (as the tracking endpoints refuse it).
const NUL = /\0/g;
const EARLIEST_MS = Date.UTC(1990, 0, 1);
const NAIVE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/** The instant a naive local wall-clock time names in a zone (the earlier one in a repeated hour). */
export function localToUtc(naive: string, timezone: string): number | undefined {
  const m = NAIVE.exec(naive.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
    return undefined;
  // The instants this wall time can name: one for each offset in force the day before and the
  // day after. In a repeated hour both are real and the earlier wins; in a skipped hour
  // neither is, and the offset from before the change moves it past the gap.
  const before = offsetAt(wall - 86_400_000, timezone);
  const after = offsetAt(wall + 86_400_000, timezone);
  const real = [wall - Math.max(before, after), wall - Math.min(before, after)].filter(
    (t) => t + offsetAt(t, timezone) === wall,
  );
  return real[0] ?? wall - before;
}

function headerMap(json: string): Map<string, string> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json || '{}');
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const map = new Map<string, string>();
  for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') map.set(k.toLowerCase(), v);
  return map;
}

function queryString(json: string): string | undefined {
  const map = headerMap(json);
  if (!map) return undefined;
  // headerMap lower-cases keys; UTM parameters are lower case, so nothing is lost.
  return new URLSearchParams([...map]).toString();
}

/** The event a row stands for, or why it is skipped. */
export function seedEvent(row: SeedRow, ctx: SeedRowContext): SeedEvent | { skip: SkipReason } {
  if (siteKey(row.domain) !== ctx.siteDomain) return { skip: 'other_site' };
  const ts = localToUtc(row.timestamp, ctx.timezone);
  if (ts === undefined) return { skip: 'bad_timestamp' };
  if (ts < EARLIEST_MS || ts > ctx.nowMs) return { skip: 'out_of_range' };
  const headers = headerMap(row.headers);
  const query = queryString(row.params);
  if (!headers || query === undefined) return { skip: 'bad_json' };
  const path = row.url.startsWith('/') ? row.url : `/${row.url}`;
  let url: RawEvent['url'];
  try {
    // The seed stored the path as the browser sent it, percent-encoded.
    url = parseTrackedUrl(`http://${row.domain}${path}${query ? `?${query}` : ''}`);
  } catch (err) {
    if (err instanceof FootfallError) return { skip: 'bad_url' };
    throw err;
  }
  // X-Forwarded-For may list proxies after the client: the first address is the visitor.
  const ip = row.ip.split(',')[0]!.trim();
  return {
    ts,
    raw: pageviewEvent(
      url,
      [row.domain.toLowerCase()],
      row.referrer.replace(NUL, ''),
      row.title.replace(NUL, ''),
    ),
    client: {
      ip,
      userAgent: headers.get('user-agent') ?? '',
      acceptLanguage: headers.get('accept-language') ?? '',
    },
  };
}
