// One EventRow with every field set, varied by i (odd: a pageview without props or engagement;
// even: a custom event with both; every fourth: with revenue), for tests that write rows to the journal and read them back.
import type { EventRow } from '../../src/store/event-row.js';

export function sampleRow(i: number): EventRow {
  return {
    siteId: 1,
    ts: 1_780_000_000_000 + i,
    name: i % 2 ? 'pageview' : 'Signup',
    hostname: 'example.com',
    pathname: `/p/${i}`,
    title: `Title ${i} — ünïcode ✓`,
    referrer: 'https://news.ycombinator.com/',
    referrerHost: 'news.ycombinator.com',
    utmSource: 'hn',
    utmMedium: '',
    utmCampaign: '',
    utmTerm: '',
    utmContent: '',
    props: i % 2 ? [] : [['plan', 'pro']],
    interactive: true,
    visitorId: 18_000_000_000_000_000_000n + BigInt(i),
    sessionId: 42n,
    browser: 'Firefox',
    browserVersion: '130',
    os: 'Linux',
    osVersion: '',
    device: 'desktop',
    screen: 'laptop',
    language: 'de',
    country: 'DE',
    region: 'DE-BE',
    city: 'Berlin',
    source: 'Hacker News',
    channel: 'Referral',
    scrollDepth: i % 2 ? null : 80,
    engagementMs: i % 2 ? null : 12_345,
    // Every fourth row a purchase, so journal, export and engine round trips carry revenue.
    revenueAmount: i % 4 === 0 ? `${i}.990` : null,
    revenueCurrency: i % 4 === 0 ? 'EUR' : null,
  };
}
