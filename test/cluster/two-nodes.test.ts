// Two Footfall nodes behind a load balancer keep one node's promises (issue 17): both run
// `footfall serve` with the same PostgreSQL (metadata) and the same ClickHouse (events, chdb
// behind the test HTTP front), each with its own data directory. One cluster for the file.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { journalDir, leftoverSegments } from '../../src/ingest/journal.js';
import { encodeRow } from '../../src/ingest/row-codec.js';
import { loadEventsInto } from '../../src/store/clickhouse/load-events.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import { CHDB_SKIP } from '../clickhouse/chdb.js';
import { type Creds, call, login, PASSWORD } from '../helpers/accounts.js';
import { startCluster, type TestCluster } from '../helpers/cluster.js';
import { fireEvents } from '../helpers/load.js';
import { TEST_CLIENT_IP } from '../helpers/load-balancer.js';
import { sampleRow } from '../helpers/sample-row.js';
import { BROWSER_UA, killServers, removeDir, runCli, seedSites, tempDir } from '../helpers/server.js';

const SITE = 'example.com';
const OWNER = 'owner@example.com';

/** A pageview of `path` as the browser at `ip` sends it, to a node or through the balancer. */
async function pageview(url: string, path: string, ip: string, header = 'x-forwarded-for'): Promise<number> {
  const res = await fetch(`${url}/api/event`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA, [header]: ip },
    body: JSON.stringify({ n: 'pageview', u: `https://${SITE}${path}`, d: SITE }),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('two nodes, one PostgreSQL, one ClickHouse, a load balancer', {
  skip: CHDB_SKIP,
  timeout: 240_000,
}, () => {
  let cluster: TestCluster;
  let owner: Creds;
  const node = (i: number) => ({ url: cluster.nodes[i]!.url });

  /** Rows once ClickHouse holds `expected` events under `prefix` (the nodes load every 250 ms; 20 s at most). */
  async function storedUnder(prefix: string, expected: number): Promise<Record<string, unknown>[]> {
    const sql = `SELECT pathname, visitor_id, session_id FROM events WHERE startsWith(pathname, '${prefix}') ORDER BY ts`;
    for (let i = 0; ; i++) {
      const rows = await cluster.clickhouse(sql);
      if (rows.length >= expected || i === 200) return rows;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Every acknowledged event under `prefix` stored once, none twice. */
  async function exactlyOnce(prefix: string, acked: Set<number>): Promise<void> {
    const rows = await storedUnder(prefix, acked.size);
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(String(r.pathname), (counts.get(String(r.pathname)) ?? 0) + 1);
    const doubled = [...counts].filter(([, n]) => n > 1);
    assert.deepEqual(doubled, [], 'no event stored twice');
    const missing = [...acked].filter((i) => !counts.has(`${prefix}${i}`));
    assert.deepEqual(missing, [], 'every acknowledged event stored');
  }

  /** Tracked events through the balancer from many addresses; node `victim` gets kill -9 after `killAt` acknowledgements. */
  async function loadAndKill(prefix: string, victim: number, killAt: number, dropKilled: boolean) {
    const total = 1200;
    let killed = false;
    const load = await fireEvents({
      url: cluster.lb.url,
      total,
      concurrency: 32,
      pathPrefix: prefix,
      headers: (i) => ({ [TEST_CLIENT_IP]: `10.${prefix.length}.${(i >> 8) & 255}.${i & 255}` }),
      onAck: (n) => {
        if (n >= killAt && !killed) {
          killed = true;
          cluster.nodes[victim]!.proc.kill('SIGKILL');
          // As a balancer's health check would: the rest go to the living node.
          if (dropKilled) cluster.lb.drop(victim);
        }
      },
    });
    assert.equal((await cluster.nodes[victim]!.exited).signal, 'SIGKILL');
    // A request the dead node never answered got a 502 from the balancer: not acknowledged.
    // (When the balancer drops the node at once, it may have had none in flight: a group
    // commit answers all of its waiting requests together, and the kill can land just after.)
    assert.ok(load.acked.size >= killAt, `acked ${load.acked.size}`);
    if (!dropKilled) assert.ok(load.acked.size < total, `acked ${load.acked.size}`);
    return load;
  }

  before(async () => {
    cluster = await startCluster({ sites: [SITE] });
  });
  after(async () => {
    killServers();
    await cluster?.stop();
  });

  it('the setup link works once across the cluster, even sent to both nodes at once', async () => {
    // Each start replaces the setup token (auth/setup.ts): the last node's link is the live one.
    const link = /\/setup\?token=(\S+)/.exec(cluster.nodes[1]!.output())?.[1];
    assert.ok(link, cluster.nodes[1]!.output());
    const body = { token: link, email: OWNER, password: PASSWORD };
    const answers = await Promise.all([0, 1].map((i) => call(node(i), 'POST', '/api/auth/setup', { body })));
    const made = answers.filter((a) => a.status === 201);
    assert.equal(made.length, 1, answers.map((a) => `${a.status} ${a.text}`).join('\n'));
    const other = answers.find((a) => a.status !== 201)!;
    assert.ok(other.status >= 400 && other.status < 500, other.text);
    for (const i of [0, 1]) {
      const again = await call(node(i), 'POST', '/api/auth/setup', { body });
      assert.ok(again.status >= 400 && again.status < 500, again.text);
    }
    owner = await login(node(0), OWNER);
  });

  it('a sign-in on node 1 works on node 2; signing out on node 2 ends it on both', async () => {
    const creds = await login(node(0), OWNER);
    assert.equal((await call(node(1), 'GET', '/api/auth/me', { as: creds })).status, 200);
    assert.equal((await call(node(1), 'POST', '/api/auth/logout', { as: creds })).status, 204);
    for (const i of [0, 1]) {
      const me = await call(node(i), 'GET', '/api/auth/me', { as: creds });
      assert.equal(me.status, 401, `node ${i + 1}: ${me.text}`);
    }
  });

  it('an API key revoked on one node is refused on the other', async () => {
    const made = await call(node(0), 'POST', '/api/keys', {
      as: owner,
      body: { name: 'cluster', sites: [SITE], readOnly: true },
    });
    assert.equal(made.status, 201, made.text);
    const key = made.body as { id: number; key: string };
    const bearer = { bearer: key.key };
    const used = await call(node(1), 'GET', `/api/sites/${SITE}`, { as: bearer });
    assert.equal(used.status, 200, `${used.text}\n${cluster.nodes[1]!.output().slice(-3000)}`);
    assert.equal((await call(node(1), 'DELETE', `/api/keys/${key.id}`, { as: owner })).status, 204);
    for (const i of [0, 1]) {
      const res = await call(node(i), 'GET', `/api/sites/${SITE}`, { as: bearer });
      assert.equal(res.status, 401, `node ${i + 1}: ${res.text}`);
    }
  });

  it('a share link revoked on one node is refused on the other', async () => {
    const made = await call(node(1), 'POST', `/api/sites/${SITE}/shares`, { as: owner, body: {} });
    assert.equal(made.status, 201, made.text);
    const share = (made.body as { share: { id: number; url: string } }).share;
    const as = { share: share.url.split('/share/')[1]! };
    assert.equal((await call(node(0), 'GET', `/api/sites/${SITE}`, { as })).status, 200);
    const del = await call(node(0), 'DELETE', `/api/sites/${SITE}/shares/${share.id}`, { as: owner });
    assert.equal(del.status, 204, del.text);
    for (const i of [0, 1]) {
      const res = await call(node(i), 'GET', `/api/sites/${SITE}`, { as });
      assert.ok(res.status === 401 || res.status === 404, `node ${i + 1}: ${res.status} ${res.text}`);
    }
  });

  it('the same visitor through either node is one visitor (shared daily salt)', async () => {
    assert.equal(await pageview(cluster.nodes[0]!.url, '/same/1', '203.0.113.7'), 202);
    assert.equal(await pageview(cluster.nodes[1]!.url, '/same/2', '203.0.113.7'), 202);
    const rows = await storedUnder('/same/', 2);
    assert.equal(rows.length, 2);
    assert.equal(new Set(rows.map((r) => r.visitor_id)).size, 1, JSON.stringify(rows));
    // And so the numbers, asked of either node.
    for (const i of [0, 1]) {
      const res = await call(node(i), 'POST', '/api/v2/query', {
        as: owner,
        body: {
          site_id: SITE,
          metrics: ['visitors'],
          date_range: 'day',
          filters: [['contains', 'event:page', ['/same/']]],
        },
      });
      assert.equal(res.status, 200, res.text);
      assert.equal((res.body as { results: { metrics: number[] }[] }).results[0]!.metrics[0], 1, res.text);
    }
  });

  it('through the balancer a visit stays on one node: one session per visitor, visitors on both nodes', async () => {
    const visitors = Array.from({ length: 12 }, (_, v) => `198.51.100.${v + 1}`);
    const before = cluster.lb.counts();
    for (let page = 0; page < 3; page++) {
      await Promise.all(
        visitors.map(async (ip, v) =>
          assert.equal(await pageview(cluster.lb.url, `/visit/${v}/${page}`, ip, TEST_CLIENT_IP), 202),
        ),
      );
    }
    const after = cluster.lb.counts();
    assert.ok(
      after.every((n, i) => n > before[i]!),
      `both nodes took visitors: ${after}`,
    );
    const rows = await storedUnder('/visit/', visitors.length * 3);
    assert.equal(rows.length, visitors.length * 3);
    const sessions = new Map<unknown, Set<unknown>>();
    for (const r of rows) {
      const set = sessions.get(r.visitor_id) ?? new Set();
      set.add(r.session_id);
      sessions.set(r.visitor_id, set);
    }
    assert.equal(sessions.size, visitors.length);
    for (const [visitor, set] of sessions)
      assert.equal(set.size, 1, `visitor ${visitor}: sessions ${[...set]}`);
  });

  it('kill -9 of a node under load: after its restart every acknowledged event is stored exactly once', async () => {
    const load = await loadAndKill('/load/', 1, 400, false);
    await cluster.restart(1);
    await exactlyOnce('/load/', load.acked);
  });

  it("journal replay: a killed node's journal loaded from elsewhere exactly once; twice adds nothing", async () => {
    const load = await loadAndKill('/replay/', 1, 300, true);
    const dir = cluster.dataDirs[1]!;
    const engines = ['--clickhouse-url', cluster.clickhouseUrl, '--database-url', cluster.databaseUrl];
    // The node died between a segment's insert and its mark (the case the token is for): that
    // segment is in ClickHouse already and must not be stored again by the replay.
    const local = await openDuckDbStore(dir);
    const mark = await local.loadMark();
    await local.close();
    const inFlight = leftoverSegments(journalDir(dir), mark).find((seg) => seg.events > 0);
    assert.ok(inFlight, 'the killed node left acknowledged events in its journal');
    const client = createClient({ url: cluster.clickhouseUrl, log: { level: ClickHouseLogLevel.OFF } });
    const siteId = JSON.parse(readFileSync(inFlight.file, 'utf8').split('\n')[0]!).s as number;
    await loadEventsInto(
      client,
      inFlight.file,
      { segment: inFlight.number, offset: inFlight.bytes },
      new Set([siteId]),
    );
    await client.close();
    const first = await runCli(['journal', 'replay', dir, ...engines]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^replayed \d+ segment\(s\) of .* events stored/);
    await exactlyOnce('/replay/', load.acked);
    const second = await runCli(['journal', 'replay', dir, ...engines]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(
      second.stdout,
      /^nothing to replay: every segment of .* is loaded already \(its mark: segment \d+\)/,
    );
    await exactlyOnce('/replay/', load.acked);
  });

  it('journal replay refuses a running node, PostgreSQL sites without --database-url, a directory without a journal, a DuckDB-events directory', async () => {
    const engines = ['--clickhouse-url', cluster.clickhouseUrl, '--database-url', cluster.databaseUrl];
    const running = await runCli(['journal', 'replay', cluster.dataDirs[0]!, ...engines]);
    assert.equal(running.code, 2);
    assert.match(
      running.stderr,
      /^footfall: the database .* is in use by another process \(PID \d+\): a running node loads its own journal/,
    );
    // Node 2 is stopped (killed in the test before): its sites are in PostgreSQL, not in its file.
    const noSites = await runCli([
      'journal',
      'replay',
      cluster.dataDirs[1]!,
      '--clickhouse-url',
      cluster.clickhouseUrl,
    ]);
    assert.equal(noSites.code, 2);
    assert.match(
      noSites.stderr,
      /has no sites of its own: its node kept them in PostgreSQL; pass --database-url/,
    );
    const empty = tempDir();
    const duck = tempDir();
    try {
      const none = await runCli(['journal', 'replay', empty, ...engines]);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /^footfall: .* is not a Footfall node's data directory with a journal/);
      // A single node without ClickHouse: its events (and their load mark) are in its DuckDB file.
      await seedSites(duck, [SITE]);
      const store = await openDuckDbStore(duck);
      const segment = `${duck}/segment.ndjson`;
      const line = `${encodeRow(sampleRow(1))}\n`;
      writeFileSync(segment, line);
      await store.loadEvents(segment, { segment: 1, offset: Buffer.byteLength(line) });
      await store.close();
      mkdirSync(`${duck}/journal`);
      writeFileSync(`${duck}/journal/000000000002.ndjson`, `${encodeRow(sampleRow(2))}\n`);
      const local = await runCli(['journal', 'replay', duck, ...engines]);
      assert.equal(local.code, 2);
      assert.match(local.stderr, /keeps its events in its own DuckDB file .*: start `footfall serve --data/);
    } finally {
      removeDir(empty);
      removeDir(duck);
    }
  });
});
