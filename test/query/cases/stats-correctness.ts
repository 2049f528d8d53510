// Every metric × every dimension × every filter operator, against answers computed in plain
// TypeScript from the generated events (oracle.ts), through the real server and DuckDB file.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIMENSION_NAMES } from '../../../src/query/dimensions.js';
import { METRICS } from '../../../src/query/model.js';
import { killServers, removeDir } from '../../helpers/server.js';
import { type EngineName, plannerPaths, type StatsFixture, startStatsFixture } from '../fixture.js';
import { expectedRows, type OracleQuery } from '../oracle.js';
import { FILTER_CASES, PAGE_BREAKDOWNS, PAGE_FILTER_SETS } from './filters.js';

// Every metric the engine knows, so a new one is checked here the day it is added — but the
// conversion rates, which need goals and are checked against goals in cases/goals.ts.
// Conversion and revenue metrics need goals: cases/goals.ts and cases/revenue.ts.
const GOAL_ONLY: readonly string[] = [
  'conversion_rate',
  'group_conversion_rate',
  'total_revenue',
  'average_revenue',
];
const ALL_METRICS = METRICS.filter((m) => !GOAL_ONLY.includes(m));
// Those of visits and their events' counts, which the visits table also answers.
const VISIT_METRICS = ALL_METRICS.filter((m) => m !== 'scroll_depth' && m !== 'time_on_page');
const DIMENSIONS = [
  'event:page',
  'event:title',
  'event:hostname',
  'event:name',
  'event:props:plan',
  'visit:entry_page',
  'visit:exit_page',
  'visit:entry_page_hostname',
  'visit:exit_page_hostname',
  'visit:source',
  'visit:referrer',
  'visit:channel',
  'visit:utm_source',
  'visit:utm_medium',
  'visit:utm_campaign',
  'visit:utm_term',
  'visit:utm_content',
  'visit:country',
  'visit:country_name',
  'visit:region',
  'visit:region_name',
  'visit:city',
  'visit:city_name',
  'visit:browser',
  'visit:browser_version',
  'visit:os',
  'visit:os_version',
  'visit:device',
  'visit:screen',
  'visit:language',
  'time',
  'time:hour',
  'time:day',
  'time:week',
  'time:month',
  'time:hour_of_day',
  'time:hour_block',
  'time:day_of_week',
];

// "30d" at NOW in Berlin: 2 October 00:00 CEST (22:00 UTC the day before) to the end of 1 November (CET).
const D30 = {
  fromMs: Date.parse('2026-10-01T22:00:00Z'),
  toMs: Date.parse('2026-11-01T23:00:00Z'),
  firstDate: '2026-10-02',
};
const BERLIN = 'Europe/Berlin';

