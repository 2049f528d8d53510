// Date ranges in the site's time zone (with a DST change), comparisons, time labels,
// journeys and realtime — each checked against answers computed from the events.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BROWSER_UA, hit, killServers, removeDir } from '../../helpers/server.js';
import { type EngineName, NOW, SITE, type StatsFixture, startStatsFixture } from '../fixture.js';
import { expectedRows } from '../oracle.js';

const BERLIN = 'Europe/Berlin';
const METRICS = ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration'];

// Bounds worked out by hand for NOW (1 Nov 2026, 01:30 in Berlin, CET since 25 Oct).
const RANGES = {
  day: ['2026-10-31T23:00:00Z', '2026-11-01T23:00:00Z', '2026-11-01', 'hour'],
  '7d': ['2026-10-25T23:00:00Z', '2026-11-01T23:00:00Z', '2026-10-26', 'day'],
  '28d': ['2026-10-04T22:00:00Z', '2026-11-01T23:00:00Z', '2026-10-05', 'day'],
  '30d': ['2026-10-01T22:00:00Z', '2026-11-01T23:00:00Z', '2026-10-02', 'day'],
  '91d': ['2026-08-02T22:00:00Z', '2026-11-01T23:00:00Z', '2026-08-03', 'day'],
  month: ['2026-10-31T23:00:00Z', '2026-11-30T23:00:00Z', '2026-11-01', 'day'],
  '6mo': ['2026-05-31T22:00:00Z', '2026-11-30T23:00:00Z', '2026-06-01', 'month'],
  '12mo': ['2025-11-30T23:00:00Z', '2026-11-30T23:00:00Z', '2025-12-01', 'month'],
  year: ['2025-12-31T23:00:00Z', '2026-12-31T23:00:00Z', '2026-01-01', 'month'],
  all: ['2026-09-19T22:00:00Z', '2026-11-01T23:00:00Z', '2026-09-20', 'day'],
} as const;

