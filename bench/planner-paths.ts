// npm run bench:planner-paths -- <data dir> [12mo|30d|…] — the dashboard's queries on the query
// planner's paths (the visits table, the rollups by salt day) against the events alone, in one
// process, alternating (median of 3 each), and whether the answers are identical: how much
// each path saves, measured in the same conditions (BENCHMARKS.md, "The visits table and the
// query planner", "Rollups by salt day"). The data directory is bench:query's (a copy: opening
// it upgrades it).
import { journeys, parseJourneyRequest } from '../src/query/journeys.js';
import { parseQuery } from '../src/query/parse.js';
import type { QueryPath } from '../src/query/plan.js';
import { createQueryEngine } from '../src/query/run-query.js';
import { SiteDirectory } from '../src/sites/directory.js';
import { openDuckDbStore } from '../src/store/duckdb/open.js';

const [dir, range = '12mo'] = process.argv.slice(2);
if (!dir) throw new Error('usage: bench/planner-paths.ts <data dir> [date range]');
const store = await openDuckDbStore(dir);
const sites = new SiteDirectory(store);
await sites.refresh();
let lastPath: QueryPath = 'events';
const engine = (visitsTable: boolean) =>
  createQueryEngine({
    store,
    site: (d) => sites.lookup(d),
    now: Date.now,
    timeoutMs: 120_000,
    visitsTable,
    goals: (d) => store.goals.listGoals(d),
    onPlan: (p) => {
      lastPath = p;
    },
  });
const planned = engine(true);
const events = engine(false);
const TOP = ['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration'];
const QUERIES: [string, Record<string, unknown>][] = [
  ['top row', { metrics: TOP }],
  ['top row + comparison', { metrics: TOP, include: { comparisons: { mode: 'previous_period' } } }],
  ['chart by month', { metrics: ['visitors'], dimensions: ['time:month'] }],
  ['chart by day', { metrics: ['visitors'], dimensions: ['time:day'] }],
  ['sources', { metrics: ['visitors'], dimensions: ['visit:source'], pagination: { limit: 9, offset: 0 } }],
  ['countries', { metrics: ['visitors', 'percentage'], dimensions: ['visit:country', 'visit:country_name'] }],
  ['devices', { metrics: ['visitors', 'percentage'], dimensions: ['visit:device'] }],
  [
    'entry pages',
    { metrics: ['visitors'], dimensions: ['visit:entry_page'], pagination: { limit: 9, offset: 0 } },
  ],
  ['heatmap', { metrics: ['visitors'], dimensions: ['time:day_of_week', 'time:hour_of_day'] }],
  [
    'top pages',
    {
      metrics: ['visitors', 'pageviews', 'time_on_page', 'scroll_depth'],
      dimensions: ['event:page'],
      pagination: { limit: 9, offset: 0 },
    },
  ],
  [
    'custom events',
    {
      metrics: ['visitors', 'events'],
      dimensions: ['event:name'],
      filters: [['is_not', 'event:name', ['pageview', 'engagement']]],
      pagination: { limit: 9, offset: 0 },
    },
  ],
  ['top row, country DE', { metrics: TOP, filters: [['is', 'visit:country', ['DE']]] }],
  [
    'goals',
    {
      metrics: ['visitors', 'events', 'conversion_rate', 'total_revenue', 'average_revenue'],
      dimensions: ['event:goal'],
      pagination: { limit: 9, offset: 0 },
    },
  ],
];
const median = (xs: number[]) => Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);
console.log(`| query (${range}) | path | planned ms | events ms | identical |\n|---|---|---|---|---|`);
for (const [name, body] of QUERIES) {
  const q = parseQuery({ site_id: 'big.example', date_range: range, ...body });
  const times = { planned: [] as number[], events: [] as number[] };
  let same = true;
  let path: QueryPath = 'events';
  for (let i = 0; i < 3; i++) {
    let t0 = performance.now();
    const a = await planned.query(q);
    times.planned.push(performance.now() - t0);
    path = lastPath;
    t0 = performance.now();
    const b = await events.query(q);
    times.events.push(performance.now() - t0);
    same &&= JSON.stringify(a.results) === JSON.stringify(b.results);
  }
  console.log(
    `| ${name} | ${path} | ${median(times.planned)} | ${median(times.events)} | ${same ? 'yes' : 'NO'} |`,
  );
}
for (const samples of [0, 5]) {
  // Journeys (their own endpoint): three steps, as the dashboard asks, without and with samples.
  const req = parseJourneyRequest({
    site_id: 'big.example',
    date_range: range,
    steps: 3,
    limit: 10,
    samples,
  });
  const times = { planned: [] as number[], events: [] as number[] };
  let same = true;
  lastPath = 'events';
  for (let i = 0; i < 3; i++) {
    let t0 = performance.now();
    const a = await journeys(planned, req);
    times.planned.push(performance.now() - t0);
    t0 = performance.now();
    const b = await journeys(events, req);
    times.events.push(performance.now() - t0);
    same &&= JSON.stringify(a) === JSON.stringify(b);
  }
  console.log(
    `| journeys${samples ? ' + 5 samples' : ''} | ${lastPath} | ${median(times.planned)} | ${median(times.events)} | ${same ? 'yes' : 'NO'} |`,
  );
}
await store.close();
