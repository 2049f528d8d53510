// include: {imports: true}: a site with a few tracked visits (March) and a Plausible export of
// the days before (February), both written here from plain descriptions; every answer is
// computed from those descriptions in this file — tracked visits and imported CSV rows added
// as README "Imported stats" says — never through the engine. Also: what imports cannot
// answer (two tables, hours, goals) is answered from tracked events alone and said so in
// meta; "all" starts at the first imported day; no imports / out of range are told apart.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadRows } from '../../bench/generate/load.js';
import { readPlausibleExport } from '../../src/import/plausible-export.js';
import { importPlausible } from '../../src/import/plausible-import.js';
import { parseQuery } from '../../src/query/parse.js';
import { createQueryEngine, type QueryEngine } from '../../src/query/run-query.js';
import { SiteDirectory } from '../../src/sites/directory.js';
import { addSite } from '../../src/sites/manage.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import type { EventRow } from '../../src/store/event-row.js';
import type { Store } from '../../src/store/types.js';
import { csv, zipOf } from '../helpers/plausible-zip.js';
import { sampleRow } from '../helpers/sample-row.js';
import { removeDir, tempDir } from '../helpers/server.js';

/** A tracked visit: its pages a minute apart (or `gapS` apart), then its custom events. */
interface Visit {
  visitor: number;
  start: string;
  source: string;
  country: string;
  pages: string[];
  gapS?: number;
  events?: string[];
}
const VISITS: Visit[] = [
  { visitor: 1, start: '2026-03-01T10:00:00Z', source: 'Google', country: 'DE', pages: ['/', '/docs'] },
  { visitor: 2, start: '2026-03-01T11:00:00Z', source: '', country: 'US', pages: ['/'] },
  {
    visitor: 1,
    start: '2026-03-02T09:00:00Z',
    source: 'Google',
    country: 'DE',
    pages: ['/docs'],
    gapS: 30,
    events: ['Signup'],
  },
];

// The export's rows, per table, as [date, …columns] in the header's order.
const VISITORS_HEADER = 'date,visitors,pageviews,bounces,visits,visit_duration';
const VISITORS_ROWS = [
  ['2026-02-27', 10, 30, 4, 12, 600],
  ['2026-02-28', 5, 9, 1, 6, 120],
];
const SOURCES_HEADER = 'date,source,pageviews,visitors,visits,visit_duration,bounces';
const SOURCES_ROWS = [
  ['2026-02-27', 'Google', 20, 7, 8, 400, 2],
  ['2026-02-27', '', 10, 3, 4, 200, 2],
  ['2026-02-28', 'Google', 9, 5, 6, 120, 1],
];
const PAGES_HEADER = 'date,hostname,page,visits,visitors,pageviews';
const PAGES_ROWS = [
  ['2026-02-27', 'example.com', '/', 9, 8, 20],
  ['2026-02-27', 'example.com', '/docs', 4, 4, 10],
  ['2026-02-28', 'example.com', '/', 6, 5, 9],
];
const LOCATIONS_HEADER = 'date,country,region,city,visitors,visits,visit_duration,bounces,pageviews';
const LOCATIONS_ROWS = [
  ['2026-02-27', 'DE', '', 0, 6, 7, 300, 2, 18],
  ['2026-02-27', 'US', '', 0, 4, 5, 300, 2, 12],
  ['2026-02-28', 'DE', '', 0, 5, 6, 120, 1, 9],
];
const EVENTS_HEADER = 'date,name,link_url,path,visitors,events';
const EVENTS_ROWS = [['2026-02-27', 'Signup', '', '', 2, 3]];

