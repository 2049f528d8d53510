// Several nodes on one PostgreSQL (issue 17): two real servers in this process share one
// PostgreSQL database (through a TCP relay the test can cut) and one ClickHouse engine (chdb,
// one directory for the process), each with its own data directory and a clock the test
// drives. Node ids and their registration, session ids that never collide, sign-in limits
// counted across the nodes, each job period run once per cluster as a lease that outlives a
// dead holder, and a node that keeps tracking while PostgreSQL is away.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { storedNodeId } from '../../src/cluster/node-id.js';
import { sessionIdRange } from '../../src/cluster/session-ids.js';
import { localTarget } from '../../src/import/import-target.js';
import { LEASE_MS, ledgered, type PeriodicJob } from '../../src/jobs/ledger.js';
import { ConfigError, resolveServeConfig } from '../../src/server/config.js';
import { NodeIdTakenError } from '../../src/store/cluster.js';
import { createStore } from '../../src/store/create-store.js';
import { backoffMs } from '../../src/store/postgres/connection.js';
import { CHDB_SKIP } from '../clickhouse/chdb.js';
import { addUser, call, errorCode, login, manualClock, PASSWORD } from '../helpers/accounts.js';
import { filePostgres } from '../helpers/metadata-engines.js';
import { hit, metricValue, removeDir, startTestServer, type TestServer, tempDir } from '../helpers/server.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');

