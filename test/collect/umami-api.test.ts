import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Umami } from '@umami/node';
import { addSite } from '../../src/sites/manage.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import {
  hit,
  killServers,
  metricValue,
  removeDir,
  runCli,
  startTestServer,
  type TestServer,
  tempDir,
} from '../helpers/server.js';

const WEBSITE = '50429a93-8479-4073-be80-d5d29c09c2ec';

function send(server: TestServer, body: unknown, headers: Record<string, string> = {}) {
  return hit(`${server.url}/api/send`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe("POST /api/send (Umami's collect API)", () => {
  let server: TestServer;

  before(async () => {
    const dataDir = tempDir();
    const store = await openDuckDbStore(dataDir);
    await addSite(store, { domain: 'umami.example.com', umamiId: WEBSITE.toUpperCase() });
    await store.close();
    server = await startTestServer({ sites: [], dataDir });
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
    killServers();
  });

  it("stores a page view as Umami's script sends it (path URL, screen, language) and answers JSON", async () => {
    const res = await send(server, {
      type: 'event',
      payload: {
        website: WEBSITE,
        hostname: 'umami.example.com',
        screen: '390x844',
        language: 'de-DE',
        title: 'Umami page',
        url: '/docs/start?utm_source=newsletter',
        referrer: 'https://www.google.com/',
      },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    assert.deepEqual(await res.json(), {});
    const rows = await server.query("SELECT * FROM events WHERE title = 'Umami page'");
    assert.equal(rows.length, 1);
    const e = rows[0]!;
    assert.deepEqual(
      [e.name, e.hostname, e.pathname, e.utm_source, e.screen, e.language, e.referrer_host],
      ['pageview', 'umami.example.com', '/docs/start', 'newsletter', 'Mobile', 'de', 'google.com'],
    );
  });

  it('stores a custom event with its data; nested data becomes JSON text', async () => {
    const res = await send(server, {
      type: 'event',
      payload: {
        website: WEBSITE,
        url: 'https://umami.example.com/pricing',
        name: 'signup',
        data: { plan: 'pro', seats: 3, extra: { a: 1 } },
      },
    });
    assert.equal(res.status, 200);
    const rows = await server.query("SELECT map_entries(props) AS p FROM events WHERE name = 'signup'");
    const props = Object.fromEntries(
      (rows[0]!.p as { key: string; value: string }[]).map((x) => [x.key, x.value]),
    );
    assert.deepEqual(props, { plan: 'pro', seats: '3', extra: '{"a":1}' });
  });

  it('identify calls are answered and not stored', async () => {
    const before = await server.query('SELECT count(*) AS n FROM events');
    const res = await send(server, {
      type: 'identify',
      payload: { website: WEBSITE, data: { userId: 'u1' } },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await server.query('SELECT count(*) AS n FROM events'), before);
  });

  it('an unknown website id is answered, not stored, and counted', async () => {
    const dropped = await metricValue(server, 'footfall_events_dropped_total{reason="unknown_site"}');
    const res = await send(server, {
      type: 'event',
      payload: { website: '00000000-0000-0000-0000-000000000000', url: '/x' },
    });
    assert.equal(res.status, 200);
    assert.equal(
      await metricValue(server, 'footfall_events_dropped_total{reason="unknown_site"}'),
      dropped + 1,
    );
  });

  it('bad payloads get a 4xx and store nothing', async () => {
    const before = await server.query('SELECT count(*) AS n FROM events');
    for (const body of [
      { type: 'event' },
      { type: 'event', payload: [] },
      { type: 'other', payload: { website: WEBSITE } },
      { type: 'event', payload: { website: WEBSITE, url: 'javascript:alert(1)' } },
      { type: 'event', payload: { website: WEBSITE, url: '/x', name: 'n'.repeat(121) } },
      {
        type: 'event',
        payload: {
          website: WEBSITE,
          url: '/x',
          data: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, 1])),
        },
      },
      { type: 'event', payload: { website: 42 } },
    ]) {
      const res = await send(server, body);
      assert.ok(
        res.status >= 400 && res.status < 500,
        `${JSON.stringify(body).slice(0, 80)} → ${res.status}`,
      );
    }
    assert.deepEqual(await server.query('SELECT count(*) AS n FROM events'), before);
  });

  it("the CORS preflight allows Umami's x-umami-cache header", async () => {
    const res = await fetch(`${server.url}/api/send`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://umami.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-umami-cache',
      },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /x-umami-cache/i);
  });

  it('@umami/node works unchanged against Footfall', async () => {
    // Its default user agent ("Mozilla/5.0 Umami/<node version>") is not taken for a bot.
    const umami = new Umami({ websiteId: WEBSITE, hostUrl: server.url });
    const view = await umami.track({ hostname: 'umami.example.com', url: '/from-node', title: 'Node page' });
    assert.equal(view.status, 200);
    const event = await umami.track('node-event', { source: 'server' });
    assert.equal(event.status, 200);
    const rows = await server.query(
      "SELECT name, pathname FROM events WHERE pathname = '/from-node' OR name = 'node-event' ORDER BY ts",
    );
    assert.deepEqual(
      rows.map((r) => [r.name, r.pathname]),
      [
        ['pageview', '/from-node'],
        ['node-event', '/'],
      ],
    );
  });
});

describe('footfall site add --umami-id', () => {
  it('stores the id, lists it, and rejects a value that is not a UUID', async () => {
    const data = tempDir();
    try {
      const ok = await runCli(['site', 'add', 'u.example.com', '--umami-id', WEBSITE, '--data', data]);
      assert.equal(ok.code, 0, ok.stderr);
      const list = await runCli(['site', 'list', '--json', '--data', data]);
      assert.deepEqual(JSON.parse(list.stdout), [
        { domain: 'u.example.com', timezone: 'UTC', umamiId: WEBSITE },
      ]);
      const dup = await runCli(['site', 'add', 'v.example.com', '--umami-id', WEBSITE, '--data', data]);
      assert.equal(dup.code, 2);
      assert.match(dup.stderr, /already exists/);
      const bad = await runCli(['site', 'add', 'w.example.com', '--umami-id', 'not-a-uuid', '--data', data]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /not a UUID/);
    } finally {
      removeDir(data);
    }
  });
});