export function statsCorrectnessCases(engine: EngineName): void {
  /** The visits table can answer: DuckDB with the planner on (not ClickHouse, not events-path.test.ts). */
  const planned = () => engine === 'duckdb' && plannerPaths.visitsTable;
  describe('stats API answers equal answers computed from the events', () => {
    let f: StatsFixture;
    before(async () => {
      f = await startStatsFixture(undefined, engine);
    });
    after(async () => {
      await f.server.close();
      removeDir(f.server.dataDir);
      killServers();
    });

    const check = async (body: Record<string, unknown>, oracle: Partial<OracleQuery>) => {
      const got = await f.query(body);
      const want = expectedRows(f.events, f.siteId, {
        metrics: body.metrics as string[],
        dimensions: (body.dimensions as string[]) ?? [],
        filters: (body.filters as unknown[]) ?? [],
        timezone: BERLIN,
        timeUnit: 'day',
        ...D30,
        ...oracle,
      });
      assert.deepEqual(got.results, want.rows, JSON.stringify(body));
      return { got, want };
    };

    it('every dimension the engine knows is in this test (a new one needs a row and an oracle rule)', () => {
      const covered = DIMENSIONS.map((d) => (d.startsWith('event:props:') ? 'event:props:<key>' : d));
      assert.deepEqual([...covered].sort(), [...DIMENSION_NAMES].sort());
    });

    it('the generated data is large enough to mean something', () => {
      assert.ok(f.events.length > 5000, `${f.events.length} events`);
    });

    it('aggregate: every metric over 30 days', async () => {
      const { got } = await check({ metrics: ALL_METRICS, date_range: '30d' }, {});
      assert.ok(got.results[0].metrics[0] > 50, 'visitors');
    });

    for (const dimension of DIMENSIONS) {
      it(`every metric by ${dimension}`, async () => {
        const { got } = await check({ metrics: ALL_METRICS, date_range: '30d', dimensions: [dimension] }, {});
        assert.ok(got.results.length > 0);
        // Alone, the metrics of visits may take the planner's visits paths (src/query/plan.ts):
        // asked only where there is a planner (elsewhere it is the statement above, less two metrics).
        if (planned())
          await check({ metrics: VISIT_METRICS, date_range: '30d', dimensions: [dimension] }, {});
      });
    }

    it('two dimensions at once (country × device)', async () => {
      await check(
        {
          metrics: ['visitors', 'visits', 'bounce_rate'],
          date_range: '30d',
          dimensions: ['visit:country', 'visit:device'],
        },
        {},
      );
    });

    const FILTERS = FILTER_CASES;
    for (const [label, filter] of FILTERS) {
      it(`filter ${label}: aggregate and by source`, async () => {
        await check({ metrics: ALL_METRICS, date_range: '30d', filters: [filter] }, {});
        if (planned()) {
          await check(
            { metrics: VISIT_METRICS, date_range: '30d', filters: [filter], dimensions: ['visit:device'] },
            {},
          );
        }
        await check(
          { metrics: ALL_METRICS, date_range: '30d', filters: [filter], dimensions: ['visit:source'] },
          {},
        );
      });
    }

    for (const dimension of PAGE_BREAKDOWNS) {
      it(`page and hostname filters with a breakdown by ${dimension}`, async () => {
        for (const filters of PAGE_FILTER_SETS) {
          await check({ metrics: ALL_METRICS, date_range: '30d', filters, dimensions: [dimension] }, {});
        }
      });
    }

    it('two top-level filters are combined with and; a page filter with a time dimension', async () => {
      await check(
        {
          metrics: ['visitors', 'visits', 'pageviews', 'bounce_rate'],
          date_range: '30d',
          filters: [
            ['is', 'visit:device', ['Mobile']],
            ['contains', 'event:page', ['post']],
          ],
          dimensions: ['time:day'],
        },
        {},
      );
    });

    it('pagination and total_rows: pages never overlap or skip rows', async () => {
      const body = {
        metrics: ['visitors', 'pageviews'],
        date_range: '30d',
        dimensions: ['event:page'],
        include: { total_rows: true },
      };
      const all = await f.query(body);
      const pages = [];
      for (let offset = 0; offset < all.results.length; offset += 7) {
        const page = await f.query({ ...body, pagination: { limit: 7, offset } });
        assert.equal(page.meta.total_rows, all.results.length);
        pages.push(...page.results);
      }
      assert.deepEqual(pages, all.results);
      await check({ ...body, pagination: { limit: 5, offset: 10 } }, { limit: 5, offset: 10 });
    });

    it('order_by on a metric and on a dimension, both directions', async () => {
      for (const orderBy of [
        [['visitors', 'asc']],
        [['event:page', 'desc']],
        [
          ['bounce_rate', 'desc'],
          ['visits', 'asc'],
        ],
      ]) {
        await check(
          {
            metrics: ['visitors', 'visits', 'bounce_rate'],
            date_range: '30d',
            dimensions: ['event:page'],
            order_by: orderBy,
          },
          { orderBy: orderBy as [string, 'asc' | 'desc'][] },
        );
      }
    });
  });
}
