// The JSON API for sites, members, users and keys does what README's table says, and each
// change of who may do what takes effect at once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KeyView as PublicKeyView } from '../../src/auth/keys.js';
import { addUser, type Creds, call, errorCode, login, PASSWORD } from '../helpers/accounts.js';
import { hit, removeDir, startTestServer, type TestServer } from '../helpers/server.js';

interface SiteView {
  domain: string;
  timezone: string;
  umamiId?: string | null;
  role: string;
}
/** A key as the API answers it; `key` (the secret) only when it is created. */
type KeyView = PublicKeyView & { key?: string };

describe('sites, members, users and keys', () => {
  let server: TestServer;
  let owner: Creds;
  let adminA: Creds;
  let adminB: Creds;
  let member: Creds;
  let memberId: number;

  const sitesOf = async (as: Creds) =>
    ((await call(server, 'GET', '/api/sites', { as })).body as { sites: SiteView[] }).sites.map(
      (s) => `${s.domain}:${s.role}`,
    );

  before(async () => {
    server = await startTestServer({ sites: ['a.example', 'b.example'] });
    await addUser(server, 'owner@example.com', 'owner');
    const a = await addUser(server, 'admin-a@example.com');
    const b = await addUser(server, 'admin-b@example.com');
    memberId = await addUser(server, 'member@example.com');
    await server.store.accounts.setMember('a.example', a, 'admin');
    await server.store.accounts.setMember('b.example', b, 'admin');
    owner = await login(server, 'owner@example.com');
    adminA = await login(server, 'admin-a@example.com');
    adminB = await login(server, 'admin-b@example.com');
    member = await login(server, 'member@example.com');
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('each identity lists only the sites it may see, with its role there', async () => {
    assert.deepEqual(await sitesOf(owner), ['a.example:owner', 'b.example:owner']);
    assert.deepEqual(await sitesOf(adminA), ['a.example:admin']);
    assert.deepEqual(await sitesOf(adminB), ['b.example:admin']);
    assert.deepEqual(await sitesOf(member), []);
    const one = await call(server, 'GET', '/api/sites/a.example', { as: adminA });
    assert.deepEqual(one.body, {
      site: {
        domain: 'a.example',
        timezone: 'UTC',
        umamiId: null,
        retentionMonths: null,
        oldestEvent: null,
        role: 'admin',
      },
    });
  });

  it('an owner adds a site that is tracked at once, a site admin changes its time zone, an owner deletes it', async () => {
    const add = await call(server, 'POST', '/api/sites', {
      as: owner,
      body: { domain: 'WWW.C.example', timezone: 'europe/berlin' },
    });
    assert.equal(add.status, 201, add.text);
    assert.deepEqual((add.body as { site: SiteView }).site, {
      domain: 'c.example',
      timezone: 'Europe/Berlin',
      umamiId: null,
      retentionMonths: null,
      role: 'owner',
    });
    assert.equal(
      (await hit(`${server.url}/a.gif?url=${encodeURIComponent('https://c.example/x')}`)).status,
      200,
    );
    const stored = await server.query(
      "SELECT count(*) AS n FROM events e JOIN sites s ON s.id = e.site_id WHERE s.domain = 'c.example'",
    );
    assert.equal(Number(stored[0]!.n), 1);

    const cSite = (await server.query("SELECT id FROM sites WHERE domain = 'c.example'"))[0]!.id as number;
    await server.store.accounts.setMember('c.example', memberId, 'admin');
    const patch = await call(server, 'PATCH', '/api/sites/c.example', {
      as: member,
      body: { timezone: 'America/New_York' },
    });
    assert.equal(patch.status, 200, patch.text);
    assert.equal((patch.body as { site: SiteView }).site.timezone, 'America/New_York');
    const byAdmin = await call(server, 'DELETE', '/api/sites/c.example', {
      as: member,
      body: { confirm: 'c.example' },
    });
    assert.equal(byAdmin.status, 403, 'only an owner deletes a site');

    const del = await call(server, 'DELETE', '/api/sites/c.example', {
      as: owner,
      body: { confirm: 'c.example' },
    });
    assert.equal(del.status, 204, del.text);
    const left = await server.query(
      `SELECT (SELECT count(*) FROM events WHERE site_id = $1) AS events,
              (SELECT count(*) FROM site_members WHERE site_id = $1) AS members`,
      [cSite],
    );
    assert.deepEqual([Number(left[0]!.events), Number(left[0]!.members)], [0, 0]);
    assert.deepEqual(await sitesOf(member), []);
    assert.equal(
      errorCode(await call(server, 'GET', '/api/sites/c.example', { as: owner })),
      'FOOTFALL_ERR_SITE_NOT_FOUND',
    );
  });

  it("a site admin gives and takes a member's role, which takes effect at once", async () => {
    const add = await call(server, 'POST', '/api/sites/a.example/members', {
      as: adminA,
      body: { email: 'Member@Example.com', role: 'viewer' },
    });
    assert.equal(add.status, 201, add.text);
    assert.deepEqual(await sitesOf(member), ['a.example:viewer']);
    assert.equal((await call(server, 'GET', '/api/sites/a.example/members', { as: member })).status, 403);

    await call(server, 'POST', '/api/sites/a.example/members', {
      as: adminA,
      body: { email: 'member@example.com', role: 'admin' },
    });
    const list = await call(server, 'GET', '/api/sites/a.example/members', { as: member });
    assert.deepEqual((list.body as { members: unknown[] }).members, [
      { userId: 2, email: 'admin-a@example.com', role: 'admin' },
      { userId: memberId, email: 'member@example.com', role: 'admin' },
    ]);

    const foreign = await call(server, 'DELETE', `/api/sites/a.example/members/${memberId}`, { as: adminB });
    assert.equal(foreign.status, 403, "b's admin cannot manage a");
    const del = await call(server, 'DELETE', `/api/sites/a.example/members/${memberId}`, { as: adminA });
    assert.equal(del.status, 204);
    assert.equal((await call(server, 'GET', '/api/sites/a.example', { as: member })).status, 403);
    const again = await call(server, 'DELETE', `/api/sites/a.example/members/${memberId}`, { as: adminA });
    assert.equal(errorCode(again), 'FOOTFALL_ERR_MEMBER_NOT_FOUND');
    const unknown = await call(server, 'POST', '/api/sites/a.example/members', {
      as: adminA,
      body: { email: 'stranger@example.com', role: 'viewer' },
    });
    assert.equal(errorCode(unknown), 'FOOTFALL_ERR_USER_NOT_FOUND');
  });

  it('keys: scoped to sites, read-only or read-write, never more than their user, listed without the key', async () => {
    await server.store.accounts.setMember('a.example', memberId, 'viewer');
    const rw = await call(server, 'POST', '/api/keys', { as: member, body: { sites: ['a.example'] } });
    assert.equal(rw.status, 403, 'a viewer may not make a read-write key');
    const notMine = await call(server, 'POST', '/api/keys', {
      as: member,
      body: { sites: ['b.example'], readOnly: true },
    });
    assert.equal(notMine.status, 403, 'nor a key for a site they cannot read');
    const ro = await call(server, 'POST', '/api/keys', {
      as: member,
      body: { name: 'dashboard', sites: ['a.example'], readOnly: true },
    });
    assert.equal(ro.status, 201, ro.text);
    const roKey = ro.body as KeyView;
    assert.match(roKey.key!, /^ff_[\w-]{43}$/);
    assert.equal(roKey.prefix, roKey.key!.slice(0, 9));
    assert.equal(roKey.lastUsedAt, null);
    const bearer = { bearer: roKey.key! };

    assert.equal((await call(server, 'GET', '/api/sites/a.example', { as: bearer })).status, 200);
    assert.equal((await call(server, 'GET', '/api/sites/b.example', { as: bearer })).status, 403);
    assert.equal(
      (await call(server, 'PATCH', '/api/sites/a.example', { as: bearer, body: { timezone: 'UTC' } })).status,
      403,
    );
    const listed = await call(server, 'GET', '/api/keys', { as: member });
    const keys = (listed.body as { keys: KeyView[] }).keys;
    assert.equal(keys.length, 1);
    assert.ok(!listed.text.includes(roKey.key!), 'the key itself is shown once only');
    assert.match(keys[0]!.lastUsedAt ?? '', /^\d{4}-/);
    assert.deepEqual((await call(server, 'GET', '/api/keys', { as: adminA })).body, { keys: [] });

    // An admin's read-write key changes settings but does not manage who sees the site.
    const adminKey = await call(server, 'POST', '/api/keys', { as: adminA, body: { sites: ['a.example'] } });
    const rwBearer = { bearer: (adminKey.body as KeyView).key! };
    const patched = await call(server, 'PATCH', '/api/sites/a.example', {
      as: rwBearer,
      body: { timezone: 'Europe/Paris' },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal((await call(server, 'GET', '/api/sites/a.example/members', { as: rwBearer })).status, 403);

    // Losing the role takes it from the key at once.
    await call(server, 'DELETE', `/api/sites/a.example/members/${memberId}`, { as: adminA });
    assert.equal((await call(server, 'GET', '/api/sites/a.example', { as: bearer })).status, 403);

    const foreign = await call(server, 'DELETE', `/api/keys/${roKey.id}`, { as: adminA });
    assert.equal(errorCode(foreign), 'FOOTFALL_ERR_KEY_NOT_FOUND', "someone else's key");
    assert.equal((await call(server, 'DELETE', `/api/keys/${roKey.id}`, { as: member })).status, 204);
    assert.equal((await call(server, 'GET', '/api/sites', { as: bearer })).status, 401, 'revoked at once');
  });

  it('an owner adds and removes users; a removed user is signed out and their keys stop at once', async () => {
    const add = await call(server, 'POST', '/api/users', {
      as: owner,
      body: { email: 'New@Example.com', password: PASSWORD, role: 'member' },
    });
    assert.equal(add.status, 201, add.text);
    const user = (add.body as { user: { id: number; email: string; role: string } }).user;
    assert.deepEqual([user.email, user.role], ['new@example.com', 'member']);
    const dup = await call(server, 'POST', '/api/users', {
      as: owner,
      body: { email: 'new@example.com', password: PASSWORD, role: 'member' },
    });
    assert.equal(errorCode(dup), 'FOOTFALL_ERR_USER_EXISTS');
    const list = await call(server, 'GET', '/api/users', { as: owner });
    assert.ok(!list.text.includes('scrypt') && !list.text.includes('password'));

    await server.store.accounts.setMember('b.example', user.id, 'viewer');
    const newUser = await login(server, 'new@example.com');
    const key = await call(server, 'POST', '/api/keys', {
      as: newUser,
      body: { sites: ['b.example'], readOnly: true },
    });
    const bearer = { bearer: (key.body as KeyView).key! };
    assert.equal((await call(server, 'GET', '/api/sites', { as: bearer })).status, 200);

    assert.equal((await call(server, 'DELETE', `/api/users/${user.id}`, { as: owner })).status, 204);
    assert.equal((await call(server, 'GET', '/api/auth/me', { as: newUser })).status, 401);
    assert.equal((await call(server, 'GET', '/api/sites', { as: bearer })).status, 401);
    assert.equal(
      errorCode(await call(server, 'DELETE', `/api/users/${user.id}`, { as: owner })),
      'FOOTFALL_ERR_USER_NOT_FOUND',
    );
  });

  it('the last owner cannot be removed', async () => {
    const me = (await call(server, 'GET', '/api/auth/me', { as: owner })).body as { user: { id: number } };
    const res = await call(server, 'DELETE', `/api/users/${me.user.id}`, { as: owner });
    assert.equal(res.status, 409);
    assert.equal(errorCode(res), 'FOOTFALL_ERR_LAST_OWNER');
    assert.equal((await call(server, 'GET', '/api/auth/me', { as: owner })).status, 200);
  });
});
