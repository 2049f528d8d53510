// The access hooks and the Access service on a bare Fastify app (inject, no listen) with a
// rule table of test routes, one per kind of rule, over a real DuckDB store: every identity
// (none, owner and member sessions, three API keys, the admin key, share links with and
// without a password, malformed credentials) against every kind of route, plus the CSRF and
// Sec-Fetch-Site checks, the throttled "last used" writes and the ways a credential is sent.
// The full app's routes are covered by access-matrix.test.ts, which is slow (it starts servers).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { type Access, createAccess, SESSION_TTL_MS } from '../../src/auth/access.js';
import { installAccessControl, routesOf } from '../../src/auth/access-hooks.js';
import type { Rule } from '../../src/auth/rules.js';
import { unlockCookieValue } from '../../src/auth/share-unlock.js';
import { API_KEY_PREFIX, csrfToken, newToken, sha256 } from '../../src/auth/tokens.js';
import { installErrorHandling } from '../../src/server/error-handler.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import type { Store } from '../../src/store/types.js';
import { removeDir, seedSites, tempDir } from '../helpers/server.js';

type Headers = Record<string, string>;

const T0 = Date.UTC(2026, 5, 1, 12);
const ADMIN_KEY = 'k'.repeat(40);

const RULES: Record<string, Rule> = {
  'GET /t/track': { allow: 'tracking' },
  'POST /t/track': { allow: 'tracking' },
  'GET /t/public': { allow: 'public' },
  'POST /t/public': { allow: 'public' },
  'GET /t/signed-in': { allow: 'signed-in' },
  'GET /t/session': { allow: 'session' },
  'POST /t/session': { allow: 'session' },
  'OPTIONS /t/session': { allow: 'session' },
  'DELETE /t/session': { allow: 'session' },
  'GET /t/owner': { allow: 'owner' },
  'GET /t/read/:domain': { allow: 'site', need: 'read', from: 'params', name: 'domain' },
  'GET /t/write/:domain': { allow: 'site', need: 'write', from: 'params', name: 'domain' },
  'GET /t/admin/:domain': { allow: 'site', need: 'admin', from: 'params', name: 'domain' },
  // The site in the query string while the path holds another: the rule says which counts.
  'GET /t/query/:other': { allow: 'site', need: 'read', from: 'query', name: 'site' },
  'POST /t/body/:other': { allow: 'site', need: 'write', from: 'body', name: 'site' },
};

