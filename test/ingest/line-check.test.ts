// Which journal lines count as damaged (moved to quarantine) — judged without the store, so
// a store that is down is never mistaken for damaged lines.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lineProblem } from '../../src/ingest/line-check.js';
import { encodeRow } from '../../src/ingest/row-codec.js';
import type { EventRow } from '../../src/store/event-row.js';

const ROW: EventRow = {
  siteId: 1,
  ts: 1_780_000_000_000,
  name: 'pageview',
  hostname: 'example.com',
  pathname: '/',
  title: 'T',
  referrer: '',
  referrerHost: '',
  utmSource: '',
  utmMedium: '',
  utmCampaign: '',
  utmTerm: '',
  utmContent: '',
  props: [['plan', 'pro']],
  interactive: true,
  visitorId: 18_446_744_073_709_551_615n,
  sessionId: 1n,
  browser: 'Firefox',
  browserVersion: '130',
  os: 'Linux',
  osVersion: '',
  device: 'desktop',
  screen: 'laptop',
  language: 'de',
  country: 'DE',
  region: '',
  city: '',
  source: '',
  channel: 'Direct',
  scrollDepth: 80,
  engagementMs: null,
};

const good = JSON.parse(encodeRow(ROW)) as Record<string, unknown>;
const check = (o: unknown) => lineProblem(Buffer.from(JSON.stringify(o)));

describe('journal line check', () => {
  it('every line the encoder writes can be loaded', () => {
    assert.equal(lineProblem(Buffer.from(encodeRow(ROW))), undefined);
    assert.equal(check({ ...good, sd: null, e: 12 }), undefined);
  });

  const damaged: Array<[string, Buffer | Record<string, unknown>, RegExp]> = [
    ['half a line', Buffer.from(encodeRow(ROW).slice(0, 40)), /not valid JSON/],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), /not valid UTF-8/],
    ['an array', Buffer.from('[1,2]'), /not a JSON object/],
    ['a missing column', { ...good, n: undefined }, /"n" \(name\)/],
    ['a null in a NOT NULL column', { ...good, p: null }, /"p" \(pathname\)/],
    ['a site id that is negative', { ...good, s: -1 }, /"s" \(site_id\) is not a valid u32/],
    ['a time that is text', { ...good, t: '2026-11-30' }, /"t" \(ts\) is not a valid epoch_ms/],
    ['a visitor id past 2^64', { ...good, v: '18446744073709551616' }, /"v" \(visitor_id\)/],
    ['a scroll depth past 255', { ...good, sd: 300 }, /"sd" \(scroll_depth\)/],
    ['props that are not text', { ...good, pr: { a: 1 } }, /"pr" \(props\)/],
    ['interactive as text', { ...good, i: 'true' }, /"i" \(interactive\)/],
  ];
  for (const [what, line, problem] of damaged) {
    it(`damaged: ${what}`, () => {
      const got = Buffer.isBuffer(line) ? lineProblem(line) : check(line);
      assert.match(got ?? 'none', problem);
    });
  }
});
