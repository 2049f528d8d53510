// Issue 12 (exactly Plausible's answers), items 6, 7, 8 and 10: compared time series, compared
// percentages, the echoed query posted back, the default order with its ties, and the words
// of a filter error — each expected answer computed from the events by the oracle.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BROWSER_UA, hit, killServers, removeDir } from '../../helpers/server.js';
import { type EngineName, type Json, NOW, SITE, type StatsFixture, startStatsFixture } from '../fixture.js';
import { expectedRows, type OracleQuery } from '../oracle.js';

const BERLIN = 'Europe/Berlin';

// Local days in Berlin as UTC instants, worked out by hand (CEST until 25 October, then CET).
const SPANS = {
  lateOctober: {
    fromMs: Date.parse('2026-10-28T23:00:00Z'),
    toMs: Date.parse('2026-11-04T23:00:00Z'),
    firstDate: '2026-10-29',
  },
  weekBefore: {
    fromMs: Date.parse('2026-10-21T22:00:00Z'),
    toMs: Date.parse('2026-10-28T23:00:00Z'),
    firstDate: '2026-10-22',
  },
  firstWeek: {
    fromMs: Date.parse('2026-09-19T22:00:00Z'),
    toMs: Date.parse('2026-09-26T22:00:00Z'),
    firstDate: '2026-09-20',
  },
  beforeData: {
    fromMs: Date.parse('2026-09-12T22:00:00Z'),
    toMs: Date.parse('2026-09-19T22:00:00Z'),
    firstDate: '2026-09-13',
  },
  '7d': {
    fromMs: Date.parse('2026-10-25T23:00:00Z'),
    toMs: Date.parse('2026-11-01T23:00:00Z'),
    firstDate: '2026-10-26',
  },
  '7dBefore': {
    fromMs: Date.parse('2026-10-18T22:00:00Z'),
    toMs: Date.parse('2026-10-25T23:00:00Z'),
    firstDate: '2026-10-19',
  },
} as const;

