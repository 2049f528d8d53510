// Every route the server has × every kind of identity: who is let through and who is not.
// Routes come from the router itself, so a new route without a rule in src/auth/rules.ts —
// or without a row in the expectations below — fails this test.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { routesOf } from '../../src/auth/access-hooks.js';
import { addUser, type Creds, call, errorCode, login } from '../helpers/accounts.js';
import { METADATA_ENGINES, type MetadataEngine } from '../helpers/metadata-engines.js';
import { ROOT, removeDir, startTestServer, type TestServer } from '../helpers/server.js';

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
const segmentWriters: readonly Who[] = ['viewer of A', ...adminsOfA];

/** A file the dashboard build really has, so its route answers 200. */
const ASSET = readdirSync(path.join(ROOT, 'dist/web/assets')).find((f) => f.endsWith('.js'));

/**
 * Who may pass each route's access check (HEAD follows GET), a request that, once let
 * through, changes nothing (it fails validation or names nothing that exists), and the
 * status the route itself answers that request with. An allowed identity must get exactly
 * that status: a 500 (or a 404 from a handler that lost track of the caller) is a failure,
 * not a pass.
 */
const EXPECTED: Record<
  string,
  {
    allowed: readonly Who[];
    status: number;
    statusFor?: Partial<Record<Who, number>>;
    body?: unknown;
    query?: string;
    path?: string;
  }
