// Metadata in PostgreSQL (--database-url) against a real PostgreSQL: nodes opening the same
// database at once migrate it once, get the same daily salt (so the same visitor id), and
// cannot both win a race the DuckDB queue rules out on one node; bad settings stop the start
// with one line naming the setting and the fix.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { diagnose } from '../../src/cli/doctor.js';
import { SaltKeeper } from '../../src/enrich/salts.js';
import { visitorId } from '../../src/enrich/visitor-id.js';
import { ConfigError, resolveServeConfig } from '../../src/server/config.js';
import { createStore } from '../../src/store/create-store.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import { EngineConfigError } from '../../src/store/engine-config-error.js';
import { copyMetadata } from '../../src/store/postgres/copy-metadata.js';
import { openPostgresMetadata } from '../../src/store/postgres/open.js';
import { MIGRATIONS } from '../../src/store/postgres/schema.js';
import { parsePostgresUrl } from '../../src/store/postgres/url.js';
import type { Store } from '../../src/store/types.js';
import { chdbUrl } from '../clickhouse/chdb.js';
import { filePostgres } from '../helpers/metadata-engines.js';
import { PG_PASSWORD, type TestPostgres } from '../helpers/postgres.js';
import { removeDir, runCli, seedSites, tempDir } from '../helpers/server.js';

let pg: TestPostgres;
const dirs: string[] = [];
const open: Store[] = [];

/** A node's metadata: its own data directory (DuckDB file), the shared PostgreSQL database. */
async function node(url: string): Promise<Store> {
  const dir = tempDir();
  dirs.push(dir);
  const local = await openDuckDbStore(dir);
  try {
    const store = await openPostgresMetadata(local, parsePostgresUrl(url));
    open.push(store);
    return store;
  } catch (err) {
    await local.close();
    throw err;
  }
}

