// The tracking plugin on a bare Fastify instance (inject(), no port, no store): what each route
// answers and what it hands to `track` — recorded here; createTrack itself is in
// track-unit.test.ts and the whole path, writer and store included, in plausible-api,
// umami-api and seed-beacon.test.ts. Fast; written for the mutants of routes.ts (issue 20).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import type { ClientInfo, RawEvent } from '../../src/collect/raw-event.js';
import { collectRoutes } from '../../src/collect/routes.js';
import { BEACON_GIF, seedScript } from '../../src/collect/seed.js';
import { createMetrics, type Metrics } from '../../src/ops/metrics.js';
import { installErrorHandling } from '../../src/server/error-handler.js';

const WEBSITE = '4fb7fa4c-5b46-438d-94b3-3a8fb9bc2e8b';
const PUBLIC_URL = 'https://stats.example';
const NO_CACHE = 'no-store, no-cache, private';

interface Call {
  raw: RawEvent;
  client: ClientInfo;
}

async function setup(opts: { failTrack?: Error } = {}) {
  const calls: Call[] = [];
  const metrics = createMetrics();
  const app = Fastify({ logger: false });
  installErrorHandling(app, () => {});
  await app.register(collectRoutes, {
    track: async (raw, client) => {
      if (opts.failTrack) throw opts.failTrack;
      calls.push({ raw, client });
    },
    umamiSite: (id) => (id === WEBSITE ? 'shop.example' : undefined),
    publicUrl: PUBLIC_URL,
    metrics,
    clientIp: () => '198.51.100.9',
  });
  await app.ready();
  return { app, calls, metrics };
}

/** A counter's value for each of its labels ('' for an unlabelled counter). */
async function counter(metrics: Metrics, name: string): Promise<Record<string, number>> {
  const values = (await metrics.registry.getSingleMetric(name)?.get())?.values ?? [];
  return Object.fromEntries(values.map((v) => [String(v.labels.reason ?? ''), v.value]));
}

const received = async (metrics: Metrics) =>
  (await counter(metrics, 'footfall_events_received_total'))[''] ?? 0;
const rejected = (metrics: Metrics) => counter(metrics, 'footfall_requests_rejected_total');

