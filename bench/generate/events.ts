// Synthetic traffic with known properties, for the query tests (which compute every expected
// answer from these rows in plain TypeScript) and for bench:query (10 M events a year).
// Visits have 1–6 page views, sometimes custom events with props (interactive ones, and
// non-interactive ones that must not stop a bounce) and engagement events; a visitor keeps
// their device, browser and place; a visit keeps its origin (source, UTMs). Some values are
// empty (no country, no campaign, no OS version, an untitled page), as real traffic has.
import type { EventRow } from '../../src/store/event-row.js';
import { Random } from './random.js';

export interface TrafficOptions {
  seed: number;
  siteId: number;
  /** First day (UTC date) and number of days. */
  startDate: string;
  days: number;
  /** Visits a day (on average; weekdays get more). */
  visitsPerDay: number;
  /** Distinct pages (the first ones are the most visited). */
  pages?: number;
  /** Returning-visitor pool size. */
  visitors?: number;
}

const SOURCES = [
  { source: 'Direct / None', channel: 'Direct', referrer: '', host: '' },
  { source: 'Google', channel: 'Organic Search', referrer: 'https://www.google.com/', host: 'google.com' },
  {
    source: 'Hacker News',
    channel: 'Referral',
    referrer: 'https://news.ycombinator.com/item?id=1',
    host: 'news.ycombinator.com',
  },
  { source: 'Bing', channel: 'Organic Search', referrer: 'https://www.bing.com/', host: 'bing.com' },
  { source: 'Newsletter', channel: 'Email', referrer: '', host: '' },
  { source: 'Twitter', channel: 'Organic Social', referrer: 'https://t.co/x', host: 't.co' },
] as const;
const PLACES = [
  { country: 'DE', region: 'DE-BE', city: 'Berlin' },
  { country: 'DE', region: 'DE-BY', city: 'Munich' },
  { country: 'US', region: 'US-CA', city: 'San Francisco' },
  { country: 'US', region: 'US-NY', city: 'New York' },
  { country: 'FR', region: 'FR-IDF', city: 'Paris' },
  { country: 'GB', region: 'GB-ENG', city: 'London' },
  { country: '', region: '', city: '' },
] as const;
const AGENTS = [
  { browser: 'Chrome', browserVersion: '131', os: 'Windows', osVersion: '10', device: 'Desktop' },
  { browser: 'Safari', browserVersion: '18', os: 'iOS', osVersion: '18.1', device: 'Mobile' },
  { browser: 'Firefox', browserVersion: '133', os: 'GNU/Linux', osVersion: '', device: 'Desktop' },
  { browser: 'Chrome', browserVersion: '130', os: 'Android', osVersion: '14', device: 'Mobile' },
  { browser: 'Edge', browserVersion: '131', os: 'Windows', osVersion: '11', device: 'Desktop' },
  { browser: 'Safari', browserVersion: '17', os: 'Mac', osVersion: '14', device: 'Tablet' },
] as const;
const SCREENS = ['Desktop', 'Laptop', 'Tablet', 'Mobile'] as const;
const LANGUAGES = ['en', 'de', 'fr', 'es'] as const;
const CAMPAIGNS = ['', '', '', 'spring', 'launch'] as const;
const PLANS = ['free', 'pro', 'team'] as const;

interface Visitor {
  id: bigint;
  place: (typeof PLACES)[number];
  agent: (typeof AGENTS)[number];
  screen: string;
  language: string;
}

export function pagePath(i: number): string {
  return i === 0 ? '/' : `/blog/post-${i}`;
}

export function pageTitle(i: number): string {
  if (i === 7) return ''; // a page without a <title>
  return i === 0 ? 'Home' : `Post number ${i}`;
}

/**
 * A visitor's id on the day their visit starts: Footfall's ids are HMACs under the salt of that
 * UTC day, so a returning visitor has a new id each day (and a visit across midnight keeps its
 * start's). The rollups by salt day count on it (store/duckdb/rollups.ts).
 */
function dayVisitorId(id: bigint, day: number): bigint {
  return (id ^ (BigInt(day + 1) * 0x9e3779b97f4a7c15n)) & 0xffffffffffffffffn;
}

