// The SQL compiler (compile.ts, compile-filter.ts, compile-visits.ts, event-scope.ts) against
// the oracle (oracle.ts, which never reads src/query), fast: a small DuckDB store built once in
// this process and queried through the query engine itself, no server. Every statement is asked
// twice, once with the planner free to pick the visits table and once with every statement sent
// to the events, so both compilers answer each case. stats-correctness.test.ts covers the same
// ground over six weeks of traffic through HTTP (a minute); this file takes seconds, which is
// what mutation testing needs: it runs once per mutant.
import assert from 'node:assert/strict';
import { after, before, describe, it as test } from 'node:test';
import { generateTraffic } from '../../bench/generate/events.js';
import { loadRows } from '../../bench/generate/load.js';
import { parseQuery } from '../../src/query/parse.js';
import type { QueryPath } from '../../src/query/plan.js';
import { createQueryEngine, type QueryEngine } from '../../src/query/run-query.js';
import { addSite } from '../../src/sites/manage.js';
import { createStore } from '../../src/store/create-store.js';
import type { EventRow } from '../../src/store/event-row.js';
import type { Site, Store } from '../../src/store/types.js';
import { removeDir, tempDir } from '../helpers/server.js';
import { FILTER_CASES, PAGE_BREAKDOWNS, PAGE_FILTER_SETS } from './cases/filters.js';
import { edgeVisits } from './edge-visits.js';
import type { OracleGoal } from './goal-oracle.js';
import { expectedRows, type OracleQuery } from './oracle.js';

/** 00:30 UTC on 1 November 2026: 01:30 in Berlin, a week after the DST change of 25 October. */
const NOW = Date.parse('2026-11-01T00:30:00Z');
const SITE = 'example.com';
const BERLIN = 'Europe/Berlin';
// "30d" at NOW in Berlin: 2 October 00:00 CEST (22:00 UTC the day before) to the end of 1 November (CET).
const D30 = {
  fromMs: Date.parse('2026-10-01T22:00:00Z'),
  toMs: Date.parse('2026-11-01T23:00:00Z'),
  firstDate: '2026-10-02',
};

const ALL_METRICS = [
  'visitors',
  'visits',
  'pageviews',
  'views_per_visit',
  'bounce_rate',
  'visit_duration',
  'events',
  'percentage',
  'scroll_depth',
  'time_on_page',
];
// What the visits table can answer (plan.ts): no scroll depth, no time on page.
const VISIT_METRICS = ALL_METRICS.filter((m) => m !== 'scroll_depth' && m !== 'time_on_page');

// Goals that behavioural filters name (has_done event:goal …): every kind the scope compiles.
const GOALS: OracleGoal[] = [
  { name: 'Signup', event: 'Signup' },
  { name: 'Pro signup', event: 'Signup', props: { plan: 'pro' } },
  { name: 'Posts 1x', page: '/blog/post-1*' },
  { name: 'Home read', page: '/', scroll: 75 },
  { name: 'Blog skimmed', page: '/blog/*', scroll: 30 },
];

// biome-ignore lint/suspicious/noExplicitAny: result rows are compared whole with the oracle's
type Json = any;

