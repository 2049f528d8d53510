// Plausible's format with events in ClickHouse (chdb): the export reads ClickHouse through the
// ClickHouse dialect, the imported aggregates live in the local metadata file, and the merge
// of include.imports answers on ClickHouse as on DuckDB — a week exported from one site and
// imported into another site of the same store answers every day of every breakdown alike;
// removing the site removes its imports.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadRows } from '../../bench/generate/load.js';
import { plausibleZip } from '../../src/export/plausible-export.js';
import { readPlausibleExport } from '../../src/import/plausible-export.js';
import { importPlausible } from '../../src/import/plausible-import.js';
import { parseQuery } from '../../src/query/parse.js';
import { createQueryEngine, type QueryEngine } from '../../src/query/run-query.js';
import { SiteDirectory } from '../../src/sites/directory.js';
import { addSite } from '../../src/sites/manage.js';
import { createStore } from '../../src/store/create-store.js';
import type { Store } from '../../src/store/types.js';
import { removeDir, tempDir } from '../helpers/server.js';
import { BREAKDOWNS, DAYS, NOW, TZ, traffic } from '../helpers/week-traffic.js';
import { CHDB_SKIP, chdbUrl } from './chdb.js';

describe('Plausible export and include.imports on ClickHouse', { skip: CHDB_SKIP }, () => {
  const dir = tempDir('footfall-ch-plausible-');
  let store: Store;
  let engine: QueryEngine;
  before(async () => {
    store = await createStore({ dataDir: dir, clickhouseUrl: chdbUrl(dir) });
    const site = await addSite(store, { domain: 'example.com', timezone: TZ });
    const copy = await addSite(store, { domain: 'copy.example', timezone: TZ });
    await loadRows(store, [traffic(site.id)]);
    const sites = new SiteDirectory(store);
    await sites.refresh();
    engine = createQueryEngine({
      store,
      site: (d) => sites.lookup(d),
      imported: store.imported,
      now: () => NOW,
    });
    const zip = path.join(dir, 'site.zip');
    writeFileSync(zip, (await plausibleZip(engine, site)).zip);
    await importPlausible(store.imported, readPlausibleExport(zip, '2026-05-10'), {
      site: copy,
      firstEventMs: await engine.firstEventMs(copy),
    });
  });
  after(async () => {
    await store.close();
    removeDir(dir);
  });

  it('every day of each kind of breakdown answers as the original site did', async () => {
    // One breakdown per kind of imported table (the DuckDB round trip checks them all): chdb
    // takes ~0.2 s a query.
    const kinds = new Set([
      '',
      'visit:source',
      'event:page',
      'visit:entry_page',
      'visit:region',
      'event:name',
    ]);
    for (const [dimension, metrics, filters] of BREAKDOWNS.filter(([d]) => kinds.has(d))) {
      const body = {
        date_range: [DAYS[0], DAYS.at(-1)],
        metrics,
        dimensions: dimension ? ['time:day', dimension] : ['time:day'],
        filters: filters ?? [],
      };
      const want = await engine.query(parseQuery({ ...body, site_id: 'example.com' }));
      const got = await engine.query(
        parseQuery({ ...body, site_id: 'copy.example', include: { imports: true } }),
      );
      assert.equal(got.meta.imports_included, true, dimension);
      assert.ok(want.results.length > 0, dimension);
      assert.deepEqual(got.results, want.results, dimension || 'time:day');
    }
  });

  it('removing a site removes its imports', async () => {
    assert.equal((await store.imported.listImports()).length, 1);
    await store.removeSite('copy.example');
    assert.equal((await store.imported.listImports()).length, 0);
    const left = await store.imported.readImported('SELECT count(*) AS n FROM imported_pages', []);
    assert.equal(Number(left[0]!.n), 0);
  });
});