> = {
  'GET /a.js': { allowed: everyone, status: 200 },
  'GET /a.gif': { allowed: everyone, status: 400 },
  'GET /script.js': { allowed: everyone, status: 200 },
  'GET /js/script.js': { allowed: everyone, status: 200 },
  'POST /api/event': { allowed: everyone, status: 400, body: {} },
  'OPTIONS /api/event': { allowed: everyone, status: 204 },
  'POST /api/send': { allowed: everyone, status: 400, body: {} },
  'OPTIONS /api/send': { allowed: everyone, status: 204 },
  'GET /healthz': { allowed: everyone, status: 200 },
  'GET /metrics': { allowed: everyone, status: 200 },
  // The dashboard's HTML shell and assets: public pages, whose data comes from the API.
  'GET /': { allowed: everyone, status: 200 },
  'GET /login': { allowed: everyone, status: 200 },
  'GET /setup': { allowed: everyone, status: 200 },
  'GET /invite': { allowed: everyone, status: 200 },
  'GET /forgot': { allowed: everyone, status: 200 },
  'GET /reset': { allowed: everyone, status: 200 },
  'GET /account': { allowed: everyone, status: 200 },
  'GET /sites/:domain': { allowed: everyone, status: 200 },
  'GET /sites/:domain/settings': { allowed: everyone, status: 200 },
  'GET /share/:token': { allowed: everyone, status: 200 },
  'GET /assets/:file': { allowed: everyone, status: 200, path: `/assets/${ASSET}` },
  // Any other GET: the shell's "not found" page for a browser, a JSON 404 otherwise.
  'GET /*': { allowed: everyone, status: 404, path: '/no-such-page' },
  'GET /api/auth/setup-status': { allowed: everyone, status: 200 },
  'POST /api/auth/setup': { allowed: everyone, status: 400, body: {} },
  'POST /api/auth/login': { allowed: everyone, status: 400, body: {} },
  'POST /api/auth/invite': { allowed: everyone, status: 400, body: {} },
  // No mail in this server: every address gets the same 503.
  'POST /api/auth/forgot': { allowed: everyone, status: 503, body: {} },
  'POST /api/auth/reset': { allowed: everyone, status: 400, body: {} },
  'POST /api/auth/login/code': { allowed: everyone, status: 400, body: {} },
  'POST /api/auth/login/enrol': { allowed: everyone, status: 400, body: {} },
  'POST /api/auth/login/enrol/confirm': { allowed: everyone, status: 400, body: {} },
  'GET /api/auth/2fa': { allowed: people, status: 200 },
  'POST /api/auth/2fa/setup': { allowed: people, status: 400, body: { extra: 1 } },
  'POST /api/auth/2fa/enable': { allowed: people, status: 400, body: {} },
  'POST /api/auth/2fa/disable': { allowed: people, status: 400, body: {} },
  'POST /api/auth/2fa/required': { allowed: owners, status: 400, body: {} },
  'GET /api/auth/me': { allowed: people, status: 200 },
  'POST /api/auth/logout': { allowed: people, status: 204 },
  'POST /api/auth/password': { allowed: people, status: 400, body: {} },
  'GET /api/auth/sessions': { allowed: people, status: 200 },
  'DELETE /api/auth/sessions/:id': { allowed: people, status: 404 },
  'GET /api/users': { allowed: owners, status: 200 },
  'POST /api/users': { allowed: owners, status: 400, body: {} },
  'DELETE /api/users/:id': { allowed: owners, status: 404 },
  'GET /api/keys': { allowed: people, status: 200 },
  'POST /api/keys': { allowed: people, status: 400, body: {} },
  'DELETE /api/keys/:id': { allowed: people, status: 404 },
  'GET /api/sites': { allowed: signedIn, status: 200 },
  'POST /api/sites': { allowed: owners, status: 400, body: {} },
  'GET /api/sites/:domain': { allowed: readersOfA, status: 200 },
  'PATCH /api/sites/:domain': { allowed: adminsOfA, status: 400, body: {} },
  'DELETE /api/sites/:domain': { allowed: owners, status: 400, body: {} },
  'GET /api/sites/:domain/members': { allowed: adminsOfA, status: 200 },
  'POST /api/sites/:domain/members': { allowed: adminsOfA, status: 400, body: {} },
  'DELETE /api/sites/:domain/members/:userId': { allowed: adminsOfA, status: 404 },
  'GET /api/sites/:domain/shares': { allowed: adminsOfA, status: 200 },
  'POST /api/sites/:domain/shares': { allowed: adminsOfA, status: 400, body: { embeddable: 'yes' } },
  'DELETE /api/sites/:domain/shares/:id': { allowed: adminsOfA, status: 404 },
  'GET /api/sites/:domain/export': { allowed: adminsOfA, status: 400, query: '?format=xml' },
  // Goals: read with the stats, written as the site's settings (not with a read-only key).
  'GET /api/sites/:domain/goals': { allowed: readersOfA, status: 200 },
  // Segments: anyone who reads the site keeps personal ones (share links and read-only keys
  // save nothing); site segments take write access, checked by the handler.
  'GET /api/sites/:domain/segments': { allowed: readersOfA, status: 200 },
  'POST /api/sites/:domain/segments': { allowed: segmentWriters, status: 400, body: {} },
  'PATCH /api/sites/:domain/segments/:id': { allowed: segmentWriters, status: 404, body: {} },
  'DELETE /api/sites/:domain/segments/:id': { allowed: segmentWriters, status: 404 },
  'POST /api/sites/:domain/goals': { allowed: adminsOfA, status: 400, body: {} },
  'PATCH /api/sites/:domain/goals/:id': { allowed: adminsOfA, status: 404, body: {} },
  'DELETE /api/sites/:domain/goals/:id': { allowed: adminsOfA, status: 404 },
  // Reports: the site's settings. No mail in this server: a send let through gets a 503.
  'GET /api/sites/:domain/reports': { allowed: adminsOfA, status: 200 },
  'POST /api/sites/:domain/reports': { allowed: adminsOfA, status: 400, body: {} },
  'DELETE /api/sites/:domain/reports/:id': { allowed: adminsOfA, status: 404 },
  'POST /api/sites/:domain/reports/send': { allowed: adminsOfA, status: 400, body: {} },
  'GET /api/sites/:domain/alerts': { allowed: adminsOfA, status: 200 },
  'PUT /api/sites/:domain/alerts': { allowed: adminsOfA, status: 400, body: { spike: 0 } },
  'GET /api/reports/unsubscribe': { allowed: everyone, status: 400, query: '?token=1.x' },
  'POST /api/reports/unsubscribe': { allowed: everyone, status: 400, query: '?token=1.x' },
  // Funnels: as goals.
  'GET /api/sites/:domain/funnels': { allowed: readersOfA, status: 200 },
  'POST /api/sites/:domain/funnels': { allowed: adminsOfA, status: 400, body: {} },
  'PATCH /api/sites/:domain/funnels/:id': { allowed: adminsOfA, status: 404, body: {} },
  'DELETE /api/sites/:domain/funnels/:id': { allowed: adminsOfA, status: 404 },
  'GET /api/share/info': { allowed: everyone, status: 404, statusFor: { 'share of A': 200 } },
  'POST /api/share/unlock': { allowed: everyone, status: 400, body: {} },
  // Stats: reading site A. The bodies lack metrics, so a request let through gets a 400.
  'POST /api/v2/query': { allowed: readersOfA, status: 400, body: { site_id: 'a.example' } },
  'POST /api/v2/journeys': { allowed: readersOfA, status: 400, body: { site_id: 'a.example', steps: 0 } },
  'POST /api/v2/funnel': { allowed: readersOfA, status: 400, body: { site_id: 'a.example' } },
  'POST /api/v2/prop-keys': { allowed: readersOfA, status: 400, body: { site_id: 'a.example', limit: 0 } },
  'GET /api/v2/realtime': { allowed: readersOfA, status: 200, query: '?site_id=a.example' },
};