function trackedRows(siteId: number): EventRow[] {
  const rows: EventRow[] = [];
  VISITS.forEach((v, n) => {
    const start = Date.parse(v.start);
    const step = (v.gapS ?? 60) * 1000;
    const base = {
      ...sampleRow(0),
      siteId,
      props: [],
      scrollDepth: null,
      engagementMs: null,
      visitorId: BigInt(v.visitor),
      sessionId: BigInt(n + 1),
      source: v.source,
      referrer: '',
      referrerHost: '',
      utmSource: '',
      channel: v.source ? 'Organic Search' : 'Direct',
      country: v.country,
      region: '',
      city: '',
      title: '',
    };
    for (const [i, p] of v.pages.entries())
      rows.push({ ...base, name: 'pageview', pathname: p, ts: start + i * step });
    for (const [i, e] of (v.events ?? []).entries()) {
      rows.push({ ...base, name: e, pathname: v.pages.at(-1)!, ts: start + (v.pages.length + i) * step });
    }
  });
  return rows;
}

/** What the tracked visits and the imported rows of one table add up to, per group. */
interface Sums {
  visitors: number;
  visits: number;
  pageviews: number;
  events: number;
  bounces: number;
  duration: number;
  /** The visits the rates are over (0 for page rows). */
  weight: number;
}
const zero = (): Sums => ({
  visitors: 0,
  visits: 0,
  pageviews: 0,
  events: 0,
  bounces: 0,
  duration: 0,
  weight: 0,
});

function trackedSums(keep: (v: Visit) => boolean): Sums {
  const visits = VISITS.filter(keep);
  const s = zero();
  s.visitors = new Set(visits.map((v) => v.visitor)).size;
  s.visits = s.weight = visits.length;
  for (const v of visits) {
    s.pageviews += v.pages.length;
    s.events += v.pages.length + (v.events?.length ?? 0);
    s.bounces += v.pages.length === 1 && !v.events ? 1 : 0;
    s.duration += (v.gapS ?? 60) * (v.pages.length + (v.events?.length ?? 0) - 1);
  }
  return s;
}

/** Columns of a table's rows by header name, summed over the rows `keep` keeps. */
function importedSums(
  header: string,
  rows: (string | number)[][],
  keep: (r: Record<string, string | number>) => boolean,
  map: (r: Record<string, string | number>) => Partial<Sums>,
): Sums {
  const names = header.split(',');
  const s = zero();
  for (const cells of rows) {
    const r = Object.fromEntries(names.map((n, i) => [n, cells[i]!]));
    if (!keep(r)) continue;
    for (const [k, v] of Object.entries(map(r))) s[k as keyof Sums] += Number(v);
  }
  return s;
}
/** A visits table's row (sources, locations, visitors) as Sums. */
const visitRow = (r: Record<string, string | number>): Partial<Sums> => ({
  visitors: Number(r.visitors),
  visits: Number(r.visits),
  pageviews: Number(r.pageviews),
  events: Number(r.pageviews),
  bounces: Number(r.bounces),
  duration: Number(r.visit_duration),
  weight: Number(r.visits),
});
const add = (a: Sums, b: Sums): Sums => {
  const out = zero();
  for (const k of Object.keys(out) as (keyof Sums)[]) out[k] = a[k] + b[k];
  return out;
};

const METRICS = ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration', 'views_per_visit'];
/** The metrics above from sums, rounded as the API rounds them. */
const metricsOf = (s: Sums) => [
  s.visitors,
  s.visits,
  s.pageviews,
  Math.round((100 * s.bounces) / s.weight),
  Math.round(s.duration / s.weight),
  Math.round((100 * s.pageviews) / s.weight) / 100,
];

