// Issue 11.3: metadata writes sent at the same moment — sites, users, keys, share links,
// members — each either take effect or are refused with a 4xx; an acknowledged write is
// never rolled back by another request's transaction, and a duplicate answers 409, not 500.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Answer, addUser, type Creds, call, login, PASSWORD } from '../helpers/accounts.js';
import { removeDir, startTestServer, type TestServer } from '../helpers/server.js';

const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));
const doomed = range(10, (i) => `gone${i}.example`);
const kept = range(10, (i) => `kept${i}.example`);
const added = range(10, (i) => `new${i}.example`);

describe('concurrent metadata writes', () => {
  let server: TestServer;
  let owner: Creds;
  const memberIds: number[] = [];
  const oldKeyIds: number[] = [];

  before(async () => {
    server = await startTestServer({ sites: [...doomed, ...kept] });
    await addUser(server, 'owner@example.com', 'owner');
    for (let i = 0; i < 5; i++) memberIds.push(await addUser(server, `m${i}@example.com`));
    owner = await login(server, 'owner@example.com');
    for (let i = 0; i < 5; i++) {
      const key = await call(server, 'POST', '/api/keys', {
        as: owner,
        body: { sites: [kept[i]], readOnly: true },
      });
      oldKeyIds.push((key.body as { id: number }).id);
    }
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('every 2xx answer took effect, duplicates get 409, nothing answers 500', async () => {
    const as = owner;
    const tagged: [string, Promise<Answer>][] = [
      ...doomed.map(
        (d) =>
          [`delete ${d}`, call(server, 'DELETE', `/api/sites/${d}`, { as, body: { confirm: d } })] as const,
      ),
      ...added.map(
        (d) => [`add ${d}`, call(server, 'POST', '/api/sites', { as, body: { domain: d } })] as const,
      ),
      ...range(2, () => 'dup.example').map(
        (d) => [`add ${d}`, call(server, 'POST', '/api/sites', { as, body: { domain: d } })] as const,
      ),
      ...kept.map(
        (d) =>
          [
            `patch ${d}`,
            call(server, 'PATCH', `/api/sites/${d}`, { as, body: { timezone: 'Europe/Berlin' } }),
          ] as const,
      ),
      ...range(3, (i) => `u${i}@example.com`).map(
        (email) =>
          [
            `user ${email}`,
            call(server, 'POST', '/api/users', { as, body: { email, password: PASSWORD, role: 'member' } }),
          ] as const,
      ),
      ...kept
        .slice(5)
        .map(
          (d) =>
            [
              `key ${d}`,
              call(server, 'POST', '/api/keys', { as, body: { sites: [d], readOnly: true } }),
            ] as const,
        ),
      ...kept
        .slice(0, 5)
        .map(
          (d) => [`share ${d}`, call(server, 'POST', `/api/sites/${d}/shares`, { as, body: {} })] as const,
        ),
      ...kept.slice(0, 5).map(
        (d, i) =>
          [
            `member ${d}`,
            call(server, 'POST', `/api/sites/${d}/members`, {
              as,
              body: { email: `m${i}@example.com`, role: 'viewer' },
            }),
          ] as const,
      ),
      ...oldKeyIds.map((id) => [`unkey ${id}`, call(server, 'DELETE', `/api/keys/${id}`, { as })] as const),
    ];
    const answers = new Map<string, Answer[]>();
    for (const [tag, promise] of tagged) answers.set(tag, [...(answers.get(tag) ?? []), await promise]);
    const statuses = (tag: string) => answers.get(tag)!.map((a) => a.status);

    const failed = [...answers].flatMap(([tag, list]) =>
      list.filter((a) => a.status >= 500).map((a) => `${tag}: ${a.status} ${a.text}`),
    );
    assert.deepEqual(failed, [], 'no write fails with a server error');

    const sites = await server.query('SELECT domain, timezone FROM sites ORDER BY domain');
    const zone = new Map(sites.map((s) => [String(s.domain), String(s.timezone)]));
    for (const d of doomed) {
      assert.deepEqual(statuses(`delete ${d}`), [204], d);
      assert.ok(!zone.has(d), `${d} answered 204 and is gone`);
    }
    for (const d of added) {
      assert.deepEqual(statuses(`add ${d}`), [201], d);
      assert.ok(zone.has(d), `${d} answered 201 and exists`);
    }
    assert.deepEqual(statuses('add dup.example').sort(), [201, 409], 'one duplicate add wins');
    assert.ok(zone.has('dup.example'));
    for (const d of kept) {
      assert.deepEqual(statuses(`patch ${d}`), [200], d);
      assert.equal(zone.get(d), 'Europe/Berlin', `${d} answered 200 and changed`);
    }

    const users = await server.query('SELECT email FROM users');
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(statuses(`user u${i}@example.com`), [201]);
      assert.ok(users.some((u) => u.email === `u${i}@example.com`));
    }

    const keys = await server.store.accounts.listApiKeys();
    for (const d of kept.slice(5)) {
      const [answer] = answers.get(`key ${d}`)!;
      assert.equal(answer!.status, 201, answer!.text);
      const id = (answer!.body as { id: number }).id;
      assert.deepEqual(keys.find((k) => k.id === id)?.sites, [d], `key for ${d} exists`);
    }
    for (const id of oldKeyIds) {
      assert.deepEqual(statuses(`unkey ${id}`), [204]);
      assert.ok(!keys.some((k) => k.id === id), `key ${id} is gone`);
    }

    for (const [i, d] of kept.slice(0, 5).entries()) {
      const [share] = answers.get(`share ${d}`)!;
      assert.equal(share!.status, 201, share!.text);
      const shares = await server.store.accounts.listShareLinks(d);
      assert.deepEqual(
        shares.map((s) => s.id),
        [(share!.body as { share: { id: number } }).share.id],
        `share of ${d} exists`,
      );
      assert.deepEqual(statuses(`member ${d}`), [201]);
      assert.equal(await server.store.accounts.siteRole(memberIds[i]!, d), 'viewer', `member of ${d}`);
    }
  });
});
