// Query floods through the real Stats API (issue 11.5, issue 20): the 10 s deadline the API
// uses covers a query's wait for a connection, and a share link's flood is refused with 429
// + Retry-After while another reader is answered at once. Connections are held with real
// long-running DuckDB statements, run under the owners the API would count them against.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { queryOwnerOf } from '../../src/api/stats-routes.js';
import { DEFAULT_POOL_LIMITS } from '../../src/store/duckdb/connection-pool.js';
import { asQueryOwner } from '../../src/store/query-owner.js';
import { addUser, type Creds, call, login } from '../helpers/accounts.js';
import { removeDir, startTestServer, type TestServer } from '../helpers/server.js';

const ADMIN_KEY = 'flood-admin-key-0123456789abcdef0123456789';
const HEAVY = 'SELECT count(*) AS n FROM range(100000000000) t(a) WHERE a % 7 = 3';
const QUERY = { site_id: 'a.example', metrics: ['visitors'], date_range: '7d' };

describe('query floods through the Stats API', { timeout: 60_000 }, () => {
  let server: TestServer;
  let owner: Creds;

  /** Occupies one query connection for `ms` as `who`; resolves when it has let go. */
  const hold = (who: string, ms: number) =>
    asQueryOwner(who, () => server.store.runQuery(HEAVY, [], { timeoutMs: ms })).catch(() => {});

  before(async () => {
    server = await startTestServer({ sites: ['a.example'], flags: { adminKey: ADMIN_KEY } });
    await addUser(server, 'owner@example.com', 'owner');
    owner = await login(server, 'owner@example.com');
    // The first query builds the names table; do it now, outside the timed parts.
    assert.equal(
      (await call(server, 'POST', '/api/v2/query', { as: { bearer: ADMIN_KEY }, body: QUERY })).status,
      200,
    );
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('a query waiting for a connection fails at the 10 s deadline the API uses, not when one frees', async () => {
    // Every connection busy for 14 s, each held by a different owner.
    const held = Array.from({ length: DEFAULT_POOL_LIMITS.size }, (_, i) => hold(`holder-${i}`, 14_000));
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    const [res, patterned] = await Promise.all([
      call(server, 'POST', '/api/v2/query', { as: { bearer: ADMIN_KEY }, body: QUERY }),
      // Its filter's pattern is checked by a statement too: a timeout there is still a timeout, not a 400.
      call(server, 'POST', '/api/v2/query', {
        as: { bearer: ADMIN_KEY },
        body: { ...QUERY, filters: [['matches', 'event:page', ['^/blog']]] },
      }),
    ]);
    const waited = Date.now() - t0;
    assert.equal(res.status, 503, res.text);
    assert.equal((res.body as { error: { code: string } }).error.code, 'FOOTFALL_ERR_QUERY_TIMEOUT');
    assert.match(res.text, /waited 10000 ms/);
    // Before the holders let go (14 s), with room for a loaded machine.
    assert.ok(waited >= 9_500 && waited < 13_500, `answered after ${waited} ms`);
    assert.equal(patterned.status, 503, patterned.text);
    await Promise.all(held);
  });

  it("a share link's flood is refused with 429 + Retry-After; another reader is answered at once", async () => {
    const made = await call(server, 'POST', '/api/sites/a.example/shares', { as: owner, body: {} });
    assert.equal(made.status, 201, made.text);
    const share = made.body as { share: { id: number; url: string } };
    const token = share.share.url.split('/share/')[1]!;
    const who = queryOwnerOf({
      kind: 'share',
      shareId: share.share.id,
      siteDomain: 'a.example',
      segmentId: null,
    });
    // The link's own running share is taken by heavy statements, long enough for every
    // request below to arrive and queue even on a busy machine...
    const held = Array.from({ length: DEFAULT_POOL_LIMITS.perOwner }, () => hold(who, 8_000));
    await new Promise((r) => setTimeout(r, 100));
    // ...so its next queries wait in line, until its line is full.
    const flood = await Promise.all(
      Array.from({ length: DEFAULT_POOL_LIMITS.perOwnerWaiting + 4 }, () =>
        call(server, 'POST', '/api/v2/query', { as: { share: token }, body: QUERY }),
      ),
    );
    const refused = flood.filter((r) => r.status === 429);
    assert.equal(refused.length, 4, flood.map((r) => r.status).join(','));
    for (const r of refused) {
      assert.equal((r.body as { error: { code: string } }).error.code, 'FOOTFALL_ERR_TOO_MANY_QUERIES');
      assert.equal(r.headers.get('retry-after'), '2');
    }
    for (const r of flood.filter((x) => x.status !== 429)) assert.equal(r.status, 200, r.text);
    // The link asks for every connection at once; another reader (the admin key) still finds one.
    const held2 = Array.from({ length: DEFAULT_POOL_LIMITS.size }, () => hold(who, 4_000));
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    const other = await call(server, 'POST', '/api/v2/query', { as: { bearer: ADMIN_KEY }, body: QUERY });
    assert.equal(other.status, 200, other.text);
    assert.ok(Date.now() - t0 < 2_500, `the other reader waited ${Date.now() - t0} ms`);
    await Promise.all([...held, ...held2]);
  });
});