describe('the compiled statements answer what the oracle computes from the events', () => {
  let dataDir: string;
  let store: Store;
  let site: Site;
  const events: EventRow[] = [];
  const seen = new Set<QueryPath>();
  /** The path the planned engine's last statement took. */
  let lastPath: QueryPath | undefined;
  /** The planner free to choose, and every statement on the events. */
  let planned: QueryEngine;
  let eventsOnly: QueryEngine;

  before(async () => {
    dataDir = tempDir();
    store = await createStore({ dataDir });
    site = await addSite(store, { domain: SITE, timezone: BERLIN });
    const other = await addSite(store, { domain: 'other.example', timezone: 'UTC' });
    const keep = function* (batches: Iterable<EventRow[]>) {
      for (const b of batches) {
        events.push(...b);
        yield b;
      }
    };
    // Few visits a day, but every day of the range and the weeks around it.
    await loadRows(
      store,
      keep(generateTraffic({ seed: 7, siteId: site.id, startDate: '2026-09-26', days: 37, visitsPerDay: 5 })),
    );
    await loadRows(store, keep([edgeVisits(events), handMade(site.id, events[0]!)]));
    // Another site's events on the same days, which no statement may count.
    await loadRows(
      store,
      generateTraffic({ seed: 8, siteId: other.id, startDate: '2026-09-26', days: 37, visitsPerDay: 2 }),
    );
    for (const g of GOALS) {
      const definition = { event: g.event ?? null, page: g.page ?? null, scroll: g.scroll ?? null };
      await store.goals.addGoal(
        SITE,
        { name: g.name, ...definition, props: Object.entries(g.props ?? {}) },
        NOW,
      );
    }
    const deps = {
      store,
      goals: (d: string) => store.goals.listGoals(d),
      site: (d: string) => (d === SITE ? site : undefined),
      now: () => NOW,
      onPlan: (p: QueryPath) => {
        seen.add(p);
        lastPath = p;
      },
    };
    planned = createQueryEngine(deps);
    eventsOnly = createQueryEngine({ ...deps, visitsTable: false });
  });
  after(async () => {
    await store.close();
    removeDir(dataDir);
  });

  /**
   * The engine's answer equals the oracle's, on the planner's path and, where that was the
   * visits table, on the events too (elsewhere both engines send the same statement).
   */
  const check = async (body: Record<string, unknown>, oracle: Partial<OracleQuery> = {}) => {
    const want = expectedRows(events, site.id, {
      metrics: body.metrics as string[],
      dimensions: (body.dimensions as string[]) ?? [],
      filters: (body.filters as unknown[]) ?? [],
      timezone: BERLIN,
      timeUnit: 'day',
      goals: GOALS,
      ...D30,
      ...oracle,
    });
    const query = parseQuery({ site_id: SITE, date_range: '30d', ...body });
    lastPath = undefined;
    const engines = [planned];
    for (const engine of engines) {
      const got: Json = JSON.parse(JSON.stringify(await engine.query(query)));
      // Set by the planner's callback while engine.query ran (TypeScript cannot see that).
      const path = (engine === planned ? lastPath : 'events') as QueryPath | undefined;
      assert.deepEqual(got.results, want.rows, `${path} ${JSON.stringify(body)}`);
      if (path === 'visits') engines.push(eventsOnly);
    }
    return want.rows;
  };
  /**
   * Run once per mutant by mutation testing, where one failure is enough: after the first,
   * the remaining cases skip (a killed mutant costs seconds, not the whole file).
   */
  let failed = false;
  const it = (name: string, fn: () => Promise<void> | void) =>
    test(name, async (t) => {
      if (failed) return t.skip('an earlier case failed');
      try {
        await fn();
      } catch (err) {
        failed = true;
        throw err;
      }
    });

  it('the store holds exactly the events the oracle reads for the site', async () => {
    assert.ok(events.length > 500, `${events.length} events`);
    const rows = await store.runQuery('SELECT count(*) AS n FROM events WHERE site_id = $1', [site.id], {
      timeoutMs: 10_000,
    });
    assert.equal(Number(rows[0]!.n), events.length);
  });

  it('aggregate: every metric, and the visit metrics alone (the top row read from the visits)', async () => {
    const rows = await check({ metrics: ALL_METRICS });
    assert.ok((rows[0]!.metrics[0] as number) > 20, 'visitors');
    await check({ metrics: VISIT_METRICS });
    await check({ metrics: ['visits', 'bounce_rate'] });
    await check({ metrics: ['pageviews', 'events'] });
    await check({ metrics: ['scroll_depth', 'time_on_page'] });
    // No event matches: every count is 0 (not null), on either path.
    await check({ metrics: VISIT_METRICS, filters: [['is', 'visit:country', ['XX']]] });
    await check({ metrics: ALL_METRICS, filters: [['is', 'visit:country', ['XX']]] });
  });

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
    'visit:utm_campaign',
    'visit:country',
    'visit:country_name',
    'visit:region',
    'visit:city_name',
    'visit:browser',
    'visit:os_version',
    'visit:device',
    'visit:screen',
    'visit:language',
    'time',
    'time:hour_of_day',
    'time:hour_block',
    'time:day_of_week',
    'time:week',
    'time:month',
  ];
  for (const dimension of DIMENSIONS) {
    it(`every metric by ${dimension}, and the visit metrics alone`, async () => {
      const rows = await check({ metrics: ALL_METRICS, dimensions: [dimension] });
      assert.ok(rows.length > 1, `${rows.length} rows`);
      await check({ metrics: VISIT_METRICS, dimensions: [dimension] });
      await check({ metrics: ['visits', 'views_per_visit', 'visit_duration'], dimensions: [dimension] });
    });
  }

  it('by hour over one day, and two dimensions at once', async () => {
    const day = { fromMs: Date.parse('2026-10-27T23:00:00Z'), toMs: Date.parse('2026-10-28T23:00:00Z') };
    await check(
      { metrics: ALL_METRICS, date_range: ['2026-10-28', '2026-10-28'], dimensions: ['time'] },
      { ...day, timeUnit: 'hour', firstDate: '2026-10-28' },
    );
    await check(
      { metrics: VISIT_METRICS, date_range: ['2026-10-28', '2026-10-28'], dimensions: ['time:hour'] },
      { ...day, timeUnit: 'hour', firstDate: '2026-10-28' },
    );
    await check({
      metrics: ['visitors', 'visits', 'bounce_rate'],
      dimensions: ['visit:country', 'visit:device'],
    });
    await check({ metrics: ALL_METRICS, dimensions: ['event:page', 'visit:source'] });
    // With a time dimension, the order is given: the default puts time first, then the first metric.
    const byWeek: [string, 'asc' | 'desc'][] = [
      ['time:week', 'asc'],
      ['visit:entry_page', 'asc'],
    ];
    await check(
      { metrics: ALL_METRICS, dimensions: ['visit:entry_page', 'time:week'], order_by: byWeek },
      { orderBy: byWeek },
    );
  });

  it('time edges: a range that starts and ends at local midnight, one DST offset or two', async () => {
    // 5–10 October, all in CEST: one offset, no CASE over the range.
    await check(
      { metrics: ALL_METRICS, date_range: ['2026-10-05', '2026-10-10'], dimensions: ['time:day'] },
      {
        fromMs: Date.parse('2026-10-04T22:00:00Z'),
        toMs: Date.parse('2026-10-10T22:00:00Z'),
        firstDate: '2026-10-05',
      },
    );
    // 24–26 October, across the change of clocks (the night of the 25th has 25 hours).
    const dst = {
      fromMs: Date.parse('2026-10-23T22:00:00Z'),
      toMs: Date.parse('2026-10-26T23:00:00Z'),
      firstDate: '2026-10-24',
    };
    for (const dimensions of [['time:day'], ['time:hour_of_day'], ['visit:entry_page']]) {
      await check({ metrics: ALL_METRICS, date_range: ['2026-10-24', '2026-10-26'], dimensions }, dst);
      await check({ metrics: VISIT_METRICS, date_range: ['2026-10-24', '2026-10-26'], dimensions }, dst);
    }
    // March to October: three offsets (two changes of clocks), each at its own instants.
    const season = {
      fromMs: Date.parse('2026-02-28T23:00:00Z'),
      toMs: Date.parse('2026-10-31T23:00:00Z'),
      firstDate: '2026-03-01',
      timeUnit: 'month' as const,
    };
    for (const dimensions of [['time:hour_of_day'], ['time']]) {
      await check(
        {
          metrics: ['visitors', 'visits', 'pageviews'],
          date_range: ['2026-03-01', '2026-10-31'],
          dimensions,
        },
        season,
      );
    }
    // The hand-made visits at the first and the last second of the 30 days.
    await check({ metrics: VISIT_METRICS, filters: [['contains', 'event:page', ['/edge-second']]] });
    await check({
      metrics: ALL_METRICS,
      filters: [['contains', 'event:page', ['/edge-second']]],
      dimensions: ['time:day'],
    });
  });

  const FILTERS: [string, unknown[]][] = [
    // The shared cases, then what only this file asks.
    ...FILTER_CASES,
    ['contains, two values (or-ed)', ['contains', 'event:page', ['post-1', 'post-2']]],
    ['matches, two values', ['matches', 'event:page', ['^/$', 'post-2$']]],
    ['is, case-insensitive', ['is', 'visit:source', ['google', 'BING'], { case_sensitive: false }]],
    ['is, case-sensitive, wrong case', ['is', 'visit:source', ['google']]],
    ['is_not, case-insensitive', ['is_not', 'visit:device', ['desktop'], { case_sensitive: false }]],
    ['contains, case-sensitive, wrong case', ['contains', 'event:title', ['NUMBER 2']]],
    [
      'contains_not, case-insensitive',
      ['contains_not', 'visit:browser', ['CHROME'], { case_sensitive: false }],
    ],
    ['matches, case-sensitive', ['matches', 'visit:browser', ['^(chrome|Edge)$']]],
    ['matches_not, case-insensitive', ['matches_not', 'visit:os', ['^WIN'], { case_sensitive: false }]],
    ['a prop, two values', ['is', 'event:props:plan', ['pro', 'team']]],
    ['a prop, contains', ['contains', 'event:props:plan', ['r']]],
    ['a prop, matches', ['matches', 'event:props:plan', ['^t']]],
    ['a prop, case-insensitive', ['is', 'event:props:plan', ['PRO'], { case_sensitive: false }]],
    ['a country name, is', ['is', 'visit:country_name', ['Germany']]],
    ['a country name, case-insensitive', ['is', 'visit:country_name', ['FRANCE'], { case_sensitive: false }]],
    ['a city name, matches', ['matches', 'visit:city_name', ['^(Paris|London)$']]],
    ['an entry host', ['is', 'visit:entry_page_hostname', ['www.example.com']]],
    ['an exit host', ['is_not', 'visit:exit_page_hostname', ['example.com']]],
    ['is (NOT SET), case-sensitive: nothing', ['is', 'event:title', ['(NOT SET)']]],
    ['contains "not set": the stored text only', ['contains', 'visit:country', ['not set']]],
    ['contains "(not set)": the stored text only', ['contains', 'visit:utm_campaign', ['(not set)']]],
    ['is Direct / None (source)', ['is', 'visit:source', ['Direct / None']]],
    ['a screen', ['is', 'visit:screen', ['Tablet']]],
    ['has_not_done an event', ['has_not_done', ['is', 'event:name', ['Signup']]]],
    ['has_done a page', ['has_done', ['contains', 'event:page', ['post-1']]]],
    // Its only event on /edge in the range is an engagement ping: the visit did not view /edge.
    ['has_done a page only an engagement event reached', ['has_done', ['is', 'event:page', ['/edge']]]],
    [
      'has_done a goal with props or a page goal',
      ['has_done', ['is', 'event:goal', ['Pro signup', 'Posts 1x']]],
    ],
    ['has_not_done a scroll goal', ['has_not_done', ['is', 'event:goal', ['Home read']]]],
    // One filter naming a scroll goal and an event goal: the scroll goal's engagement events
    // still count (a visit that only scrolled converts).
    [
      'has_done a scroll goal or an event goal, in one filter',
      ['has_done', ['is', 'event:goal', ['Blog skimmed', 'Signup']]],
    ],
    [
      'has_done a scroll goal or a page (an engagement event reads as its page view)',
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
    [
      'has_done a scroll goal on a page, and a page view',
      [
        'has_done',
        [
          'and',
          [
            ['is', 'event:goal', ['Blog skimmed']],
            ['is', 'event:name', ['pageview']],
          ],
        ],
      ],
    ],
    ['has_done an event goal', ['has_done', ['is', 'event:goal', ['Signup']]]],
    ['page views only (engagement reads as a page view)', ['is', 'event:name', ['pageview']]],
    ['no page views', ['is_not', 'event:name', ['pageview']]],
  ];
  for (const [label, filter] of FILTERS) {
    it(`filter ${label}: aggregate, by device, by source, by page`, async () => {
      await check({ metrics: ALL_METRICS, filters: [filter] });
      await check({ metrics: VISIT_METRICS, filters: [filter], dimensions: ['visit:device'] });
      await check({ metrics: ALL_METRICS, filters: [filter], dimensions: ['visit:source'] });
      await check({ metrics: ALL_METRICS, filters: [filter], dimensions: ['event:page'] });
    });
  }

  for (const dimension of [...PAGE_BREAKDOWNS, 'time:day']) {
    it(`page and hostname filters with a breakdown by ${dimension}`, async () => {
      for (const filters of [
        ...PAGE_FILTER_SETS,
        [['is', 'event:page', ['/']]],
        [['is', 'visit:entry_page', ['/']]],
      ]) {
        for (const metrics of [
          ALL_METRICS,
          ['visitors', 'visits'],
          ['bounce_rate', 'visit_duration'],
          ['visits'],
          // Each visit rate alone still asks for the entry pages' visits.
          ['visitors', 'views_per_visit'],
          ['visit_duration'],
          ['visitors', 'pageviews'],
          ['visitors', 'bounce_rate'],
        ]) {
          await check({ metrics, filters, dimensions: [dimension] });
        }
      }
    });
  }

  it('pagination and order: the pages the oracle cuts', async () => {
    await check(
      { metrics: ['visitors', 'pageviews'], dimensions: ['event:page'], pagination: { limit: 5, offset: 3 } },
      { limit: 5, offset: 3 },
    );
    for (const orderBy of [
      [['visitors', 'asc']],
      [['event:page', 'desc']],
      [
        ['bounce_rate', 'desc'],
        ['visits', 'asc'],
      ],
    ]) {
      await check(
        { metrics: ['visitors', 'visits', 'bounce_rate'], dimensions: ['event:page'], order_by: orderBy },
        { orderBy: orderBy as [string, 'asc' | 'desc'][] },
      );
    }
  });

  it('both paths were taken by these cases', () => {
    assert.deepEqual([...seen].sort(), ['events', 'visits']);
  });
});