// Once with the metadata in the data directory, once in PostgreSQL (--database-url).
for (const engine of METADATA_ENGINES)
  describe(`access matrix (metadata in ${engine.name})`, { skip: engine.skip }, () => accessMatrix(engine));

function accessMatrix(engine: MetadataEngine): void {
  let server: TestServer;
  const creds = {} as Record<Who, Creds>;

  before(async () => {
    server = await startTestServer({
      sites: ['a.example', 'b.example'],
      ...(await engine.serverOptions({ adminKey: ADMIN_KEY })),
    });
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

  it("each identity gets the route's own answer exactly where the matrix says, and 401 or 403 elsewhere", async () => {
    // Logging out ends the session the later rows need, so it goes last.
    const routes = [...routesOf(server.app)].sort(
      (a, b) => Number(a.url === '/api/auth/logout') - Number(b.url === '/api/auth/logout'),
    );
    const failures: string[] = [];
    for (const route of routes) {
      const key = `${route.method === 'HEAD' ? 'GET' : route.method} ${route.url}`;
      const row = EXPECTED[key]!;
      const url = (row.path ?? route.url.replace(':domain', 'a.example').replace(/:(id|userId)/, '999999'))
        .replace(/\*$/, '')
        .concat(row.query ?? '');
      for (const who of IDENTITIES) {
        const res = await call(server, route.method, url, { as: creds[who], body: row.body });
        const refused = res.status === 401 || res.status === 403;
        if (row.allowed.includes(who)) {
          const status = row.statusFor?.[who] ?? row.status;
          if (res.status !== status)
            failures.push(
              `${route.method} ${route.url} as ${who}: ${res.status}, not ${status}: ${res.text.slice(0, 120)}`,
            );
        } else if (!refused) {
          failures.push(`${route.method} ${route.url} as ${who}: let through with ${res.status}`);
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
              (SELECT count(*) FROM sites) AS sites, (SELECT count(*) FROM goals) AS goals,
              (SELECT count(*) FROM segments) AS segments,
              (SELECT count(*) FROM funnels) AS funnels`,
    );
    assert.deepEqual(Object.fromEntries(Object.entries(counts[0]!).map(([k, v]) => [k, Number(v)])), {
      users: 4,
      members: 3,
      shares: 1,
      keys: 1,
      sites: 2,
      goals: 0,
      segments: 0,
      funnels: 0,
    });
  });
}
