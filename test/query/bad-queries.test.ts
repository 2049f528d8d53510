// Hostile and malformed stats requests: a clear 4xx naming the field, nothing changed, the
// server alive. (SQL in any string is a literal value or a 400: cases/injection.ts, on both engines.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import { BROWSER_UA, hit, killServers, removeDir, tempDir } from '../helpers/server.js';
import { ADMIN_KEY, SITE, type StatsFixture, startStatsFixture } from './fixture.js';

const OK = { site_id: SITE, metrics: ['visitors'], date_range: '7d' };

describe('bad stats requests', () => {
  let f: StatsFixture;
  before(async () => {
    f = await startStatsFixture();
  });
  after(async () => {
    await f.server.close();
    removeDir(f.server.dataDir);
    killServers();
  });

  it('no key, a wrong key or a malformed header: 401, and nothing about the query is revealed', async () => {
    const variants: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: `Basic ${ADMIN_KEY}` },
      { authorization: `Bearer ${ADMIN_KEY}x` },
    ];
    for (const headers of variants) {
      const res = await fetch(`${f.server.url}/api/v2/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ site_id: 'nope.example', metrics: ['bogus'] }),
      });
      assert.equal(res.status, 401);
      assert.equal((await res.json()).error.code, 'FOOTFALL_ERR_UNAUTHORIZED');
    }
    const rt = await fetch(`${f.server.url}/api/v2/realtime?site_id=${SITE}`);
    assert.equal(rt.status, 401);
  });

  const INVALID: [string, unknown, RegExp][] = [
    ['no metrics', { ...OK, metrics: [] }, /metrics/],
    ['an unknown metric', { ...OK, metrics: ['visitors', 'revenue'] }, /metrics\[1\].*valid: visitors/],
    ['a metric twice', { ...OK, metrics: ['visitors', 'visitors'] }, /metrics\[1\]/],
    ['an unknown dimension', { ...OK, dimensions: ['visit:planet'] }, /dimensions\[0\].*valid:/],
    ['two time dimensions', { ...OK, dimensions: ['time:day', 'time:hour'] }, /dimensions\[1\]/],
    ['an empty prop key', { ...OK, dimensions: ['event:props:'] }, /dimensions\[0\]/],
    ['a date that does not exist', { ...OK, date_range: ['2026-02-30', '2026-03-01'] }, /date_range/],
    ['a reversed range', { ...OK, date_range: ['2026-03-02', '2026-03-01'] }, /date_range/],
    ['an unknown preset', { ...OK, date_range: '90d' }, /date_range.*7d/],
    [
      'an unknown operator',
      { ...OK, filters: [['like', 'event:page', ['/']]] },
      /filters\[0\]\[0\].*valid: is/,
    ],
    ['a filter on time', { ...OK, filters: [['is', 'time:day', ['2026-01-01']]] }, /filters\[0\]\[1\]/],
    ['a filter without values', { ...OK, filters: [['is', 'event:page', []]] }, /filters\[0\]\[2\]/],
    ['a non-string value', { ...OK, filters: [['is', 'event:page', [{}]]] }, /filters\[0\]\[2\]\[0\]/],
    [
      'more than 100 values',
      { ...OK, filters: [['is', 'event:page', Array.from({ length: 101 }, (_, i) => `/${i}`)]] },
      /filters\[0\]\[2\].*1 to 100 values/,
    ],
    ['an oversized value', { ...OK, filters: [['is', 'event:page', ['x'.repeat(2001)]]] }, /2000 bytes/],
    [
      'a bad modifier',
      { ...OK, filters: [['is', 'event:page', ['/'], { case_sensitive: 'no' }]] },
      /filters\[0\]\[3\]/,
    ],
    [
      'an invalid regular expression',
      { ...OK, filters: [['matches', 'event:page', ['(unclosed']]] },
      /filters\[0\]\[2\].*RE2/,
    ],
    [
      'too many filters',
      { ...OK, filters: Array.from({ length: 51 }, () => ['is', 'event:page', ['/']]) },
      /at most 50/,
    ],
    [
      'nesting too deep',
      { ...OK, filters: [['not', ['not', ['not', ['not', ['not', ['is', 'event:page', ['/']]]]]]]] },
      /nest/,
    ],
    // Behavioural filters, with Plausible's own sentences.
    [
      'a behavioural filter inside another',
      { ...OK, filters: [['has_done', ['has_not_done', ['is', 'event:page', ['/']]]]] },
      /filters\[0\]\[1\].*Behavioral filters \(has_done, has_not_done\) cannot be nested/,
    ],
    [
      'a visit dimension in a behavioural filter',
      { ...OK, filters: [['has_done', ['not', ['is', 'visit:device', ['Mobile']]]]] },
      /filters\[0\]\[1\]\[1\]\[1\].*only be used with event dimension filters/,
    ],
    [
      'a behavioural filter without its filter',
      { ...OK, filters: [['has_done', ['is', 'event:page', ['/']], 'extra']] },
      /filters\[0\].*takes one filter/,
    ],
    [
      'a goal filter with is_not in a behavioural filter',
      { ...OK, filters: [['has_done', ['is_not', 'event:goal', ['Signup']]]] },
      /filters\[0\].*event:goal can be filtered with is or contains/,
    ],
    ['order_by on something not queried', { ...OK, order_by: [['pageviews', 'desc']] }, /order_by\[0\]/],
    ['order_by with a bad direction', { ...OK, order_by: [['visitors', 'down']] }, /order_by\[0\]/],
    ['limit 0', { ...OK, pagination: { limit: 0 } }, /pagination.limit/],
    ['a limit too large', { ...OK, pagination: { limit: 10_001 } }, /pagination.limit/],
    ['a negative offset', { ...OK, pagination: { offset: -1 } }, /pagination.offset/],
    ['an unknown include', { ...OK, include: { everything: true } }, /include.everything/],
    [
      'a bad comparison',
      { ...OK, include: { comparisons: { mode: 'last_decade' } } },
      /include.comparisons.mode/,
    ],
    ['an unknown field', { ...OK, interval: 'date' }, /interval: unknown field/],
  ];
  for (const [label, body, message] of INVALID) {
    it(`${label}: 400 naming the field`, async () => {
      const res = await f.post('/api/v2/query', body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'FOOTFALL_ERR_INVALID_QUERY');
      assert.match(res.body.error.message, message);
    });
  }

  it('a body that is not an object, or has no site_id: 400 naming site_id', async () => {
    for (const body of [[OK], { metrics: ['visitors'] }, { ...OK, site_id: 42 }]) {
      const res = await f.post('/api/v2/query', body);
      assert.equal(res.status, 400);
      assert.match(res.body.error.message, /site_id/);
    }
  });

  it('not JSON, or larger than 64 KB: 400 / 413', async () => {
    assert.equal((await f.post('/api/v2/query', '{"site_id":')).status, 400);
    const big = await f.post('/api/v2/query', {
      ...OK,
      filters: [['is', 'event:page', Array.from({ length: 100 }, () => 'x'.repeat(1000))]],
    });
    assert.equal(big.status, 413);
  });

  it('an unknown site: 404', async () => {
    const res = await f.post('/api/v2/query', { ...OK, site_id: 'unknown.example' });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'FOOTFALL_ERR_SITE_NOT_FOUND');
  });

  it('journeys and realtime reject bad input too', async () => {
    const j = await f.post('/api/v2/journeys', { site_id: SITE, date_range: '7d', steps: 9 });
    assert.equal(j.status, 400);
    assert.match(j.body.error.message, /steps/);
    assert.equal(
      (await f.post('/api/v2/journeys', { site_id: SITE, date_range: '7d', filters: 'x' })).status,
      400,
    );
    // Behavioural filters are the Stats API's (journeys know no goals).
    const done = await f.post('/api/v2/journeys', {
      site_id: SITE,
      date_range: '7d',
      filters: [['has_done', ['is', 'event:page', ['/']]]],
    });
    assert.equal(done.status, 400);
    assert.match(done.body.error.message, /filters\[0\]\[0\].*unknown operator "has_done"/);
    const rt = await fetch(`${f.server.url}/api/v2/realtime`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    assert.equal(rt.status, 400);
  });

  it('tracking is answered while heavy queries run', async () => {
    const heavy = Array.from({ length: 6 }, () =>
      f.post('/api/v2/query', {
        site_id: SITE,
        metrics: ['visitors', 'visits', 'bounce_rate', 'scroll_depth'],
        date_range: 'all',
        dimensions: ['event:page', 'visit:source'],
        filters: [['matches', 'event:title', ['(?i)post.*[0-9]+$']]],
      }),
    );
    const tracked = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        hit(`${f.server.url}/a.gif?url=${encodeURIComponent(`https://${SITE}/during-${i}`)}`, {
          headers: { 'user-agent': BROWSER_UA },
        }),
      ),
    );
    for (const r of tracked) assert.equal(r.status, 200);
    for (const r of await Promise.all(heavy)) assert.equal(r.status, 200);
  });
});

describe('query timeout', () => {
  it('a statement running past its timeout is interrupted with a 503 error, and the connection serves the next one', async () => {
    const dir = tempDir();
    const store = await openDuckDbStore(dir, {
      queryLimits: { size: 1, perOwner: 1, maxWaiting: 1, perOwnerWaiting: 1 },
    });
    try {
      await assert.rejects(
        store.runQuery('SELECT count(*) FROM range(100000000000) t(a) WHERE a % 7 = 3', [], {
          timeoutMs: 200,
        }),
        (err: Error & { code?: string; status?: number }) =>
          err.code === 'FOOTFALL_ERR_QUERY_TIMEOUT' && err.status === 503,
      );
      assert.deepEqual(await store.runQuery('SELECT 42 AS n', [], { timeoutMs: 1000 }), [{ n: 42 }]);
    } finally {
      await store.close();
      removeDir(dir);
    }
  });
});
