// `footfall export plausible` → `footfall import plausible` into a fresh site: a week of
// generated traffic (Europe/Berlin, no visit across midnight) exported in Plausible's format,
// imported into an empty data directory, and every day of every supported breakdown answered
// with include.imports equals the original site's own answer for that day; over the whole
// week visits, page views and the rates are equal, and visitors are the sum of the days' (the
// README's "daily visitor counts are not additive").
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { unzipSync } from 'fflate';
import { loadRows } from '../../bench/generate/load.js';
import { readPlausibleExport } from '../../src/import/plausible-export.js';
import { importPlausible } from '../../src/import/plausible-import.js';
import { parseQuery } from '../../src/query/parse.js';
import { createQueryEngine, type QueryEngine } from '../../src/query/run-query.js';
import { SiteDirectory } from '../../src/sites/directory.js';
import { addSite } from '../../src/sites/manage.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import type { Store } from '../../src/store/types.js';
import { removeDir, runCli, tempDir } from '../helpers/server.js';
import { BREAKDOWNS, DAYS, NOW, TZ, traffic, VISIT_METRICS } from '../helpers/week-traffic.js';

describe('Plausible export → import round trip', () => {
  const dir = tempDir('footfall-plausible-roundtrip-');
  const original = path.join(dir, 'original');
  const copy = path.join(dir, 'copy');
  const zip = path.join(dir, 'site.zip');
  let store: Store;
  let copyStore: Store;
  let a: QueryEngine;
  let b: QueryEngine;
  const engineOf = async (s: Store) => {
    const sites = new SiteDirectory(s);
    await sites.refresh();
    return createQueryEngine({
      store: s,
      site: (d) => sites.lookup(d),
      imported: s.imported,
      now: () => NOW,
    });
  };

  before(async () => {
    store = await openDuckDbStore(original);
    const site = await addSite(store, { domain: 'example.com', timezone: TZ });
    await loadRows(store, [traffic(site.id)]);
    await store.close();
    // The command itself, once: the zip it writes is what the copy imports.
    const out = await runCli([
      'export',
      'plausible',
      '--site',
      'example.com',
      '--out',
      zip,
      '--data',
      original,
    ]);
    assert.equal(out.code, 0, out.stderr);
    assert.match(
      out.stderr,
      /exported example\.com from 2026-05-04 to 2026-05-10 as \d+ daily rows in 10 files/,
    );
    store = await openDuckDbStore(original);
    copyStore = await openDuckDbStore(copy);
    const fresh = await addSite(copyStore, { domain: 'example.com', timezone: TZ });
    await importPlausible(copyStore.imported, readPlausibleExport(zip, '2026-05-10'), {
      site: fresh,
      firstEventMs: undefined,
    });
    a = await engineOf(store);
    b = await engineOf(copyStore);
  });
  after(async () => {
    await store.close();
    await copyStore.close();
    removeDir(dir);
  });

  it('writes the ten files Plausible writes, named by the range, formula-safe', () => {
    const files = unzipSync(readFileSync(zip));
    assert.deepEqual(
      Object.keys(files).sort(),
      [
        'imported_browsers',
        'imported_custom_events',
        'imported_devices',
        'imported_entry_pages',
        'imported_exit_pages',
        'imported_locations',
        'imported_operating_systems',
        'imported_pages',
        'imported_sources',
        'imported_visitors',
      ].map((t) => `${t}_20260504_20260510.csv`),
    );
    const pages = new TextDecoder().decode(files['imported_pages_20260504_20260510.csv']);
    assert.match(pages, /^date,hostname,page,visits,visitors,pageviews,exits,/);
    assert.match(pages, /example\.com,\/blog\/=sum\(1\),/); // a path, not a formula: starts with /
    const sources = new TextDecoder().decode(files['imported_sources_20260504_20260510.csv']);
    assert.match(sources, /,'=1\+1,/); // a campaign a spreadsheet would run: escaped (and unescaped on import)
  });

  it('every day of every breakdown answers as the original site did', async () => {
    for (const [dimension, metrics, filters] of BREAKDOWNS) {
      const body = {
        site_id: 'example.com',
        date_range: [DAYS[0], DAYS.at(-1)],
        metrics,
        dimensions: dimension ? ['time:day', dimension] : ['time:day'],
        filters: filters ?? [],
      };
      const want = await a.query(parseQuery(body));
      const got = await b.query(parseQuery({ ...body, include: { imports: true } }));
      assert.equal(got.meta.imports_included, true, dimension);
      assert.ok(want.results.length > 0, dimension);
      assert.deepEqual(got.results, want.results, dimension || 'time:day');
    }
  });

  it('over the week: visits, page views and rates equal; visitors the sum of the days', async () => {
    const body = { site_id: 'example.com', date_range: [DAYS[0], DAYS.at(-1)], metrics: VISIT_METRICS };
    const want = await a.query(parseQuery(body));
    const got = await b.query(parseQuery({ ...body, include: { imports: true } }));
    assert.deepEqual(got.results[0]!.metrics.slice(1), want.results[0]!.metrics.slice(1));
    const daily = await a.query(parseQuery({ ...body, metrics: ['visitors'], dimensions: ['time:day'] }));
    const sum = daily.results.reduce((n, r) => n + (r.metrics[0] as number), 0);
    assert.equal(got.results[0]!.metrics[0], sum);
    assert.ok(sum > (want.results[0]!.metrics[0] as number), 'people came back on other days');
  });
});