const days = (first: string, n: number) =>
  Array.from({ length: n }, (_, i) =>
    new Date(Date.parse(`${first}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10),
  );

/**
 * Plausible's change, from the rounded values: percent, 100 from nothing; bounce rate in
 * points, none from a bounce rate of 0 (its Compare.calculate_change).
 */
const change = (m: string, now: number | null, before: number | null) => {
  if (now === null || before === null) return null;
  if (m === 'bounce_rate') return before > 0 ? now - before : null;
  if (before === 0) return now > 0 ? 100 : 0;
  return Math.round(((now - before) / before) * 100);
};

export function plausibleAnswersCases(engine: EngineName): void {
  describe("Plausible's answers: comparisons, the echoed query, order and error words", () => {
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

    const oracle = (
      q: Partial<OracleQuery> & Pick<OracleQuery, 'metrics' | 'fromMs' | 'toMs' | 'firstDate'>,
    ) =>
      expectedRows(f.events, f.siteId, {
        dimensions: [],
        filters: [],
        timezone: BERLIN,
        timeUnit: 'day',
        ...q,
      }).rows;

    /** Every day of a span with its oracle metrics, 0 where nothing happened. */
    const series = (
      metrics: string[],
      span: { fromMs: number; toMs: number; firstDate: string },
      n: number,
    ) => {
      const byDay = new Map(
        oracle({ metrics, dimensions: ['time:day'], ...span }).map((r) => [r.dimensions[0], r.metrics]),
      );
      return days(span.firstDate, n).map((d) => ({ day: d, metrics: byDay.get(d) ?? metrics.map(() => 0) }));
    };

    const METRICS = ['visitors', 'pageviews', 'bounce_rate'];

    it('a compared time series has every bucket of both periods, empty ones as 0, with the previous period’s own labels', async () => {
      for (const [main, prev, range] of [
        // Data ends on 31 October: the main period's last four days are empty.
        [SPANS.lateOctober, SPANS.weekBefore, ['2026-10-29', '2026-11-04']],
        // Data starts on 20 September: the compared week is empty.
        [SPANS.firstWeek, SPANS.beforeData, ['2026-09-20', '2026-09-26']],
      ] as const) {
        const got = await f.query({
          metrics: METRICS,
          date_range: range,
          dimensions: ['time:day'],
          include: { comparisons: { mode: 'previous_period' }, time_labels: true, total_rows: true },
        });
        const now = series(METRICS, main, 7);
        const before = series(METRICS, prev, 7);
        const want = now.map((n, i) => ({
          dimensions: [n.day],
          metrics: n.metrics,
          comparison: {
            dimensions: [before[i]!.day],
            metrics: before[i]!.metrics,
            change: METRICS.map((m, j) => change(m, n.metrics[j]!, before[i]!.metrics[j]!)),
          },
        }));
        assert.deepEqual(got.results, want, String(range));
        assert.deepEqual(got.meta.time_labels, days(main.firstDate, 7));
        assert.equal(got.meta.total_rows, 7);
        assert.ok(
          want.some((r) => r.metrics[0] === 0 || r.comparison.metrics[0] === 0),
          'some bucket is empty',
        );

        const page = await f.query({
          metrics: METRICS,
          date_range: range,
          dimensions: ['time:day'],
          include: { comparisons: { mode: 'previous_period' }, total_rows: true },
          pagination: { limit: 3, offset: 2 },
        });
        assert.deepEqual(page.results, want.slice(2, 5), 'pages of the filled series');
        assert.equal(page.meta.total_rows, 7);

        const busiest = await f.query({
          metrics: METRICS,
          date_range: range,
          dimensions: ['time:day'],
          order_by: [['visitors', 'desc']],
          include: { comparisons: { mode: 'previous_period' } },
        });
        const sorted = [...want].sort(
          (a, b) =>
            (b.metrics[0] as number) - (a.metrics[0] as number) ||
            (a.dimensions[0]! < b.dimensions[0]! ? -1 : 1),
        );
        assert.deepEqual(busiest.results, sorted, 'ordered by visitors, then time');
      }
    });

    it('a custom comparison shorter than the range: buckets past its end compare with nothing (label null)', async () => {
      const got = await f.query({
        metrics: ['visitors'],
        date_range: ['2026-10-22', '2026-10-28'],
        dimensions: ['time:day'],
        include: { comparisons: { mode: 'custom', date_range: ['2026-10-01', '2026-10-03'] } },
      });
      const now = series(['visitors'], SPANS.weekBefore, 7);
      const before = series(
        ['visitors'],
        {
          fromMs: Date.parse('2026-09-30T22:00:00Z'),
          toMs: Date.parse('2026-10-03T22:00:00Z'),
          firstDate: '2026-10-01',
        },
        3,
      );
      assert.deepEqual(
        got.results.map((r: Json) => [
          r.dimensions[0],
          r.metrics[0],
          r.comparison.dimensions[0],
          r.comparison.metrics[0],
        ]),
        now.map((n, i) => [n.day, n.metrics[0], before[i]?.day ?? null, before[i]?.metrics[0] ?? 0]),
      );
    });

    it('percentage in a compared breakdown is of all the visitors of the compared period, not of the rows shown', async () => {
      for (const metrics of [['visitors', 'percentage'], ['percentage']]) {
        const got = await f.query({
          metrics,
          date_range: '7d',
          dimensions: ['visit:browser'],
          include: { comparisons: { mode: 'previous_period' } },
          pagination: { limit: 2 },
        });
        const before = new Map(
          oracle({ metrics, dimensions: ['visit:browser'], ...SPANS['7dBefore'] }).map((r) => [
            r.dimensions[0],
            r.metrics,
          ]),
        );
        assert.equal(got.results.length, 2);
        for (const row of got.results) {
          const prev = before.get(row.dimensions[0]) ?? metrics.map(() => 0);
          assert.deepEqual(row.comparison.metrics, prev, row.dimensions[0]);
          assert.deepEqual(
            row.comparison.change,
            metrics.map((m, i) => change(m, row.metrics[i], prev[i]!)),
          );
        }
        const shownShare = got.results.reduce(
          (s: number, r: Json) => s + r.comparison.metrics[metrics.indexOf('percentage')],
          0,
        );
        assert.ok(
          shownShare < 99,
          `the two rows shown hold ${shownShare}% of the compared visitors, not 100%`,
        );
      }
    });

    it('default order: the first metric descending; with a time dimension, time first, then the metric', async () => {
      const byTime = await f.query({
        metrics: ['visitors', 'pageviews'],
        date_range: '7d',
        dimensions: ['time:day', 'visit:source'],
      });
      assert.deepEqual(byTime.query.order_by, [
        ['time:day', 'asc'],
        ['visitors', 'desc'],
      ]);
      assert.deepEqual(
        byTime.results,
        oracle({
          metrics: ['visitors', 'pageviews'],
          dimensions: ['time:day', 'visit:source'],
          ...SPANS['7d'],
          orderBy: byTime.query.order_by,
        }),
      );
      // Within a day the busiest source comes first, whatever its name (ties by the dimensions).
      const day = byTime.results.filter((r: Json) => r.dimensions[0] === '2026-10-27');
      assert.ok(day.length > 2);
      assert.deepEqual(
        day.map((r: Json) => r.metrics[0]),
        [...day.map((r: Json) => r.metrics[0])].sort((a, b) => b - a),
      );

      const pages = await f.query({
        metrics: ['pageviews', 'visitors'],
        date_range: '7d',
        dimensions: ['event:page'],
      });
      assert.deepEqual(pages.query.order_by, [['pageviews', 'desc']]);
      assert.deepEqual(
        pages.results,
        oracle({ metrics: ['pageviews', 'visitors'], dimensions: ['event:page'], ...SPANS['7d'] }),
      );
    });

    it('an invalid filter is called an invalid filter and quoted, as Plausible words it', async () => {
      for (const [filter, field] of [
        [['is', 'visit:planet', ['Mars']], 'filters[0][1]'],
        [['like', 'event:page', ['/']], 'filters[0][0]'],
        [['is', 'event:page', []], 'filters[0][2]'],
        [['matches', 'event:page', ['(unclosed']], 'filters[0][2]'],
        [['or', []], 'filters[0]'],
      ] as const) {
        const res = await f.post('/api/v2/query', {
          site_id: SITE,
          metrics: ['visitors'],
          date_range: '7d',
          filters: [filter],
        });
        assert.equal(res.status, 400);
        assert.equal(res.body.error.code, 'FOOTFALL_ERR_INVALID_QUERY');
        assert.ok(
          res.body.error.message.includes(`${field}: Invalid filter ${JSON.stringify(filter)}`),
          res.body.error.message,
        );
      }
      const nested = await f.post('/api/v2/query', {
        site_id: SITE,
        metrics: ['visitors'],
        date_range: '7d',
        filters: [
          [
            'and',
            [
              ['is', 'event:page', ['/']],
              ['is', 'time:day', ['2026-10-01']],
            ],
          ],
        ],
      });
      assert.match(
        nested.body.error.message,
        /filters\[0\]\[1\]\[1\]\[1\]: Invalid filter \["is","time:day",\["2026-10-01"\]\]/,
      );
    });

    // Last: it tracks one more event, which the oracle's events do not hold.
    it("an invalid pattern is refused in RE2's own words, the same on every engine", async () => {
      const res = await f.post('/api/v2/query', {
        site_id: SITE,
        metrics: ['visitors'],
        date_range: '7d',
        filters: [['matches', 'event:page', ['(unclosed']]],
      });
      assert.equal(res.status, 400);
      assert.ok(
        res.body.error.message.endsWith('not a valid RE2 regular expression (missing ): (unclosed)'),
        res.body.error.message,
      );
    });

    it('the query a response echoes, posted back, gives the same answer', async () => {
      // Page views on the edges of ranges below: in the last second of the last day of "7d"
      // (23:59:59.5 in Berlin), which the echoed end "…T23:59:59+01:00" must still hold; and
      // 100 ms after a full minute, which a range from 250 ms after it must still leave out.
      for (const [at, path] of [
        ['2026-11-01T22:59:59.500Z', '/last-second'],
        ['2026-10-10T04:30:00.100Z', '/before-the-start'],
      ] as const) {
        clock.now = Date.parse(at);
        const tracked = await hit(`${f.server.url}/api/event`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': BROWSER_UA,
            'x-forwarded-for': '198.51.100.99',
          },
          body: JSON.stringify({ n: 'pageview', u: `https://${SITE}${path}`, d: SITE }),
        });
        assert.equal(tracked.status, 202);
      }
      await f.server.flush();
      clock.now = NOW;

      const bodies: Record<string, unknown>[] = [
        {
          metrics: ['visitors', 'pageviews'],
          date_range: '7d',
          filters: [['is', 'event:page', ['/last-second']]],
        },
        {
          metrics: ['visitors', 'bounce_rate'],
          date_range: '7d',
          dimensions: ['visit:source'],
          filters: [['is', 'visit:country', ['de'], { case_sensitive: false }]],
          include: { comparisons: { mode: 'previous_period' }, total_rows: true, imports: true },
          pagination: { limit: 5 },
        },
        {
          metrics: ['visitors'],
          date_range: ['2026-10-25', '2026-10-25'],
          dimensions: ['time:hour'],
          include: { time_labels: true },
        },
        {
          metrics: ['pageviews', 'percentage'],
          date_range: '30d',
          dimensions: ['time'],
          include: { comparisons: { mode: 'custom', date_range: ['2026-09-20', '2026-10-01'] } },
        },
        {
          metrics: ['visitors'],
          date_range: ['2026-10-10T06:30:00.250+02:00', '2026-10-12T18:00:00.000Z'],
          filters: [['is', 'event:page', ['/before-the-start']]],
        },
        {
          metrics: ['visitors'],
          date_range: ['2026-10-10T06:30:00+02:00', '2026-10-12T18:00:00Z'],
          dimensions: ['time'],
        },
        {
          metrics: ['visitors', 'visits'],
          date_range: 'month',
          dimensions: ['event:page'],
          order_by: [['visits', 'asc']],
          pagination: { limit: 4, offset: 3 },
        },
        { metrics: ['visitors'], date_range: '7d', order_by: null },
      ];
      for (const body of bodies) {
        const first = await f.query(body);
        const again = await f.post('/api/v2/query', first.query);
        assert.equal(again.status, 200, `${JSON.stringify(first.query)} → ${JSON.stringify(again.body)}`);
        assert.deepEqual(again.body, first, JSON.stringify(body));
      }
      const last = await f.query(bodies[0]!);
      assert.deepEqual(last.results[0].metrics, [1, 1], 'the last second of the range is in it');
      const early = await f.query({
        ...bodies[4]!,
        date_range: ['2026-10-10T06:30:00+02:00', '2026-10-12T18:00:00Z'],
      });
      assert.deepEqual(early.results[0].metrics, [1], 'the page view 100 ms after the minute exists');
    });
  });
}
