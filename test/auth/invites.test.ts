// Owners invite people with a one-time link instead of choosing their password (issue 12,
// B8): the link's token is stored hashed, expires after 7 days, works once, and the invited
// person cannot sign in until they have chosen a password through it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INVITE_TTL_MS } from '../../src/auth/invites.js';
import { addUser, call, cookieFrom, errorCode, login, manualClock, PASSWORD } from '../helpers/accounts.js';
import { removeDir, startTestServer, type TestServer } from '../helpers/server.js';

describe('invitations', () => {
  const clock = manualClock();
  let server: TestServer;
  let owner: Awaited<ReturnType<typeof login>>;

  before(async () => {
    server = await startTestServer({
      sites: ['a.example'],
      now: clock.now,
      flags: { publicUrl: 'https://stats.example.net' },
    });
    await addUser(server, 'owner@example.com', 'owner');
    owner = await login(server, 'owner@example.com');
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  const invite = async (email: string, role = 'member') => {
    const res = await call(server, 'POST', '/api/users', { as: owner, body: { email, role } });
    assert.equal(res.status, 201, res.text);
    const body = res.body as {
      user: { id: number; email: string };
      invite: { url: string; expiresAt: string };
    };
    const token = new URL(body.invite.url).searchParams.get('token')!;
    return { ...body, token };
  };
  const accept = (token: string, password = 'my own password') =>
    call(server, 'POST', '/api/auth/invite', { body: { token, password } });

  it('an invitation is a link on the public URL, the token kept only as a hash; nobody signs in before it is used', async () => {
    const inv = await invite('New@Example.com');
    assert.match(inv.invite.url, /^https:\/\/stats\.example\.net\/invite\?token=\d+\.[\w-]{43}$/);
    assert.equal(Date.parse(inv.invite.expiresAt), clock.now() + INVITE_TTL_MS);
    assert.equal(inv.user.email, 'new@example.com');
    const stored = await server.store.accounts.getUser(inv.user.id);
    const secret = inv.token.split('.')[1]!;
    assert.ok(!stored!.passwordHash.includes(secret), 'the token is not stored as it is');
    // Not with the token, the stored text, or anything else.
    for (const password of [inv.token, secret, stored!.passwordHash, PASSWORD]) {
      const res = await call(server, 'POST', '/api/auth/login', {
        body: { email: 'new@example.com', password },
      });
      assert.equal(errorCode(res), 'FOOTFALL_ERR_LOGIN_FAILED');
    }
  });

  it('the invited person chooses their password, is signed in, and the link works once', async () => {
    const inv = await invite('once@example.com');
    const weak = await accept(inv.token, 'short');
    assert.equal(errorCode(weak), 'FOOTFALL_ERR_WEAK_PASSWORD');
    const listed = async () =>
      (
        (await call(server, 'GET', '/api/users', { as: owner })).body as {
          users: { email: string; invited: boolean }[];
        }
      ).users.find((u) => u.email === 'once@example.com')?.invited;
    assert.equal(await listed(), true);
    const res = await accept(inv.token);
    assert.equal(res.status, 200, res.text);
    assert.equal(await listed(), false);
    assert.ok(cookieFrom(res.headers, 'footfall_session'), 'signed in');
    await login(server, 'once@example.com', 'my own password');
    const again = await accept(inv.token, 'someone elses password');
    assert.equal(again.status, 401);
    assert.equal(errorCode(again), 'FOOTFALL_ERR_INVITE_TOKEN');
    await login(server, 'once@example.com', 'my own password');
  });

  it('a link expires after 7 days; inviting again makes a new link and the old one stops working', async () => {
    const first = await invite('late@example.com');
    clock.advance(INVITE_TTL_MS + 1000);
    assert.equal(errorCode(await accept(first.token)), 'FOOTFALL_ERR_INVITE_TOKEN');
    const second = await invite('late@example.com');
    assert.equal(second.user.id, first.user.id);
    assert.equal(errorCode(await accept(first.token)), 'FOOTFALL_ERR_INVITE_TOKEN');
    assert.equal((await accept(second.token)).status, 200);
    // Someone with a password of their own is not re-invited.
    const res = await call(server, 'POST', '/api/users', {
      as: owner,
      body: { email: 'late@example.com', role: 'member' },
    });
    assert.equal(errorCode(res), 'FOOTFALL_ERR_USER_EXISTS');
  });

  it('a wrong, malformed or other user’s token is refused with nothing changed', async () => {
    const a = await invite('a@example.com');
    const b = await invite('b@example.com');
    const [aId, aSecret] = a.token.split('.') as [string, string];
    const bSecret = b.token.split('.')[1]!;
    for (const token of [
      `${aId}.${bSecret}`,
      `${aId}.${'x'.repeat(43)}`,
      aSecret,
      `0.${aSecret}`,
      `${aId}.`,
      '',
    ]) {
      const res = await accept(token);
      assert.ok([400, 401].includes(res.status), `${token}: ${res.text}`);
    }
    assert.equal((await accept(a.token)).status, 200);
    assert.equal((await accept(b.token)).status, 200);
  });

  it('only an owner invites', async () => {
    await addUser(server, 'member@example.com', 'member');
    const member = await login(server, 'member@example.com');
    const res = await call(server, 'POST', '/api/users', {
      as: member,
      body: { email: 'x@example.com', role: 'owner' },
    });
    assert.equal(res.status, 403);
    assert.equal(await server.store.accounts.findUserByEmail('x@example.com'), undefined);
  });
});
