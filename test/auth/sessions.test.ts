// First run, login, logout, expiry and password change do what README promises.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  type Answer,
  addUser,
  call,
  cookieFrom,
  DAY_MS,
  errorCode,
  login,
  manualClock,
  PASSWORD,
} from '../helpers/accounts.js';
import { removeDir, startTestServer, type TestServer, tempDir } from '../helpers/server.js';

const OWNER_PASSWORD = 'setup password 1';
const NEW_PASSWORD = 'a brand new password';

function setupToken(server: TestServer): string {
  const line = [...server.logs].reverse().find((l) => l.includes('/setup?token='));
  return /token=([\w-]+)/.exec(line ?? '')![1]!;
}

const sessionCookie = (res: Answer): string => cookieFrom(res.headers, 'footfall_session')!;

describe('first run, sign in, sessions', () => {
  const clock = manualClock();
  let server: TestServer;
  const answers: string[] = [];
  const track = (res: Answer) => {
    answers.push(res.text, JSON.stringify([...res.headers]));
    return res;
  };

  before(async () => {
    server = await startTestServer({ sites: ['a.example'], now: clock.now });
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('with no users, the setup link creates the owner once and signs them in', async () => {
    assert.deepEqual((await call(server, 'GET', '/api/auth/setup-status')).body, {
      needsSetup: true,
      mail: false,
    });
    const token = setupToken(server);
    const body = { token, email: 'Owner@Example.com', password: OWNER_PASSWORD };

    const wrong = await call(server, 'POST', '/api/auth/setup', { body: { ...body, token: 'x'.repeat(43) } });
    assert.equal(errorCode(wrong), 'FOOTFALL_ERR_SETUP_TOKEN');
    const weak = await call(server, 'POST', '/api/auth/setup', { body: { ...body, password: 'short' } });
    assert.equal(errorCode(weak), 'FOOTFALL_ERR_WEAK_PASSWORD');
    assert.equal(await server.store.accounts.countUsers(), 0);

    const res = track(await call(server, 'POST', '/api/auth/setup', { body }));
    assert.equal(res.status, 201, res.text);
    assert.deepEqual((res.body as { user: { email: string; role: string } }).user.email, 'owner@example.com');
    const setCookie = res.headers.getSetCookie().join('\n');
    assert.match(setCookie, /^footfall_session=[\w-]{43}; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Lax$/);
    const me = track(await call(server, 'GET', '/api/auth/me', { as: { cookie: sessionCookie(res) } }));
    assert.equal(me.status, 200);
    assert.deepEqual((me.body as { user: unknown }).user, {
      id: 1,
      email: 'owner@example.com',
      role: 'owner',
    });

    const again = await call(server, 'POST', '/api/auth/setup', {
      body: { ...body, email: 'x@example.com' },
    });
    assert.equal(again.status, 409);
    assert.equal(errorCode(again), 'FOOTFALL_ERR_SETUP_DONE');
    assert.deepEqual((await call(server, 'GET', '/api/auth/setup-status')).body, {
      needsSetup: false,
      mail: false,
    });
    assert.equal(await server.store.accounts.countUsers(), 1);
  });

  it('login gives a session that /api/auth/me knows; logout ends it at once', async () => {
    const res = track(
      await call(server, 'POST', '/api/auth/login', {
        body: { email: 'OWNER@example.com', password: OWNER_PASSWORD },
      }),
    );
    assert.equal(res.status, 200, res.text);
    const cookie = sessionCookie(res);
    const me = await call(server, 'GET', '/api/auth/me', { as: { cookie } });
    const csrf = (me.body as { csrf: string }).csrf;
    assert.match(csrf, /^[\w-]{43}$/);
    // The store keeps the token's hash, never the token.
    const token = cookie.split('=')[1]!;
    const stored = await server.query('SELECT token_hash FROM sessions');
    assert.ok(stored.some((r) => r.token_hash === createHash('sha256').update(token).digest('hex')));
    assert.ok(!stored.some((r) => String(r.token_hash).includes(token)));

    const out = await call(server, 'POST', '/api/auth/logout', { as: { cookie, csrf } });
    assert.equal(out.status, 204);
    assert.match(out.headers.getSetCookie().join(), /footfall_session=; Max-Age=0/);
    const after = await call(server, 'GET', '/api/auth/me', { as: { cookie } });
    assert.equal(after.status, 401);
    assert.equal(errorCode(after), 'FOOTFALL_ERR_UNAUTHORIZED');
  });

  it('a session lasts 30 days from its last use', async () => {
    const as = await login(server, 'owner@example.com', OWNER_PASSWORD);
    clock.advance(20 * DAY_MS);
    assert.equal((await call(server, 'GET', '/api/auth/me', { as })).status, 200, 'used on day 20');
    clock.advance(20 * DAY_MS);
    assert.equal(
      (await call(server, 'GET', '/api/auth/me', { as })).status,
      200,
      'day 40: 20 days since use',
    );
    clock.advance(30 * DAY_MS + 1000);
    assert.equal((await call(server, 'GET', '/api/auth/me', { as })).status, 401, '30 days unused');
  });

  it("an API key's last use is written at most once a minute", async () => {
    const as = await login(server, 'owner@example.com', OWNER_PASSWORD);
    const made = await call(server, 'POST', '/api/keys', {
      as,
      body: { sites: ['a.example'], readOnly: true },
    });
    assert.equal(made.status, 201, made.text);
    const { id, key } = made.body as { id: number; key: string };
    const lastUsed = async () =>
      (await server.store.accounts.listApiKeys()).find((k) => k.id === id)?.lastUsedAt;
    const use = async () =>
      assert.equal((await call(server, 'GET', '/api/sites', { as: { bearer: key } })).status, 200);
    const first = clock.now();
    await use();
    assert.equal(await lastUsed(), first, 'the first use is recorded');
    clock.advance(30_000);
    await use();
    clock.advance(29_000);
    await use();
    assert.equal(await lastUsed(), first, 'uses within the minute write nothing');
    clock.advance(2_000);
    await use();
    assert.equal(await lastUsed(), first + 61_000, 'a use after the minute is recorded');
  });

  it('changing the password ends every other session, keeps this one, and retires the old password', async () => {
    const here = await login(server, 'owner@example.com', OWNER_PASSWORD);
    const elsewhere = await login(server, 'owner@example.com', OWNER_PASSWORD);
    const wrong = await call(server, 'POST', '/api/auth/password', {
      as: here,
      body: { current: 'not my password', password: NEW_PASSWORD },
    });
    assert.equal(errorCode(wrong), 'FOOTFALL_ERR_WRONG_PASSWORD');
    assert.equal((await call(server, 'GET', '/api/auth/me', { as: elsewhere })).status, 200);

    const weak = await call(server, 'POST', '/api/auth/password', {
      as: here,
      body: { current: OWNER_PASSWORD, password: 'short' },
    });
    assert.equal(errorCode(weak), 'FOOTFALL_ERR_WEAK_PASSWORD');

    const ok = await call(server, 'POST', '/api/auth/password', {
      as: here,
      body: { current: OWNER_PASSWORD, password: NEW_PASSWORD },
    });
    assert.equal(ok.status, 204, ok.text);
    assert.equal((await call(server, 'GET', '/api/auth/me', { as: elsewhere })).status, 401);
    assert.equal((await call(server, 'GET', '/api/auth/me', { as: here })).status, 200);
    const old = await call(server, 'POST', '/api/auth/login', {
      body: { email: 'owner@example.com', password: OWNER_PASSWORD },
    });
    assert.equal(errorCode(old), 'FOOTFALL_ERR_LOGIN_FAILED');
    await login(server, 'owner@example.com', NEW_PASSWORD);
  });

  it("a user lists their sessions and ends one; others' sessions are out of reach", async () => {
    const a = await login(server, 'owner@example.com', NEW_PASSWORD);
    const b = await login(server, 'owner@example.com', NEW_PASSWORD);
    await addUser(server, 'member@example.com');
    const member = await login(server, 'member@example.com');
    const list = await call(server, 'GET', '/api/auth/sessions', { as: a });
    const sessions = (list.body as { sessions: { id: number; current: boolean; createdAt: string }[] })
      .sessions;
    assert.ok(sessions.length >= 2);
    assert.equal(sessions.filter((s) => s.current).length, 1);
    assert.match(sessions[0]!.createdAt, /^\d{4}-\d\d-\d\dT/);
    const bId = sessions.find((s) => !s.current)!.id;
    const memberSessions = (await call(server, 'GET', '/api/auth/sessions', { as: member })).body as {
      sessions: { id: number }[];
    };
    const foreign = await call(server, 'DELETE', `/api/auth/sessions/${memberSessions.sessions[0]!.id}`, {
      as: a,
    });
    assert.equal(errorCode(foreign), 'FOOTFALL_ERR_SESSION_NOT_FOUND');
    assert.equal((await call(server, 'GET', '/api/auth/me', { as: member })).status, 200);
    // End every other session of the owner, one by one.
    for (const s of sessions.filter((x) => !x.current)) {
      assert.equal((await call(server, 'DELETE', `/api/auth/sessions/${s.id}`, { as: a })).status, 204);
    }
    assert.ok(bId > 0);
    assert.equal((await call(server, 'GET', '/api/auth/me', { as: b })).status, 401);
    assert.equal((await call(server, 'GET', '/api/auth/me', { as: a })).status, 200);
  });

  it('passwords appear in no log line, no response and no database column', async () => {
    const passwords = [OWNER_PASSWORD, NEW_PASSWORD, PASSWORD];
    const logs = server.logs.join('\n');
    const rows = JSON.stringify(await server.query('SELECT * FROM users'), (_k, v) =>
      typeof v === 'bigint' ? String(v) : v,
    );
    for (const p of passwords) {
      assert.ok(!logs.includes(p), 'log');
      assert.ok(!answers.some((a) => a.includes(p)), 'response');
      assert.ok(!rows.includes(p), 'database');
    }
    assert.match(rows, /scrypt\$131072\$8\$1\$/);
  });
});

describe('setup link across restarts', () => {
  it('each start without users makes a new link; the older one stops working', async () => {
    const dataDir = tempDir();
    try {
      const first = await startTestServer({ dataDir });
      const oldToken = setupToken(first);
      await first.close();
      const second = await startTestServer({ dataDir, sites: [] });
      try {
        const newToken = setupToken(second);
        assert.notEqual(newToken, oldToken);
        const body = { email: 'o@example.com', password: OWNER_PASSWORD };
        const stale = await call(second, 'POST', '/api/auth/setup', { body: { ...body, token: oldToken } });
        assert.equal(errorCode(stale), 'FOOTFALL_ERR_SETUP_TOKEN');
        const ok = await call(second, 'POST', '/api/auth/setup', { body: { ...body, token: newToken } });
        assert.equal(ok.status, 201);
      } finally {
        await second.close();
      }
      const third = await startTestServer({ dataDir, sites: [] });
      assert.ok(!third.logs.some((l) => l.includes('/setup?token=')), 'no link once a user exists');
      await third.close();
    } finally {
      removeDir(dataDir);
    }
  });
});

describe('the session cookie is Secure when the browser came over https', () => {
  const cases: {
    name: string;
    flags: Record<string, string>;
    headers: Record<string, string>;
    secure: boolean;
  }[] = [
    { name: 'plain http', flags: {}, headers: { 'x-forwarded-proto': 'https' }, secure: false },
    {
      name: 'https public URL',
      flags: { publicUrl: 'https://stats.example.com' },
      headers: {},
      secure: true,
    },
    {
      name: 'a trusted proxy saying https',
      flags: { trustProxy: 'loopback' },
      headers: { 'x-forwarded-proto': 'https' },
      secure: true,
    },
    { name: 'a trusted proxy saying http', flags: { trustProxy: 'loopback' }, headers: {}, secure: false },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.secure ? 'Secure' : 'not Secure'}`, async () => {
      const server = await startTestServer({ flags: c.flags });
      try {
        await addUser(server, 'o@example.com', 'owner');
        const res = await call(server, 'POST', '/api/auth/login', {
          body: { email: 'o@example.com', password: PASSWORD },
          headers: c.headers,
        });
        assert.equal(res.status, 200);
        assert.equal(/; Secure/.test(res.headers.getSetCookie().join()), c.secure);
      } finally {
        await server.close();
        removeDir(server.dataDir);
      }
    });
  }
});
