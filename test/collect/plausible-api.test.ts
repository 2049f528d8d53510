import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BROWSER_UA,
  hit,
  metricValue,
  removeDir,
  startTestServer,
  type TestServer,
} from '../helpers/server.js';

async function post(
  server: TestServer,
  body: string,
  contentType = 'text/plain',
  headers: Record<string, string> = {},
) {
  return hit(`${server.url}/api/event`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'user-agent': BROWSER_UA, ...headers },
    body,
  });
}

describe('POST /api/event (Plausible Events API shape)', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ sites: ['example.com', 'shop.example.org'] });
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('stores a page view sent as text/plain with one-letter names, as the Plausible script sends it', async () => {
    const res = await post(
      server,
      JSON.stringify({
        n: 'pageview',
        u: 'https://example.com/short?utm_campaign=spring',
        d: 'example.com',
        r: null,
      }),
    );
    assert.equal(res.status, 202);
    assert.equal(await res.text(), 'ok');
    const rows = await server.query("SELECT * FROM events WHERE pathname = '/short'");
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.name, 'pageview');
    assert.equal(rows[0]!.utm_campaign, 'spring');
    assert.equal(rows[0]!.referrer, '');
  });

  it('stores a custom event sent as application/json with long names and props as an object', async () => {
    const res = await post(
      server,
      JSON.stringify({
        name: 'Signup',
        url: 'https://example.com/pricing',
        domain: 'example.com',
        referrer: 'https://www.google.com/',
        props: { plan: 'pro', seats: 5, annual: true, skipped: null },
        revenue: { amount: 99, currency: 'EUR' },
        interactive: false,
      }),
      'application/json',
      // Another visitor: a visit's referrer is its first event's, and this one starts a visit.
      { 'user-agent': `${BROWSER_UA} signup` },
    );
    assert.equal(res.status, 202);
    const rows = await server.query(
      "SELECT name, referrer_host, interactive, map_entries(props) AS props FROM events WHERE name = 'Signup'",
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.referrer_host, 'google.com');
    assert.equal(rows[0]!.interactive, false);
    const props = Object.fromEntries(
      (rows[0]!.props as { key: string; value: string }[]).map((e) => [e.key, e.value]),
    );
    assert.deepEqual(props, { plan: 'pro', seats: '5', annual: 'true' });
  });

  it('accepts props as a JSON string (p), as older Plausible scripts send them', async () => {
    const res = await post(
      server,
      JSON.stringify({
        n: 'Download',
        u: 'https://example.com/files',
        d: 'example.com',
        p: '{"file":"a.pdf"}',
      }),
    );
    assert.equal(res.status, 202);
    const rows = await server.query(
      "SELECT element_at(props, 'file')[1] AS file FROM events WHERE name = 'Download'",
    );
    assert.equal(rows[0]!.file, 'a.pdf');
  });

  it('hash routing (h: 1) keeps the fragment in the path', async () => {
    await post(
      server,
      JSON.stringify({ n: 'pageview', u: 'https://example.com/app#/settings', d: 'example.com', h: 1 }),
    );
    const rows = await server.query("SELECT pathname FROM events WHERE pathname LIKE '/app%'");
    assert.deepEqual(
      rows.map((r) => r.pathname),
      ['/app#/settings'],
    );
  });

  it('the domain field names the site, and a comma-separated list stores one event per site', async () => {
    const res = await post(
      server,
      JSON.stringify({
        n: 'pageview',
        u: 'https://cdn.example.net/multi',
        d: 'example.com,shop.example.org',
      }),
    );
    assert.equal(res.status, 202);
    const rows = await server.query(
      "SELECT s.domain FROM events e JOIN sites s ON s.id = e.site_id WHERE pathname = '/multi' ORDER BY 1",
    );
    assert.deepEqual(
      rows.map((r) => r.domain),
      ['example.com', 'shop.example.org'],
    );
  });

  it('a domain list whose names normalise to one site stores one event for it (issue 11.9)', async () => {
    const res = await post(
      server,
      JSON.stringify({
        n: 'pageview',
        u: 'https://example.com/dedup',
        d: 'example.com,www.example.com,EXAMPLE.COM,example.com.,shop.example.org',
      }),
    );
    assert.equal(res.status, 202);
    const rows = await server.query(
      "SELECT s.domain FROM events e JOIN sites s ON s.id = e.site_id WHERE pathname = '/dedup' ORDER BY 1",
    );
    assert.deepEqual(
      rows.map((r) => r.domain),
      ['example.com', 'shop.example.org'],
    );
  });

  it('any origin may send events: CORS * on responses and a preflight without credentials', async () => {
    const pre = await hit(`${server.url}/api/event`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), '*');
    assert.match(pre.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /content-type/i);
    assert.equal(pre.headers.get('access-control-allow-credentials'), null);
    const res = await post(
      server,
      JSON.stringify({ n: 'pageview', u: 'https://example.com/cors', d: 'example.com' }),
      'text/plain',
      {
        origin: 'https://example.com',
      },
    );
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const bad = await post(server, '{', 'text/plain', { origin: 'https://example.com' });
    assert.equal(bad.status, 400);
    assert.equal(bad.headers.get('access-control-allow-origin'), '*', 'errors are readable cross-origin too');
  });

  it('an event for a hostname that is not a registered site is answered, not stored, and counted', async () => {
    const droppedBefore = await metricValue(server, 'footfall_events_dropped_total{reason="unknown_site"}');
    const beacon = await hit(`${server.url}/a.gif?url=${encodeURIComponent('https://unknown.example/page')}`);
    assert.equal(beacon.status, 200);
    assert.equal(beacon.headers.get('content-type'), 'image/gif');
    const api = await post(server, JSON.stringify({ n: 'pageview', u: 'https://unknown.example/page' }));
    assert.equal(api.status, 202);
    const rows = await server.query("SELECT count(*) AS n FROM events WHERE hostname = 'unknown.example'");
    assert.equal(Number(rows[0]!.n), 0);
    assert.equal(
      await metricValue(server, 'footfall_events_dropped_total{reason="unknown_site"}'),
      droppedBefore + 2,
    );
  });

  it('an event reaches the store by itself within the load interval (no flush asked)', async () => {
    await post(
      server,
      JSON.stringify({ n: 'pageview', u: 'https://example.com/unflushed', d: 'example.com' }),
    );
    let found = 0;
    for (let i = 0; i < 100 && found === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const rows = await server.store.queryRows(
        "SELECT count(*) AS n FROM events WHERE pathname = '/unflushed'",
      );
      found = Number(rows[0]!.n);
    }
    assert.equal(found, 1);
  });

  it('the www. prefix is ignored when matching a site', async () => {
    await hit(`${server.url}/a.gif?url=${encodeURIComponent('https://WWW.shop.example.org/www-test')}`);
    const rows = await server.query("SELECT count(*) AS n FROM events WHERE pathname = '/www-test'");
    assert.equal(Number(rows[0]!.n), 1);
  });

  it('/healthz answers 200 while the store is writable and /metrics counts stored events', async () => {
    const health = await fetch(`${server.url}/healthz`, { headers: { origin: 'https://example.com' } });
    assert.equal(health.status, 200);
    // CORS is open on the tracking endpoints only.
    assert.equal(health.headers.get('access-control-allow-origin'), null);
    const metricsRes = await fetch(`${server.url}/metrics`, { headers: { origin: 'https://example.com' } });
    assert.equal(metricsRes.headers.get('access-control-allow-origin'), null);
    assert.ok((await metricValue(server, 'footfall_events_stored_total')) >= 5);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    for (const name of [
      'footfall_events_received_total',
      'footfall_events_stored_total',
      'footfall_events_dropped_total',
      'footfall_requests_rejected_total',
      'footfall_queue_depth',
      'footfall_batch_size_bucket',
      'footfall_commit_seconds_bucket',
    ]) {
      assert.ok(text.includes(name), name);
    }
  });
});
