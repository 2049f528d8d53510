// The rollups by salt day (src/store/duckdb/rollups.ts, src/query/rollup-plan.ts): which days
// get rolled, what forgets a rolled day (an event folded into one of its visits, an import of
// old traffic, a visitor id another day has, retention, removing the site), and which
// statements read them. Answers through the rollups equal the events' in the oracle suites
// (stats-correctness, ranges-and-reports); here, what keeps them equal when the data changes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateTraffic } from '../../bench/generate/events.js';
import { loadRows } from '../../bench/generate/load.js';
import { rollupJob } from '../../src/jobs/rollups.js';
import { parseQuery } from '../../src/query/parse.js';
import { findCut, rollupFamily, visitRollupDim } from '../../src/query/rollup-plan.js';
import { createQueryEngine, type QueryEngine } from '../../src/query/run-query.js';
import { addSite, removeSite } from '../../src/sites/manage.js';
import { createStore } from '../../src/store/create-store.js';
import type { EventRow } from '../../src/store/event-row.js';
import type { NewGoal } from '../../src/store/goals.js';
import type { Site, Store } from '../../src/store/types.js';
import { removeDir, tempDir } from '../helpers/server.js';

// Traffic from 1 to 20 October (UTC); "now" is 22 October, 12:00: 1–20 October are finished.
const NOW = Date.parse('2026-10-22T12:00:00Z');
const RANGE = { date_range: ['2026-10-01', '2026-10-20'] };

