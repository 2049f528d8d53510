// A week of generated traffic for the Plausible round trips (test/export/plausible-roundtrip,
// test/clickhouse/plausible-imports): Europe/Berlin, no visit across midnight, people who come
// back on other days, and the breakdowns whose every day must read the same after the trip.
import { channelOf } from '../../src/enrich/channel.js';
import { DIRECT_SOURCE } from '../../src/enrich/source.js';
import type { EventRow } from '../../src/store/event-row.js';
import { sampleRow } from './sample-row.js';

export const TZ = 'Europe/Berlin';
export const DAYS = [
  '2026-05-04',
  '2026-05-05',
  '2026-05-06',
  '2026-05-07',
  '2026-05-08',
  '2026-05-09',
  '2026-05-10',
];
export const NOW = Date.parse('2026-05-10T20:00:00Z');

/**
 * A small deterministic generator (mulberry32): varied, repeatable. A visitor keeps their
 * source, campaign, place, browser, system and screen, as the export's tables group by several
 * of these at once (sources by source, referrer and campaign): a person seen under two of a
 * table's combinations on one day is two imported visitors there, in Plausible too.
 */
export function traffic(siteId: number): EventRow[] {
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const of = <T>(xs: readonly T[], k: number) => xs[k % xs.length]!;
  const rows: EventRow[] = [];
  let session = 0;
  for (const day of DAYS) {
    for (let v = 0; v < 25; v++) {
      session++;
      // 08:00–19:59 in Berlin (UTC+2 in May): never across midnight.
      const start = Date.parse(`${day}T06:00:00Z`) + rnd(12 * 60) * 60_000;
      const k = 1 + rnd(60); // the same people come back on other days
      const [source, referrer] = of(
        [
          ['', ''],
          ['Google', 'https://www.google.com/'],
          ['Hacker News', 'https://news.ycombinator.com/item?id=1'],
          ['DuckDuckGo', 'https://duckduckgo.com/'],
        ],
        k,
      );
      const referrerHost = referrer === '' ? '' : new URL(referrer).hostname;
      const utmCampaign = of(['', '', 'spring', '=1+1'], k >> 2);
      // As enrichment works it out (src/enrich/enrich.ts).
      const channel = channelOf({
        source: source || DIRECT_SOURCE,
        referrerHost,
        utmSource: '',
        utmMedium: '',
        utmCampaign,
        siteDomain: 'example.com',
      });
      const country = of(['DE', 'US', 'FR', 'DE', 'DE'], k);
      const base: EventRow = {
        ...sampleRow(0),
        siteId,
        props: [],
        scrollDepth: null,
        engagementMs: null,
        visitorId: BigInt(k),
        sessionId: BigInt(session),
        source: source || DIRECT_SOURCE,
        channel,
        referrer,
        referrerHost,
        utmSource: '',
        utmCampaign,
        country,
        region: country === 'DE' ? of(['DE-BE', 'DE-BY', ''], k >> 1) : '',
        city: '',
        browser: of(['Firefox', 'Chrome', 'Safari'], k >> 1),
        browserVersion: of(['120', '121'], k >> 3),
        os: of(['GNU/Linux', 'Mac', 'Windows'], k >> 2),
        osVersion: '',
        screen: of(['Desktop', 'Mobile', 'Tablet'], k >> 3),
        title: '',
      };
      const pages = 1 + rnd(4);
      let t = start;
      for (let p = 0; p < pages; p++) {
        const page = of(['/', '/docs', '/pricing', '/blog/=sum(1)'], rnd(4));
        rows.push({ ...base, name: 'pageview', pathname: page, ts: t });
        t += (1 + rnd(5)) * 60_000;
      }
      if (rnd(5) === 0)
        rows.push({ ...base, name: of(['Signup', 'Download'], rnd(2)), pathname: '/', ts: t });
    }
  }
  return rows.sort((a, b) => a.ts - b.ts);
}

export const VISIT_METRICS = [
  'visitors',
  'visits',
  'pageviews',
  'bounce_rate',
  'visit_duration',
  'views_per_visit',
];
export const BREAKDOWNS: [string, string[], unknown[]?][] = [
  ['', VISIT_METRICS],
  ['visit:source', VISIT_METRICS],
  ['visit:referrer', VISIT_METRICS],
  ['visit:channel', ['visitors', 'visits']],
  ['visit:utm_campaign', VISIT_METRICS],
  ['event:page', ['visitors', 'visits', 'pageviews']],
  ['visit:entry_page', VISIT_METRICS],
  ['visit:exit_page', VISIT_METRICS],
  ['visit:country', VISIT_METRICS],
  ['visit:region', VISIT_METRICS],
  ['visit:country_name', ['visitors']],
  ['visit:screen', VISIT_METRICS],
  ['visit:browser', VISIT_METRICS],
  ['visit:browser_version', ['visitors', 'visits']],
  ['visit:os', VISIT_METRICS],
  ['event:name', ['visitors', 'events'], [['is_not', 'event:name', ['pageview']]]],
];
