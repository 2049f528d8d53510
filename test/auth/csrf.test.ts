// A page on another site cannot use a signed-in browser's cookie to change anything.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addUser, type Creds, call, errorCode, login } from '../helpers/accounts.js';
import { removeDir, startTestServer, type TestServer } from '../helpers/server.js';

describe('CSRF', () => {
  let server: TestServer;
  let owner: Creds;
  const shares = async () => Number((await server.query('SELECT count(*) AS n FROM share_links'))[0]!.n);

  before(async () => {
    server = await startTestServer({ sites: ['a.example'] });
    await addUser(server, 'owner@example.com', 'owner');
    owner = await login(server, 'owner@example.com');
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('a cross-site form post with the session cookie is refused, and nothing is stored', async () => {
    const res = await call(server, 'POST', '/api/sites/a.example/shares', {
      as: { cookie: owner.cookie },
      raw: 'embeddable=true',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'cross-site',
        origin: 'https://evil.example',
      },
    });
    assert.equal(res.status, 403);
    assert.equal(errorCode(res), 'FOOTFALL_ERR_CSRF');
    assert.equal(await shares(), 0);
  });

  it('the same form post from a browser that sends no Sec-Fetch-Site is refused too (no token)', async () => {
    const res = await call(server, 'POST', '/api/sites/a.example/shares', {
      as: { cookie: owner.cookie },
      raw: 'embeddable=true',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(errorCode(res), 'FOOTFALL_ERR_CSRF');
    assert.equal(await shares(), 0);
  });

  it('a JSON post with the cookie but without the token, or with a wrong one, is refused', async () => {
    const without = await call(server, 'POST', '/api/sites/a.example/shares', {
      as: { cookie: owner.cookie },
      body: {},
    });
    assert.equal(errorCode(without), 'FOOTFALL_ERR_CSRF');
    const other = await login(server, 'owner@example.com');
    const wrong = await call(server, 'POST', '/api/sites/a.example/shares', {
      as: { cookie: owner.cookie, csrf: other.csrf },
      body: {},
    });
    assert.equal(errorCode(wrong), 'FOOTFALL_ERR_CSRF', "another session's token does not fit");
    for (const [method, path] of [
      ['PATCH', '/api/sites/a.example'],
      ['DELETE', '/api/sites/a.example'],
      ['POST', '/api/auth/logout'],
      ['POST', '/api/users'],
    ] as const) {
      const res = await call(server, method, path, { as: { cookie: owner.cookie }, body: {} });
      assert.equal(errorCode(res), 'FOOTFALL_ERR_CSRF', `${method} ${path}`);
    }
    assert.equal(await shares(), 0);
    assert.equal((await call(server, 'GET', '/api/auth/me', { as: owner })).status, 200, 'still signed in');
  });

  it('with the token from /api/auth/me, from our own pages, the same post works', async () => {
    const res = await call(server, 'POST', '/api/sites/a.example/shares', {
      as: owner,
      body: {},
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(await shares(), 1);
  });

  it('even with the token, a request the browser marks cross-site or same-site (in any case) is refused', async () => {
    for (const site of ['cross-site', 'same-site', 'Cross-Site', 'SAME-SITE']) {
      const res = await call(server, 'POST', '/api/sites/a.example/shares', {
        as: owner,
        body: {},
        headers: { 'sec-fetch-site': site },
      });
      assert.equal(errorCode(res), 'FOOTFALL_ERR_CSRF', site);
    }
    const login = await call(server, 'POST', '/api/auth/login', {
      body: { email: 'owner@example.com', password: 'whatever it is' },
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    assert.equal(
      errorCode(login),
      'FOOTFALL_ERR_CSRF',
      'no logging a victim into our account from elsewhere',
    );
    assert.equal(await shares(), 1);
  });

  it('an API key needs no CSRF token (a browser never attaches one on its own)', async () => {
    const key = await call(server, 'POST', '/api/keys', { as: owner, body: { sites: ['a.example'] } });
    const bearer = (key.body as { key: string }).key;
    const res = await call(server, 'PATCH', '/api/sites/a.example', {
      as: { bearer },
      body: { timezone: 'Europe/Berlin' },
    });
    assert.equal(res.status, 200, res.text);
  });

  it('reads with the cookie need no token', async () => {
    assert.equal((await call(server, 'GET', '/api/sites', { as: { cookie: owner.cookie } })).status, 200);
  });

  it('tracking stays open to any origin, form posts included', async () => {
    const res = await call(server, 'POST', '/api/event', {
      raw: JSON.stringify({ n: 'pageview', u: 'https://a.example/', d: 'a.example' }),
      headers: {
        'content-type': 'text/plain',
        'sec-fetch-site': 'cross-site',
        'user-agent': 'Mozilla/5.0 Chrome/130.0',
      },
    });
    assert.equal(res.status, 202);
  });
});
