// Security headers on every response — pages, API, tracking, 404s and errors — and CORS on
// the tracking endpoints only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CSP, HSTS } from '../../src/server/security-headers.js';
import { addUser, type Creds, login } from '../helpers/accounts.js';
import { BROWSER_UA, removeDir, startTestServer, type TestServer } from '../helpers/server.js';

const EXPECTED_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

describe('security headers', () => {
  let server: TestServer;
  let owner: Creds;

  before(async () => {
    server = await startTestServer({ sites: ['a.example'] });
    await addUser(server, 'owner@example.com', 'owner');
    owner = await login(server, 'owner@example.com');
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  const cases: {
    name: string;
    method: string;
    path: string;
    body?: string;
    type?: string;
    tracking?: boolean;
  }[] = [
    { name: 'the beacon', method: 'GET', path: '/a.gif?url=https%3A%2F%2Fa.example%2F', tracking: true },
    { name: 'the seed script', method: 'GET', path: '/a.js', tracking: true },
    { name: 'the tracker', method: 'GET', path: '/script.js', tracking: true },
    {
      name: 'the events API',
      method: 'POST',
      path: '/api/event',
      body: '{"n":"pageview","u":"https://a.example/"}',
      tracking: true,
    },
    { name: 'an events API error', method: 'POST', path: '/api/event', body: '{', tracking: true },
    {
      name: 'a too large event',
      method: 'POST',
      path: '/api/event',
      body: 'x'.repeat(70_000),
      tracking: true,
    },
    { name: 'a preflight', method: 'OPTIONS', path: '/api/send', tracking: true },
    { name: 'health', method: 'GET', path: '/healthz' },
    { name: 'HEAD health', method: 'HEAD', path: '/healthz' },
    { name: 'metrics', method: 'GET', path: '/metrics' },
    { name: 'a 404', method: 'GET', path: '/no/such/page' },
    { name: 'a path the router cannot parse', method: 'GET', path: '/api/sites/%E0%A4%A' },
    { name: 'a 404 for another method', method: 'PUT', path: '/api/sites' },
    { name: 'a 401', method: 'GET', path: '/api/sites' },
    {
      name: 'a login failure',
      method: 'POST',
      path: '/api/auth/login',
      body: '{"email":"x@y.z","password":"nope nope"}',
      type: 'application/json',
    },
    { name: 'a JSON error', method: 'POST', path: '/api/auth/login', body: '{', type: 'application/json' },
    {
      name: 'a wrong media type',
      method: 'POST',
      path: '/api/auth/login',
      body: 'a=b',
      type: 'application/x-www-form-urlencoded',
    },
    { name: 'an API answer', method: 'GET', path: '/api/auth/setup-status' },
  ];

  for (const c of cases) {
    it(`${c.name} (${c.method} ${c.path.slice(0, 30)}) carries them${c.tracking ? ', with CORS' : ', without CORS'}`, async () => {
      const res = await fetch(`${server.url}${c.path}`, {
        method: c.method,
        body: c.body,
        headers: {
          'user-agent': BROWSER_UA,
          origin: 'https://elsewhere.example',
          ...(c.type ? { 'content-type': c.type } : c.body ? { 'content-type': 'text/plain' } : {}),
        },
      });
      await res.arrayBuffer();
      assert.equal(res.headers.get('content-security-policy'), EXPECTED_CSP, `status ${res.status}`);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('referrer-policy'), 'same-origin');
      assert.equal(res.headers.get('access-control-allow-origin'), c.tracking ? '*' : null);
    });
  }

  it('signed-in answers carry them too, are not cached, and never open CORS', async () => {
    const res = await fetch(`${server.url}/api/sites`, {
      headers: { cookie: owner.cookie!, origin: 'https://elsewhere.example' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-security-policy'), EXPECTED_CSP);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    assert.equal(res.headers.get('access-control-allow-credentials'), null);
  });

  it('a 404 is not cached (the page may exist tomorrow), and plain http gets no HSTS', async () => {
    for (const path of ['/no/such/page', '/api/sites/%E0%A4%A']) {
      const res = await fetch(`${server.url}${path}`);
      await res.arrayBuffer();
      assert.equal(res.status, path.startsWith('/api') ? 400 : 404);
      assert.equal(res.headers.get('cache-control'), 'no-store', path);
      assert.equal(res.headers.get('strict-transport-security'), null);
    }
  });

  it('the policy has no unsafe-inline or unsafe-eval', () => {
    assert.equal(CSP, EXPECTED_CSP);
    assert.doesNotMatch(CSP, /unsafe/);
  });
});

describe('with an https public URL', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({
      sites: ['a.example'],
      flags: { publicUrl: 'https://stats.example.com' },
    });
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('every answer tells browsers to use https only (HSTS, one year, this host)', async () => {
    assert.equal(HSTS, 'max-age=31536000');
    for (const path of [
      '/',
      '/healthz',
      '/no/such/page',
      '/api/sites/%E0%A4%A',
      '/a.gif?url=x',
      '/script.js',
    ]) {
      const res = await fetch(`${server.url}${path}`, { headers: { 'user-agent': BROWSER_UA } });
      await res.arrayBuffer();
      assert.equal(res.headers.get('strict-transport-security'), 'max-age=31536000', path);
    }
  });
});
