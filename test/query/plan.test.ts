// The query planner (src/query/plan.ts) as a table of cases, and its one runtime decision: a
// statement reading the visit-constant columns falls back to the events where a visit in the
// range was not uniform in them (a geo database reloaded mid-visit), with the same answer.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { generateTraffic } from '../../bench/generate/events.js';
import { loadRows } from '../../bench/generate/load.js';
import type { Metric } from '../../src/query/model.js';
import { parseQuery } from '../../src/query/parse.js';
import { type Plan, planQuery, type QueryPath } from '../../src/query/plan.js';
import { realtime } from '../../src/query/realtime.js';
import { createQueryEngine } from '../../src/query/run-query.js';
import { SiteDirectory } from '../../src/sites/directory.js';
import { addSite } from '../../src/sites/manage.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import type { EventRow } from '../../src/store/event-row.js';
import { asQueryOwner, currentQueryScope } from '../../src/store/query-owner.js';
import { removeDir, tempDir } from '../helpers/server.js';

const TOP: Metric[] = ['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration'];

describe('which source the planner picks', () => {
  const cases: [string, Partial<Parameters<typeof planQuery>[0]>, Plan][] = [
    ['the top row', {}, { path: 'visits', readsConstants: false }],
    ['by source', { dimensions: ['visit:source'] }, { path: 'visits', readsConstants: true }],
    ['by entry page', { dimensions: ['visit:entry_page'] }, { path: 'visits', readsConstants: false }],
    [
      'a country filter',
      { filters: [{ op: 'is', dimension: 'visit:country', values: ['DE'], caseSensitive: true }] },
      { path: 'visits', readsConstants: true },
    ],
    [
      'visitors by day (an event counts at its own time)',
      { dimensions: ['time:day'] },
      { path: 'events', readsConstants: false },
    ],
    [
      'visits by day',
      { metrics: ['visits', 'bounce_rate'], dimensions: ['time:day'] },
      { path: 'visits', readsConstants: false },
    ],
    ['by page', { dimensions: ['event:page'] }, { path: 'events', readsConstants: false }],
    [
      'by screen (may change within a visit)',
      { dimensions: ['visit:screen'] },
      { path: 'events', readsConstants: false },
    ],
    [
      'a page filter',
      { filters: [{ op: 'is', dimension: 'event:page', values: ['/'], caseSensitive: true }] },
      { path: 'events', readsConstants: false },
    ],
    [
      'an event name deep in an or',
      {
        filters: [
          {
            op: 'or',
            filters: [
              { op: 'is', dimension: 'visit:country', values: ['DE'], caseSensitive: true },
              { op: 'is', dimension: 'event:name', values: ['Signup'], caseSensitive: true },
            ],
          },
        ],
      },
      { path: 'events', readsConstants: false },
    ],
    ['scroll depth', { metrics: ['visitors', 'scroll_depth'] }, { path: 'events', readsConstants: false }],
    ['ClickHouse', { engine: 'clickhouse' }, { path: 'events', readsConstants: false }],
  ];
  for (const [name, over, want] of cases) {
    it(name, () => {
      assert.deepEqual(
        planQuery({ metrics: TOP, dimensions: [], filters: [], engine: 'duckdb', ...over }),
        want,
      );
    });
  }
});

describe('visits whose place changed within them', () => {
  const dir = tempDir();
  after(() => removeDir(dir));

  it('send statements that read the place to the events, with the same answers', async () => {
    const store = await openDuckDbStore(dir);
    try {
      const site = await addSite(store, { domain: 'a.example', timezone: 'UTC' });
      const rows: EventRow[] = [];
      for (const day of generateTraffic({
        seed: 5,
        siteId: site.id,
        startDate: '2026-10-01',
        days: 3,
        visitsPerDay: 20,
      }))
        rows.push(...day);
      // The last event of one visit from another country.
      const moved = rows.findLast((r) => r.name === 'pageview')!;
      rows.push({ ...moved, ts: moved.ts + 1000, country: moved.country === 'FR' ? 'DE' : 'FR' });
      await loadRows(store, [rows]);
      const sites = new SiteDirectory(store);
      await sites.refresh();
      const ask = async (visitsTable: boolean, dimensions: string[]) => {
        const paths: QueryPath[] = [];
        const engine = createQueryEngine({
          store,
          site: (d) => sites.lookup(d),
          now: () => Date.parse('2026-10-05T00:00:00Z'),
          visitsTable,
          onPlan: (p) => paths.push(p),
        });
        const q = parseQuery({ site_id: 'a.example', metrics: TOP, date_range: '7d', dimensions });
        // Whether the request was marked cheap for the query gate (only the visits table's are).
        return asQueryOwner('reader', async () => {
          const { results } = await engine.query(q);
          return { results, paths, light: currentQueryScope().light === true, engine };
        });
      };
      const byCountry = await ask(true, ['visit:country']);
      assert.deepEqual(byCountry.paths, ['events']);
      assert.equal(byCountry.light, false);
      assert.deepEqual(byCountry.results, (await ask(false, ['visit:country'])).results);
      // What does not read the place still takes the table.
      const byEntry = await ask(true, ['visit:entry_page']);
      assert.deepEqual(byEntry.paths, ['visits']);
      assert.equal(byEntry.light, true);
      // Realtime reads the last minutes only: cheap too.
      const live = await asQueryOwner('reader', async () => {
        await realtime(byEntry.engine, 'a.example', Date.parse('2026-10-05T00:00:00Z'));
        return currentQueryScope().light;
      });
      assert.equal(live, true);
      assert.deepEqual(byEntry.results, (await ask(false, ['visit:entry_page'])).results);
    } finally {
      await store.close();
    }
  });
});