/** Yields the events of each day in time order (arrival order, as the store receives them). */
export function* generateTraffic(o: TrafficOptions): Generator<EventRow[]> {
  const rnd = new Random(o.seed);
  const pages = o.pages ?? 40;
  const pool: Visitor[] = Array.from(
    { length: o.visitors ?? Math.max(50, Math.round(o.visitsPerDay * 3)) },
    () => ({
      id: rnd.bigint64(),
      place: rnd.pick(PLACES),
      agent: rnd.pick(AGENTS),
      screen: rnd.pick(SCREENS),
      language: rnd.pick(LANGUAGES),
    }),
  );
  const start = Date.parse(`${o.startDate}T00:00:00Z`);
  // Sequential, as the server hands them out.
  let nextSession = 1n;
  for (let day = 0; day < o.days; day++) {
    const dayStart = start + day * 86_400_000;
    const weekday = new Date(dayStart).getUTCDay();
    const visits = Math.round(
      o.visitsPerDay * (weekday === 0 || weekday === 6 ? 0.7 : 1.1) * (0.8 + rnd.next() * 0.4),
    );
    const rows: EventRow[] = [];
    for (let v = 0; v < visits; v++) {
      const visitor = rnd.skewed(pool);
      const origin = rnd.pick(SOURCES);
      const campaign = origin.channel === 'Email' ? 'newsletter-1' : rnd.pick(CAMPAIGNS);
      // Busier in the (UTC) afternoon: the hour-of-day heatmap has a shape.
      const hour = Math.min(23, Math.floor(24 * Math.sqrt(rnd.next())));
      let ts = dayStart + hour * 3_600_000 + rnd.int(0, 3_599_999);
      const sessionId = nextSession++;
      const base = {
        siteId: o.siteId,
        referrer: origin.referrer,
        referrerHost: origin.host,
        utmSource: origin.channel === 'Email' ? 'newsletter' : '',
        utmMedium: origin.channel === 'Email' ? 'email' : '',
        utmCampaign: campaign,
        utmTerm: '',
        utmContent: '',
        visitorId: dayVisitorId(visitor.id, day),
        sessionId,
        ...visitor.agent,
        screen: visitor.screen,
        language: visitor.language,
        ...visitor.place,
        source: origin.source,
        channel: origin.channel,
      };
      const views = rnd.chance(0.45) ? 1 : rnd.int(2, 6);
      for (let p = 0; p < views; p++) {
        const page = rnd.skewedIndex(pages);
        const hostname = rnd.chance(0.1) ? 'www.example.com' : 'example.com';
        const common = { ...base, hostname, pathname: pagePath(page), title: pageTitle(page) };
        rows.push({
          ...common,
          ts,
          name: 'pageview',
          props: [],
          interactive: true,
          scrollDepth: null,
          engagementMs: null,
        });
        if (rnd.chance(0.15)) {
          ts += rnd.int(1_000, 60_000);
          const plan = rnd.pick(PLANS);
          rows.push({
            ...common,
            ts,
            name: 'Signup',
            props: [['plan', plan]],
            interactive: true,
            scrollDepth: null,
            engagementMs: null,
          });
        }
        if (rnd.chance(0.1)) {
          ts += rnd.int(1_000, 30_000);
          rows.push({
            ...common,
            ts,
            name: 'Outbound Link: Click',
            props: [['url', rnd.pick(['https://github.com/', 'https://example.org/'])]],
            interactive: true,
            scrollDepth: null,
            engagementMs: null,
          });
        }
        if (rnd.chance(0.08)) {
          // Sent by a script, not the visitor: it neither stops a bounce nor counts as an interaction.
          ts += rnd.int(1_000, 30_000);
          rows.push({
            ...common,
            ts,
            name: 'Video Progress',
            props: [['percent', rnd.pick(['25', '50', '100'])]],
            interactive: false,
            scrollDepth: null,
            engagementMs: null,
          });
        }
        const dwell = rnd.int(2_000, 240_000);
        if (rnd.chance(0.7)) {
          rows.push({
            ...common,
            ts: ts + dwell,
            name: 'engagement',
            props: [],
            interactive: false,
            scrollDepth: rnd.int(0, 100),
            engagementMs: rnd.int(500, dwell),
          });
        }
        ts += dwell + rnd.int(1, 1000);
      }
    }
    rows.sort((a, b) => a.ts - b.ts);
    yield rows;
  }
}