describe('GET /a.js', () => {
  it("serves the seed's script for the public URL, cacheable for an hour, to any origin", async () => {
    const { app } = await setup();
    const res = await app.inject({ method: 'GET', url: '/a.js' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, seedScript(PUBLIC_URL));
    assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(res.headers['cache-control'], 'public, max-age=3600');
    assert.equal(res.headers['access-control-allow-origin'], '*');
  });
});

describe('GET /a.gif', () => {
  it('tracks the query as a page view with the client, and answers the GIF, never cached', async () => {
    const { app, calls, metrics } = await setup();
    const res = await app.inject({
      method: 'GET',
      url: `/a.gif?url=${encodeURIComponent('https://shop.example/p')}&t=Hi&ref=${encodeURIComponent('https://r.example/')}`,
      headers: { 'user-agent': 'UA/1', 'accept-language': 'fr-CH' },
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.rawPayload, BEACON_GIF);
    assert.equal(res.headers['content-type'], 'image/gif');
    assert.equal(res.headers['cache-control'], NO_CACHE);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.equal(calls.length, 1);
    const { raw, client } = calls[0] as Call;
    assert.equal(raw.url.hostname, 'shop.example');
    assert.equal(raw.url.pathname, '/p');
    assert.equal(raw.title, 'Hi');
    assert.equal(raw.referrer, 'https://r.example/');
    assert.deepEqual(client, { ip: '198.51.100.9', userAgent: 'UA/1', acceptLanguage: 'fr-CH' });
    assert.equal(await received(metrics), 1);
  });

  it('the query starts after the first ?, so a ? inside it stays in its value', async () => {
    const { app, calls } = await setup();
    await app.inject({ method: 'GET', url: '/a.gif?t=a?b&url=https://shop.example/' });
    assert.equal(calls[0]?.raw.title, 'a?b');
  });

  it('without headers the user agent and language are empty', async () => {
    const { app, calls } = await setup();
    // inject() sends a user agent of its own unless the header is named (and left empty).
    await app.inject({
      method: 'GET',
      url: '/a.gif?url=https://shop.example/',
      headers: { 'user-agent': undefined },
    });
    assert.deepEqual(calls[0]?.client, { ip: '198.51.100.9', userAgent: '', acceptLanguage: '' });
  });

  it('a hit without a query is 400 MISSING_URL, counted as rejected, CORS still allowed', async () => {
    const { app, calls, metrics } = await setup();
    const res = await app.inject({ method: 'GET', url: '/a.gif' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'FOOTFALL_ERR_MISSING_URL');
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.equal(calls.length, 0);
    assert.equal(await received(metrics), 1);
    assert.deepEqual(await rejected(metrics), { missing_url: 1 });
  });
});

describe('POST /api/event', () => {
  const event = JSON.stringify({ n: 'Signup', u: 'https://shop.example/join', p: { plan: 'pro' } });

  for (const type of ['text/plain', 'application/json', 'text/plain; charset=utf-8']) {
    it(`a body sent as ${type} is tracked and answered 202 ok, never cached`, async () => {
      const { app, calls, metrics } = await setup();
      const res = await app.inject({
        method: 'POST',
        url: '/api/event',
        headers: { 'content-type': type, 'user-agent': 'UA/2' },
        payload: event,
      });
      assert.equal(res.statusCode, 202);
      assert.equal(res.body, 'ok');
      assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
      assert.equal(res.headers['cache-control'], NO_CACHE);
      assert.equal(res.headers['access-control-allow-origin'], '*');
      assert.equal(calls.length, 1);
      assert.equal(calls[0]?.raw.name, 'Signup');
      assert.deepEqual(calls[0]?.raw.props, [['plan', 'pro']]);
      assert.deepEqual(calls[0]?.client, { ip: '198.51.100.9', userAgent: 'UA/2', acceptLanguage: '' });
      assert.equal(await received(metrics), 1);
    });
  }

  it('a body of 64 KB is read and one byte more is 413, counted as ctp_body_too_large', async () => {
    const { app, calls, metrics } = await setup();
    const head = JSON.stringify({ n: 'x', u: 'https://shop.example/', t: '' });
    const at = (bytes: number) => head.replace('"t":""', `"t":"${'t'.repeat(bytes - head.length)}"`);
    const ok = await app.inject({
      method: 'POST',
      url: '/api/event',
      headers: { 'content-type': 'text/plain' },
      payload: at(65_536),
    });
    assert.equal(ok.statusCode, 202);
    const big = await app.inject({
      method: 'POST',
      url: '/api/event',
      headers: { 'content-type': 'text/plain' },
      payload: at(65_537),
    });
    assert.equal(big.statusCode, 413);
    assert.equal(big.json().error.code, 'FOOTFALL_ERR_BODY_TOO_LARGE');
    assert.equal(calls.length, 1);
    assert.deepEqual(await rejected(metrics), { ctp_body_too_large: 1 });
  });

  it("a body that is not JSON gets Footfall's own code, not the framework's", async () => {
    const { app, metrics } = await setup();
    for (const type of ['application/json', 'text/plain']) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/event',
        headers: { 'content-type': type },
        payload: '{n:',
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.code, 'FOOTFALL_ERR_INVALID_JSON');
    }
    assert.deepEqual(await rejected(metrics), { invalid_json: 2 });
  });

  it('another content type is 415', async () => {
    const { app, calls } = await setup();
    const res = await app.inject({
      method: 'POST',
      url: '/api/event',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: event,
    });
    assert.equal(res.statusCode, 415);
    assert.equal(calls.length, 0);
  });

  it('an error without a code is counted as unknown', async () => {
    const { app, metrics } = await setup({ failTrack: new Error('store gone') });
    const res = await app.inject({
      method: 'POST',
      url: '/api/event',
      headers: { 'content-type': 'text/plain' },
      payload: event,
    });
    assert.equal(res.statusCode, 500);
    assert.deepEqual(await rejected(metrics), { unknown: 1 });
  });
});

describe('POST /api/send', () => {
  const send = (body: unknown) => ({
    method: 'POST' as const,
    url: '/api/send',
    headers: { 'content-type': 'application/json', 'user-agent': 'UA/3', 'accept-language': 'de' },
    payload: JSON.stringify(body),
  });

  it("an event is tracked for the website id's site and answered {} as JSON, never cached", async () => {
    const { app, calls, metrics } = await setup();
    const res = await app.inject(
      send({ type: 'event', payload: { website: WEBSITE, url: '/p', screen: '800x600' } }),
    );
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {});
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.equal(res.headers['cache-control'], NO_CACHE);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]?.raw.domains, ['shop.example']);
    assert.equal(calls[0]?.raw.url.hostname, 'shop.example');
    assert.equal(calls[0]?.raw.screenWidth, 800);
    assert.deepEqual(calls[0]?.client, { ip: '198.51.100.9', userAgent: 'UA/3', acceptLanguage: 'de' });
    assert.equal(await received(metrics), 1);
  });

  it('identify is answered {} and nothing is tracked', async () => {
    const { app, calls } = await setup();
    const res = await app.inject(send({ type: 'identify', payload: { website: WEBSITE } }));
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {});
    assert.equal(calls.length, 0);
  });

  it('a bad payload is 400 with its code, counted', async () => {
    const { app, calls, metrics } = await setup();
    const res = await app.inject(send({ type: 'event', payload: [] }));
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'FOOTFALL_ERR_INVALID_FIELD');
    assert.equal(calls.length, 0);
    assert.deepEqual(await rejected(metrics), { invalid_field: 1 });
  });
});

describe('CORS preflight', () => {
  for (const url of ['/api/event', '/api/send']) {
    it(`OPTIONS ${url} allows POST from any origin, with Umami's cache header, for a day`, async () => {
      const { app } = await setup();
      const res = await app.inject({ method: 'OPTIONS', url });
      assert.equal(res.statusCode, 204);
      assert.equal(res.body, '');
      assert.equal(res.headers['access-control-allow-origin'], '*');
      assert.equal(res.headers['access-control-allow-methods'], 'POST, OPTIONS');
      assert.equal(res.headers['access-control-allow-headers'], 'Content-Type, x-umami-cache');
      assert.equal(res.headers['access-control-max-age'], '86400');
      assert.equal(res.headers['access-control-allow-credentials'], undefined);
    });
  }
});