/**
 * Visits the generated traffic lacks: one at the first second of the 30 days and one at their
 * last, across no edge; and a visit whose only events are a non-interactive one and a
 * page view on another host.
 */
function handMade(siteId: number, template: EventRow): EventRow[] {
  const row = (ts: string, sessionId: bigint, over: Partial<EventRow>): EventRow => ({
    ...template,
    siteId,
    ts: Date.parse(ts),
    name: 'pageview',
    pathname: '/edge-second',
    hostname: 'example.com',
    props: [],
    interactive: true,
    scrollDepth: null,
    engagementMs: null,
    visitorId: 990_000n + sessionId,
    sessionId: 2_000_000n + sessionId,
    ...over,
  });
  return [
    row('2026-10-01T22:00:00.000Z', 1n, {}),
    row('2026-10-01T22:00:30.000Z', 1n, { pathname: '/edge-second/next' }),
    row('2026-11-01T22:59:59.000Z', 2n, { pathname: '/edge-second/last' }),
    // A second before the range and at its end: outside.
    row('2026-10-01T21:59:59.000Z', 3n, { pathname: '/edge-second/before' }),
    row('2026-11-01T23:00:00.000Z', 4n, { pathname: '/edge-second/after' }),
    // A visit whose last event is at the end of the range (outside it), and a one-event visit
    // at its very start: the visits table must recompute the first and still count the second.
    row('2026-11-01T22:50:00.000Z', 6n, { pathname: '/edge-second/end' }),
    row('2026-11-01T23:00:00.000Z', 6n, { pathname: '/edge-second/end-after' }),
    row('2026-10-01T22:00:00.000Z', 7n, { pathname: '/edge-second/alone' }),
    row('2026-10-20T10:00:00.000Z', 5n, { name: 'Video Progress', interactive: false }),
    row('2026-10-20T10:01:00.000Z', 5n, { hostname: 'www.example.com', pathname: '/edge-second/www' }),
  ];
}