export function rangesAndReportsCases(engine: EngineName): void {
  describe('date ranges, comparisons and reports', () => {
    let f: StatsFixture;
    const clock = { now: NOW };
    before(async () => {
      f = await startStatsFixture(clock, engine);
    });
    after(async () => {
      await f.server.close();
      removeDir(f.server.dataDir);
      killServers();
    });

    const expected = (
      from: string,
      to: string,
      firstDate: string,
      unit: string,
      extra: { dimensions?: string[] } = {},
    ) =>
      expectedRows(f.events, f.siteId, {
        metrics: METRICS,
        dimensions: extra.dimensions ?? [],
        filters: [],
        timezone: BERLIN,
        timeUnit: unit as 'day',
        fromMs: Date.parse(from),
        toMs: Date.parse(to),
        firstDate,
      }).rows;

    for (const [preset, [from, to, first, unit]] of Object.entries(RANGES)) {
      it(`"${preset}" covers the local days it names, in Berlin time, and "time" means ${unit}`, async () => {
        const got = await f.query({ metrics: METRICS, date_range: preset, dimensions: ['time'] });
        assert.deepEqual(got.results, expected(from, to, first, unit, { dimensions: ['time'] }));
        const total = await f.query({ metrics: METRICS, date_range: preset });
        assert.deepEqual(total.results, expected(from, to, first, unit));
      });
    }

    it('"all" on a site without events is today alone (not a range from 1970)', async () => {
      const added = await f.post('/api/sites', { domain: 'empty.example', timezone: 'UTC' });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      const res = await f.post('/api/v2/query', {
        site_id: 'empty.example',
        metrics: ['visitors'],
        date_range: 'all',
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.query.date_range, ['2026-11-01T00:00:00+00:00', '2026-11-01T23:59:59+00:00']);
      assert.deepEqual(res.body.results, [{ dimensions: [], metrics: [0] }]);
    });

    it('the day the clocks went back has 25 hours of data in 24 labels, and dates are echoed with their offsets', async () => {
      const got = await f.query({
        metrics: METRICS,
        date_range: ['2026-10-25', '2026-10-25'],
        dimensions: ['time:hour'],
        include: { time_labels: true },
      });
      assert.deepEqual(got.query.date_range, ['2026-10-25T00:00:00+02:00', '2026-10-25T23:59:59+01:00']);
      assert.equal(got.meta.time_labels.length, 24);
      assert.equal(got.meta.time_labels[2], '2026-10-25 02:00:00');
      assert.deepEqual(
        got.results,
        expected('2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z', '2026-10-25', 'hour', {
          dimensions: ['time:hour'],
        }),
      );
    });

    it('ISO date-times select instants (the end takes in the whole second it names); labels of a week range start at its first day', async () => {
      const got = await f.query({
        metrics: METRICS,
        date_range: ['2026-10-10T06:30:00+02:00', '2026-10-12T18:00:00Z'],
      });
      assert.deepEqual(
        got.results,
        expected('2026-10-10T04:30:00Z', '2026-10-12T18:00:01Z', '2026-10-10', 'hour'),
      );
      const weeks = await f.query({
        metrics: ['visitors'],
        date_range: ['2026-10-01', '2026-10-20'],
        dimensions: ['time:week'],
        include: { time_labels: true },
      });
      assert.deepEqual(weeks.meta.time_labels, ['2026-10-01', '2026-10-05', '2026-10-12', '2026-10-19']);
    });

    it('comparison with the previous period and year over year', async () => {
      const got = await f.query({
        metrics: METRICS,
        date_range: '7d',
        include: { comparisons: { mode: 'previous_period' } },
      });
      const now = expected(...RANGES['7d'])[0]!.metrics as number[];
      const prev = expected('2026-10-18T22:00:00Z', '2026-10-25T23:00:00Z', '2026-10-19', 'day')[0]!
        .metrics as number[];
      assert.deepEqual(got.results[0].metrics, now);
      assert.deepEqual(got.results[0].comparison.metrics, prev);
      const change = METRICS.map((m, i) =>
        m === 'bounce_rate'
          ? prev[i]! > 0
            ? now[i]! - prev[i]!
            : null
          : prev[i] === 0
            ? now[i]! > 0
              ? 100
              : 0
            : Math.round(((now[i]! - prev[i]!) / prev[i]!) * 100),
      );
      assert.deepEqual(got.results[0].comparison.change, change);
      const yoy = await f.query({
        metrics: ['visitors'],
        date_range: '7d',
        include: { comparisons: { mode: 'year_over_year' } },
      });
      assert.deepEqual(yoy.results[0].comparison.metrics, [0], 'no traffic a year before');
    });

    it('comparison of a breakdown matches rows by value and time buckets by position', async () => {
      const got = await f.query({
        metrics: ['visitors'],
        date_range: '7d',
        dimensions: ['visit:source'],
        include: { comparisons: { mode: 'previous_period' } },
      });
      const prev = new Map(
        expectedRows(f.events, f.siteId, {
          metrics: ['visitors'],
          dimensions: ['visit:source'],
          filters: [],
          timezone: BERLIN,
          timeUnit: 'day',
          fromMs: Date.parse('2026-10-18T22:00:00Z'),
          toMs: Date.parse('2026-10-25T23:00:00Z'),
          firstDate: '2026-10-19',
        }).rows.map((r) => [r.dimensions[0], r.metrics[0]]),
      );
      for (const row of got.results)
        assert.equal(row.comparison.metrics[0], prev.get(row.dimensions[0]) ?? 0, row.dimensions[0]);
      const series = await f.query({
        metrics: ['visitors'],
        date_range: '7d',
        dimensions: ['time:day'],
        include: { comparisons: { mode: 'previous_period' } },
      });
      const prevDays = expected('2026-10-18T22:00:00Z', '2026-10-25T23:00:00Z', '2026-10-19', 'day', {
        dimensions: ['time:day'],
      });
      assert.equal(series.results[0].dimensions[0], '2026-10-26');
      assert.deepEqual(series.results[0].comparison.dimensions, ['2026-10-19']);
      assert.equal(series.results[0].comparison.metrics[0], prevDays[0]!.metrics[0]);
    });

    // Samples are found among the visits of the last 2 days before the range's last page view
    // when enough start there ('tail'), else among all ('all'): both are checked (journeys.ts).
    for (const [steps, filters, label, samples, path] of [
      [2, [], 'no filter', 3, 'tail'],
      // Three steps without filters: on DuckDB, the rolled days' runs come from the rollups.
      [3, [], 'no filter', 3, 'tail'],
      [3, [['is', 'visit:country', ['DE']]], 'visits from Germany', 3, 'tail'],
      [2, [['is', 'visit:country', ['DE']]], 'visits from Germany', 50, 'all'],
    ] as const) {
      it(`journeys of ${steps} pages (${label}, ${samples} samples): the most common runs within visits, counted once per visit`, async () => {
        const res = await f.post('/api/v2/journeys', {
          site_id: SITE,
          date_range: '30d',
          steps,
          limit: 5,
          samples,
          filters,
        });
        assert.equal(res.status, 200);
        // Expected: per visit, its page views in time order with repeats of the same page merged.
        const from = Date.parse('2026-10-01T22:00:00Z');
        const to = Date.parse('2026-11-01T23:00:00Z');
        const inRange = f.events.filter((e) => e.siteId === f.siteId && e.ts >= from && e.ts < to);
        const kept = new Set(
          inRange
            .filter((e) => e.name !== 'engagement' && (filters.length === 0 || e.country === 'DE'))
            .map((e) => e.sessionId),
        );
        const visits = new Map<bigint, { ts: number; page: string }[]>();
        for (const e of inRange) {
          if (e.name !== 'pageview' || !kept.has(e.sessionId)) continue;
          const list = visits.get(e.sessionId) ?? [];
          list.push({ ts: e.ts, page: e.pathname });
          visits.set(e.sessionId, list);
        }
        const counts = new Map<string, number>();
        const sequences: { start: number; pages: string[] }[] = [];
        for (const list of visits.values()) {
          list.sort((a, b) => a.ts - b.ts);
          const pages = list.map((p) => p.page).filter((p, i, all) => i === 0 || all[i - 1] !== p);
          sequences.push({ start: list[0]!.ts, pages });
          const seen = new Set<string>();
          for (let i = 0; i + steps <= pages.length; i++) seen.add(JSON.stringify(pages.slice(i, i + steps)));
          for (const s of seen) counts.set(s, (counts.get(s) ?? 0) + 1);
        }
        const top = [...counts]
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .slice(0, 5)
          .map(([k, n]) => ({ pages: JSON.parse(k), visits: n }));
        assert.ok(top.length > 0);
        assert.deepEqual(res.body.journeys, top);
        sequences.sort((a, b) => b.start - a.start);
        assert.deepEqual(
          res.body.samples.map((s: { pages: string[] }) => s.pages),
          sequences.slice(0, samples).map((s) => s.pages),
        );
        // The data takes the path this case is for.
        const lastView = Math.max(...[...visits.values()].flat().map((p) => p.ts));
        const recent = sequences.filter((s) => s.start >= lastView - 2 * 86_400_000).length;
        assert.equal(recent >= samples ? 'tail' : 'all', path, `${recent} visits start in the last 2 days`);
      });
    }

    it('realtime: visitors of the last 5 minutes; pages and sources of the last 30 (issue 12, B5)', async () => {
      const realtime = async () => {
        const res = await fetch(`${f.server.url}/api/v2/realtime?site_id=${SITE}`, {
          headers: { authorization: `Bearer test-admin-key-0123456789abcdef0123456789` },
        });
        assert.equal(res.status, 200);
        return res.json();
      };
      assert.deepEqual(await realtime(), { visitors: 0, pages: [], sources: [] });
      const view = (ip: string, path: string, referrer?: string) =>
        hit(`${f.server.url}/api/event`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA, 'x-forwarded-for': ip },
          body: JSON.stringify({ n: 'pageview', u: `https://${SITE}${path}`, d: SITE, r: referrer }),
        });
      await view('203.0.113.1', '/live', 'https://news.ycombinator.com/item?id=1');
      await view('203.0.113.2', '/live');
      await view('203.0.113.3', '/other');
      await f.server.flush();
      assert.deepEqual(await realtime(), {
        visitors: 3,
        pages: [
          { page: '/live', visitors: 2 },
          { page: '/other', visitors: 1 },
        ],
        sources: [
          { source: 'Direct / None', visitors: 2 },
          { source: 'Hacker News', visitors: 1 },
        ],
      });
      clock.now += 1000;
      await view('203.0.113.3', '/live');
      await view('203.0.113.4', '/live');
      await f.server.flush();
      const now = await realtime();
      assert.equal(now.visitors, 4);
      assert.deepEqual(now.pages, [
        { page: '/live', visitors: 4 },
        { page: '/other', visitors: 1 },
      ]);
      clock.now += 6 * 60_000;
      const later = await realtime();
      assert.equal(later.visitors, 0, 'six minutes later, nobody is current');
      assert.deepEqual(
        later.pages[0],
        { page: '/live', visitors: 4 },
        '…but the last 30 minutes still list them',
      );
      assert.equal(later.sources.length, 2);
      clock.now += 25 * 60_000;
      assert.deepEqual(
        await realtime(),
        { visitors: 0, pages: [], sources: [] },
        'thirty minutes later, nothing',
      );
      clock.now = NOW;
    });
  });
}
