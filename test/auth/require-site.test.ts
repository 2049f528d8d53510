// The stats routes (POST /api/v2/query, GET /api/v2/realtime, POST /api/v2/journeys) name
// their site in the body or the query string. Until they exist, stand-ins registered here
// run through the same access hooks, the same rule table and a real store.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { type Access, createAccess } from '../../src/auth/access.js';
import { installAccessControl, routesOf } from '../../src/auth/access-hooks.js';
import { ACCESS_RULES } from '../../src/auth/rules.js';
import { API_KEY_PREFIX, csrfToken, newToken, sha256 } from '../../src/auth/tokens.js';
import { installErrorHandling } from '../../src/server/error-handler.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import type { Store } from '../../src/store/types.js';
import { removeDir, seedSites, tempDir } from '../helpers/server.js';

type Headers = Record<string, string>;

describe('requireSite through the rule table', () => {
  const dataDir = tempDir();
  let store: Store;
  let access: Access;
  let app: FastifyInstance;
  const as: Record<string, Headers> = { anonymous: {} };

  const session = async (email: string, role: 'owner' | 'member'): Promise<Headers> => {
    const user = await store.accounts.addUser({ email, passwordHash: 'unused', role }, Date.now());
    const token = newToken(randomBytes);
    await store.accounts.addSession(sha256(token), user.id, Date.now(), Date.now() + 3_600_000);
    if (role === 'member') await store.accounts.setMember('a.example', user.id, 'viewer');
    return { cookie: `footfall_session=${token}`, 'x-csrf-token': csrfToken(token) };
  };

  before(async () => {
    await seedSites(dataDir, ['a.example', 'b.example']);
    store = await openDuckDbStore(dataDir);
    access = createAccess({ accounts: store.accounts, adminKey: 'k'.repeat(40), now: Date.now });
    as.owner = await session('owner@example.com', 'owner');
    as.viewerOfA = await session('viewer@example.com', 'member');
    const share = await store.accounts.addShareLink(
      { siteDomain: 'a.example', token: newToken(randomBytes), passwordHash: null, embeddable: false },
      Date.now(),
    );
    as.shareOfA = { 'x-footfall-share': share.token };
    const key = `${API_KEY_PREFIX}${newToken(randomBytes)}`;
    const viewer = await store.accounts.findUserByEmail('viewer@example.com');
    await store.accounts.addApiKey(
      {
        userId: viewer!.id,
        name: 'k',
        prefix: 'ff_',
        keyHash: sha256(key),
        readOnly: true,
        sites: ['a.example'],
      },
      Date.now(),
    );
    as.keyOfA = { authorization: `Bearer ${key}` };
    as.adminKey = { authorization: `Bearer ${'k'.repeat(40)}` };

    app = Fastify();
    installErrorHandling(app, () => {});
    // The real table, plus two public test routes that report what Access says.
    installAccessControl(app, access, {
      ...ACCESS_RULES,
      'GET /test/visible': { allow: 'public' },
      'GET /test/can/:need': { allow: 'public' },
    });
    const echo = async (req: { body?: unknown; query?: unknown }) => ({ ok: true, body: req.body ?? null });
    app.post('/api/v2/query', echo);
    app.get('/api/v2/realtime', echo);
    app.post('/api/v2/journeys', echo);
    app.get('/api/v2/forgotten', echo); // no rule in src/auth/rules.ts
    app.get('/test/visible', async (req) => ({
      sites: await access.sitesVisibleTo(await access.identify(req)),
    }));
    app.get<{ Params: { need: 'read' | 'write' | 'admin' } }>('/test/can/:need', async (req) => {
      await access.requireSite(req, 'a.example', req.params.need);
      return { ok: true };
    });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await store.close();
    removeDir(dataDir);
  });

  const query = (who: string, siteId: unknown, url = '/api/v2/query') =>
    app.inject({
      method: 'POST',
      url,
      headers: as[who],
      payload: { site_id: siteId, metrics: ['visitors'] },
    });

  it('reading the named site: allowed to its readers, refused to everyone else', async () => {
    const expected: Record<string, [number, number]> = {
      anonymous: [401, 401],
      shareOfA: [200, 403],
      viewerOfA: [200, 403],
      keyOfA: [200, 403],
      owner: [200, 200],
      adminKey: [200, 200],
    };
    for (const [who, [a, b]] of Object.entries(expected)) {
      for (const url of ['/api/v2/query', '/api/v2/journeys']) {
        assert.equal((await query(who, 'a.example', url)).statusCode, a, `${who} ${url} a`);
        assert.equal((await query(who, 'b.example', url)).statusCode, b, `${who} ${url} b`);
      }
      const realtime = (site: string) =>
        app.inject({ method: 'GET', url: `/api/v2/realtime?site_id=${site}`, headers: as[who] });
      assert.equal((await realtime('a.example')).statusCode, a, `${who} realtime a`);
      assert.equal((await realtime('b.example')).statusCode, b, `${who} realtime b`);
    }
  });

  it('a missing or malformed site_id is a 400 once the caller is known; anonymous callers learn nothing', async () => {
    for (const bad of [undefined, 42, '', ['a.example'], 'x'.repeat(300)]) {
      const res = await query('viewerOfA', bad);
      assert.equal(res.statusCode, 400, JSON.stringify(bad));
      assert.equal(res.json().error.code, 'FOOTFALL_ERR_INVALID_FIELD');
    }
    assert.equal((await query('anonymous', undefined)).statusCode, 401);
  });

  it('a site that does not exist: 404 for those who see every site, 403 for the rest', async () => {
    assert.equal((await query('owner', 'nope.example')).json().error.code, 'FOOTFALL_ERR_SITE_NOT_FOUND');
    assert.equal((await query('viewerOfA', 'nope.example')).json().error.code, 'FOOTFALL_ERR_FORBIDDEN');
  });

  it('the site is matched the way sites are stored (case, www.)', async () => {
    assert.equal((await query('shareOfA', 'WWW.A.example')).statusCode, 200);
  });

  it('a route without a rule is refused to everyone, the admin key included', async () => {
    const route = routesOf(app).find((r) => r.url === '/api/v2/forgotten');
    assert.equal(route?.rule, undefined);
    for (const who of Object.keys(as)) {
      const res = await app.inject({ method: 'GET', url: '/api/v2/forgotten', headers: as[who] });
      assert.ok([401, 403].includes(res.statusCode), `${who}: ${res.statusCode}`);
    }
  });

  it('sitesVisibleTo lists what each identity may read', async () => {
    const visible = async (who: string) =>
      (await app.inject({ method: 'GET', url: '/test/visible', headers: as[who] })).json().sites;
    assert.deepEqual(await visible('anonymous'), []);
    assert.deepEqual(await visible('shareOfA'), ['a.example']);
    assert.deepEqual(await visible('viewerOfA'), ['a.example']);
    assert.deepEqual(await visible('keyOfA'), ['a.example']);
    assert.deepEqual(await visible('owner'), ['a.example', 'b.example']);
    assert.deepEqual(await visible('adminKey'), ['a.example', 'b.example']);
  });

  it('a share link gets read, never write or admin, even on its own site', async () => {
    const can = async (need: string) =>
      (await app.inject({ method: 'GET', url: `/test/can/${need}`, headers: as.shareOfA })).statusCode;
    assert.deepEqual([await can('read'), await can('write'), await can('admin')], [200, 403, 403]);
  });
});
