// A share link reads its own site and nothing else, stops at once when revoked, and asks
// for its password when it has one.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addUser,
  type Creds,
  call,
  cookieFrom,
  DAY_MS,
  errorCode,
  login,
  manualClock,
} from '../helpers/accounts.js';
import { removeDir, startTestServer, type TestServer } from '../helpers/server.js';

interface ShareView {
  id: number;
  url: string;
  hasPassword: boolean;
  embeddable: boolean;
  createdAt: string;
}

describe('share links', () => {
  const clock = manualClock();
  let server: TestServer;
  let admin: Creds;

  const makeShare = async (domain: string, body: object = {}): Promise<ShareView & { token: string }> => {
    const res = await call(server, 'POST', `/api/sites/${domain}/shares`, { as: admin, body });
    assert.equal(res.status, 201, res.text);
    const share = (res.body as { share: ShareView }).share;
    return { ...share, token: share.url.split('/share/')[1]! };
  };

  before(async () => {
    server = await startTestServer({
      sites: ['a.example', 'b.example'],
      // Trusting the loopback proxy lets the limit test pose as client addresses of its own.
      flags: { publicUrl: 'https://stats.example.com', trustProxy: 'loopback' },
      now: clock.now,
    });
    await addUser(server, 'owner@example.com', 'owner');
    admin = await login(server, 'owner@example.com');
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('an admin makes a link with at least 128 random bits, listed without any secret', async () => {
    const share = await makeShare('a.example', { password: 'share password', embeddable: true });
    assert.match(share.url, /^https:\/\/stats\.example\.com\/share\/[\w-]{43}$/);
    assert.equal(share.hasPassword, true);
    const list = await call(server, 'GET', '/api/sites/a.example/shares', { as: admin });
    assert.equal(list.status, 200);
    assert.ok(!list.text.includes('scrypt') && !list.text.includes('share password'));
    assert.deepEqual(Object.keys((list.body as { shares: object[] }).shares[0]!).sort(), [
      'createdAt',
      'embeddable',
      'hasPassword',
      'id',
      'segmentId',
      'url',
    ]);
  });

  it("reads its own site (X-Footfall-Share, or ?auth= on GET) and not site B's", async () => {
    const { token } = await makeShare('a.example');
    const own = await call(server, 'GET', '/api/sites/a.example', { as: { share: token } });
    assert.equal(own.status, 200, own.text);
    assert.deepEqual(own.body, { site: { domain: 'a.example', timezone: 'UTC', role: 'viewer' } });
    assert.equal((await call(server, 'GET', `/api/sites/a.example?auth=${token}`)).status, 200);
    const other = await call(server, 'GET', '/api/sites/b.example', { as: { share: token } });
    assert.equal(other.status, 403);
    assert.equal(errorCode(other), 'FOOTFALL_ERR_FORBIDDEN');
    assert.deepEqual((await call(server, 'GET', `/api/share/info?auth=${token}`)).body, {
      site: 'a.example',
      passwordRequired: false,
      segmentId: null,
    });
  });

  it('cannot change anything, list sites, or see settings, members, keys or users', async () => {
    const { token } = await makeShare('a.example');
    const as = { share: token };
    const attempts: [string, string, unknown?][] = [
      ['GET', '/api/sites'],
      ['PATCH', '/api/sites/a.example', { timezone: 'Europe/Berlin' }],
      ['DELETE', '/api/sites/a.example', { confirm: 'a.example' }],
      ['POST', '/api/sites', { domain: 'c.example' }],
      ['GET', '/api/sites/a.example/shares'],
      ['POST', '/api/sites/a.example/shares', {}],
      ['GET', '/api/sites/a.example/members'],
      ['POST', '/api/sites/a.example/members', { email: 'owner@example.com', role: 'admin' }],
      ['GET', '/api/keys'],
      ['POST', '/api/keys', { sites: ['a.example'] }],
      ['GET', '/api/users'],
      ['GET', '/api/auth/me'],
      ['GET', '/api/auth/sessions'],
    ];
    for (const [method, path, body] of attempts) {
      const res = await call(server, method, path, { as, body });
      assert.equal(res.status, 403, `${method} ${path}: ${res.text}`);
    }
    // ?auth= carries a share only on reads.
    const post = await call(server, 'POST', `/api/sites/a.example/shares?auth=${token}`, { body: {} });
    assert.equal(post.status, 401);
    const sites = await server.query("SELECT timezone FROM sites WHERE domain = 'a.example'");
    assert.equal(sites[0]!.timezone, 'UTC');
  });

  it('a revoked link stops working at once', async () => {
    const share = await makeShare('a.example');
    assert.equal(
      (await call(server, 'GET', '/api/sites/a.example', { as: { share: share.token } })).status,
      200,
    );
    const del = await call(server, 'DELETE', `/api/sites/a.example/shares/${share.id}`, { as: admin });
    assert.equal(del.status, 204);
    const after = await call(server, 'GET', '/api/sites/a.example', { as: { share: share.token } });
    assert.equal(after.status, 401);
    assert.equal(errorCode(after), 'FOOTFALL_ERR_UNAUTHORIZED');
    assert.equal((await call(server, 'GET', `/api/share/info?auth=${share.token}`)).status, 404);
    const again = await call(server, 'DELETE', `/api/sites/a.example/shares/${share.id}`, { as: admin });
    assert.equal(errorCode(again), 'FOOTFALL_ERR_SHARE_NOT_FOUND');
    const wrongSite = await makeShare('b.example');
    const cross = await call(server, 'DELETE', `/api/sites/a.example/shares/${wrongSite.id}`, { as: admin });
    assert.equal(
      errorCode(cross),
      'FOOTFALL_ERR_SHARE_NOT_FOUND',
      "a.example's admin URL cannot revoke b's link",
    );
  });

  it('a password-protected link answers 401 FOOTFALL_ERR_SHARE_PASSWORD until unlocked', async () => {
    const share = await makeShare('a.example', { password: 'open sesame' });
    const other = await makeShare('a.example', { password: 'open sesame' });
    assert.deepEqual((await call(server, 'GET', '/api/share/info', { as: { share: share.token } })).body, {
      site: 'a.example',
      passwordRequired: true,
      segmentId: null,
    });
    const locked = await call(server, 'GET', '/api/sites/a.example', { as: { share: share.token } });
    assert.equal(locked.status, 401);
    assert.equal(errorCode(locked), 'FOOTFALL_ERR_SHARE_PASSWORD');

    const wrong = await call(server, 'POST', '/api/share/unlock', {
      body: { token: share.token, password: 'wrong guess' },
    });
    // A wrong password is named as one, not as "needs its password" again (issue 12, B8).
    assert.equal(wrong.status, 401);
    assert.equal(errorCode(wrong), 'FOOTFALL_ERR_SHARE_WRONG_PASSWORD');
    assert.match((wrong.body as { error: { message: string } }).error.message, /^wrong password/);
    assert.deepEqual(wrong.headers.getSetCookie(), []);

    const unlock = await call(server, 'POST', '/api/share/unlock', {
      body: { token: share.token, password: 'open sesame' },
    });
    assert.equal(unlock.status, 200, unlock.text);
    const attributes = unlock.headers.getSetCookie().join().split('; ');
    for (const a of ['HttpOnly', 'SameSite=Lax', 'Secure', 'Path=/']) assert.ok(attributes.includes(a), a);
    const cookie = cookieFrom(unlock.headers, `footfall_share_${share.id}`)!;
    const open = await call(server, 'GET', '/api/sites/a.example', { as: { share: share.token, cookie } });
    assert.equal(open.status, 200);
    // The cookie opens only its own link, and only together with the token.
    const otherLink = await call(server, 'GET', '/api/sites/a.example', {
      as: { share: other.token, cookie },
    });
    assert.equal(errorCode(otherLink), 'FOOTFALL_ERR_SHARE_PASSWORD');
    assert.equal((await call(server, 'GET', '/api/sites/a.example', { as: { cookie } })).status, 401);
    const forged = cookie.replace(/=(\d+)\./, (_m, t: string) => `=${Number(t) + 1000}.`);
    const tampered = await call(server, 'GET', '/api/sites/a.example', {
      as: { share: share.token, cookie: forged },
    });
    assert.equal(errorCode(tampered), 'FOOTFALL_ERR_SHARE_PASSWORD');
    // Revoking the link makes its cookie worthless too.
    await call(server, 'DELETE', `/api/sites/a.example/shares/${share.id}`, { as: admin });
    assert.equal(
      (await call(server, 'GET', '/api/sites/a.example', { as: { share: share.token, cookie } })).status,
      401,
    );
  });

  it('an unlocked link stays open for 7 days, then asks for its password again', async () => {
    const share = await makeShare('a.example', { password: 'seven days' });
    const unlock = await call(server, 'POST', '/api/share/unlock', {
      body: { token: share.token, password: 'seven days' },
    });
    assert.equal(unlock.status, 200, unlock.text);
    assert.ok(unlock.headers.getSetCookie().join().split('; ').includes('Max-Age=604800'));
    const cookie = cookieFrom(unlock.headers, `footfall_share_${share.id}`)!;
    const read = () => call(server, 'GET', '/api/sites/a.example', { as: { share: share.token, cookie } });
    clock.advance(7 * DAY_MS - 1000);
    assert.equal((await read()).status, 200, 'a second before 7 days');
    clock.advance(2000);
    assert.equal(errorCode(await read()), 'FOOTFALL_ERR_SHARE_PASSWORD', 'a second after');
  });

  it("guessing a link's password is limited like a login", async () => {
    const share = await makeShare('b.example', { password: 'a good password' });
    for (let i = 0; i < 5; i++) {
      const res = await call(server, 'POST', '/api/share/unlock', {
        body: { token: share.token, password: `guess ${i}` },
        headers: { 'x-forwarded-for': `203.0.113.${i}` },
      });
      assert.equal(res.status, 401);
    }
    const sixth = await call(server, 'POST', '/api/share/unlock', {
      body: { token: share.token, password: 'a good password' },
      headers: { 'x-forwarded-for': '203.0.113.99' },
    });
    assert.equal(sixth.status, 429, 'the link is locked, from any address');
    assert.ok(Number(sixth.headers.get('retry-after')) >= 1);
  });

  it("an embeddable link's page may be framed by any site; other pages by none", async () => {
    const embeddable = await makeShare('a.example', { embeddable: true });
    const plain = await makeShare('a.example');
    const csp = async (path: string) =>
      (await fetch(`${server.url}${path}`)).headers.get('content-security-policy')!;
    assert.match(await csp(`/share/${embeddable.token}`), /frame-ancestors \*$/);
    assert.match(await csp(`/share/${embeddable.token}?theme=dark`), /frame-ancestors \*$/);
    assert.match(await csp(`/share/${plain.token}`), /frame-ancestors 'none'$/);
    assert.match(await csp(`/share/${'x'.repeat(43)}`), /frame-ancestors 'none'$/);
    assert.match(await csp(`/api/share/info?auth=${embeddable.token}`), /frame-ancestors 'none'$/);
  });

  it('removing a site removes its links', async () => {
    const share = await makeShare('b.example');
    const del = await call(server, 'DELETE', '/api/sites/b.example', {
      as: admin,
      body: { confirm: 'b.example' },
    });
    assert.equal(del.status, 204, del.text);
    assert.equal((await call(server, 'GET', `/api/share/info?auth=${share.token}`)).status, 404);
    const left = await server.query(
      'SELECT count(*) AS n FROM share_links WHERE site_id NOT IN (SELECT id FROM sites)',
    );
    assert.equal(Number(left[0]!.n), 0);
  });
});
