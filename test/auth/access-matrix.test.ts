// Every route the server has × every kind of identity: who is let through and who is not.
// Routes come from the router itself, so a new route without a rule in src/auth/rules.ts —
// or without a row in the expectations below — fails this test.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { routesOf } from '../../src/auth/access-hooks.js';
import { addUser, type Creds, call, errorCode, login } from '../helpers/accounts.js';
import { removeDir, startTestServer, type TestServer } from '../helpers/server.js';

const ADMIN_KEY = 'operator-key-0123456789-abcdefghijklmnop';

const IDENTITIES = [
  'anonymous',
  'share of A',
  'viewer of A',
  'admin of B',
  'admin of A',
  'owner',
  'read-only key for A',
  'revoked key',
  'admin key',
] as const;
type Who = (typeof IDENTITIES)[number];

const everyone: readonly Who[] = IDENTITIES;
const people: readonly Who[] = ['viewer of A', 'admin of B', 'admin of A', 'owner'];
const owners: readonly Who[] = ['owner', 'admin key'];
const signedIn: readonly Who[] = [...people, 'read-only key for A', 'admin key'];
const readersOfA: readonly Who[] = [
  'share of A',
  'viewer of A',
  'admin of A',
  'owner',
  'read-only key for A',
  'admin key',
];
const adminsOfA: readonly Who[] = ['admin of A', 'owner', 'admin key'];

/**
 * Who may pass each route's access check (HEAD follows GET), and a request that, once let
 * through, changes nothing (it fails validation or names nothing that exists).
 */
const EXPECTED: Record<string, { allowed: readonly Who[]; body?: unknown; query?: string }> = {
  'GET /a.js': { allowed: everyone },
  'GET /a.gif': { allowed: everyone },
  'GET /script.js': { allowed: everyone },
  'GET /js/script.js': { allowed: everyone },
  'POST /api/event': { allowed: everyone, body: {} },
  'OPTIONS /api/event': { allowed: everyone },
  'POST /api/send': { allowed: everyone, body: {} },
  'OPTIONS /api/send': { allowed: everyone },
  'GET /healthz': { allowed: everyone },
  'GET /metrics': { allowed: everyone },
  // The dashboard's HTML shell and assets: public pages, whose data comes from the API.
  'GET /': { allowed: everyone },
  'GET /login': { allowed: everyone },
  'GET /setup': { allowed: everyone },
  'GET /account': { allowed: everyone },
  'GET /sites/:domain': { allowed: everyone },
  'GET /sites/:domain/settings': { allowed: everyone },
  'GET /share/:token': { allowed: everyone },
  'GET /assets/:file': { allowed: everyone },
  'GET /*': { allowed: everyone },
  'GET /api/auth/setup-status': { allowed: everyone },
  'POST /api/auth/setup': { allowed: everyone, body: {} },
  'POST /api/auth/login': { allowed: everyone, body: {} },
  'GET /api/auth/me': { allowed: people },
  'POST /api/auth/logout': { allowed: people },
  'POST /api/auth/password': { allowed: people, body: {} },
  'GET /api/auth/sessions': { allowed: people },
  'DELETE /api/auth/sessions/:id': { allowed: people },
  'GET /api/users': { allowed: owners },
  'POST /api/users': { allowed: owners, body: {} },
  'DELETE /api/users/:id': { allowed: owners },
  'GET /api/keys': { allowed: people },
  'POST /api/keys': { allowed: people, body: {} },
  'DELETE /api/keys/:id': { allowed: people },
  'GET /api/sites': { allowed: signedIn },
  'POST /api/sites': { allowed: owners, body: {} },
  'GET /api/sites/:domain': { allowed: readersOfA },
  'PATCH /api/sites/:domain': { allowed: adminsOfA, body: {} },
  'DELETE /api/sites/:domain': { allowed: owners, body: {} },
  'GET /api/sites/:domain/members': { allowed: adminsOfA },
  'POST /api/sites/:domain/members': { allowed: adminsOfA, body: {} },
  'DELETE /api/sites/:domain/members/:userId': { allowed: adminsOfA },
  'GET /api/sites/:domain/shares': { allowed: adminsOfA },
  'POST /api/sites/:domain/shares': { allowed: adminsOfA, body: { embeddable: 'yes' } },
  'DELETE /api/sites/:domain/shares/:id': { allowed: adminsOfA },
  'GET /api/share/info': { allowed: everyone },
  'POST /api/share/unlock': { allowed: everyone, body: {} },
  // Stats: reading site A. The bodies lack metrics, so a request let through gets a 400.
  'POST /api/v2/query': { allowed: readersOfA, body: { site_id: 'a.example' } },
  'POST /api/v2/journeys': { allowed: readersOfA, body: { site_id: 'a.example', steps: 0 } },
  'GET /api/v2/realtime': { allowed: readersOfA, query: '?site_id=a.example' },
};

