// Operating systems, devices, screens and regions carry Plausible's names, the same in every
// place they show (API, dashboard, CLI all read the stored value), and rows stored under the
// old names answer as the new ones after an upgrade (a schema migration renames them).
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { regionDisplayNames } from '../../src/enrich/geo-regions.js';
import { screenClass } from '../../src/enrich/screen.js';
import { createUserAgentParser } from '../../src/enrich/user-agent.js';
import { DB_FILE, openDuckDbStore } from '../../src/store/duckdb/open.js';
import { MIGRATIONS } from '../../src/store/duckdb/schema.js';
import { removeDir, tempDir } from '../helpers/server.js';

const MAC_CHROME =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const UBUNTU_FIREFOX = 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0';

describe("Plausible's names", () => {
  const parse = createUserAgentParser({ cacheSize: 0 });

  it('a Mac is "Mac", Linux distributions are "GNU/Linux", devices are capitalised', () => {
    assert.deepEqual([parse(MAC_CHROME).os, parse(MAC_CHROME).device], ['Mac', 'Desktop']);
    assert.deepEqual([parse(UBUNTU_FIREFOX).os, parse(UBUNTU_FIREFOX).device], ['GNU/Linux', 'Desktop']);
  });

  it('screen classes are capitalised', () => {
    assert.deepEqual([375, 800, 1280, 1920].map(screenClass), ['Mobile', 'Tablet', 'Laptop', 'Desktop']);
  });

  it("Estonia's regions read as Estonians write them (Harjumaa, not CLDR's Harju); Prague is Prague", () => {
    const names = regionDisplayNames();
    assert.equal(names.get('EE-37'), 'Harjumaa');
    assert.equal(names.get('EE-79'), 'Tartumaa');
    assert.equal(names.get('CZ-10'), 'Prague');
    assert.equal(names.get('DE-BY'), 'Bavaria');
  });

  it('rows stored under the old names are renamed when the data directory is upgraded', async () => {
    const dir = tempDir();
    try {
      // A data directory as the release before the renaming left it.
      const old = await DuckDBInstance.create(path.join(dir, DB_FILE));
      const conn = await old.connect();
      // Found by what it does: later migrations are appended after it.
      const renaming = MIGRATIONS.findIndex((m) => m.includes('UPDATE events SET os ='));
      for (const m of MIGRATIONS.slice(0, renaming)) await conn.run(m);
      await conn.run(
        "CREATE TABLE footfall_meta (key VARCHAR PRIMARY KEY, value VARCHAR); INSERT INTO footfall_meta VALUES ('schema_version', $1)",
        [String(renaming)],
      );
      const row = (os: string, device: string, screen: string) =>
        `(1, TIMESTAMP '2026-11-01 10:00:00', 'pageview', 'example.com', '/', '', '', '', '', '', '', '', '', ` +
        `MAP {}, true, 1, 1, 'Chrome', '124', '${os}', '', '${device}', '${screen}', 'en', '', '', '', ` +
        `'Direct / None', 'Direct', NULL, NULL)`;
      await conn.run(
        `INSERT INTO events VALUES ${row('macOS', 'desktop', 'laptop')}, ${row('Linux', 'mobile', 'mobile')}, ` +
          `${row('Windows', 'tablet', 'desktop')}, ${row('iOS', '', '')}`,
      );
      conn.closeSync();
      old.closeSync();

      const store = await openDuckDbStore(dir);
      try {
        const rows = await store.runQuery('SELECT os, device, screen FROM events ORDER BY os', [], {
          timeoutMs: 5000,
        });
        assert.deepEqual(
          rows.map((r) => [r.os, r.device, r.screen]),
          [
            ['GNU/Linux', 'Mobile', 'Mobile'],
            ['Mac', 'Desktop', 'Laptop'],
            ['Windows', 'Tablet', 'Desktop'],
            ['iOS', '', ''],
          ],
        );
      } finally {
        await store.close();
      }
    } finally {
      removeDir(dir);
    }
  });
});