/** The one-line refusal opening `url` ends with. */
async function refusal(url: string): Promise<string> {
  const err = await node(url).then(
    () => assert.fail('opened'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof EngineConfigError, String(err));
  assert.ok(!err.message.includes('\n'), err.message);
  assert.ok(!err.message.includes(PG_PASSWORD), 'the password is never echoed');
  return err.message;
}

before(async () => {
  pg = await filePostgres();
});
after(async () => {
  for (const store of open) await store.close();
  for (const dir of dirs) removeDir(dir);
});

describe('PostgreSQL metadata shared by nodes', () => {
  it('two nodes opening a new database at once migrate it once; opening again changes nothing', async () => {
    const url = await pg.freshDatabase();
    await Promise.all([node(url), node(url), node(url)]);
    const version = await pg.admin(url.split('/').pop()!, async (c) => {
      const rows = await c.query("SELECT value FROM footfall_meta WHERE key = 'schema_version'");
      return rows.rows.map((r: { value: string }) => Number(r.value));
    });
    assert.deepEqual(version, [MIGRATIONS.length]);
    const again = await node(url);
    assert.deepEqual(await again.listSites(), []);
  });

  it('nodes keep the first salt of a day, so a visitor gets the same visitor id on each', async () => {
    const url = await pg.freshDatabase();
    const [a, b] = await Promise.all([node(url), node(url)]);
    const now = Date.UTC(2026, 11, 1, 12);
    // Each node would make a different salt; one after the other, then two racing.
    const keeper = (store: Store, byte: number) =>
      SaltKeeper.open(store, { now: () => now, randomBytes: (n) => Buffer.alloc(n, byte) });
    const first = await keeper(a, 1);
    const second = await keeper(b, 2);
    const id = (k: SaltKeeper) => visitorId(k.saltsFor(now).today, 1, '203.0.113.9', 'Mozilla/5.0');
    assert.equal(id(first), id(second));
    const next = now + 86_400_000;
    const racing = await Promise.all([
      SaltKeeper.open(a, { now: () => next, randomBytes: (n) => Buffer.alloc(n, 3) }),
      SaltKeeper.open(b, { now: () => next, randomBytes: (n) => Buffer.alloc(n, 4) }),
    ]);
    const ids = racing.map((k) => visitorId(k.saltsFor(next).today, 1, '203.0.113.9', 'Mozilla/5.0'));
    assert.equal(ids[0], ids[1]);
  });

  it('a check and its write hold across nodes: one claims a job period, one adds a domain', async () => {
    const url = await pg.freshDatabase();
    const [a, b] = await Promise.all([node(url), node(url)]);
    for (let round = 0; round < 5; round++) {
      const claims = await Promise.all([
        a.jobs.claim('salt-rotation', `p${round}`, Date.now(), 3),
        b.jobs.claim('salt-rotation', `p${round}`, Date.now(), 3),
      ]);
      assert.deepEqual(claims.filter(Boolean).length, 1, `round ${round}: ${claims}`);
      const adds = await Promise.allSettled([
        a.addSite({ domain: `s${round}.example`, timezone: 'UTC' }),
        b.addSite({ domain: `s${round}.example`, timezone: 'UTC' }),
      ]);
      assert.equal(adds.filter((r) => r.status === 'fulfilled').length, 1);
      const lost = adds.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      assert.equal((lost.reason as { code?: string }).code, 'FOOTFALL_ERR_SITE_EXISTS');
    }
    assert.equal((await b.listSites()).length, 5);
  });
});

describe('--database-url refused with one line and the fix', () => {
  it('malformed, another scheme, no database, or without --clickhouse-url', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const start = (databaseUrl: string, clickhouseUrl = chdbUrl(dir)) =>
      createStore({ dataDir: dir, clickhouseUrl, databaseUrl }).then(
        () => assert.fail('opened'),
        (e: Error) => {
          assert.ok(e instanceof EngineConfigError, String(e));
          return e.message;
        },
      );
    assert.match(await start('not a url'), /^--database-url is not a URL: use postgres:\/\//);
    assert.match(await start('mysql://u:p@h/db'), /unknown scheme "mysql:": use postgres:\/\//);
    assert.match(await start('postgres://u:p@localhost'), /must name a host and one database/);
    assert.match(
      await start(pg.url('footfall'), ''),
      /^--database-url needs --clickhouse-url: .* set --clickhouse-url too, or leave --database-url unset/,
    );
    assert.throws(
      () => resolveServeConfig({}, { FOOTFALL_DATABASE_URL: pg.url('footfall') }),
      (e: Error) => e instanceof ConfigError && /--database-url needs --clickhouse-url/.test(e.message),
    );
  });

  it('nothing listening, a wrong password, a database that does not exist', async () => {
    const nobody = `postgres://postgres:${PG_PASSWORD}@127.0.0.1:1/footfall`;
    assert.match(await refusal(nobody), /cannot be reached .*: start PostgreSQL, or fix the host and port/);
    assert.match(
      await refusal(pg.url('postgres', 'wrong-password')),
      /refused the user or password .*: check both in the URL/,
    );
    assert.match(
      await refusal(pg.url('no_such_db')),
      /the database no_such_db does not exist: create it \(CREATE DATABASE no_such_db\)/,
    );
  });

  it("a database holding another application's tables, or a newer Footfall's schema", async () => {
    const foreign = await pg.freshDatabase();
    await pg.admin(foreign.split('/').pop()!, (c) => c.query('CREATE TABLE users (id INTEGER)'));
    assert.match(
      await refusal(foreign),
      /holds tables that are not Footfall's \(users\): give Footfall a database of its own/,
    );
    // Nothing of ours was created in it.
    const tables = await pg.admin(foreign.split('/').pop()!, (c) =>
      c.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"),
    );
    assert.deepEqual(
      tables.rows.map((r: { table_name: string }) => r.table_name),
      ['users'],
    );

    const newer = await pg.freshDatabase();
    await node(newer);
    await pg.admin(newer.split('/').pop()!, (c) =>
      c.query("UPDATE footfall_meta SET value = '999' WHERE key = 'schema_version'"),
    );
    assert.match(
      await refusal(newer),
      /metadata schema 999 .*newer than this Footfall .*run that Footfall or a newer one/,
    );
  });

  it('`footfall serve` prints the one line and exits; `footfall doctor` names the problem', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const run = await runCli([
      'serve',
      '--port',
      '0',
      '--data',
      dir,
      '--clickhouse-url',
      chdbUrl(dir),
      '--database-url',
      pg.url('postgres', 'wrong-password'),
    ]);
    assert.notEqual(run.code, 0);
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.match(
      lines[0]!,
      /--database-url: postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres refused the user or password/,
    );

    const env = { FOOTFALL_DATA: dir, FOOTFALL_CLICKHOUSE_URL: chdbUrl(dir) };
    const good = await diagnose({ ...env, FOOTFALL_DATABASE_URL: await pg.freshDatabase() });
    assert.match(
      good.find((f) => f.text.startsWith('PostgreSQL'))?.text ?? '',
      /reached; no Footfall schema yet, the first start creates it/,
    );
    const bad = await diagnose({ ...env, FOOTFALL_DATABASE_URL: pg.url('postgres', 'wrong-password') });
    const finding = bad.find((f) => f.text.startsWith('PostgreSQL'));
    assert.equal(finding?.level, 'fail');
    assert.match(finding?.text ?? '', /refused the user or password/);
  });
});

describe('footfall migrate metadata: a data directory copied into PostgreSQL, verified', () => {
  it('every table arrives with the same rows; new rows get fresh ids; a second copy is refused', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const source = await openDuckDbStore(dir);
    const now = Date.UTC(2026, 11, 1, 12, 30, 0, 123);
    try {
      await source.addSite({ domain: 'a.example', timezone: 'Europe/Berlin' });
      await source.addSite({
        domain: 'b.example',
        timezone: 'UTC',
        umamiId: '3f2c0f5e-4a7e-4e38-9c55-7a1c35a7b2de',
      });
      const owner = await source.accounts.addUser(
        { email: 'o@example.com', passwordHash: 'h1', role: 'owner' },
        now,
      );
      const member = await source.accounts.addUser(
        { email: 'm@example.com', passwordHash: 'h2', role: 'member' },
        now,
      );
      await source.accounts.setMember('a.example', member.id, 'viewer');
      await source.accounts.addSession('session-hash', owner.id, now, now + 86_400_000);
      await source.accounts.addApiKey(
        {
          userId: owner.id,
          name: 'ci',
          prefix: 'ff_ab',
          keyHash: 'key-hash',
          readOnly: true,
          sites: ['a.example', 'b.example'],
        },
        now,
      );
      await source.accounts.addShareLink(
        { siteDomain: 'a.example', token: 'share-token', passwordHash: null, embeddable: true },
        now,
      );
      await source.accounts.setPendingTotpSecret(owner.id, 'JBSWY3DPEHPK3PXP');
      await source.accounts.enableTwoFactor(owner.id, 'JBSWY3DPEHPK3PXP', ['r1', 'r2'], 58_000_000);
      const goal = await source.goals.addGoal(
        'a.example',
        { name: 'Signup', event: 'signup', page: null, scroll: null, props: [['plan', 'pro']] },
        now,
      );
      const visit = await source.goals.addGoal(
        'a.example',
        { name: 'Pricing', event: null, page: '/pricing*', scroll: null, props: [] },
        now,
      );
      await source.funnels.addFunnel(
        'a.example',
        { name: 'Buy', type: 'sequential', steps: [visit.id, goal.id] },
        now,
      );
      await source.segments.addSegment(
        'a.example',
        { name: 'DE', type: 'site', filters: [['is', 'visit:country', ['DE']]] },
        member.id,
        now,
      );
      await source.jobs.setRetention('a.example', 24);
      await source.jobs.claim('salt-rotation', '2026-12-01', now, 3);
      await source.jobs.finish('salt-rotation', '2026-12-01', now + 5);
      await source.addSalt({ day: '2026-12-01', salt: Buffer.alloc(32, 7) });

      const url = await pg.freshDatabase();
      const copies = await copyMetadata(source, parsePostgresUrl(url));
      const rows = Object.fromEntries(copies.filter((c) => c.rows > 0).map((c) => [c.table, c.rows]));
      assert.deepEqual(rows, {
        sites: 2,
        users: 2,
        site_members: 1,
        sessions: 1,
        api_keys: 1,
        api_key_sites: 2,
        share_links: 1,
        two_factor: 1,
        recovery_codes: 2,
        goals: 2,
        funnels: 1,
        segments: 1,
        site_retention: 1,
        job_runs: 1,
        salts: 1,
      });

      // What the stores read back is what they read from the data directory.
      const copy = await node(url);
      assert.deepEqual(await copy.listSites(), await source.listSites());
      assert.deepEqual(await copy.accounts.listUsers(), await source.accounts.listUsers());
      assert.deepEqual(await copy.accounts.listApiKeys(), await source.accounts.listApiKeys());
      assert.deepEqual(
        await copy.accounts.findSession('session-hash', now),
        await source.accounts.findSession('session-hash', now),
      );
      assert.deepEqual(
        await copy.accounts.getTwoFactor(owner.id),
        await source.accounts.getTwoFactor(owner.id),
      );
      assert.deepEqual(await copy.goals.listGoals('a.example'), await source.goals.listGoals('a.example'));
      assert.deepEqual(
        await copy.funnels.listFunnels('a.example'),
        await source.funnels.listFunnels('a.example'),
      );
      assert.deepEqual(
        await copy.segments.listSegments('a.example', member.id),
        await source.segments.listSegments('a.example', member.id),
      );
      assert.deepEqual(await copy.jobs.summary(), await source.jobs.summary());
      assert.deepEqual(await copy.listSalts(), await source.listSalts());
      // Ids continue after the copied ones.
      const third = await copy.addSite({ domain: 'c.example', timezone: 'UTC' });
      assert.equal(third.id, 3);
      const another = await copy.goals.addGoal(
        'b.example',
        { name: 'X', event: 'x', page: null, scroll: null, props: [] },
        now,
      );
      assert.equal(another.id, visit.id + 1);

      await assert.rejects(copyMetadata(source, parsePostgresUrl(url)), (e: Error) => {
        assert.ok(e instanceof EngineConfigError);
        assert.match(e.message, /already holds Footfall sites or users: copy into a new, empty database/);
        return true;
      });
    } finally {
      await source.close();
    }
  });

  it('`footfall migrate metadata` prints each table and the verification', async () => {
    const dir = tempDir();
    dirs.push(dir);
    await seedSites(dir, ['x.example', 'y.example']);
    const url = await pg.freshDatabase();
    const run = await runCli(['migrate', 'metadata', '--data', dir, '--to', url]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^sites: 2 rows, sha256 [0-9a-f]{64}$/m);
    assert.match(
      run.stdout,
      /copied \d+ rows of \d+ tables; verified: the same count and checksum per table in postgres:\/\/postgres@127\.0\.0\.1:\d+\/footfall_test_\d+\. Start every node with --database-url/,
    );
    assert.ok(!run.stdout.includes(PG_PASSWORD), 'the password is never echoed');
    assert.deepEqual(
      (await (await node(url)).listSites()).map((s) => s.domain),
      ['x.example', 'y.example'],
    );
  });
});