describe('access matrix', () => {
  let server: TestServer;
  const creds = {} as Record<Who, Creds>;

  before(async () => {
    server = await startTestServer({ sites: ['a.example', 'b.example'], flags: { adminKey: ADMIN_KEY } });
    const accounts = server.store.accounts;
    await addUser(server, 'owner@example.com', 'owner');
    const viewer = await addUser(server, 'viewer-a@example.com');
    const adminA = await addUser(server, 'admin-a@example.com');
    const adminB = await addUser(server, 'admin-b@example.com');
    await accounts.setMember('a.example', viewer, 'viewer');
    await accounts.setMember('a.example', adminA, 'admin');
    await accounts.setMember('b.example', adminB, 'admin');
    creds.anonymous = {};
    creds.owner = await login(server, 'owner@example.com');
    creds['viewer of A'] = await login(server, 'viewer-a@example.com');
    creds['admin of A'] = await login(server, 'admin-a@example.com');
    creds['admin of B'] = await login(server, 'admin-b@example.com');
    const as = creds['admin of A'];
    const share = await call(server, 'POST', '/api/sites/a.example/shares', { as, body: {} });
    creds['share of A'] = { share: (share.body as { share: { url: string } }).share.url.split('/').pop()! };
    const key = await call(server, 'POST', '/api/keys', {
      as,
      body: { sites: ['a.example'], readOnly: true },
    });
    creds['read-only key for A'] = { bearer: (key.body as { key: string }).key };
    const revoked = await call(server, 'POST', '/api/keys', {
      as,
      body: { sites: ['a.example'], readOnly: true },
    });
    const { key: revokedKey, id } = revoked.body as { key: string; id: number };
    assert.equal((await call(server, 'DELETE', `/api/keys/${id}`, { as })).status, 204);
    creds['revoked key'] = { bearer: revokedKey };
    creds['admin key'] = { bearer: ADMIN_KEY };
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('every route has an access rule and a row in this matrix', () => {
    const routes = routesOf(server.app);
    assert.ok(routes.length > 30, 'routes are enumerated from the router');
    const withoutRule = routes.filter((r) => r.rule === undefined).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(withoutRule, [], 'routes without a rule in src/auth/rules.ts (refused to everyone)');
    const withoutRow = routes
      .map((r) => `${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`)
      .filter((key) => !(key in EXPECTED));
    assert.deepEqual(withoutRow, [], 'routes without a row in EXPECTED');
  });

  it('each identity is let through exactly where the matrix says, and refused with 401 or 403 elsewhere', async () => {
    // Logging out ends the session the later rows need, so it goes last.
    const routes = [...routesOf(server.app)].sort(
      (a, b) => Number(a.url === '/api/auth/logout') - Number(b.url === '/api/auth/logout'),
    );
    const failures: string[] = [];
    for (const route of routes) {
      const key = `${route.method === 'HEAD' ? 'GET' : route.method} ${route.url}`;
      const row = EXPECTED[key]!;
      const path = route.url
        .replace(':domain', 'a.example')
        .replace(/:(id|userId)/, '999999')
        .replace(/\*$/, '')
        .concat(row.query ?? '');
      for (const who of IDENTITIES) {
        const res = await call(server, route.method, path, { as: creds[who], body: row.body });
        const refused = res.status === 401 || res.status === 403;
        const shouldPass = row.allowed.includes(who);
        if (refused === shouldPass) {
          failures.push(`${route.method} ${route.url} as ${who}: ${res.status} ${res.text.slice(0, 120)}`);
        }
        if (refused && route.method !== 'HEAD') {
          const anonymous = who === 'anonymous' || who === 'revoked key';
          const expected = anonymous ? 'FOOTFALL_ERR_UNAUTHORIZED' : 'FOOTFALL_ERR_FORBIDDEN';
          if (errorCode(res) !== expected)
            failures.push(`${route.method} ${route.url} as ${who}: ${res.text}`);
        }
      }
    }
    assert.deepEqual(failures, []);
  });

  it('the allowed requests changed nothing', async () => {
    const counts = await server.query(
      `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM site_members) AS members,
              (SELECT count(*) FROM share_links) AS shares, (SELECT count(*) FROM api_keys) AS keys,
              (SELECT count(*) FROM sites) AS sites`,
    );
    assert.deepEqual(Object.fromEntries(Object.entries(counts[0]!).map(([k, v]) => [k, Number(v)])), {
      users: 4,
      members: 3,
      shares: 1,
      keys: 1,
      sites: 2,
    });
  });
});
