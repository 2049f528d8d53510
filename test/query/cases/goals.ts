// Goals and conversions (event:goal, conversion_rate, group_conversion_rate) against answers
// computed from the generated events (goal-oracle.ts): every goal kind, exact and wildcard
// pages, required properties, goal filters alone and with other filters, breakdowns by goal
// and by other dimensions. The goals are made through the API, as a site admin would.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { killServers, removeDir } from '../../helpers/server.js';
import {
  type EngineName,
  NOW,
  plannerPaths,
  SITE,
  type StatsFixture,
  startStatsFixture,
} from '../fixture.js';
import { type GoalOracleQuery, goalRows, type OracleGoal } from '../goal-oracle.js';
import { expectedRows, visitsDoing } from '../oracle.js';
import { funnelCases } from './funnels.js';

const GOALS: OracleGoal[] = [
  { name: 'Signup', event: 'Signup' },
  { name: 'Pro signup', event: 'Signup', props: { plan: 'pro' } },
  { name: 'GitHub click', event: 'Outbound Link: Click', props: { url: 'https://github.com/' } },
  // Sent by a script (not interactive): still a conversion.
  { name: 'Watched', event: 'Video Progress', props: { percent: '100' } },
  { name: 'Visit /blog/post-1', page: '/blog/post-1' },
  { name: 'Home', page: '/' },
  { name: 'Posts 1x', page: '/blog/post-1*' },
  { name: 'Any blog', page: '/blog**' },
  { name: 'Middle star', page: '/b*g/post-2' },
  { name: 'Home read', page: '/', scroll: 75 },
  { name: 'Blog skimmed', page: '/blog/*', scroll: 30 },
  // No page view carries props in the generated data: a goal that never converts.
  { name: 'Never', page: '/', props: { plan: 'pro' } },
  { name: '<img src=x onerror=alert(1)> & "quotes"', event: 'Signup', props: { plan: 'team' } },
];

// "30d" at the fixture's NOW in Berlin (see stats-correctness.ts).
const D30 = { fromMs: Date.parse('2026-10-01T22:00:00Z'), toMs: Date.parse('2026-11-01T23:00:00Z') };
const byDims = (a: { dimensions: unknown[] }, b: { dimensions: unknown[] }) =>
  JSON.stringify(a.dimensions) < JSON.stringify(b.dimensions) ? -1 : 1;

