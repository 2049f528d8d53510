// ClickHouse unreachable under a running server: tracking keeps answering into the journal
// (up to --journal-max, then 503 with Retry-After), /healthz says degraded and why, /metrics
// shows the backlog and the lag, stats queries answer 503 FOOTFALL_ERR_ENGINE_UNAVAILABLE;
// once ClickHouse is back the journal is loaded and every acknowledged event is stored once.
// The outage is made between the ClickHouse client and chdb (the only part that is not real).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EngineConnection } from '../../src/store/clickhouse/client.js';
import { fireEvents } from '../helpers/load.js';
import { metricValue, removeDir, startTestServer, type TestServer, tempDir } from '../helpers/server.js';
import { CHDB_SKIP, chdbUrl } from './chdb.js';

const ADMIN_KEY = 'k'.repeat(40);
const CALLS = new Set(['query', 'exec', 'command', 'insert', 'ping']);

/** Makes every call to ClickHouse fail as a refused connection would, while `down.now` is set. */
function outage(down: { now: boolean }) {
  return (connection: EngineConnection): EngineConnection =>
    new Proxy(connection, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof prop !== 'string' || !CALLS.has(prop) || typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (!down.now) return value.apply(target, args);
          return Promise.reject(
            Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' }),
          );
        };
      },
    });
}

async function stored(server: TestServer, prefix: string): Promise<string[]> {
  await server.flush();
  const rows = await server.store.runQuery(
    'SELECT pathname FROM events WHERE startsWith(pathname, {p1:String})',
    [prefix],
    { timeoutMs: 10_000 },
  );
  return rows.map((r) => String(r.pathname));
}

describe('ClickHouse unreachable (chdb)', { skip: CHDB_SKIP }, () => {
  const down = { now: false };
  let dir: string;
  let server: TestServer;
  before(async () => {
    dir = tempDir();
    server = await startTestServer({
      dataDir: dir,
      flags: { clickhouseUrl: chdbUrl(dir), adminKey: ADMIN_KEY, journalMaxBytes: '300KB' },
      wrapChdbConnection: outage(down),
    });
  });
  after(async () => {
    down.now = false;
    await server?.close().catch(() => {});
    removeDir(dir);
  });

  it('tracking answers while ClickHouse is away, and every acknowledged event arrives once after', async () => {
    const first = await fireEvents({ url: server.url, total: 200, concurrency: 16, pathPrefix: '/up/' });
    assert.equal(first.acked.size, 200);
    assert.equal((await stored(server, '/up/')).length, 200);

    down.now = true;
    const during = await fireEvents({ url: server.url, total: 600, concurrency: 32, pathPrefix: '/down/' });
    assert.equal(during.acked.size, 600, `statuses: ${[...new Set(during.statuses.values())]}`);
    await assert.rejects(server.flush());

    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 503);
    const body = (await health.json()) as { status: string; reason: string; error: { code: string } };
    assert.equal(body.status, 'degraded');
    assert.equal(body.error.code, 'FOOTFALL_ERR_ENGINE_UNAVAILABLE');
    assert.match(body.reason, /ECONNREFUSED.*600 events wait in the journal.*tracking still answers/);
    assert.equal(await metricValue(server, 'footfall_journal_backlog_events'), 600);
    assert.ok((await metricValue(server, 'footfall_journal_backlog_bytes')) > 0);

    const query = await fetch(`${server.url}/api/v2/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({ site_id: 'example.com', metrics: ['visitors'], date_range: '7d' }),
    });
    assert.equal(query.status, 503);
    assert.ok(query.headers.get('retry-after'));
    assert.equal(
      ((await query.json()) as { error: { code: string } }).error.code,
      'FOOTFALL_ERR_ENGINE_UNAVAILABLE',
    );

    // Past --journal-max (300 KB here: the 600 events above take about 200 KB, so they fit with room to spare) tracking refuses with a 503 and a Retry-After, storing nothing.
    const flood = await fireEvents({ url: server.url, total: 1500, concurrency: 32, pathPrefix: '/flood/' });
    const refused = [...flood.statuses.values()].filter((s) => s === 503).length;
    assert.ok(refused > 0, 'the journal budget was reached');
    assert.ok(flood.retryAfter.has('30'), `Retry-After: ${[...flood.retryAfter]}`);
    assert.ok((await metricValue(server, 'footfall_store_lag_seconds')) > 0);

    down.now = false;
    await server.flush();
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    const downPaths = await stored(server, '/down/');
    assert.equal(downPaths.length, 600);
    assert.equal(new Set(downPaths).size, 600, 'none doubled');
    const floodPaths = await stored(server, '/flood/');
    assert.deepEqual(
      floodPaths.sort(),
      [...flood.acked].map((i) => `/flood/${i}`).sort(),
      'exactly the acknowledged ones',
    );
    assert.equal(await metricValue(server, 'footfall_journal_backlog_events'), 0);
    assert.equal(await metricValue(server, 'footfall_store_lag_seconds'), 0);
  });
});
