// `footfall compact` (src/store/duckdb/compact.ts): after retention deletes most events, the
// file shrinks; every row, the ids sequences hand out next and the journal's load mark are
// as before; a file a server holds is refused with nothing changed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadRows } from '../../bench/generate/load.js';
import { addSite } from '../../src/sites/manage.js';
import { compactFile } from '../../src/store/duckdb/compact.js';
import { DB_FILE, openDuckDbStore, StoreLockedError } from '../../src/store/duckdb/open.js';
import { sampleRow } from '../helpers/sample-row.js';
import { ROOT, removeDir, runCli, tempDir } from '../helpers/server.js';

const DAY = 86_400_000;

describe('footfall compact', () => {
  const dir = tempDir();
  const file = path.join(dir, DB_FILE);
  after(() => removeDir(dir));

  it('gives deleted rows back to the file system and keeps everything else as it was', async () => {
    let store = await openDuckDbStore(dir);
    const site = await addSite(store, { domain: 'example.com', timezone: 'UTC' });
    const rows = Array.from({ length: 100_000 }, (_, i) => ({
      ...sampleRow(i),
      siteId: site.id,
      ts: 1_780_000_000_000 + Math.floor(i / 1_000) * DAY,
      sessionId: BigInt(1 + Math.floor(i / 4)),
    }));
    await loadRows(store, [rows]);
    // What retention does: delete the older 90 % (and their visits), then checkpoint.
    const cut = 1_780_000_000_000 + 90 * DAY;
    assert.ok((await store.deleteEventsBefore(site.id, cut)) > 0);
    const snapshot = async () => ({
      events: await store.queryRows(
        'SELECT count(*) AS n, sum(hash(session_id, ts, pathname)) AS h FROM events',
      ),
      visits: await store.queryRows(
        'SELECT count(*) AS n, sum(hash(session_id, pageviews)) AS h FROM visits',
      ),
      mark: await store.loadMark(),
      sites: await store.listSites(),
    });
    const before = await snapshot();
    await store.close();
    const sizeBefore = statSync(file).size;

    // Another process (a server) holds the file: refused, nothing changed. (In one process
    // DuckDB shares an open file, so the holder must be a process of its own.)
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { DuckDBInstance } from '@duckdb/node-api';
         await DuckDBInstance.create(${JSON.stringify(file)});
         console.log('held');
         setInterval(() => {}, 1000);`,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await once(holder.stdout!, 'data');
    await assert.rejects(compactFile(file), StoreLockedError);
    holder.kill('SIGKILL');
    await once(holder, 'exit');
    assert.equal(statSync(file).size, sizeBefore);

    const result = await compactFile(file);
    assert.equal(result.before, sizeBefore);
    assert.equal(result.after, statSync(file).size);
    assert.ok(result.after < sizeBefore * 0.75, `${result.after} is not below 3/4 of ${sizeBefore}`);
    assert.equal(statSync(file).mode & 0o777, 0o600);

    store = await openDuckDbStore(dir);
    try {
      assert.deepEqual(await snapshot(), before);
      // Sequences go on where they were: a new site gets the next id, not 1 again.
      const next = await addSite(store, { domain: 'next.example', timezone: 'UTC' });
      assert.equal(next.id, site.id + 1);
    } finally {
      await store.close();
    }
  });

  it('footfall compact says what it did, and names the fix for a directory without a database', async () => {
    // What a compaction killed half-way leaves: the old file opens as ever, and the next
    // compaction throws the leftover copy away.
    writeFileSync(`${file}.compacting`, 'half a copy');
    const store = await openDuckDbStore(dir);
    assert.equal((await store.listSites()).length, 2);
    await store.close();
    const done = await runCli(['compact', '--data', dir]);
    assert.equal(existsSync(`${file}.compacting`), false);
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /^compacted .*footfall\.duckdb: [\d.]+ MB → [\d.]+ MB \([\d.]+ s\)\n$/);
    const empty = tempDir();
    const missing = await runCli(['compact', '--data', path.join(empty, 'nope')]);
    removeDir(empty);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /there is no database at .*: point --data at Footfall's data directory/);
  });
});