describe('access hooks and the Access service', () => {
  const dataDir = tempDir();
  let now = T0;
  let store: Store;
  let access: Access;
  let app: FastifyInstance;
  const as: Record<string, Headers> = { anonymous: {} };
  const ids: Record<string, number> = {};
  const tokens: Record<string, string> = {};

  const session = async (email: string, role: 'owner' | 'member'): Promise<Headers> => {
    const user = await store.accounts.addUser({ email, passwordHash: 'unused', role }, T0);
    const token = newToken(randomBytes);
    await store.accounts.addSession(sha256(token), user.id, T0, T0 + SESSION_TTL_MS);
    ids[email] = user.id;
    tokens[email] = token;
    return { cookie: `footfall_session=${token}`, 'x-csrf-token': csrfToken(token) };
  };
  const key = async (email: string, readOnly: boolean, sites: string[]): Promise<Headers> => {
    const k = `${API_KEY_PREFIX}${newToken(randomBytes)}`;
    await store.accounts.addApiKey(
      { userId: ids[email]!, name: 'k', prefix: 'ff_', keyHash: sha256(k), readOnly, sites },
      T0,
    );
    tokens[`key ${email} ${sites}`] = k;
    return { authorization: `Bearer ${k}` };
  };

  before(async () => {
    await seedSites(dataDir, ['a.example', 'b.example']);
    store = await openDuckDbStore(dataDir);
    access = createAccess({ accounts: store.accounts, adminKey: ADMIN_KEY, now: () => now });
    as.owner = await session('owner@example.com', 'owner');
    as.member = await session('member@example.com', 'member');
    await store.accounts.setMember('a.example', ids['member@example.com']!, 'viewer');
    await store.accounts.setMember('b.example', ids['member@example.com']!, 'admin');
    as.keyRO = await key('member@example.com', true, ['a.example']);
    as.keyRW = await key('member@example.com', false, ['a.example', 'b.example']);
    as.ownerKey = await key('owner@example.com', false, ['a.example']);
    as.adminKey = { authorization: `Bearer ${ADMIN_KEY}` };
    const share = await store.accounts.addShareLink(
      { siteDomain: 'a.example', token: newToken(randomBytes), passwordHash: null, embeddable: true },
      T0,
    );
    as.share = { 'x-footfall-share': share.token };
    const locked = await store.accounts.addShareLink(
      {
        siteDomain: 'a.example',
        token: newToken(randomBytes),
        passwordHash: 'p'.repeat(96),
        embeddable: false,
      },
      T0,
    );
    as.locked = { 'x-footfall-share': locked.token };
    as.unlocked = {
      'x-footfall-share': locked.token,
      cookie: `footfall_share_${locked.id}=${unlockCookieValue(locked.id, 'p'.repeat(96), T0)}`,
    };
    tokens.share = share.token;
    tokens.locked = locked.token;

    app = Fastify();
    installErrorHandling(app, () => {});
    installAccessControl(app, access, {
      ...RULES,
      'GET /t/whoami': { allow: 'public' },
      'GET /t/role/:domain': { allow: 'public' },
      'GET /t/can/:need': { allow: 'public' },
      'GET /t/cookies': { allow: 'tracking' },
    });
    const ok = async () => ({ ok: true });
    for (const key of Object.keys(RULES)) {
      const [method, url] = key.split(' ') as [string, string];
      app.route({ method: method as 'GET', url, handler: ok });
    }
    app.get('/t/none', ok); // no rule
    // What a handler sees of the cookies: the plugin parses none by itself (Access does, when it identifies).
    app.get('/t/cookies', async (req) => ({ cookies: req.cookies ?? null }));
    // A route that checks access itself, as the API's routes do.
    app.get<{ Params: { need: 'read' | 'write' | 'admin' } }>('/t/can/:need', async (req) => {
      await access.requireSite(req, 'a.example', req.params.need);
      return { ok: true };
    });
    app.get('/t/whoami', async (req) => {
      const id = await access.identify(req);
      return {
        id,
        // The same promise both times: a request is identified (and its key touched) once.
        // biome-ignore lint/suspicious/noSelfCompare: two calls, compared for identity
        same: access.identify(req) === access.identify(req),
        visible: await access.sitesVisibleTo(id),
      };
    });
    app.get<{ Params: { domain: string } }>('/t/role/:domain', async (req) => ({
      role: (await access.roleOn(await access.identify(req), req.params.domain)) ?? null,
    }));
    await app.ready();
  });
  after(async () => {
    await app.close();
    await store.close();
    removeDir(dataDir);
  });

  const req = (method: string, url: string, headers: Headers = {}, payload?: object) =>
    app.inject({ method: method as 'GET', url, headers, ...(payload ? { payload } : {}) });
  const status = async (who: string, method: string, url: string, payload?: object) =>
    (await req(method, url, as[who], payload)).statusCode;

  it('each kind of rule lets exactly its identities through', async () => {
    // Columns: signed-in, session, owner, read a, read b, write a, write b, admin a, admin b, read nope.
    const routes: [string, string][] = [
      ['GET', '/t/signed-in'],
      ['GET', '/t/session'],
      ['GET', '/t/owner'],
      ['GET', '/t/read/a.example'],
      ['GET', '/t/read/b.example'],
      ['GET', '/t/write/a.example'],
      ['GET', '/t/write/b.example'],
      ['GET', '/t/admin/a.example'],
      ['GET', '/t/admin/b.example'],
      ['GET', '/t/read/nope.example'],
    ];
    const expected: Record<string, number[]> = {
      anonymous: [401, 401, 401, 401, 401, 401, 401, 401, 401, 401],
      owner: [200, 200, 200, 200, 200, 200, 200, 200, 200, 404],
      member: [200, 200, 403, 200, 200, 403, 200, 403, 200, 403],
      keyRO: [200, 403, 403, 200, 403, 403, 403, 403, 403, 403],
      keyRW: [200, 403, 403, 200, 200, 403, 200, 403, 403, 403],
      ownerKey: [200, 403, 403, 200, 403, 200, 403, 403, 403, 403],
      adminKey: [200, 403, 200, 200, 200, 200, 200, 200, 200, 404],
      share: [403, 403, 403, 200, 403, 403, 403, 403, 403, 403],
      locked: [401, 401, 401, 401, 401, 401, 401, 401, 401, 401],
      unlocked: [403, 403, 403, 200, 403, 403, 403, 403, 403, 403],
    };
    for (const [who, statuses] of Object.entries(expected)) {
      const got = [];
      for (const [method, url] of routes) got.push(await status(who, method, url));
      assert.deepEqual(got, statuses, who);
    }
  });

  it('refusals say why', async () => {
    const error = async (who: string, url: string) => (await req('GET', url, as[who])).json().error;
    assert.deepEqual(await error('share', '/t/signed-in'), {
      code: 'FOOTFALL_ERR_FORBIDDEN',
      message: 'this identity may not do that: a share link only reads its site',
    });
    assert.equal(
      (await error('keyRW', '/t/session')).message,
      'this identity may not do that: sign in with a password for this',
    );
    assert.equal(
      (await error('member', '/t/owner')).message,
      'this identity may not do that: only an owner may do this',
    );
    assert.equal(
      (await error('member', '/t/write/a.example')).message,
      'this identity may not do that: write access to a.example',
    );
    assert.equal((await error('anonymous', '/t/owner')).code, 'FOOTFALL_ERR_UNAUTHORIZED');
    assert.equal((await error('locked', '/t/read/a.example')).code, 'FOOTFALL_ERR_SHARE_PASSWORD');
    const notFound = await error('owner', '/t/read/nope.example');
    assert.equal(notFound.code, 'FOOTFALL_ERR_SITE_NOT_FOUND');
    assert.match(notFound.message, /: nope\.example$/);
  });

  it('public and tracking routes are open to all, whatever credentials come along', async () => {
    for (const who of Object.keys(as)) {
      assert.equal(await status(who, 'GET', '/t/public'), 200, who);
      assert.equal(await status(who, 'GET', '/t/track'), 200, who);
      assert.equal(await status(who, 'POST', '/t/track', {}), 200, who);
    }
  });

  it('a route without a rule is refused to everyone, anonymous callers included; an unknown path is a 404', async () => {
    for (const who of Object.keys(as).filter((w) => w !== 'locked')) {
      const res = await req('GET', '/t/none', as[who]);
      assert.equal(res.statusCode, 403, who);
      assert.equal(res.json().error.message, 'this identity may not do that: this route has no access rule');
    }
    assert.equal(await status('anonymous', 'GET', '/t/nothing-here'), 404);
    assert.equal(await status('adminKey', 'POST', '/t/nothing-here', {}), 404);
  });

  it('cookies are not parsed on the tracking path', async () => {
    const res = await req('GET', '/t/cookies', { cookie: 'a=1; footfall_session=x' });
    assert.deepEqual(res.json(), { cookies: null });
  });

  it('requireSite called by a route: 401 for an anonymous caller, 403 for one without the access', async () => {
    const can = async (who: string, need: string) =>
      (await req('GET', `/t/can/${need}`, as[who])).json().error?.code;
    assert.equal(await can('anonymous', 'read'), 'FOOTFALL_ERR_UNAUTHORIZED');
    assert.equal(await can('share', 'read'), undefined);
    assert.equal(await can('share', 'write'), 'FOOTFALL_ERR_FORBIDDEN');
    assert.equal(await can('member', 'admin'), 'FOOTFALL_ERR_FORBIDDEN');
    assert.equal(await can('owner', 'admin'), undefined);
  });

  it('routesOf lists every route with its rule, HEAD twins included', () => {
    const routes = routesOf(app);
    const find = (method: string, url: string) => routes.find((r) => r.method === method && r.url === url);
    assert.deepEqual(find('GET', '/t/owner'), { method: 'GET', url: '/t/owner', rule: { allow: 'owner' } });
    assert.deepEqual(find('HEAD', '/t/owner')?.rule, { allow: 'owner' });
    assert.deepEqual(find('POST', '/t/track')?.rule, { allow: 'tracking' });
    assert.equal(find('GET', '/t/none')?.rule, undefined);
    assert.ok(find('GET', '/t/none'));
    assert.deepEqual(routesOf(Fastify()), []);
  });

  describe('CSRF and Sec-Fetch-Site', () => {
    it("a session's unsafe request needs its CSRF token; safe methods do not", async () => {
      const cookie = { cookie: as.owner!.cookie! };
      for (const method of ['POST', 'DELETE']) {
        const res = await req(method, '/t/session', cookie, method === 'POST' ? {} : undefined);
        assert.equal(res.statusCode, 403, method);
        assert.equal(res.json().error.code, 'FOOTFALL_ERR_CSRF');
        const wrong = await req(method, '/t/session', { ...cookie, 'x-csrf-token': csrfToken('other') });
        assert.equal(wrong.json().error?.code, 'FOOTFALL_ERR_CSRF', method);
        assert.equal(await status('owner', method, '/t/session'), 200, method);
      }
      for (const method of ['GET', 'HEAD', 'OPTIONS']) {
        assert.equal((await req(method, '/t/session', cookie)).statusCode, 200, method);
      }
      // Keys, share links and the admin key are not ambient: no token needed.
      assert.equal((await req('POST', '/t/body/x', as.keyRW, { site: 'b.example' })).statusCode, 200);
      assert.equal((await req('POST', '/t/body/x', as.adminKey, { site: 'b.example' })).statusCode, 200);
      // A public route does not look at the session at all.
      assert.equal((await req('POST', '/t/public', cookie, {})).statusCode, 200);
    });

    it('an unsafe request another site started is refused before anything else, even on public routes', async () => {
      for (const site of ['cross-site', 'same-site', 'Cross-Site', 'SAME-SITE']) {
        const h = { 'sec-fetch-site': site };
        const res = await req('POST', '/t/public', h, {});
        assert.equal(res.statusCode, 403, site);
        assert.equal(res.json().error.code, 'FOOTFALL_ERR_CSRF');
        assert.equal(
          (await req('POST', '/t/session', { ...as.owner, ...h }, {})).json().error.code,
          'FOOTFALL_ERR_CSRF',
        );
        // Reading is fine, and tracking takes any origin.
        assert.equal((await req('GET', '/t/public', h)).statusCode, 200, site);
        assert.equal((await req('POST', '/t/track', h, {})).statusCode, 200, site);
      }
      for (const site of ['same-origin', 'none']) {
        assert.equal((await req('POST', '/t/public', { 'sec-fetch-site': site }, {})).statusCode, 200, site);
      }
    });
  });

  describe('the site a rule names', () => {
    it('from the query string or the body, not from the path', async () => {
      // keyRO reads a.example only; the path names b.example.
      assert.equal(await status('keyRO', 'GET', '/t/query/b.example?site=a.example'), 200);
      assert.equal(await status('keyRO', 'GET', '/t/query/a.example?site=b.example'), 403);
      assert.equal(
        (await req('POST', '/t/body/b.example', as.member, { site: 'a.example' })).statusCode,
        403,
      );
      assert.equal(
        (await req('POST', '/t/body/a.example', as.member, { site: 'b.example' })).statusCode,
        200,
      );
      assert.equal((await req('POST', '/t/body/a.example', as.share, { site: 'a.example' })).statusCode, 403);
    });

    it('matched the way sites are stored: trimmed, lower case, without www.', async () => {
      assert.equal(await status('keyRO', 'GET', '/t/query/x?site=%20WWW.A.Example%20'), 200);
      assert.equal(await status('share', 'GET', '/t/read/WWW.A.EXAMPLE'), 200);
    });

    it('a missing, empty, non-string or over-long site is a 400 for a known caller, a 401 for anyone else', async () => {
      const bodies: object[] = [
        {},
        { site: '' },
        { site: 42 },
        { site: ['a.example'] },
        { site: 'x'.repeat(254) },
      ];
      // A JSON null body too: there is no field to read.
      const nullBody = await app.inject({
        method: 'POST',
        url: '/t/body/a.example',
        headers: { ...as.owner, 'content-type': 'application/json' },
        payload: 'null',
      });
      assert.equal(nullBody.statusCode, 400);
      for (const body of bodies) {
        const res = await req('POST', '/t/body/a.example', as.owner, body);
        assert.equal(res.statusCode, 400, JSON.stringify(body));
        assert.deepEqual(res.json().error, {
          code: 'FOOTFALL_ERR_INVALID_FIELD',
          message: 'a field has the wrong type or size: site must be the domain of a site',
        });
        assert.equal((await req('POST', '/t/body/a.example', {}, body)).statusCode, 401);
      }
      // 253 characters is a name the store can be asked about: unknown, so 404 for an owner.
      const long = (await req('POST', '/t/body/a.example', as.owner, { site: 'x'.repeat(253) })).json();
      assert.equal(long.error.code, 'FOOTFALL_ERR_SITE_NOT_FOUND');
      assert.equal((await req('GET', '/t/query/a.example', as.owner)).statusCode, 400);
      assert.equal((await req('GET', '/t/query/a.example?site=', as.owner)).statusCode, 400);
    });
  });

  describe('credentials', () => {
    const whoami = async (headers: Headers, url = '/t/whoami', method = 'GET') =>
      (await req(method, url, headers)).json();
    const kindOf = async (headers: Headers, url = '/t/whoami') => (await whoami(headers, url)).id?.kind;

    it('each credential gives its identity, resolved once per request', async () => {
      const me = await whoami(as.member!);
      assert.equal(me.same, true);
      assert.deepEqual(me.id, {
        kind: 'user',
        userId: ids['member@example.com'],
        email: 'member@example.com',
        role: 'member',
        readOnly: false,
        via: 'session',
        sessionId: me.id.sessionId,
        csrf: as.member!['x-csrf-token'],
      });
      const viaKey = (await whoami(as.keyRO!)).id;
      assert.equal(viaKey.via, 'key');
      assert.equal(viaKey.readOnly, true);
      assert.deepEqual(viaKey.keySites, ['a.example']);
      assert.equal(typeof viaKey.keyId, 'number');
      assert.equal((await whoami(as.keyRW!)).id.readOnly, false);
      assert.deepEqual((await whoami(as.adminKey!)).id, { kind: 'admin-key' });
      assert.deepEqual((await whoami(as.share!)).id, {
        kind: 'share',
        shareId: (await store.accounts.findShareLink(tokens.share!))!.id,
        siteDomain: 'a.example',
        segmentId: null,
      });
      assert.deepEqual((await whoami({})).id, { kind: 'anonymous' });
    });

    it('the Bearer scheme in any case, with one or more spaces, one token and nothing else', async () => {
      const k = tokens['key member@example.com a.example']!;
      assert.equal(await kindOf({ authorization: `bearer ${k}` }), 'user');
      assert.equal(await kindOf({ authorization: `BEARER   ${k}` }), 'user');
      for (const authorization of [
        `Bearer ${k} x`,
        `x Bearer ${k}`,
        `Bearer${k}`,
        `Basic ${k}`,
        k,
        'Bearer ',
      ]) {
        assert.equal(await kindOf({ authorization }), 'anonymous', authorization);
      }
      // An unknown key of the right shape, a key without its prefix, a near miss of the admin key.
      for (const bad of [
        `${API_KEY_PREFIX}${newToken(randomBytes)}`,
        k.slice(API_KEY_PREFIX.length),
        `${ADMIN_KEY}k`,
      ]) {
        assert.equal(await kindOf({ authorization: `Bearer ${bad}` }), 'anonymous', bad);
      }
    });

    it('explicit credentials win over the cookie, and a bad one does not fall back to it', async () => {
      assert.equal(await kindOf({ ...as.owner, authorization: 'Bearer nonsense' }), 'anonymous');
      assert.equal(await kindOf({ ...as.owner, 'x-footfall-share': 'nonsense' }), 'anonymous');
      assert.equal(await kindOf({ ...as.owner, ...as.share }), 'share');
      assert.equal(await kindOf({ ...as.share, ...as.adminKey }), 'admin-key');
      assert.equal(await kindOf({ cookie: 'footfall_session=nonsense' }), 'anonymous');
      // Well-formed tokens that name nothing.
      assert.equal(await kindOf({ 'x-footfall-share': newToken(randomBytes) }), 'anonymous');
      assert.equal(await kindOf({ cookie: `footfall_session=${newToken(randomBytes)}` }), 'anonymous');
      assert.equal(await kindOf({ cookie: `other=${tokens['owner@example.com']}` }), 'anonymous');
    });

    it('a share token in ?auth= works on reads only, and the header wins over it', async () => {
      const auth = `auth=${tokens.share}`;
      assert.equal(await kindOf({}, `/t/whoami?${auth}`), 'share');
      assert.equal((await req('HEAD', `/t/read/a.example?${auth}`)).statusCode, 200);
      assert.equal((await req('GET', `/t/read/a.example?${auth}`)).statusCode, 200);
      assert.equal((await req('POST', `/t/body/x?${auth}`, {}, { site: 'a.example' })).statusCode, 401);
      assert.equal(await kindOf({}, `/t/whoami?${auth}&${auth}`), 'anonymous');
      assert.equal(await kindOf({ 'x-footfall-share': '' }, `/t/whoami?${auth}`), 'anonymous');
      assert.equal(await kindOf(as.owner!, `/t/whoami?${auth}`), 'share');
    });

    it('a password-protected share needs its own unlock cookie, not an expired one', async () => {
      const locked = (await store.accounts.findShareLink(tokens.locked!))!;
      assert.equal(await kindOf(as.unlocked!), 'share');
      const other = `footfall_share_${locked.id + 1}=${unlockCookieValue(locked.id, 'p'.repeat(96), T0)}`;
      assert.equal((await req('GET', '/t/whoami', { ...as.locked, cookie: other })).statusCode, 401);
      now = T0 + 8 * 24 * 3_600_000;
      try {
        assert.equal((await req('GET', '/t/whoami', as.unlocked)).statusCode, 401);
      } finally {
        now = T0;
      }
    });

    it('an expired session is anonymous', async () => {
      now = T0 + SESSION_TTL_MS + 1;
      try {
        assert.equal(await kindOf(as.member!), 'anonymous');
      } finally {
        now = T0;
      }
    });

    it('the admin key is no credential when none is configured', async () => {
      const without = createAccess({ accounts: store.accounts, adminKey: undefined, now: () => now });
      const fake = (authorization: string) =>
        ({ headers: { authorization }, method: 'GET', query: {} }) as unknown as FastifyRequest;
      assert.deepEqual(await without.identify(fake(`Bearer ${ADMIN_KEY}`)), { kind: 'anonymous' });
      assert.equal(
        (await without.identify(fake(`Bearer ${tokens['key member@example.com a.example']}`))).kind,
        'user',
      );
    });
  });

  describe('last use is written at most once a minute', () => {
    it("a key's last use: at first use, then only once more than a minute has passed", async () => {
      // A key of its own: the other tests use theirs.
      await key('owner@example.com', true, ['b.example']);
      const k = tokens['key owner@example.com b.example']!;
      const lastUsed = async () => (await store.accounts.findApiKey(sha256(k)))!.key.lastUsedAt;
      assert.equal(await lastUsed(), null);
      const use = async (t: number) => {
        now = t;
        await req('GET', '/t/whoami', { authorization: `Bearer ${k}` });
      };
      try {
        await use(T0 + 1000);
        assert.equal(await lastUsed(), T0 + 1000);
        await use(T0 + 1000 + 60_000);
        assert.equal(await lastUsed(), T0 + 1000);
        await use(T0 + 1000 + 60_001);
        assert.equal(await lastUsed(), T0 + 1000 + 60_001);
      } finally {
        now = T0;
      }
    });

    it("a session's expiry slides 30 days from its last use, at most once a minute", async () => {
      const userId = ids['member@example.com']!;
      const row = async () =>
        (await store.accounts.listSessions(userId, T0)).find((s) => s.createdAt === T0)!;
      assert.equal(SESSION_TTL_MS, 30 * 24 * 3_600_000);
      const use = async (t: number) => {
        now = t;
        await req('GET', '/t/whoami', { cookie: as.member!.cookie! });
      };
      try {
        const start = (await row()).lastSeenAt;
        await use(start + 60_000);
        assert.equal((await row()).lastSeenAt, start);
        await use(start + 60_001);
        assert.deepEqual(
          [(await row()).lastSeenAt, (await row()).expiresAt],
          [start + 60_001, start + 60_001 + SESSION_TTL_MS],
        );
      } finally {
        now = T0;
      }
    });
  });

  describe('what each identity sees and acts as', () => {
    it('sitesVisibleTo: everything for owners and the admin key, a key only its own sites', async () => {
      const visible = async (who: string) => (await req('GET', '/t/whoami', as[who])).json().visible;
      assert.deepEqual(await visible('anonymous'), []);
      assert.deepEqual(await visible('owner'), ['a.example', 'b.example']);
      assert.deepEqual(await visible('adminKey'), ['a.example', 'b.example']);
      assert.deepEqual(await visible('member'), ['a.example', 'b.example']);
      assert.deepEqual(await visible('keyRO'), ['a.example']);
      assert.deepEqual(await visible('keyRW'), ['a.example', 'b.example']);
      assert.deepEqual(await visible('ownerKey'), ['a.example']);
      assert.deepEqual(await visible('share'), ['a.example']);
    });

    it('roleOn: a key acts as admin at most, as viewer when it may only read, not at all elsewhere', async () => {
      const roles = async (who: string) => {
        const out = [];
        for (const d of ['a.example', 'b.example']) {
          out.push((await req('GET', `/t/role/${d}`, as[who])).json().role);
        }
        return out;
      };
      assert.deepEqual(await roles('anonymous'), [null, null]);
      assert.deepEqual(await roles('owner'), ['owner', 'owner']);
      assert.deepEqual(await roles('adminKey'), ['owner', 'owner']);
      assert.deepEqual(await roles('member'), ['viewer', 'admin']);
      assert.deepEqual(await roles('keyRO'), ['viewer', null]);
      assert.deepEqual(await roles('keyRW'), ['viewer', 'admin']);
      assert.deepEqual(await roles('ownerKey'), ['admin', null]);
      assert.deepEqual(await roles('share'), ['viewer', null]);
    });

    it('isEmbeddableShare: only a share link made embeddable', async () => {
      assert.equal(await access.isEmbeddableShare(tokens.share!), true);
      assert.equal(await access.isEmbeddableShare(tokens.locked!), false);
      assert.equal(await access.isEmbeddableShare(newToken(randomBytes)), false);
      assert.equal(await access.isEmbeddableShare('nonsense'), false);
    });
  });
});