describe('rollups by salt day', () => {
  const dir = tempDir();
  let store: Store;
  let site: Site;
  let rows: EventRow[];
  const engine = (visitsTable: boolean, paths: string[] = []): QueryEngine =>
    createQueryEngine({
      store,
      site: (d) => (d === site.domain ? site : undefined),
      now: () => NOW,
      visitsTable,
      goals: (d) => store.goals.listGoals(d),
      onPlan: (p) => paths.push(p),
    });
  const days = async () =>
    (
      await store.queryRows(
        "SELECT strftime(salt_day, '%Y-%m-%d') AS d, shared FROM rollup_days WHERE site_id = $1 ORDER BY salt_day",
        [site.id],
      )
    ).map((r) => `${r.d}${r.shared ? ' shared' : ''}`);
  /** The answer through the planner, the path it took, and the events' answer. */
  const both = async (body: Record<string, unknown>) => {
    const q = parseQuery({ site_id: site.domain, ...RANGE, ...body });
    const paths: string[] = [];
    const got = (await engine(true, paths).query(q)).results;
    const want = (await engine(false).query(q)).results;
    return { got, want, paths };
  };
  const pageQuery = {
    metrics: ['visitors', 'pageviews', 'scroll_depth', 'time_on_page'],
    dimensions: ['event:page'],
  };

  before(async () => {
    store = await createStore({ dataDir: dir });
    site = await addSite(store, { domain: 'roll.example', timezone: 'America/New_York' });
    rows = [
      ...generateTraffic({ seed: 11, siteId: site.id, startDate: '2026-10-01', days: 20, visitsPerDay: 40 }),
    ].flat();
    // Visits across UTC midnight at both ends of the rolled days: one of 1 October running into
    // the first rolled day (2 October; 1 October starts before the range in New York), one of 20
    // October, the last rolled day, running into the range's edge.
    const base = rows.find((r) => r.name === 'pageview')!;
    const night = (sessionId: bigint, start: string) =>
      [0, 20, 25].map((min, i) => ({
        ...base,
        sessionId,
        visitorId: 5_000_000n + sessionId,
        ts: Date.parse(start) + min * 60_000,
        pathname: `/night-${i}`,
      }));
    rows.push(...night(8_000_001n, '2026-10-01T23:50:00Z'), ...night(8_000_002n, '2026-10-20T23:50:00Z'));
    // Purchases with revenue in visits of every other day, a fifth of them in another currency
    // than their goal's (revenue goals, below).
    const views = rows.filter((r) => r.name === 'pageview' && r.pathname === '/');
    views.forEach((v, i) => {
      if (i % 2 === 0) return;
      rows.push({
        ...v,
        ts: v.ts + 1000,
        name: 'Purchase',
        props: i % 3 === 0 ? [['plan', 'pro']] : [],
        revenueAmount: `${(i * 7) % 100}.${String(i % 100).padStart(2, '0')}`,
        revenueCurrency: i % 5 === 0 ? 'EUR' : 'USD',
      });
    });
    await loadRows(store, [rows]);
  });
  after(async () => {
    await store.close();
    removeDir(dir);
  });

  it('rolls only finished days, a batch at a time, and the job logs once when it is through', async () => {
    // At 1 October 23:00 no day of this site has ended; at 2 October 00:30 1 October has, but
    // one of its visits (23:50–00:15) had an event in the last hour.
    assert.equal(await store.rollUp!(Date.parse('2026-10-01T23:00:00Z'), 100), 0);
    assert.equal(await store.rollUp!(Date.parse('2026-10-02T00:30:00Z'), 100), 0);
    const log: string[] = [];
    const job = rollupJob(store.rollUp!.bind(store), (m) => log.push(m));
    await job.run(NOW);
    assert.equal(job.nextRunIn(NOW), 1000, 'a full batch: the next follows at once');
    assert.deepEqual(log, []);
    await job.run(NOW);
    assert.equal(job.nextRunIn(NOW), 600_000);
    assert.deepEqual(log, ['rollups: rolled 20 finished days']);
    assert.equal((await days()).length, 20);
    assert.equal((await days()).at(-1), '2026-10-20');
  });

  it('pages, names, series, the heatmap and visit breakdowns read the rollups and answer as the events do', async () => {
    for (const body of [
      pageQuery,
      { ...pageQuery, filters: [['contains', 'event:page', ['post']]] },
      {
        metrics: ['visitors', 'events'],
        dimensions: ['event:name'],
        filters: [['is_not', 'event:name', ['pageview', 'engagement']]],
      },
      { metrics: ['visitors', 'pageviews'], dimensions: ['time:day'] },
      { metrics: ['visitors'], dimensions: ['time:month'] },
      // The range starts on a Thursday: its first week is labelled with that day.
      { metrics: ['visitors', 'events'], dimensions: ['time:week'] },
      {
        metrics: ['visitors'],
        dimensions: ['time:day_of_week', 'time:hour_of_day'],
        pagination: { limit: 200 },
      },
      // What the visits table answers without filters: the top row, visit breakdowns.
      {
        metrics: [
          'visitors',
          'visits',
          'pageviews',
          'views_per_visit',
          'bounce_rate',
          'visit_duration',
          'events',
        ],
      },
      { metrics: ['visitors', 'visits', 'bounce_rate', 'visit_duration'], dimensions: ['visit:source'] },
      { metrics: ['visitors', 'percentage'], dimensions: ['visit:device'] },
      { metrics: ['visitors', 'percentage'], dimensions: ['visit:country', 'visit:country_name'] },
      { metrics: ['visitors', 'visits'], dimensions: ['visit:entry_page'] },
      { metrics: ['visitors', 'visits'], dimensions: ['visit:exit_page_hostname'] },
    ]) {
      const { got, want, paths } = await both(body);
      assert.deepEqual(paths, ['rollup'], JSON.stringify(body));
      assert.ok(want.length > 0);
      assert.deepEqual(got, want, JSON.stringify(body));
    }
  });

  it('journeys of three steps read the rollups and answer as the events do', async () => {
    const { journeys, parseJourneyRequest } = await import('../../src/query/journeys.js');
    const req = parseJourneyRequest({ site_id: site.domain, ...RANGE, steps: 3, limit: 10, samples: 0 });
    const paths: string[] = [];
    const got = await journeys(engine(true, paths), req);
    const want = await journeys(engine(false), req);
    assert.deepEqual(paths, ['rollup']);
    assert.ok(want.journeys.length > 0);
    assert.deepEqual(got.journeys, want.journeys);
  });

  it('a breakdown by goal reads the goals the job has rolled into the days, and answers as the events do', async () => {
    const goalQuery = {
      metrics: [
        'visitors',
        'visits',
        'events',
        'pageviews',
        'conversion_rate',
        'total_revenue',
        'average_revenue',
      ],
      dimensions: ['event:goal'],
    };
    const add = (g: Partial<NewGoal> & { name: string }) =>
      store.goals.addGoal(
        site.domain,
        { event: null, page: null, scroll: null, props: [], currency: null, ...g },
        NOW,
      );
    await add({ name: 'Signup', event: 'Signup' });
    await add({ name: 'Pro signup', event: 'Signup', props: [['plan', 'pro']] });
    await add({ name: 'Blog', page: '/blog/*' });
    await add({ name: 'Night 1', page: '/night-1' });
    await add({ name: 'Home read', page: '/', scroll: 75 });
    const purchase = await add({ name: 'Purchase', event: 'Purchase', currency: 'USD' });
    await add({ name: 'Pro purchase', event: 'Purchase', props: [['plan', 'pro']], currency: 'USD' });
    await add({ name: 'Never', page: '/nowhere' });
    /** The answer through `path`, equal to the events'. */
    const answers = async (body: Record<string, unknown>, path: string) => {
      const r = await both(body);
      assert.deepEqual(r.paths, [path], JSON.stringify(body));
      assert.deepEqual(r.got, r.want, JSON.stringify(body));
      return r;
    };
    // Made after the days were rolled: the events answer until the job rolls the goals in.
    await answers(goalQuery, 'events');
    assert.equal(await store.rollUp!(NOW, 100), 20);
    assert.equal(await store.rollUp!(NOW, 100), 0, 'nothing left to roll: the job rests');
    const rolled = await answers(goalQuery, 'rollup');
    assert.deepEqual(rolled.want.map((r) => r.dimensions[0]).sort(), [
      'Blog',
      'Home read',
      'Night 1',
      'Pro purchase',
      'Pro signup',
      'Purchase',
      'Signup',
    ]);
    const revenue = rolled.want.find((r) => r.dimensions[0] === 'Purchase')!.metrics[5] as { value: number };
    assert.ok(revenue.value > 0);
    // The conversions left out for their currency (meta.metric_warnings) add up too.
    const q = parseQuery({ site_id: site.domain, ...RANGE, ...goalQuery });
    const warned = (await engine(true).query(q)).meta.metric_warnings;
    assert.match(JSON.stringify(warned), /revenue_in_other_currencies/);
    assert.deepEqual(warned, (await engine(false).query(q)).meta.metric_warnings);
    // Without revenue metrics; and a range that ends before the last rolled day (whose later
    // days must not be summed).
    await answers(
      { metrics: ['visitors', 'events', 'conversion_rate'], dimensions: ['event:goal'] },
      'rollup',
    );
    await answers({ ...goalQuery, date_range: ['2026-10-03', '2026-10-12'] }, 'rollup');
    // Goal filters select rolled goals; any other filter reads the events.
    for (const [filters, path] of [
      [[['contains', 'event:goal', ['purchase']]], 'rollup'],
      [[['is', 'visit:device', ['Desktop']]], 'events'],
    ] as const) {
      await answers(
        { ...goalQuery, metrics: [...goalQuery.metrics, 'group_conversion_rate'], filters },
        path,
      );
    }
    // A goal changed (its currency) is a new definition: the events answer until it is rolled,
    // and the rows of its old definition go.
    await store.goals.updateGoal(site.domain, purchase.id, { ...purchase, currency: 'EUR' });
    await answers(goalQuery, 'events');
    assert.equal(await store.rollUp!(NOW, 100), 20);
    await answers(goalQuery, 'rollup');
    const goalsHeld = await store.queryRows(
      'SELECT count(DISTINCT goal) AS n FROM rollup_goals WHERE site_id = $1',
      [site.id],
    );
    assert.equal(Number(goalsHeld[0]!.n), 8);
  });

  it('what the rollups cannot answer reads the events or the visits table', () => {
    const family = (body: Record<string, unknown>) => {
      const q = parseQuery({ site_id: 'x', date_range: '30d', ...body });
      return rollupFamily(q, q.filters, 'day')?.family;
    };
    assert.equal(family({ metrics: ['visitors', 'bounce_rate'], dimensions: ['event:page'] }), undefined);
    assert.equal(
      family({
        metrics: ['visitors'],
        dimensions: ['event:page'],
        filters: [['is', 'visit:country', ['DE']]],
      }),
      undefined,
    );
    assert.equal(family({ metrics: ['visitors', 'bounce_rate'], dimensions: ['event:name'] }), undefined);
    assert.equal(
      family({ metrics: ['visitors'], dimensions: ['event:name'], filters: [['is', 'event:page', ['/']]] }),
      undefined,
    );
    assert.equal(
      family({ metrics: ['visitors'], dimensions: ['time:day_of_week', 'visit:source'] }),
      undefined,
    );
    assert.equal(
      family({ metrics: ['visitors'], dimensions: ['visit:source', 'time:hour_of_day'] }),
      undefined,
    );
    assert.equal(
      family({ metrics: ['visitors'], dimensions: ['time:hour_of_day', 'time:day_of_week'] }),
      'hours',
    );
    assert.equal(family({ metrics: ['visitors'], dimensions: ['time:hour'] }), undefined);
    // Visit breakdowns: one column (a country's code and name are one), no filters.
    assert.equal(visitRollupDim({ dimensions: ['visit:country', 'visit:source'] }, []), undefined);
    assert.equal(visitRollupDim({ dimensions: ['visit:country', 'visit:country_name'] }, []), 'country');
    assert.equal(visitRollupDim({ dimensions: ['visit:screen'] }, []), undefined);
    assert.equal(
      visitRollupDim({ dimensions: [] }, [
        { op: 'is', dimension: 'visit:source', values: ['x'], caseSensitive: true },
      ]),
      undefined,
    );
    assert.equal(family({ metrics: ['visits'], dimensions: ['time:week'] }), undefined);
    assert.equal(
      family({ metrics: ['visitors'], dimensions: ['time:day'], filters: [['is', 'event:page', ['/']]] }),
      undefined,
    );
    assert.equal(family({ metrics: ['percentage'], dimensions: ['event:name'] }), undefined);
    assert.equal(family({ metrics: ['visitors'], dimensions: ['visit:source'] }), undefined);
    assert.equal(family({ metrics: ['visitors'], dimensions: ['event:page'] }), 'pages');
    assert.equal(family({ metrics: ['visitors'], dimensions: ['time'] }), 'times');
  });

  it('an event folded into a rolled day’s visit forgets that day, and the answer stays the events’', async () => {
    const visit = rows.find((r) => r.ts >= Date.parse('2026-10-10T12:00:00Z') && r.name === 'pageview')!;
    await loadRows(store, [[{ ...visit, ts: visit.ts + 60_000, pathname: '/late-page' }]]);
    assert.ok(!(await days()).includes('2026-10-10'));
    const { got, want } = await both(pageQuery);
    assert.deepEqual(got, want);
    assert.ok(want.some((r) => r.dimensions[0] === '/late-page'));
  });

  it('an import of old traffic forgets the days it adds visits to', async () => {
    const visit = rows.find((r) => r.ts >= Date.parse('2026-10-12T12:00:00Z') && r.name === 'pageview')!;
    await loadRows(store, [[{ ...visit, sessionId: 9_000_001n, visitorId: 1234n, pathname: '/imported' }]]);
    assert.ok(!(await days()).includes('2026-10-12'));
    const { got, want } = await both(pageQuery);
    assert.deepEqual(got, want);
  });

  it('a visitor id that another day has (an import’s own ids) is never summed across days', async () => {
    // A new visit on 15 October under a visitor id of 14 October: both days forgotten at load…
    const id = rows.find(
      (r) => r.ts >= Date.parse('2026-10-14T12:00:00Z') && r.ts < Date.parse('2026-10-15T00:00:00Z'),
    )!;
    const on15 = rows.find((r) => r.ts >= Date.parse('2026-10-15T12:00:00Z') && r.name === 'pageview')!;
    await loadRows(store, [
      [{ ...on15, sessionId: 9_000_002n, visitorId: id.visitorId, pathname: id.pathname }],
    ]);
    assert.ok(!(await days()).includes('2026-10-14'));
    assert.ok(!(await days()).includes('2026-10-15'));
    // …and rolled again, they are listed as shared and not read.
    await store.rollUp!(NOW, 100);
    const listed = await days();
    assert.ok(listed.includes('2026-10-14 shared'), listed.join());
    assert.ok(listed.includes('2026-10-15 shared'));
    const { got, want, paths } = await both(pageQuery);
    assert.deepEqual(paths, ['rollup']);
    assert.deepEqual(got, want);
    // Forgotten and shared days cut the rolled days into runs: the longest is read.
    const run = (sql: string, p: (string | number | boolean | null)[]) =>
      store.runQuery(sql, p, { timeoutMs: 10_000 });
    const range = { fromMs: Date.parse('2026-10-01T04:00:00Z'), toMs: Date.parse('2026-10-21T04:00:00Z') };
    const cut = await findCut(run, engine(true).dialect, site, range, { family: 'pages' });
    assert.deepEqual([cut?.firstDay, cut?.lastDay], ['2026-10-02', '2026-10-13'], listed.join());
  });

  it('fewer than 3 rolled days inside the range: the statement reads the events', async () => {
    const run = (sql: string, p: (string | number | boolean | null)[]) =>
      store.runQuery(sql, p, { timeoutMs: 10_000 });
    // 8 and 9 October (UTC) wholly inside; 10 October's visits run past 06:00.
    const until = Date.parse('2026-10-10T06:00:00Z');
    const cut = (from: string) =>
      findCut(
        run,
        engine(true).dialect,
        site,
        { fromMs: Date.parse(from), toMs: until },
        { family: 'pages' },
      );
    assert.equal(await cut('2026-10-08T00:00:00Z'), undefined);
    assert.deepEqual(
      [(await cut('2026-10-07T00:00:00Z'))?.firstDay, (await cut('2026-10-07T00:00:00Z'))?.lastDay],
      ['2026-10-07', '2026-10-09'],
    );
  });

  it('a series in another time zone reads the events until the days are rolled in it', async () => {
    site = (await store.setSiteTimezone(site.domain, 'Asia/Kolkata'))!;
    const range = { fromMs: Date.parse('2026-09-30T18:30:00Z'), toMs: Date.parse('2026-10-20T18:30:00Z') };
    assert.equal(
      await findCut(
        (s, p) => store.runQuery(s, p, { timeoutMs: 10_000 }),
        engine(true).dialect,
        site,
        range,
        { family: 'times', unit: 'day' },
      ),
      undefined,
    );
    assert.ok(
      await findCut(
        (s, p) => store.runQuery(s, p, { timeoutMs: 10_000 }),
        engine(true).dialect,
        site,
        range,
        { family: 'pages' },
      ),
    );
    const day = await both({ metrics: ['visitors'], dimensions: ['time:day'] });
    assert.deepEqual(day.paths, ['events']);
    assert.deepEqual(day.got, day.want);
    await store.rollUp!(NOW, 100);
    const again = await both({ metrics: ['visitors'], dimensions: ['time:day'] });
    assert.deepEqual(again.paths, ['rollup']);
    assert.deepEqual(again.got, again.want);
  });

  it('days rolled by an older Footfall (another ROLLUP_VERSION) are not read, and are rolled again', async () => {
    await store.queryRows('UPDATE rollup_days SET version = version - 1 WHERE site_id = $1', [site.id]);
    const stale = await both(pageQuery);
    assert.deepEqual(stale.paths, ['events']);
    assert.ok((await store.rollUp!(NOW, 100)) >= 15);
    const fresh = await both(pageQuery);
    assert.deepEqual(fresh.paths, ['rollup']);
    assert.deepEqual(fresh.got, fresh.want);
  });

  it('retention forgets the rolled days before its cut; removing the site forgets them all', async () => {
    await store.deleteEventsBefore(site.id, Date.parse('2026-10-05T00:00:00Z'));
    assert.ok(
      (await days()).every((d) => d > '2026-10-05'),
      (await days()).join(),
    );
    const { got, want } = await both(pageQuery);
    assert.deepEqual(got, want);
    await removeSite(store, site.domain);
    const left = await store.queryRows('SELECT count(*) AS n FROM rollup_days WHERE site_id = $1', [site.id]);
    assert.equal(Number(left[0]!.n), 0);
  });
});