describe('two nodes on one PostgreSQL', { skip: CHDB_SKIP }, () => {
  const clock = manualClock(T0);
  const dirs: string[] = [];
  let relay: TcpProxy;
  let flags: { clickhouseUrl: string; databaseUrl: string; trustProxy: string };
  let a: TestServer;
  let b: TestServer;

  const node = async (nodeId: string, sites: string[] = []): Promise<TestServer> => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    return startTestServer({ dataDir, sites, flags: { ...flags, nodeId }, now: clock.now, schedule: false });
  };

  before(async () => {
    const pg = await filePostgres();
    relay = await startTcpProxy(pg.port);
    const direct = new URL(await pg.freshDatabase());
    direct.port = String(relay.port);
    const chdbDir = tempDir();
    dirs.push(chdbDir);
    // One chdb directory for the process: both nodes' clients reach the same engine.
    flags = { clickhouseUrl: `chdb:${chdbDir}/clickhouse`, databaseUrl: direct.href, trustProxy: 'loopback' };
    a = await node('node-a', ['example.com']);
    b = await node('node-b');
  });
  after(async () => {
    await relay?.start().catch(() => {});
    await a?.close().catch(() => {});
    await b?.close().catch(() => {});
    await relay?.close();
    for (const dir of dirs) removeDir(dir);
  });

  it('a node id is checked, shown, and a second live node with the same id is refused', async () => {
    assert.throws(
      () => resolveServeConfig({ nodeId: 'web 1!' }, {}),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.message ===
          '--node-id="web 1!" is not a node id: use 1 to 63 letters, digits, dots, dashes or underscores, starting with a letter or digit, e.g. node-1',
    );
    assert.equal(await metricValue(a, 'footfall_node_info{node_id="node-a"}'), 1);
    const health = (await (await fetch(`${b.url}/healthz`)).json()) as { node: string; parts: unknown };
    assert.deepEqual(health, { ...health, node: 'node-b', parts: { metadata: 'ok', events: 'ok' } });

    const refused = await node('node-a').then(
      async (intruder) => {
        await intruder.close();
        return undefined;
      },
      (err: unknown) => err,
    );
    assert.ok(refused instanceof ConfigError, `a second node-a started: ${String(refused)}`);
    assert.match(
      refused.message,
      /^--node-id node-a is already running \(.+, last heartbeat 0 s ago\): give this node/,
    );

    // The registry itself: a fresh heartbeat keeps the id, a stale one (a dead node) frees it,
    // and the same holder (a restart on the same data directory) takes it back at once.
    const nodes = a.store.cluster!.nodes;
    const number = await nodes.join({ id: 'node-z', holder: 'h1' }, T0, 30_000);
    await assert.rejects(nodes.join({ id: 'node-z', holder: 'h2' }, T0 + 10_000, 30_000), NodeIdTakenError);
    assert.equal(await nodes.join({ id: 'node-z', holder: 'h1' }, T0 + 10_000, 30_000), number);
    assert.equal(await nodes.join({ id: 'node-z', holder: 'h2' }, T0 + 41_000, 30_000), number);
  });

  it('visits on two nodes get session ids from disjoint ranges, into one ClickHouse', async () => {
    const track = (server: TestServer, path: string, ip: string) =>
      hit(`${server.url}/a.gif?url=${encodeURIComponent(`https://example.com${path}`)}`, {
        headers: { 'x-forwarded-for': ip },
      });
    for (let i = 0; i < 3; i++) {
      assert.equal((await track(a, `/a${i}`, `203.0.113.${10 + i}`)).status, 200);
      assert.equal((await track(b, `/b${i}`, `203.0.113.${20 + i}`)).status, 200);
    }
    await a.flush();
    await b.flush();
    const rows = await a.store.runQuery(
      'SELECT pathname, toString(session_id) AS session FROM events ORDER BY pathname',
      [],
      { timeoutMs: 10_000 },
    );
    const sessions = (prefix: string) =>
      rows.filter((r) => String(r.pathname).startsWith(prefix)).map((r) => BigInt(String(r.session)));
    const [ofA, ofB] = [sessions('/a'), sessions('/b')];
    assert.equal(ofA.length, 3);
    assert.equal(ofB.length, 3);
    assert.equal(new Set([...ofA, ...ofB]).size, 6, `six visits, six ids: ${ofA} ${ofB}`);
    // Each node counts in its own range (its number from the registration).
    const rangeOf = (id: bigint) => id >> 40n;
    assert.equal(new Set(ofA.map(rangeOf)).size, 1);
    assert.equal(new Set(ofB.map(rangeOf)).size, 1);
    assert.notEqual(rangeOf(ofA[0]!), rangeOf(ofB[0]!));
    assert.ok(rangeOf(ofA[0]!) >= 1n, 'never the range a single node counted in');
    const range = sessionIdRange(Number(rangeOf(ofA[0]!)));
    assert.ok(ofA.every((id) => id >= range.from && id < range.to));

    // An import into a data directory no server holds counts in that directory's own range.
    const importDir = tempDir();
    dirs.push(importDir);
    const store = await createStore({ dataDir: importDir, ...flags });
    try {
      const target = localTarget(store, importDir);
      await target.ensureSessionIds(10);
      const first = target.allocateSessionId();
      const own = await store.cluster!.nodes.numberOf(storedNodeId(importDir));
      assert.equal(first, sessionIdRange(own).from, `${first}: not after another node's ids`);
      assert.ok(![rangeOf(ofA[0]!), rangeOf(ofB[0]!)].includes(rangeOf(first)));
    } finally {
      await store.close();
    }
  });

  it('5 failed sign-ins split 3 + 2 over the nodes refuse the 6th on either; parallel guesses count at once', async () => {
    await addUser(a, 'alice@example.com', 'owner');
    await addUser(a, 'dave@example.com', 'owner');
    const attempt = (server: TestServer, email: string, password: string, ip: string) =>
      call(server, 'POST', '/api/auth/login', {
        body: { email, password },
        headers: { 'x-forwarded-for': ip },
      });
    const statuses: number[] = [];
    for (let i = 1; i <= 3; i++)
      statuses.push((await attempt(a, 'alice@example.com', `guess ${i}`, `198.51.100.${i}`)).status);
    for (let i = 4; i <= 5; i++)
      statuses.push((await attempt(b, 'alice@example.com', `guess ${i}`, `198.51.100.${i}`)).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401]);
    for (const server of [a, b]) {
      const sixth = await attempt(server, 'alice@example.com', PASSWORD, '198.51.100.6');
      assert.equal(sixth.status, 429, `on ${server === a ? 'a' : 'b'}`);
      assert.equal(errorCode(sixth), 'FOOTFALL_ERR_TOO_MANY_ATTEMPTS');
    }
    clock.advance(61_000);
    assert.equal(
      (await attempt(b, 'alice@example.com', PASSWORD, '198.51.100.7')).status,
      200,
      'a minute later',
    );

    // Seven guesses at once, spread over both nodes: five are checked, two refused.
    const racing = await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        attempt(i % 2 ? a : b, 'dave@example.com', `guess ${i}`, `192.0.2.${i}`),
      ),
    );
    const counts = racing.map((r) => r.status).sort();
    assert.deepEqual(counts, [401, 401, 401, 401, 401, 429, 429]);
    clock.advance(61_000);
  });

  /** A job with one period per UTC day that records which node ran it. */
  const daily = (runs: string[], who: string, hold?: Promise<void>): PeriodicJob => ({
    name: 'daily-tidy',
    nextRunIn: () => 86_400_000,
    retake: true,
    due: async (t) => [
      {
        period: new Date(t).toISOString().slice(0, 10),
        run: async () => {
          runs.push(who);
          await hold;
        },
      },
    ],
  });

  it('the salt rotation and a job due on both nodes at once run once; each records its holder', async () => {
    clock.advance(86_400_000 - (clock.now() % 86_400_000) + 1000); // 00:00:01 the next day
    const day = new Date(clock.now()).toISOString().slice(0, 10);
    const runs: string[] = [];
    await Promise.all([
      ledgered(daily(runs, 'a'), a.store.jobs, clock.now, 'node-a').run(clock.now()),
      ledgered(daily(runs, 'b'), b.store.jobs, clock.now, 'node-b').run(clock.now()),
    ]);
    assert.equal(runs.length, 1, `ran on ${runs}`);
    // The servers' own salt rotation, due on both.
    const rotate = (s: TestServer) => s.jobs.find((j) => j.name === 'rotate-salts')!.run(clock.now());
    await Promise.all([rotate(a), rotate(b)]);
    const rows = await a.store.queryRows(
      "SELECT job, state, claimed_by FROM job_runs WHERE period = $1 AND job IN ('rotate-salts', 'daily-tidy') ORDER BY job",
      [day],
    );
    assert.equal(rows.length, 2);
    for (const r of rows) {
      assert.equal(r.state, 'done');
      assert.ok(['node-a', 'node-b'].includes(String(r.claimed_by)), String(r.claimed_by));
    }
  });

  it("a node's lease outlives a restart of another node; a dead holder's lapses and the next node takes it", async () => {
    // node-b is in the middle of a period when node-a restarts: node-a's start leaves it alone.
    let release!: () => void;
    const hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const runs: string[] = [];
    clock.advance(86_400_000);
    const running = ledgered(daily(runs, 'b', hold), b.store.jobs, clock.now, 'node-b').run(clock.now());
    while (runs.length === 0) await new Promise((r) => setTimeout(r, 5));
    const dataDir = a.dataDir;
    await a.close();
    a = await startTestServer({
      dataDir,
      sites: [],
      flags: { ...flags, nodeId: 'node-a' },
      now: clock.now,
      schedule: false,
    });
    const period = new Date(clock.now()).toISOString().slice(0, 10);
    const state = async () =>
      (
        await a.store.queryRows('SELECT state FROM job_runs WHERE job = $1 AND period = $2', [
          'daily-tidy',
          period,
        ])
      )[0]?.state;
    assert.equal(await state(), 'running', "node-a's start did not interrupt node-b's period");
    release();
    await running;
    assert.equal(await state(), 'done');

    // A holder that died mid-run (its lease never renewed): within the lease the period is
    // its; the next tick after the lease lapses runs it on node-a.
    clock.advance(86_400_000);
    const next = new Date(clock.now()).toISOString().slice(0, 10);
    assert.equal(
      await b.store.jobs.claim('daily-tidy', next, clock.now(), 3, {
        node: 'node-dead',
        ms: LEASE_MS,
        retake: true,
      }),
      true,
    );
    const job = ledgered(daily(runs, 'a'), a.store.jobs, clock.now, 'node-a');
    clock.advance(LEASE_MS / 2);
    await job.run(clock.now());
    assert.deepEqual(runs, ['b'], 'held by a live lease');
    // A renewal (the holder's work still runs) moves the expiry; only the holder can renew.
    assert.equal(await a.store.jobs.renew('daily-tidy', next, 'node-a', clock.now() + LEASE_MS), false);
    assert.equal(await b.store.jobs.renew('daily-tidy', next, 'node-dead', clock.now() + LEASE_MS / 2), true);
    clock.advance(LEASE_MS / 2 - 1000);
    await job.run(clock.now());
    assert.deepEqual(runs, ['b'], 'past the first expiry, held by the renewed lease');
    assert.ok(job.nextRunIn(clock.now()) <= LEASE_MS / 2 + 1000, 'looks again once the lease would lapse');
    clock.advance(1001);
    await job.run(clock.now());
    assert.deepEqual(runs, ['b', 'a'], 'taken over after the lease lapsed');

    // Mail is at most once: a dead holder's report period is marked interrupted, not re-sent.
    const mailRuns: string[] = [];
    const mail: PeriodicJob = { ...daily(mailRuns, 'a'), name: 'mail', retake: false };
    assert.ok(
      await b.store.jobs.claim('mail', next, clock.now(), 3, {
        node: 'node-dead',
        ms: LEASE_MS,
        retake: false,
      }),
    );
    clock.advance(LEASE_MS + 1);
    await ledgered(mail, a.store.jobs, clock.now, 'node-a').run(clock.now());
    assert.deepEqual(mailRuns, []);
    const [row] = await a.store.queryRows('SELECT state FROM job_runs WHERE job = $1', ['mail']);
    assert.equal(row?.state, 'interrupted');
  });

  it('without PostgreSQL a node keeps tracking and answers the rest 503 with a code; back without a restart', async () => {
    const owner = await login(a, 'alice@example.com');
    await relay.stop();
    try {
      const res = await hit(`${a.url}/a.gif?url=${encodeURIComponent('https://example.com/while-down')}`, {
        headers: { 'x-forwarded-for': '203.0.113.99' },
      });
      assert.equal(res.status, 200, 'tracking acknowledged');
      await a.flush(); // loads into ClickHouse without PostgreSQL (the sites are cached)

      const me = await call(a, 'GET', '/api/auth/me', { as: owner });
      assert.equal(me.status, 503, me.text);
      assert.equal(errorCode(me), 'FOOTFALL_ERR_METADATA_UNAVAILABLE');
      assert.ok(Number(me.headers.get('retry-after')) >= 1);

      const health = await fetch(`${a.url}/healthz`);
      assert.equal(health.status, 503);
      const body = (await health.json()) as { parts: unknown; error: { code: string }; node: string };
      assert.deepEqual(body.parts, { metadata: 'down', events: 'ok' });
      assert.equal(body.error.code, 'FOOTFALL_ERR_METADATA_UNAVAILABLE');
      assert.equal(await metricValue(a, 'footfall_part_up{part="metadata"}'), 0);
      assert.equal(await metricValue(a, 'footfall_part_up{part="events"}'), 1);
    } finally {
      await relay.start();
    }
    assert.equal((await fetch(`${a.url}/healthz`)).status, 200);
    assert.equal((await call(a, 'GET', '/api/auth/me', { as: owner })).status, 200);
    const [stored] = await a.store.runQuery(
      "SELECT count() AS n FROM events WHERE pathname = '/while-down'",
      [],
      { timeoutMs: 10_000 },
    );
    assert.equal(Number(stored!.n), 1, 'the event acknowledged during the outage is stored once');
  });
});

describe('PostgreSQL retries', () => {
  it('wait a random time up to a bound that grows with the attempt and stops at 100 ms', () => {
    assert.equal(
      backoffMs(1, () => 0),
      0,
    );
    assert.ok(backoffMs(1, () => 0.999) < 10);
    assert.ok(backoffMs(3, () => 0.999) < 40);
    assert.equal(
      backoffMs(20, () => 0.999),
      99,
    );
    const spread = new Set(Array.from({ length: 50 }, () => backoffMs(5)));
    assert.ok(spread.size > 10, 'jittered, not one fixed wait');
  });
});
