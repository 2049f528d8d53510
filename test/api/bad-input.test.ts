// Bad input on every account, site, key and share link route: a clear 4xx with a code,
// nothing stored, and the server keeps serving.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addUser, type Creds, call, errorCode, login } from '../helpers/accounts.js';
import { removeDir, startTestServer, type TestServer } from '../helpers/server.js';

const BODY_ROUTES: [string, string][] = [
  ['POST', '/api/auth/setup'],
  ['POST', '/api/auth/login'],
  ['POST', '/api/auth/password'],
  ['POST', '/api/sites'],
  ['PATCH', '/api/sites/a.example'],
  ['DELETE', '/api/sites/a.example'],
  ['POST', '/api/sites/a.example/members'],
  ['POST', '/api/users'],
  ['POST', '/api/keys'],
  ['POST', '/api/sites/a.example/shares'],
  ['POST', '/api/share/unlock'],
  ['POST', '/api/sites/a.example/reports'],
  ['POST', '/api/sites/a.example/reports/send'],
  ['PUT', '/api/sites/a.example/alerts'],
];

/** Wrong fields per route: each must be a 400 with this code. */
const WRONG_FIELDS: [string, string, unknown, string][] = [
  [
    'POST',
    '/api/auth/setup',
    { token: 1, email: 'a@b.co', password: 'long enough' },
    'FOOTFALL_ERR_INVALID_FIELD',
  ],
  [
    'POST',
    '/api/auth/setup',
    { token: 'x', email: ['a@b.co'], password: 'long enough' },
    'FOOTFALL_ERR_INVALID_EMAIL',
  ],
  [
    'POST',
    '/api/auth/setup',
    { token: 'x', email: 'a@b.co', password: 12345678 },
    'FOOTFALL_ERR_WEAK_PASSWORD',
  ],
  ['POST', '/api/auth/login', { email: 'a@b.co' }, 'FOOTFALL_ERR_INVALID_FIELD'],
  ['POST', '/api/auth/login', { email: 'a@b.co', password: { $ne: 1 } }, 'FOOTFALL_ERR_INVALID_FIELD'],
  [
    'POST',
    '/api/auth/login',
    { email: 'a@b.co', password: 'x', remember: true },
    'FOOTFALL_ERR_INVALID_FIELD',
  ],
  ['POST', '/api/auth/login', { email: 'a'.repeat(300), password: 'x' }, 'FOOTFALL_ERR_INVALID_FIELD'],
  ['POST', '/api/auth/password', { current: 'x', password: 'y'.repeat(1001) }, 'FOOTFALL_ERR_WEAK_PASSWORD'],
  ['POST', '/api/auth/password', { current: null, password: 'long enough' }, 'FOOTFALL_ERR_INVALID_FIELD'],
  ['POST', '/api/sites', { domain: 5 }, 'FOOTFALL_ERR_INVALID_FIELD'],
  ['POST', '/api/sites', { domain: 'https://c.example/' }, 'FOOTFALL_ERR_INVALID_DOMAIN'],
  ['POST', '/api/sites', { domain: 'c.example', timezone: 'Mars/Olympus' }, 'FOOTFALL_ERR_INVALID_TIMEZONE'],
  ['POST', '/api/sites', { domain: 'c.example', umamiId: 'not-a-uuid' }, 'FOOTFALL_ERR_INVALID_FIELD'],
  ['POST', '/api/sites', { domain: 'a.example' }, 'FOOTFALL_ERR_SITE_EXISTS'],
  ['PATCH', '/api/sites/a.example', { timezone: 5 }, 'FOOTFALL_ERR_INVALID_FIELD'],
  ['PATCH', '/api/sites/a.example', { timezone: 'Europe/Nowhere' }, 'FOOTFALL_ERR_INVALID_TIMEZONE'],
  ['PATCH', '/api/sites/a.example', { domain: 'b.example' }, 'FOOTFALL_ERR_INVALID_FIELD'],
  ['PATCH', '/api/sites/a.example', {}, 'FOOTFALL_ERR_INVALID_FIELD'],
  ['PATCH', '/api/sites/a.example', { retentionMonths: 0 }, 'FOOTFALL_ERR_INVALID_RETENTION'],
  ['PATCH', '/api/sites/a.example', { retentionMonths: 1.5 }, 'FOOTFALL_ERR_INVALID_RETENTION'],
  ['PATCH', '/api/sites/a.example', { retentionMonths: 1201 }, 'FOOTFALL_ERR_INVALID_RETENTION'],
  ['PATCH', '/api/sites/a.example', { retentionMonths: '25m' }, 'FOOTFALL_ERR_INVALID_RETENTION'],
  // Neither setting is written when one is wrong (zones in counts() stay as they were).
  [
    'PATCH',
    '/api/sites/a.example',
    { timezone: 'Europe/Berlin', retentionMonths: -3 },
    'FOOTFALL_ERR_INVALID_RETENTION',
  ],
  ['DELETE', '/api/sites/a.example', { confirm: 'b.example' }, 'FOOTFALL_ERR_CONFIRM_MISMATCH'],
  ['DELETE', '/api/sites/a.example', { confirm: true }, 'FOOTFALL_ERR_CONFIRM_MISMATCH'],
  [
    'POST',
    '/api/sites/a.example/members',
    { email: 'member@example.com', role: 'owner' },
    'FOOTFALL_ERR_INVALID_FIELD',
  ],
  [
    'POST',
    '/api/sites/a.example/members',
    { email: 'not an email', role: 'viewer' },
    'FOOTFALL_ERR_INVALID_EMAIL',
  ],
  [
    'POST',
    '/api/sites/a.example/members',
    { email: 'owner@example.com', role: 'viewer' },
    'FOOTFALL_ERR_INVALID_FIELD',
  ],
  [
    'POST',
    '/api/users',
    { email: 'new@example.com', password: 'short', role: 'member' },
    'FOOTFALL_ERR_WEAK_PASSWORD',
  ],
  [
    'POST',
    '/api/users',
    { email: 'new@example.com', password: 'long enough', role: 'king' },
    'FOOTFALL_ERR_INVALID_FIELD',
  ],
  [
    'POST',
    '/api/users',
    { email: 'new@', password: 'long enough', role: 'member' },
    'FOOTFALL_ERR_INVALID_EMAIL',
  ],
  ['POST', '/api/keys', { sites: 'a.example' }, 'FOOTFALL_ERR_INVALID_FIELD'],
  ['POST', '/api/keys', { sites: [] }, 'FOOTFALL_ERR_INVALID_FIELD'],
  ['POST', '/api/keys', { sites: [1] }, 'FOOTFALL_ERR_INVALID_FIELD'],
  [
    'POST',
    '/api/keys',
    { sites: Array.from({ length: 101 }, (_, i) => `s${i}.example`) },
    'FOOTFALL_ERR_INVALID_FIELD',
  ],
  ['POST', '/api/keys', { sites: ['a.example'], readOnly: 'yes' }, 'FOOTFALL_ERR_INVALID_FIELD'],
  ['POST', '/api/keys', { sites: ['a.example'], name: '' }, 'FOOTFALL_ERR_INVALID_FIELD'],
  ['POST', '/api/keys', { sites: ['a.example'], readonly: true }, 'FOOTFALL_ERR_INVALID_FIELD'],
  ['POST', '/api/keys', { sites: ['bad domain'] }, 'FOOTFALL_ERR_INVALID_DOMAIN'],
  ['POST', '/api/keys', { sites: ['nope.example'] }, 'FOOTFALL_ERR_SITE_NOT_FOUND'],
  ['POST', '/api/sites/a.example/shares', { password: 5 }, 'FOOTFALL_ERR_WEAK_PASSWORD'],
  ['POST', '/api/sites/a.example/shares', { embeddable: 'yes' }, 'FOOTFALL_ERR_INVALID_FIELD'],
  ['POST', '/api/share/unlock', { token: 5, password: 'x' }, 'FOOTFALL_ERR_INVALID_FIELD'],
  ['POST', '/api/share/unlock', { token: 'x'.repeat(43), password: 'x' }, 'FOOTFALL_ERR_SHARE_NOT_FOUND'],
];

