// One EventRow ⇄ one journal line. A JSON array (field order below) is about half the size
// of an object and as fast to write and read; bigints travel as decimal strings.
import type { EventRow } from '../store/event-row.js';

/** Bumped when the field list changes, so an old journal is never misread. */
const VERSION = 1;

export function encodeRow(r: EventRow): string {
  return JSON.stringify([
    VERSION,
    r.siteId,
    r.ts,
    r.name,
    r.hostname,
    r.pathname,
    r.title,
    r.referrer,
    r.referrerHost,
    r.utmSource,
    r.utmMedium,
    r.utmCampaign,
    r.utmTerm,
    r.utmContent,
    r.props,
    r.interactive,
    r.visitorId.toString(),
    r.sessionId.toString(),
    r.browser,
    r.browserVersion,
    r.os,
    r.osVersion,
    r.device,
    r.screen,
    r.language,
    r.country,
    r.region,
    r.city,
    r.source,
    r.channel,
    r.scrollDepth,
    r.engagementMs,
  ]);
}

/** Throws on a line this version did not write (the caller treats that as corruption). */
export function decodeRow(line: string): EventRow {
  const a = JSON.parse(line) as unknown[];
  if (!Array.isArray(a) || a[0] !== VERSION || a.length !== 32) throw new Error('not a journal row');
  const s = (i: number) => a[i] as string;
  return {
    siteId: a[1] as number,
    ts: a[2] as number,
    name: s(3),
    hostname: s(4),
    pathname: s(5),
    title: s(6),
    referrer: s(7),
    referrerHost: s(8),
    utmSource: s(9),
    utmMedium: s(10),
    utmCampaign: s(11),
    utmTerm: s(12),
    utmContent: s(13),
    props: a[14] as [string, string][],
    interactive: a[15] as boolean,
    visitorId: BigInt(s(16)),
    sessionId: BigInt(s(17)),
    browser: s(18),
    browserVersion: s(19),
    os: s(20),
    osVersion: s(21),
    device: s(22),
    screen: s(23),
    language: s(24),
    country: s(25),
    region: s(26),
    city: s(27),
    source: s(28),
    channel: s(29),
    scrollDepth: a[30] as number | null,
    engagementMs: a[31] as number | null,
  };
}
