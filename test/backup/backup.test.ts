// `footfall backup` / `footfall restore` (issue 16, item 6): a backup taken while a server
// tracks holds every event acknowledged before it was asked for, survives the server being
// killed right after, restores into an empty directory that answers like the original, and
// the restored directory's journal starts afresh. Bad files and directories are refused.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { restoreBackup } from '../../src/backup/backup.js';
import { ConfigError } from '../../src/server/config.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import { askStats } from '../helpers/ask-stats.js';
import {
  BROWSER_UA,
  killServers,
  removeDir,
  runCli,
  seedSites,
  spawnServer,
  startTestServer,
  tempDir,
} from '../helpers/server.js';

const SITE = 'example.com';

async function track(url: string, page: string, ip: string): Promise<number> {
  const res = await fetch(`${url}/api/event`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA, 'x-forwarded-for': ip },
    body: JSON.stringify({
      name: 'pageview',
      url: `https://${SITE}${page}`,
      domain: SITE,
      referrer: 'https://duckduckgo.com/',
    }),
  });
  return res.status;
}

async function count(dir: string, sql: string): Promise<number> {
  const store = await openDuckDbStore(dir);
  try {
    return Number((await store.queryRows(sql))[0]!.n);
  } finally {
    await store.close();
  }
}

describe('backup and restore', () => {
  const work = tempDir('footfall-backup-');
  after(() => {
    killServers();
    removeDir(work);
  });

  it('a backup under load holds every event acknowledged before it; restored, it answers like the original', async () => {
    const dir = path.join(work, 'live');
    await seedSites(dir, [SITE]);
    const server = await spawnServer(dir, ['--trust-proxy', 'loopback']);
    const before = 300;
    for (let i = 0; i < before; i++) {
      assert.equal(await track(server.url, `/before/${i % 17}`, `10.1.${i % 40}.1`), 202);
    }
    // More tracking while the backup runs, then kill -9 the moment it is done.
    let sending = true;
    let during = 0;
    const load = (async () => {
      while (sending)
        if ((await track(server.url, `/during/${during % 5}`, `10.2.0.${during % 50}`)) === 202) during++;
    })();
    const file = path.join(work, 'live.duckdb');
    const backup = await runCli(['backup', file, '--data', dir]);
    server.proc.kill('SIGKILL');
    sending = false;
    await load.catch(() => {});
    await server.exited;
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stdout, /backup of .* written to .*live\.duckdb: 1 site, \d+ events, schema \d+/);
    assert.ok(during > 0, 'tracking went on during the backup');

    const restored = path.join(work, 'restored');
    const restore = await runCli(['restore', file, '--data', restored]);
    assert.equal(restore.code, 0, restore.stderr);
    assert.match(restore.stdout, /restored 1 site, \d+ events/);
    assert.equal(
      await count(restored, "SELECT count(*) AS n FROM events WHERE pathname LIKE '/before/%'"),
      before,
      'every event acknowledged before the backup',
    );
    assert.equal(
      await count(restored, 'SELECT count(*) AS n FROM ingest_state'),
      0,
      "the original's journal position is forgotten",
    );
    const base = { site_id: SITE, date_range: 'day', filters: [['contains', 'event:page', ['/before/']]] };
    const queries = [
      { metrics: ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration'] },
      { metrics: ['visitors', 'pageviews'], dimensions: ['event:page'] },
      { metrics: ['visitors'], dimensions: ['visit:source', 'visit:browser'] },
    ];
    assert.deepEqual(await askStats(restored, base, queries), await askStats(dir, base, queries));
  });

  it('the restored directory tracks on: its new journal is loaded, not taken for loaded', async () => {
    const restored = path.join(work, 'restored');
    const server = await startTestServer({ dataDir: restored, sites: [] });
    try {
      assert.equal(await track(server.url, '/after-restore', '10.9.9.9'), 202);
      const rows = await server.query("SELECT count(*) AS n FROM events WHERE pathname = '/after-restore'");
      assert.equal(Number(rows[0]!.n), 1);
    } finally {
      await server.close();
    }
  });

  it('loads every acknowledged event before it copies (a journal not yet loaded is in the backup)', async () => {
    // Loads held back for a minute: the events are acknowledged (in the journal) and nowhere else.
    const server = await startTestServer({
      sites: [SITE],
      loadIntervalMs: 60_000,
      flags: { trustProxy: 'loopback' },
    });
    try {
      for (let i = 0; i < 20; i++) assert.equal(await track(server.url, `/waiting/${i}`, `10.3.0.${i}`), 202);
      const file = path.join(work, 'waiting.duckdb');
      const run = await runCli(['backup', file, '--data', server.dataDir]);
      assert.equal(run.code, 0, run.stderr);
      const restored = path.join(work, 'restored-waiting');
      assert.equal((await runCli(['restore', file, '--data', restored])).code, 0);
      assert.equal(
        await count(restored, "SELECT count(*) AS n FROM events WHERE pathname LIKE '/waiting/%'"),
        20,
      );
    } finally {
      await server.close();
      removeDir(server.dataDir);
    }
  });

  it('without a running server, backup opens the data directory itself', async () => {
    const file = path.join(work, 'offline.duckdb');
    const run = await runCli(['backup', file, '--data', path.join(work, 'restored')]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /1 site, \d+ events/);
  });

  it('refuses to overwrite, bad files and non-empty directories, each with the fix', async () => {
    const existing = path.join(work, 'offline.duckdb');
    const cases: [string[], RegExp][] = [
      [['backup', existing, '--data', path.join(work, 'restored')], /exists: give a new file name/],
      [['restore', path.join(work, 'nope.duckdb'), '--data', path.join(work, 'r1')], /does not exist/],
      [
        ['restore', existing, '--data', path.join(work, 'restored')],
        /is not empty: restore into a new directory/,
      ],
    ];
    const text = path.join(work, 'text.duckdb');
    writeFileSync(text, 'not a database at all');
    cases.push([['restore', text, '--data', path.join(work, 'r2')], /is not a Footfall backup/]);
    const other = path.join(work, 'other.duckdb');
    const db = await DuckDBInstance.create(other);
    const conn = await db.connect();
    await conn.run('CREATE TABLE t (x INTEGER)');
    conn.closeSync();
    db.closeSync();
    cases.push([['restore', other, '--data', path.join(work, 'r3')], /a DuckDB database but not Footfall's/]);
    const newer = path.join(work, 'newer.duckdb');
    copyFileSync(existing, newer);
    const db2 = await DuckDBInstance.create(newer);
    const conn2 = await db2.connect();
    await conn2.run("UPDATE footfall_meta SET value = '999' WHERE key = 'schema_version'");
    conn2.closeSync();
    db2.closeSync();
    cases.push([
      ['restore', newer, '--data', path.join(work, 'r4')],
      /written by a newer Footfall \(schema 999/,
    ]);
    // The command's own refusal through the CLI; the restore's checks in this process.
    const [first, ...restores] = cases;
    const run = await runCli(first![0]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, first![1]);
    for (const [args, message] of restores) {
      await assert.rejects(
        restoreBackup(args[1]!, args[3]!),
        (err: Error) => err instanceof ConfigError && message.test(err.message),
      );
    }
    for (const d of ['r1', 'r2', 'r3', 'r4'])
      assert.ok(!existsSync(path.join(work, d, 'footfall.duckdb')), d);
    mkdirSync(path.join(work, 'unused'), { recursive: true });
  });
});