describe('include.imports merges imported daily aggregates into answers', () => {
  const dir = tempDir('footfall-imports-query-');
  const data = path.join(dir, 'data');
  let store: Store;
  let engine: QueryEngine;
  const ask = (body: Record<string, unknown>) =>
    engine.query(
      parseQuery({
        site_id: 'example.com',
        date_range: ['2026-02-01', '2026-03-31'],
        include: { imports: true },
        ...body,
      }),
    );

  before(async () => {
    store = await openDuckDbStore(data);
    const site = await addSite(store, { domain: 'example.com', timezone: 'UTC' });
    await addSite(store, { domain: 'other.example', timezone: 'UTC' });
    await loadRows(store, [trackedRows(site.id)]);
    const zip = path.join(dir, 'export.zip');
    writeFileSync(
      zip,
      zipOf({
        'imported_visitors_20260227_20260228.csv': csv(VISITORS_HEADER, VISITORS_ROWS),
        'imported_sources_20260227_20260228.csv': csv(SOURCES_HEADER, SOURCES_ROWS),
        'imported_pages_20260227_20260228.csv': csv(PAGES_HEADER, PAGES_ROWS),
        'imported_locations_20260227_20260228.csv': csv(LOCATIONS_HEADER, LOCATIONS_ROWS),
        'imported_custom_events_20260227_20260228.csv': csv(EVENTS_HEADER, EVENTS_ROWS),
      }),
    );
    await importPlausible(store.imported, readPlausibleExport(zip, '2026-11-30'), {
      site,
      firstEventMs: undefined,
    });
    const sites = new SiteDirectory(store);
    await sites.refresh();
    engine = createQueryEngine({
      store,
      site: (d) => sites.lookup(d),
      imported: store.imported,
      now: () => Date.parse('2026-11-30T12:00:00Z'),
    });
  });
  after(async () => {
    await store.close();
    removeDir(dir);
  });

  it('adds the imported days to the top row (counts add, rates weighted by visits)', async () => {
    const r = await ask({ metrics: METRICS });
    const expected = add(
      trackedSums(() => true),
      importedSums(VISITORS_HEADER, VISITORS_ROWS, () => true, visitRow),
    );
    assert.deepEqual(r.results, [{ dimensions: [], metrics: metricsOf(expected) }]);
    assert.equal(r.meta.imports_included, true);
    assert.equal(r.meta.imports_skip_reason, undefined);
    assert.deepEqual(r.query.include, { imports: true });
    // Without the flag: the tracked visits alone.
    const plain = await engine.query(
      parseQuery({ site_id: 'example.com', date_range: ['2026-02-01', '2026-03-31'], metrics: METRICS }),
    );
    assert.deepEqual(plain.results[0]!.metrics, metricsOf(trackedSums(() => true)));
    assert.equal(plain.meta.imports_included, undefined);
  });

  it('merges a breakdown by source row by row, ordered and paged over both', async () => {
    const sources = ['Google', ''];
    const rows = sources.map((src) => {
      const s = add(
        trackedSums((v) => v.source === src),
        importedSums(SOURCES_HEADER, SOURCES_ROWS, (r) => r.source === src, visitRow),
      );
      return { dimensions: [src || 'Direct / None'], metrics: metricsOf(s) };
    });
    rows.sort((a, b) => b.metrics[0]! - a.metrics[0]!);
    const r = await ask({
      metrics: METRICS,
      dimensions: ['visit:source'],
      include: { imports: true, total_rows: true },
    });
    assert.deepEqual(r.results, rows);
    assert.equal(r.meta.total_rows, 2);
    const page = await ask({
      metrics: METRICS,
      dimensions: ['visit:source'],
      pagination: { limit: 1, offset: 1 },
    });
    assert.deepEqual(page.results, rows.slice(1));
    // percentage: of all visitors, tracked and imported (from the same table).
    const all =
      trackedSums(() => true).visitors +
      importedSums(SOURCES_HEADER, SOURCES_ROWS, () => true, visitRow).visitors;
    const pct = await ask({ metrics: ['visitors', 'percentage'], dimensions: ['visit:source'] });
    assert.deepEqual(
      pct.results.map((x) => x.metrics[1]),
      rows.map((x) => Math.round((1000 * x.metrics[0]!) / all) / 10),
    );
    const alone = await ask({ metrics: ['percentage'], dimensions: ['visit:source'] });
    assert.deepEqual(
      alone.results.map((x) => x.metrics[0]),
      pct.results.map((x) => x.metrics[1]),
    );
  });

  it('filters the imported table by the same dimension values', async () => {
    const r = await ask({ metrics: ['visitors', 'visits'], filters: [['is', 'visit:country', ['DE']]] });
    const s = add(
      trackedSums((v) => v.country === 'DE'),
      importedSums(LOCATIONS_HEADER, LOCATIONS_ROWS, (x) => x.country === 'DE', visitRow),
    );
    assert.deepEqual(r.results, [{ dimensions: [], metrics: [s.visitors, s.visits] }]);
    assert.equal(r.meta.imports_included, true);
    // "Direct / None" selects the empty source, tracked and imported alike.
    const direct = await ask({ metrics: ['visitors'], filters: [['is', 'visit:source', ['Direct / None']]] });
    const d = add(
      trackedSums((v) => v.source === ''),
      importedSums(SOURCES_HEADER, SOURCES_ROWS, (x) => x.source === '', visitRow),
    );
    assert.deepEqual(direct.results[0]!.metrics, [d.visitors]);
  });

  it('pages and events: counts add, page rates and engagement stay the tracked ones', async () => {
    const r = await ask({
      metrics: ['visitors', 'pageviews', 'bounce_rate', 'scroll_depth'],
      dimensions: ['event:page'],
    });
    const tracked = await engine.query(
      parseQuery({
        site_id: 'example.com',
        date_range: ['2026-02-01', '2026-03-31'],
        metrics: ['bounce_rate'],
        dimensions: ['event:page'],
      }),
    );
    const trackedRate = new Map(tracked.results.map((x) => [x.dimensions[0], x.metrics[0]]));
    const expected = ['/', '/docs'].map((page) => {
      const visits = VISITS.filter((v) => v.pages.includes(page));
      const pv = VISITS.reduce((n, v) => n + v.pages.filter((p) => p === page).length, 0);
      const i = importedSums(
        PAGES_HEADER,
        PAGES_ROWS,
        (x) => x.page === page,
        (x) => ({
          visitors: Number(x.visitors),
          pageviews: Number(x.pageviews),
        }),
      );
      return {
        dimensions: [page],
        // No engagement was tracked: scroll depth stays the tracked null.
        metrics: [
          new Set(visits.map((v) => v.visitor)).size + i.visitors,
          pv + i.pageviews,
          trackedRate.get(page)!,
          null,
        ],
      };
    });
    expected.sort((a, b) => (b.metrics[0] as number) - (a.metrics[0] as number));
    assert.deepEqual(r.results, expected);
    const names = await ask({
      metrics: ['visitors', 'events'],
      dimensions: ['event:name'],
      filters: [['is', 'event:name', ['Signup']]],
    });
    const signups = VISITS.filter((v) => v.events?.includes('Signup'));
    assert.deepEqual(names.results, [
      {
        dimensions: ['Signup'],
        metrics: [new Set(signups.map((v) => v.visitor)).size + 2, signups.length + 3],
      },
    ]);
  });

  it('a time series gets the imported days in its buckets', async () => {
    const r = await ask({ metrics: ['visitors', 'pageviews'], dimensions: ['time:day'] });
    const days = ['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02'];
    const expected = days.map((day) => {
      const s = add(
        trackedSums((v) => v.start.startsWith(day)),
        importedSums(VISITORS_HEADER, VISITORS_ROWS, (x) => x.date === day, visitRow),
      );
      return { dimensions: [day], metrics: [s.visitors, s.pageviews] };
    });
    assert.deepEqual(r.results, expected);
    const months = await ask({ metrics: ['visitors'], dimensions: ['time:month'] });
    assert.deepEqual(months.results, [
      { dimensions: ['2026-02-01'], metrics: [15] },
      { dimensions: ['2026-03-01'], metrics: [trackedSums(() => true).visitors] },
    ]);
  });

  it('a compared period gets its own imported days', async () => {
    const march = ['2026-03-01', '2026-03-02'];
    const top = await ask({
      metrics: METRICS,
      date_range: march,
      include: { imports: true, comparisons: { mode: 'previous_period' } },
    });
    const imported = importedSums(VISITORS_HEADER, VISITORS_ROWS, () => true, visitRow);
    assert.deepEqual(top.results[0]!.metrics, metricsOf(trackedSums(() => true)));
    assert.deepEqual(top.results[0]!.comparison!.metrics, metricsOf(imported));
    assert.equal(top.meta.imports_included, true);
    const bySource = await ask({
      metrics: ['visitors', 'percentage'],
      date_range: march,
      dimensions: ['visit:source'],
      include: { imports: true, comparisons: { mode: 'previous_period' } },
    });
    const all = importedSums(SOURCES_HEADER, SOURCES_ROWS, () => true, visitRow).visitors;
    assert.deepEqual(
      bySource.results.map((r) => [r.dimensions[0], r.comparison!.metrics]).sort(),
      ['Google', '']
        .map((src) => {
          const v = importedSums(SOURCES_HEADER, SOURCES_ROWS, (x) => x.source === src, visitRow).visitors;
          return [src || 'Direct / None', [v, Math.round((1000 * v) / all) / 10]];
        })
        .sort(),
    );
    // A compared daily series: each bucket against the bucket at its place two days before.
    const series = await ask({
      metrics: ['visitors'],
      date_range: march,
      dimensions: ['time:day'],
      include: { imports: true, comparisons: { mode: 'previous_period' } },
    });
    assert.deepEqual(
      series.results.map((r) => [
        r.dimensions[0],
        r.metrics[0],
        r.comparison!.dimensions[0],
        r.comparison!.metrics[0],
      ]),
      [
        ['2026-03-01', 2, '2026-02-27', 10],
        ['2026-03-02', 1, '2026-02-28', 5],
      ],
    );
  });

  it('"all" starts at the first imported day', async () => {
    const r = await ask({ metrics: ['visitors'], date_range: 'all' });
    assert.match(String((r.query.date_range as string[])[0]), /^2026-02-27T00:00:00/);
    assert.equal(r.results[0]!.metrics[0], 17);
  });

  it('says why imports were left out, answering from tracked events alone', async () => {
    const tracked = trackedSums(() => true);
    const cases: [Record<string, unknown>, string, boolean][] = [
      [{ dimensions: ['time:hour'], date_range: ['2026-03-01', '2026-03-01'] }, 'unsupported_interval', true],
      [
        { dimensions: ['visit:country'], filters: [['is', 'visit:source', ['Google']]] },
        'unsupported_query',
        true,
      ],
      [{ dimensions: ['visit:city'] }, 'unsupported_query', true],
      // Daily aggregates know no user-agent device class, language, properties, goals or visits.
      [{ dimensions: ['visit:device'] }, 'unsupported_query', true],
      [{ dimensions: ['visit:language'] }, 'unsupported_query', true],
      [{ dimensions: ['event:props:plan'] }, 'unsupported_query', true],
      [{ filters: [['is', 'event:goal', ['Signup']]] }, 'unsupported_query', true],
      [{ filters: [['has_done', ['is', 'event:name', ['Signup']]]] }, 'unsupported_query', true],
      [{ filters: [['has_not_done', ['is', 'event:page', ['/']]]] }, 'unsupported_query', true],
      [{ date_range: ['2026-03-01', '2026-03-31'] }, 'out_of_range', false],
      [{ site_id: 'other.example' }, 'no_imported_data', false],
    ];
    for (const [body, reason, warned] of cases) {
      const r = await ask({ metrics: ['visitors'], ...body });
      assert.equal(r.meta.imports_included, false, reason);
      assert.equal(r.meta.imports_skip_reason, reason);
      assert.equal(r.meta.imports_warning !== undefined, warned, reason);
      if (
        body.site_id === undefined &&
        body.dimensions === undefined &&
        body.metrics === undefined &&
        body.filters === undefined
      ) {
        assert.deepEqual(r.results[0]!.metrics, [tracked.visitors]);
      }
    }
  });
});