export function goalCases(engine: EngineName): void {
  describe('goals and conversions equal answers computed from the events', () => {
    let f: StatsFixture;
    before(async () => {
      f = await startStatsFixture(undefined, engine);
      for (const g of GOALS) {
        const res = await f.post(`/api/sites/${SITE}/goals`, {
          name: g.name,
          event: g.event,
          page: g.page,
          scroll: g.scroll,
          props: g.props,
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
      }
      // The rollup job rolls the new goals into the days it has rolled (DuckDB), as it would
      // within ten minutes: breakdowns by goal then read them (store/duckdb/rollups.ts).
      const job = f.server.jobs.find((j) => j.name === 'rollups');
      if (job) {
        do await job.run(NOW);
        while (job.nextRunIn(NOW) === 1000);
      }
    });
    after(async () => {
      await f.server.close();
      removeDir(f.server.dataDir);
      killServers();
    });

    const check = async (body: Record<string, unknown>, sorted = true) => {
      const got = await f.query({ date_range: '30d', ...body });
      const want = goalRows(f.events, f.siteId, GOALS, {
        metrics: body.metrics as string[],
        dimensions: (body.dimensions as string[]) ?? [],
        filters: (body.filters as unknown[][]) ?? [],
        timezone: 'Europe/Berlin',
        ...D30,
      } satisfies GoalOracleQuery);
      if (sorted) {
        assert.deepEqual([...got.results].sort(byDims), [...want].sort(byDims), JSON.stringify(body));
      } else assert.deepEqual(got.results, want, JSON.stringify(body));
      return got.results as { dimensions: string[]; metrics: number[] }[];
    };
    const METRICS = ['visitors', 'visits', 'events', 'pageviews', 'conversion_rate'];

    it('a breakdown by event:goal: every goal kind, with its visitors, visits, events and conversion rate', async () => {
      plannerPaths.seen.clear();
      const rows = await check({ metrics: METRICS, dimensions: ['event:goal'] });
      // On DuckDB through the goals' rollups (the rolled days) and the events of the rest.
      if (engine === 'duckdb') assert.ok(plannerPaths.seen.has('rollup'), [...plannerPaths.seen].join());
      const names = rows.map((r) => r.dimensions[0]);
      // Every goal that converted shows; the one that never does is not a row (as in Plausible).
      assert.ok(!names.includes('Never'));
      for (const n of [
        'Signup',
        'Pro signup',
        'Posts 1x',
        'Home read',
        'Blog skimmed',
        'Watched',
        'Middle star',
      ]) {
        assert.ok(names.includes(n), `${n} converted in the generated data`);
      }
      // A page-view goal's events are its page views.
      const any = rows.find((r) => r.dimensions[0] === 'Any blog')!;
      assert.equal(any.metrics[2], any.metrics[3]);
    });

    it('in the default order: visitors descending, ties by goal name', async () => {
      const got = (await f.query({ date_range: '30d', metrics: ['visitors'], dimensions: ['event:goal'] }))
        .results;
      assert.ok(got.length > 5);
      for (let i = 1; i < got.length; i++) {
        const [a, b] = [got[i - 1], got[i]];
        assert.ok(
          a.metrics[0] > b.metrics[0] || (a.metrics[0] === b.metrics[0] && a.dimensions[0] < b.dimensions[0]),
        );
      }
    });

    for (const [label, filter] of [
      ['an event goal', ['is', 'event:goal', ['Signup']]],
      ['an event goal with a required property', ['is', 'event:goal', ['Pro signup']]],
      ['an exact page', ['is', 'event:goal', ['Visit /blog/post-1']]],
      ['a wildcard page', ['is', 'event:goal', ['Posts 1x']]],
      ['a ** page', ['is', 'event:goal', ['Any blog']]],
      ['a scroll goal', ['is', 'event:goal', ['Home read']]],
      ['a scroll goal with a wildcard', ['is', 'event:goal', ['Blog skimmed']]],
      ['two goals of different kinds', ['is', 'event:goal', ['Signup', 'Home read']]],
      ['contains, case-insensitive', ['contains', 'event:goal', ['SIGNUP'], { case_sensitive: false }]],
      ['a goal that never converts', ['is', 'event:goal', ['Never']]],
      ['a name no goal has', ['is', 'event:goal', ['No such goal']]],
    ] as const) {
      it(`a goal filter on ${label}: aggregate`, async () => {
        await check({ metrics: METRICS, filters: [filter] });
      });
    }

    it('a goal filter with another filter (device) and a property breakdown', async () => {
      await check({
        metrics: [...METRICS, 'group_conversion_rate'],
        dimensions: ['event:props:plan'],
        filters: [
          ['is', 'event:goal', ['Signup']],
          ['is', 'visit:device', ['Mobile']],
        ],
      });
    });

    it('two goal filters must both hold', async () => {
      await check({
        metrics: METRICS,
        filters: [
          ['contains', 'event:goal', ['signup']],
          ['is', 'event:goal', ['Pro signup', 'Signup']],
        ],
      });
    });

    it('conversion rates per page, per source and per day (group_conversion_rate within each group)', async () => {
      for (const dimension of ['event:page', 'visit:source', 'time:day']) {
        await check({
          metrics: ['visitors', 'events', 'conversion_rate', 'group_conversion_rate'],
          dimensions: [dimension],
          filters: [['is', 'event:goal', ['Signup', 'Posts 1x', 'Home read']]],
        });
      }
    });

    it('a breakdown by goal and device, restricted by a goal filter', async () => {
      await check({
        metrics: ['visitors', 'events', 'conversion_rate', 'group_conversion_rate'],
        dimensions: ['event:goal', 'visit:device'],
        filters: [
          ['contains', 'event:goal', ['sign']],
          ['contains', 'visit:source', ['o']],
        ],
      });
    });

    it('a goal filter with a comparison: the previous period counts its own conversions', async () => {
      const body = {
        date_range: '30d',
        metrics: ['visitors', 'events', 'conversion_rate'],
        filters: [['is', 'event:goal', ['Signup', 'Home read']]],
        include: { comparisons: { mode: 'previous_period' } },
      };
      const got = (await f.query(body)).results[0];
      // The 31 local days before 2 October (Berlin): 1 September to 1 October.
      const before = { fromMs: Date.parse('2026-08-31T22:00:00Z'), toMs: Date.parse('2026-10-01T22:00:00Z') };
      const q = { metrics: body.metrics, dimensions: [], filters: body.filters, timezone: 'Europe/Berlin' };
      assert.deepEqual(got.metrics, goalRows(f.events, f.siteId, GOALS, { ...q, ...D30 })[0]!.metrics);
      const previous = goalRows(f.events, f.siteId, GOALS, { ...q, ...before })[0]!.metrics;
      assert.deepEqual(got.comparison.metrics, previous);
      // As Plausible: the conversion rate's change in percentage points, one decimal.
      assert.equal(got.comparison.change[2], Math.round((got.metrics[2] - previous[2]!) * 10) / 10);
    });

    // Plausible's behavioural filters naming goals: visits that did (not) convert a goal.
    const behaviour = async (body: Record<string, unknown>) => {
      const got = await f.query({ date_range: '30d', ...body });
      const want = expectedRows(f.events, f.siteId, {
        metrics: body.metrics as string[],
        dimensions: (body.dimensions as string[]) ?? [],
        filters: body.filters as unknown[],
        timezone: 'Europe/Berlin',
        timeUnit: 'day',
        firstDate: '2026-10-02',
        goals: GOALS,
        ...D30,
      });
      assert.deepEqual(got.results, want.rows, JSON.stringify(body));
      return got.results as { dimensions: string[]; metrics: number[] }[];
    };
    const VISIT_STATS = ['visitors', 'visits', 'pageviews', 'events', 'bounce_rate', 'visit_duration'];

    it('has_done a goal: the visits that converted it, every visit metric, by source', async () => {
      const rows = await behaviour({
        metrics: VISIT_STATS,
        dimensions: ['visit:source'],
        filters: [['has_done', ['is', 'event:goal', ['Pro signup', 'Posts 1x']]]],
      });
      assert.ok(rows.length > 1);
    });

    it('has_not_done a scroll goal (engagement events convert it), with a device filter', async () => {
      const [row] = await behaviour({
        metrics: VISIT_STATS,
        filters: [
          ['has_not_done', ['is', 'event:goal', ['Home read']]],
          ['is', 'visit:device', ['Desktop']],
        ],
      });
      assert.ok(row!.metrics[0]! > 0);
    });

    it('has_done a scroll goal or a page: an engagement event reads as its page view', async () => {
      await behaviour({
        metrics: VISIT_STATS,
        filters: [
          [
            'has_done',
            [
              'or',
              [
                ['is', 'event:goal', ['Blog skimmed']],
                ['is', 'event:page', ['/blog/post-3']],
              ],
            ],
          ],
        ],
      });
    });

    it("Plausible's example: Signup conversions of the visits that saw a page (has_done)", async () => {
      const body = {
        metrics: ['visitors', 'events', 'conversion_rate'],
        filters: [
          ['is', 'event:goal', ['Signup']],
          ['has_done', ['is', 'event:page', ['/blog/post-1']]],
        ],
      };
      const got = (await f.query({ date_range: '30d', ...body })).results as {
        metrics: number[];
      }[];
      const range = f.events.filter((e) => e.siteId === f.siteId && e.ts >= D30.fromMs && e.ts < D30.toMs);
      const saw = visitsDoing(body.filters[1]![1], range, {
        goals: GOALS,
        timezone: 'Europe/Berlin',
        timeUnit: 'day',
        firstDate: '2026-10-02',
      });
      const want = goalRows(f.events, f.siteId, GOALS, {
        metrics: body.metrics,
        dimensions: [],
        filters: [body.filters[0]!],
        timezone: 'Europe/Berlin',
        visitPasses: (id) => saw.has(id),
        ...D30,
      });
      assert.deepEqual(got, want);
      // Fewer than all Signup conversions: the filter did something.
      const all = await f.query({ date_range: '30d', metrics: body.metrics, filters: [body.filters[0]] });
      assert.ok(got[0]!.metrics[0]! < all.results[0].metrics[0]);
    });

    funnelCases(() => f, GOALS);

    it('hostile goal names come back as the text they are', async () => {
      const rows = await check({
        metrics: ['visitors'],
        dimensions: ['event:goal'],
        filters: [['contains', 'event:goal', ['<img']]],
      });
      assert.equal(rows[0]?.dimensions[0], GOALS.at(-1)!.name);
    });
  });
}
