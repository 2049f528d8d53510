// `?ref=` and `?source=` on a tracked URL count as utm_source when it is absent, as in
// Plausible (README "Tracking"; issue 20): end to end, from each tracking route to the
// Stats API's visit:utm_source and visit:source.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call } from '../helpers/accounts.js';
import { BROWSER_UA, removeDir, startTestServer, type TestServer } from '../helpers/server.js';

const ADMIN_KEY = 'ref-source-admin-key-0123456789abcdef012345';

describe('?ref= and ?source= as utm_source', () => {
  let server: TestServer;

  // Each page view from its own address (trusted loopback proxy), so each is its own visit.
  let visitor = 0;
  const from = () => ({ 'user-agent': BROWSER_UA, 'x-forwarded-for': `198.51.100.${++visitor}` });

  const beacon = (url: string) =>
    fetch(`${server.url}/a.gif?url=${encodeURIComponent(url)}`, { headers: from() });
  const plausible = (url: string) =>
    fetch(`${server.url}/api/event`, {
      method: 'POST',
      headers: { ...from(), 'content-type': 'text/plain' },
      body: JSON.stringify({ n: 'pageview', u: url, d: 'example.com' }),
    });
  const umami = (url: string) =>
    fetch(`${server.url}/api/send`, {
      method: 'POST',
      headers: { ...from(), 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'event',
        payload: { website: UMAMI_ID, hostname: 'example.com', url, language: 'en' },
      }),
    });
  const UMAMI_ID = '3f1c2a4e-8b7d-4c6e-9a1b-2d3e4f5a6b7c';

  before(async () => {
    server = await startTestServer({ flags: { adminKey: ADMIN_KEY, trustProxy: 'loopback' } });
    await server.store.queryRows('UPDATE sites SET umami_id = $1 WHERE domain = $2', [
      UMAMI_ID,
      'example.com',
    ]);
    // Refresh the tracking path's view of sites through the API (any site change does).
    const res = await call(server, 'PATCH', '/api/sites/example.com', {
      as: { bearer: ADMIN_KEY },
      body: { timezone: 'UTC' },
    });
    assert.equal(res.status, 200, res.text);
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('each tracking route stores them as utm_source, and the Stats API reports them', async () => {
    for (const r of [
      await beacon('https://example.com/a?ref=newsletter'),
      await plausible('https://example.com/b?source=producthunt'),
      await plausible('https://example.com/c?ref=newsletter'),
      await umami('/d?source=producthunt'),
      await beacon('https://example.com/e?utm_source=twitter&ref=ignored&source=ignored'),
      await beacon('https://example.com/f'),
    ]) {
      assert.ok(r.status < 300, String(r.status));
    }
    const rows = await server.query('SELECT pathname, utm_source FROM events ORDER BY pathname');
    assert.deepEqual(
      rows.map((r) => [r.pathname, r.utm_source]),
      [
        ['/a', 'newsletter'],
        ['/b', 'producthunt'],
        ['/c', 'newsletter'],
        ['/d', 'producthunt'],
        ['/e', 'twitter'],
        ['/f', ''],
      ],
    );
    const res = await call(server, 'POST', '/api/v2/query', {
      as: { bearer: ADMIN_KEY },
      body: {
        site_id: 'example.com',
        metrics: ['visitors'],
        date_range: 'day',
        dimensions: ['visit:utm_source'],
        filters: [['is_not', 'visit:utm_source', ['']]],
        order_by: [['visit:utm_source', 'asc']],
      },
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual((res.body as { results: unknown[] }).results, [
      { dimensions: ['newsletter'], metrics: [2] },
      { dimensions: ['producthunt'], metrics: [2] },
      { dimensions: ['twitter'], metrics: [1] },
    ]);
  });
});