const BAD_IDS: [string, string][] = [
  ['DELETE', '/api/users/abc'],
  ['DELETE', '/api/users/0'],
  ['DELETE', '/api/keys/-1'],
  ['DELETE', '/api/keys/1e3'],
  ['DELETE', '/api/auth/sessions/99999999999'],
  ['DELETE', '/api/sites/a.example/members/1.5'],
  ['DELETE', '/api/sites/a.example/shares/%20'],
];

describe('bad input on the account and site routes', () => {
  let server: TestServer;
  let owner: Creds;
  let before_: Record<string, number>;
  const counts = async () => {
    const row = (
      await server.query(
        `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM site_members) AS members,
                (SELECT count(*) FROM share_links) AS shares, (SELECT count(*) FROM api_keys) AS keys,
                (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM sites) AS sites,
                (SELECT string_agg(timezone, ',') FROM sites) AS zones,
                (SELECT count(*) FROM site_retention) AS retention,
                (SELECT count(*) FROM report_subscriptions) AS reports,
                (SELECT count(*) FROM alert_rules) AS alerts`,
      )
    )[0]!;
    return Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]),
    );
  };

  before(async () => {
    server = await startTestServer({ sites: ['a.example'] });
    await addUser(server, 'owner@example.com', 'owner');
    await addUser(server, 'member@example.com');
    owner = await login(server, 'owner@example.com');
    before_ = (await counts()) as Record<string, number>;
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('oversized, malformed, non-object, non-UTF-8 and non-JSON bodies get their own codes on every route', async () => {
    const cases: [string, string | Uint8Array<ArrayBuffer>, string, number, string][] = [
      ['oversized', `{"x":"${'x'.repeat(70_000)}"}`, 'application/json', 413, 'FOOTFALL_ERR_BODY_TOO_LARGE'],
      ['malformed', '{"email":', 'application/json', 400, 'FOOTFALL_ERR_INVALID_JSON'],
      ['empty', '', 'application/json', 400, 'FOOTFALL_ERR_INVALID_JSON'],
      ['an array', '[]', 'application/json', 400, 'FOOTFALL_ERR_NOT_AN_OBJECT'],
      ['null', 'null', 'application/json', 400, 'FOOTFALL_ERR_NOT_AN_OBJECT'],
      [
        'not UTF-8',
        new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
        'application/json',
        400,
        'FOOTFALL_ERR_INVALID_ENCODING',
      ],
      ['a form', 'email=a', 'application/x-www-form-urlencoded', 415, 'FOOTFALL_ERR_UNSUPPORTED_MEDIA_TYPE'],
      ['text', '{}', 'text/plain', 415, 'FOOTFALL_ERR_UNSUPPORTED_MEDIA_TYPE'],
    ];
    const failures: string[] = [];
    for (const [method, path] of BODY_ROUTES) {
      for (const [name, body, type, status, code] of cases) {
        const res = await fetch(`${server.url}${path}`, {
          method,
          body,
          headers: { 'content-type': type, cookie: owner.cookie!, 'x-csrf-token': owner.csrf! },
        });
        const json = (await res.json()) as { error?: { code?: string } };
        if (res.status !== status || json.error?.code !== code) {
          failures.push(`${method} ${path} ${name}: ${res.status} ${JSON.stringify(json)}`);
        }
      }
    }
    assert.deepEqual(failures, []);
  });

  it('wrong types, unknown fields and bad values are a 400 that names the problem', async () => {
    const failures: string[] = [];
    for (const [method, path, body, code] of WRONG_FIELDS) {
      const res = await call(server, method, path, { as: owner, body });
      if (errorCode(res) !== code || res.status >= 500) {
        failures.push(`${method} ${path} ${JSON.stringify(body).slice(0, 80)}: ${res.status} ${res.text}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('ids in the path that are not positive integers are refused', async () => {
    for (const [method, path] of BAD_IDS) {
      const res = await call(server, method, path, { as: owner });
      assert.equal(res.status, 400, `${path}: ${res.text}`);
      assert.equal(errorCode(res), 'FOOTFALL_ERR_INVALID_FIELD');
    }
  });

  it('nothing was stored, and the server is still serving', async () => {
    assert.deepEqual(await counts(), before_);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    assert.equal((await call(server, 'GET', '/api/auth/me', { as: owner })).status, 200);
  });
});
