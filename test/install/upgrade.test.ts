// Issue 19, "safe upgrades": a data directory records its schema and writer; a newer Footfall
// migrates it forward after keeping the old database beside it (space checked first); an older
// one refuses a newer directory with one line; an upgrade killed half-way leaves a directory
// the same Footfall starts on. Fixtures are made here from the migration list itself.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { resolveServeConfig } from '../../src/server/config.js';
import { startServer } from '../../src/server/serve.js';
import { DB_FILE, openDuckDbStore } from '../../src/store/duckdb/open.js';
import { MIGRATIONS } from '../../src/store/duckdb/schema.js';
import { SCHEMA_VERSION } from '../../src/store/duckdb/schema-version.js';
import { backupName, UPGRADING_SUFFIX, UpgradeSpaceError } from '../../src/store/duckdb/upgrade.js';
import { VERSION } from '../../src/version.js';
import { cliBundle, killServers, ROOT, removeDir, runCli, tempDir } from '../helpers/server.js';
import { makeDataDir, versionOf } from './data-dir-fixture.js';

const PREVIOUS = SCHEMA_VERSION - 1;

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('upgrading a data directory', () => {
  const dirs: string[] = [];
  const fixture = async (...args: Parameters<typeof makeDataDir>) => {
    const dir = await makeDataDir(...args);
    dirs.push(dir);
    return dir;
  };
  after(() => {
    killServers();
    for (const d of dirs) removeDir(d);
  });

  it("a new data directory records this build's schema and version", async () => {
    const dir = tempDir();
    dirs.push(dir);
    await (await openDuckDbStore(dir)).close();
    assert.deepEqual(await versionOf(path.join(dir, DB_FILE)), {
      schema: SCHEMA_VERSION,
      writtenBy: VERSION,
    });
  });

  for (const from of [PREVIOUS, 1]) {
    it(`schema ${from} is migrated forward, the old database kept beside it`, async () => {
      const dir = await fixture(from, { writtenBy: '0.0.1' });
      const file = path.join(dir, DB_FILE);
      const before = sha(file);
      const upgrades: unknown[] = [];
      const store = await openDuckDbStore(dir, { onUpgrade: (u) => upgrades.push(u) });
      try {
        assert.deepEqual(upgrades, [{ from, to: SCHEMA_VERSION, backup: backupName(file, from) }]);
        assert.deepEqual(
          (await store.listSites()).map((s) => [s.domain, s.timezone]),
          [['old.example', 'Europe/Berlin']],
        );
        // The accounts tables of the last migration exist and work.
        assert.deepEqual(await store.queryRows('SELECT count(*)::INTEGER AS n FROM users'), [{ n: 0 }]);
      } finally {
        await store.close();
      }
      assert.deepEqual(await versionOf(file), { schema: SCHEMA_VERSION, writtenBy: VERSION });
      const backup = backupName(file, from);
      assert.equal(sha(backup), before, 'the backup is the old database, byte for byte');
      assert.deepEqual(await versionOf(backup), { schema: from, writtenBy: '0.0.1' });
      assert.ok(!existsSync(file + UPGRADING_SUFFIX));
    });
  }

  it('a new file, made in one transaction, has the schema that one migration at a time reaches', async () => {
    // Tables, columns (type, default, nullability), indexes, constraints and sequences (not
    // where they stand: the migrated fixture holds a site).
    const SCHEMA_SQL = `
      SELECT 'column' AS kind, table_name || '.' || column_name || ' ' || data_type || ' ' ||
             coalesce(column_default, '') || ' ' || is_nullable AS what
        FROM information_schema.columns WHERE table_catalog = current_database()
      UNION ALL SELECT 'index', table_name || ' ' || coalesce(sql, index_name) FROM duckdb_indexes()
        WHERE database_name = current_database()
      UNION ALL SELECT 'constraint', table_name || ' ' || constraint_type || ' ' ||
             array_to_string(constraint_column_names, ',') || ' ' || coalesce(expression, '')
        FROM duckdb_constraints() WHERE database_name = current_database()
      UNION ALL SELECT 'sequence', sequence_name || ' ' || increment_by
        FROM duckdb_sequences() WHERE database_name = current_database()
      ORDER BY 1, 2`;
    const schemaOf = async (dir: string) => {
      const store = await openDuckDbStore(dir);
      try {
        return (await store.queryRows(SCHEMA_SQL)).map((r) => `${r.kind}: ${r.what}`);
      } finally {
        await store.close();
      }
    };
    const fresh = tempDir();
    dirs.push(fresh);
    const migrated = await fixture(1, { writtenBy: '0.0.1' });
    const [a, b] = [await schemaOf(fresh), await schemaOf(migrated)];
    assert.ok(a.length > 50, `the schema was read (${a.length} rows)`);
    assert.deepEqual(a, b);
  });

  it('the backup is kept through the upgrading start and removed by the next one', async () => {
    const dir = await fixture(PREVIOUS);
    const backup = backupName(path.join(dir, DB_FILE), PREVIOUS);
    const config = resolveServeConfig({ port: '0', host: '127.0.0.1', dataDir: dir }, {});
    const logs: string[] = [];
    await (await startServer(config, { log: (m) => logs.push(m) })).close();
    assert.ok(existsSync(backup), 'kept after the start that upgraded');
    assert.ok(
      logs.some((l) => l.includes(`from schema ${PREVIOUS} to ${SCHEMA_VERSION}`) && l.includes(backup)),
    );
    await (await startServer(config, { log: (m) => logs.push(m) })).close();
    assert.ok(!existsSync(backup), 'removed by the next successful start');
    assert.ok(logs.includes(`removed ${backup}`));
  });

  it('without room for the copy, nothing is written and the start is refused', async () => {
    const dir = await fixture(PREVIOUS);
    const file = path.join(dir, DB_FILE);
    const before = sha(file);
    await assert.rejects(
      openDuckDbStore(dir, { upgradeDeps: { freeBytes: () => 10 * 1024 * 1024 } }),
      (err: Error) => err instanceof UpgradeSpaceError && /needs \d+ MB free .* has 10 MB/.test(err.message),
    );
    assert.equal(sha(file), before);
    assert.ok(!existsSync(backupName(file, PREVIOUS)) && !existsSync(file + UPGRADING_SUFFIX));
    assert.deepEqual((await versionOf(file)).schema, PREVIOUS);
  });

  // A Footfall that failed to refuse would keep serving: the timeout turns that into a failure.
  it('a data directory from a newer Footfall is refused with one line and left as it was', {
    timeout: 60_000,
  }, async () => {
    const dir = await fixture(SCHEMA_VERSION + 1, { writtenBy: '99.0.0' });
    const file = path.join(dir, DB_FILE);
    const before = sha(file);
    for (const args of [
      ['serve', '--port', '0', '--host', '127.0.0.1'],
      ['site', 'list'],
    ]) {
      const res = await runCli([...args, '--data', dir]);
      assert.equal(res.code, 2, res.stderr);
      assert.equal(
        res.stderr,
        `footfall: the data directory ${dir} has schema ${SCHEMA_VERSION + 1} (written by Footfall 99.0.0), newer than this Footfall ${VERSION} understands (schema ${SCHEMA_VERSION}): run that Footfall or a newer one\n`,
      );
    }
    assert.equal(sha(file), before);
  });

  it('a leftover of an upgrade killed while migrating the copy is discarded, and the upgrade runs again', async () => {
    // The newest migration that creates something: its CREATEs in a WAL replayed on top of an
    // already-migrated file are what break a start ("… already exists"). Later ones may only
    // rename data, which leaves no WAL on an empty table.
    const creating = MIGRATIONS.findLastIndex((m) => /\bCREATE\b/i.test(m));
    const dir = await fixture(creating);
    const file = path.join(dir, DB_FILE);
    // Exactly what kill -9 leaves mid-migration: a process migrating the copy dies before
    // checkpointing, so the copy's WAL holds the last migration's CREATE TABLEs.
    copyFileSync(file, file + UPGRADING_SUFFIX);
    const dying = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { DuckDBInstance } = await import('@duckdb/node-api');
         const conn = await (await DuckDBInstance.create(process.argv[1])).connect();
         await conn.run("SET checkpoint_threshold = '1GB'");
         await conn.run(process.argv[2]);
         process.kill(process.pid, 'SIGKILL');`,
        file + UPGRADING_SUFFIX,
        MIGRATIONS[creating]!,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    assert.equal(dying.signal, 'SIGKILL', dying.stderr);
    assert.ok(existsSync(`${file}${UPGRADING_SUFFIX}.wal`), 'the killed migration left its WAL');
    const store = await openDuckDbStore(dir);
    await store.close();
    assert.deepEqual((await versionOf(file)).schema, SCHEMA_VERSION);
    assert.ok(!existsSync(file + UPGRADING_SUFFIX) && !existsSync(`${file}${UPGRADING_SUFFIX}.wal`));
  });

  it('kill -9 during the upgrade, then the same Footfall starts and finishes it', {
    timeout: 120_000,
  }, async () => {
    const dir = await fixture(PREVIOUS, { events: 20_000 });
    const file = path.join(dir, DB_FILE);
    const proc = spawn(process.execPath, [await cliBundle(), 'site', 'list', '--data', dir], {
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => proc.on('exit', resolve));
    // Kill as soon as the copy being migrated appears: the live file must not matter.
    const sawCopy = await new Promise<boolean>((resolve) => {
      const timer = setInterval(() => {
        if (existsSync(file + UPGRADING_SUFFIX)) {
          proc.kill('SIGKILL');
          clearInterval(timer);
          resolve(true);
        }
      }, 1);
      proc.on('exit', () => {
        clearInterval(timer);
        resolve(false);
      });
    });
    await exited;
    assert.ok(sawCopy, 'killed while upgrading');
    assert.deepEqual(
      (await versionOf(file)).schema,
      PREVIOUS,
      'the live file is the old database, untouched',
    );
    const list = await runCli(['site', 'list', '--json', '--data', dir]);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(JSON.parse(list.stdout), [{ domain: 'old.example', timezone: 'Europe/Berlin' }]);
    assert.deepEqual(await versionOf(file), { schema: SCHEMA_VERSION, writtenBy: VERSION });
    const store = await openDuckDbStore(dir);
    try {
      assert.deepEqual(await store.queryRows('SELECT count(*)::INTEGER AS n FROM events'), [{ n: 20_000 }]);
    } finally {
      await store.close();
    }
  });
});