describe('a day is rolled only once its visits have ended', () => {
  const dir = tempDir();
  let store: Store;
  after(async () => {
    await store.close();
    removeDir(dir);
  });

  it('a visit of the day still getting events in the last hour keeps the day unrolled; an ended day is rolled', async () => {
    store = await createStore({ dataDir: dir });
    const site = await addSite(store, { domain: 'long.example', timezone: 'UTC' });
    const base = [
      ...generateTraffic({ seed: 3, siteId: site.id, startDate: '2026-10-01', days: 1, visitsPerDay: 5 }),
    ]
      .flat()
      .find((r) => r.name === 'pageview')!;
    // One visit from 1 October 12:00 to 3 October 11:30 (UTC), a page view every 20 minutes.
    const rows: EventRow[] = [];
    for (
      let t = Date.parse('2026-10-01T12:00:00Z');
      t <= Date.parse('2026-10-03T11:30:00Z');
      t += 20 * 60_000
    ) {
      rows.push({ ...base, sessionId: 7n, ts: t });
    }
    await loadRows(store, [rows]);
    // 3 October 12:00: 1 October has ended, but its visit's last event is 30 minutes old.
    assert.equal(await store.rollUp!(Date.parse('2026-10-03T12:00:00Z'), 10), 0);
    assert.equal(await store.rollUp!(Date.parse('2026-10-03T12:31:00Z'), 10), 1);
    // A visit of 4 October, 09:00–09:20: its day is rolled once it has ended, the next morning.
    await loadRows(store, [
      [0, 20].map((min) => ({
        ...base,
        sessionId: 8n,
        visitorId: 8n,
        ts: Date.parse('2026-10-04T09:00:00Z') + min * 60_000,
      })),
    ]);
    assert.equal(await store.rollUp!(Date.parse('2026-10-04T23:59:00Z'), 10), 0);
    assert.equal(await store.rollUp!(Date.parse('2026-10-05T00:10:00Z'), 10), 1);
    // A day listed in visit_days whose visits are gone is dropped from it, not tried again.
    await store.queryRows(
      "INSERT INTO visit_days VALUES ($1, DATE '2026-09-01', TIMESTAMP '2026-09-01 10:00:00')",
      [site.id],
    );
    assert.equal(await store.rollUp!(Date.parse('2026-10-05T00:10:00Z'), 10), 0);
    const listed = await store.queryRows(
      "SELECT count(*) AS n FROM visit_days WHERE day = DATE '2026-09-01'",
    );
    assert.equal(Number(listed[0]!.n), 0);
  });
});
