// Issue 11 (hardening), items 1 and 8: every query's JavaScript work is bounded. Dates lie
// within 1970–2100, hour buckets cover at most 732 days; the widest allowed request still
// answers, and the server (tracking, /healthz) answers meanwhile. The CLI uses the same parser.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { restrictTo } from '../../src/query/comparisons.js';
import { resolveRange } from '../../src/query/date-range.js';
import { parseQuery } from '../../src/query/parse.js';
import { BROWSER_UA, hit, killServers, removeDir, runCli } from '../helpers/server.js';
import { NOW, SITE, type StatsFixture, startStatsFixture } from './fixture.js';

const OK = { site_id: SITE, metrics: ['visitors'] };
/**
 * Longer than this and a request held the event loop. /healthz answers in a few ms when idle;
 * generous, as this 2-core machine runs several test suites at once (load average 20–30 seen,
 * where the widest series below held it 2.4 s at worst, and 7–15 s before its fixes).
 */
const PROMPT_MS = 5000;

describe('bounded query work: ranges and bucket counts', () => {
  let f: StatsFixture;
  const clock = { now: NOW };
  before(async () => {
    f = await startStatsFixture(clock);
  });
  after(async () => {
    await f.server.close();
    removeDir(f.server.dataDir);
    killServers();
  });

  /**
   * Sends a query and, until it is answered, /healthz again and again (the server shares this
   * process's event loop): the slowest /healthz shows the longest the query held the loop.
   */
  const alongsideHealthz = async (body: unknown) => {
    let done = false;
    const query = f.post('/api/v2/query', body).finally(() => {
      done = true;
    });
    let healthMs = 0;
    do {
      const started = performance.now();
      const res = await fetch(`${f.server.url}/healthz`);
      assert.equal(res.status, 200);
      await res.text();
      healthMs = Math.max(healthMs, performance.now() - started);
    } while (!done);
    return { query: await query, healthMs };
  };

  const ATTACKS: [string, Record<string, unknown>][] = [
    ['time:day over years 1–3000', { date_range: ['0001-01-01', '3000-12-31'], dimensions: ['time:day'] }],
    [
      'time:hour over years 1000–9999',
      { date_range: ['1000-01-01', '9999-12-30'], dimensions: ['time:hour'] },
    ],
    ['a range ending in 9999', { date_range: ['2026-01-01', '9999-12-31'] }],
    ['year 0050 (read as 1950 before)', { date_range: ['0050-01-01', '2026-01-01'] }],
  ];
  for (const [label, body] of ATTACKS) {
    it(`${label}: 400 naming 1970-01-01 and 2100-12-31, while /healthz answers promptly`, async () => {
      const { query, healthMs } = await alongsideHealthz({ ...OK, ...body, include: { time_labels: true } });
      assert.equal(query.status, 400, JSON.stringify(query.body));
      assert.equal(query.body.error.code, 'FOOTFALL_ERR_INVALID_QUERY');
      assert.match(query.body.error.message, /date_range: dates must lie within 1970-01-01 and 2100-12-31/);
      assert.ok(healthMs < PROMPT_MS, `/healthz took ${healthMs} ms`);
    });
  }

  it('dates at the edges: 1970-01-01 and 2100-12-31 pass, a day beyond either is refused', async () => {
    for (const range of [
      ['1970-01-01', '1970-01-01'],
      ['2100-12-31', '2100-12-31'],
    ]) {
      const res = await f.post('/api/v2/query', { ...OK, date_range: range });
      assert.equal(res.status, 200, `${range}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(res.body.results, [{ dimensions: [], metrics: [0] }]);
    }
    // Date-times are bounded by the date they are written with, whatever their offset.
    const wide = await f.post('/api/v2/query', {
      ...OK,
      date_range: ['1970-01-01T00:00:00+01:00', '2100-12-31T23:59:59-12:00'],
    });
    const all = await f.post('/api/v2/query', { ...OK, date_range: 'all' });
    assert.equal(wide.status, 200, JSON.stringify(wide.body));
    assert.deepEqual(wide.body.results, all.body.results);
    for (const [range, field] of [
      [['1969-12-31', '2026-01-01'], 'date_range'],
      [['2026-01-01', '2101-01-01'], 'date_range'],
      [['1969-12-31T23:59:59Z', '2026-01-01T00:00:00Z'], 'date_range'],
    ] as const) {
      const res = await f.post('/api/v2/query', { ...OK, date_range: range });
      assert.equal(res.status, 400, String(range));
      assert.equal(res.body.error.code, 'FOOTFALL_ERR_INVALID_QUERY');
      assert.match(res.body.error.message, new RegExp(`${field}: dates must lie within`));
    }
    const custom = await f.post('/api/v2/query', {
      ...OK,
      date_range: '7d',
      include: { comparisons: { mode: 'custom', date_range: ['1969-01-01', '1969-01-07'] } },
    });
    assert.equal(custom.status, 400);
    assert.match(custom.body.error.message, /include.comparisons.date_range: dates must lie within/);
  });

  it('the widest allowed series (every day of 1970–2100, compared, labelled) answers while /healthz does', async () => {
    const started = performance.now();
    const { query, healthMs } = await alongsideHealthz({
      ...OK,
      date_range: ['1970-01-01', '2100-12-31'],
      dimensions: ['time:day'],
      include: { time_labels: true, total_rows: true, comparisons: { mode: 'previous_period' } },
      pagination: { limit: 10_000, offset: 20_000 },
    });
    const took = performance.now() - started;
    assert.equal(query.status, 200, JSON.stringify(query.body).slice(0, 300));
    assert.equal(query.body.meta.time_labels.length, 47_847);
    assert.equal(query.body.meta.total_rows, 47_847);
    assert.equal(query.body.results.length, 10_000);
    assert.equal(query.body.results[0].dimensions[0], query.body.meta.time_labels[20_000]);
    // The compared period is the 47,847 days before: the day at the same position.
    const day = (n: number) => new Date(Date.UTC(1970, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
    assert.equal(query.body.results[0].dimensions[0], day(20_000));
    assert.equal(query.body.results[0].comparison.dimensions[0], day(20_000 - 47_847));
    assert.ok(healthMs < PROMPT_MS, `/healthz took ${healthMs} ms`);
    console.log(`# widest series: ${Math.round(took)} ms, /healthz meanwhile ${Math.round(healthMs)} ms`);
  });

  it('hour buckets: 732 days pass, 733 are refused naming the limit (main range and comparison)', async () => {
    const hours = (date_range: unknown, include: Record<string, unknown> = {}) =>
      f.post('/api/v2/query', { ...OK, date_range, dimensions: ['time:hour'], include });
    const last = await hours(['2024-01-01', '2026-01-01'], { time_labels: true });
    assert.equal(last.status, 200, JSON.stringify(last.body).slice(0, 300));
    // 732 days of 24 hours; the two DST days a year change nothing in the count here
    // (the spring day has 23 labels, the autumn day 24: its repeated hour is one label).
    assert.equal(last.body.meta.time_labels.length, 732 * 24 - 2);
    for (const [range, include, field] of [
      [['2024-01-01', '2026-01-02'], {}, 'date_range'],
      [
        ['2026-10-01', '2026-10-02'],
        { comparisons: { mode: 'custom', date_range: ['2024-01-01', '2026-01-02'] } },
        'include.comparisons',
      ],
    ] as const) {
      const res = await hours(range, include);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'FOOTFALL_ERR_RANGE_TOO_LONG');
      assert.match(
        res.body.error.message,
        new RegExp(`${field}: hour buckets cover at most 732 days and this range has 733`),
      );
    }
  });

  it('footfall query refuses the same ranges with the same words', async () => {
    const cli = (range: string, dimensions = 'time:day') =>
      runCli([
        'query',
        '--site',
        SITE,
        '--range',
        range,
        '--dimensions',
        dimensions,
        '--data',
        f.server.dataDir,
      ]);
    const old = await cli('0050-01-01,2026-01-01');
    assert.notEqual(old.code, 0);
    assert.match(old.stderr, /date_range: dates must lie within 1970-01-01 and 2100-12-31/);
    const long = await cli('2024-01-01,2026-01-02', 'time:hour');
    assert.notEqual(long.code, 0);
    assert.match(long.stderr, /hour buckets cover at most 732 days/);
    const fine = await cli('2026-10-01,2026-10-02', 'time:hour');
    assert.equal(fine.code, 0, fine.stderr);
  });

  it('"all" starts no earlier than 1970, whatever the first event says', () => {
    const all = resolveRange('all', 'Europe/Berlin', NOW, Date.parse('1900-06-01T00:00:00Z'));
    assert.equal(all.firstDate, '1970-01-01');
    assert.equal(all.fromMs, Date.parse('1969-12-31T23:00:00Z'));
  });

  it('a compared breakdown asks only for the rows shown, even a full page of 10,000', () => {
    const q = parseQuery({ ...OK, date_range: '7d', dimensions: ['time:day', 'event:page'] });
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ d0: '2026-10-27', d1: `/page/${i}` }));
    assert.deepEqual(restrictTo(q, rows), [
      { op: 'is', dimension: 'event:page', values: rows.map((r) => r.d1), caseSensitive: true },
    ]);
  });

  it('a journeys sample lists at most 100 pages of a visit', async () => {
    clock.now = NOW + 60_000;
    for (let i = 0; i < 120; i++) {
      const res = await hit(`${f.server.url}/api/event`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': BROWSER_UA,
          'x-forwarded-for': '198.51.100.7',
        },
        body: JSON.stringify({ n: 'pageview', u: `https://${SITE}/long/${i}`, d: SITE }),
      });
      assert.equal(res.status, 202);
      clock.now += 1000;
    }
    await f.server.flush();
    clock.now = NOW + 10 * 60_000;
    const res = await f.post('/api/v2/journeys', { site_id: SITE, date_range: 'day', samples: 1 });
    assert.equal(res.status, 200);
    assert.equal(res.body.samples[0].pages.length, 100);
    assert.deepEqual(res.body.samples[0].pages.slice(0, 2), ['/long/0', '/long/1']);
    clock.now = NOW;
  });
});
