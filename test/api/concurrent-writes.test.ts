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
    const sent: [string, Promise<Answer>][] = [];
    const send = (tag: string, method: string, path: string, body?: unknown) =>
      sent.push([tag, call(server, method, path, { as: owner, body })]);
    for (const d of doomed) send(`delete ${d}`, 'DELETE', `/api/sites/${d}`, { confirm: d });
    for (const d of [...added, 'dup.example', 'dup.example'])
      send(`add ${d}`, 'POST', '/api/sites', { domain: d });
    for (const d of kept) send(`patch ${d}`, 'PATCH', `/api/sites/${d}`, { timezone: 'Europe/Berlin' });
    for (let i = 0; i < 3; i++) {
      const email = `u${i}@example.com`;
      send(`user ${email}`, 'POST', '/api/users', { email, password: PASSWORD, role: 'member' });
    }
    for (const d of kept.slice(5)) send(`key ${d}`, 'POST', '/api/keys', { sites: [d], readOnly: true });
    for (const [i, d] of kept.slice(0, 5).entries()) {
      send(`share ${d}`, 'POST', `/api/sites/${d}/shares`, {});
      send(`member ${d}`, 'POST', `/api/sites/${d}/members`, { email: `m${i}@example.com`, role: 'viewer' });
    }
    for (const id of oldKeyIds) send(`unkey ${id}`, 'DELETE', `/api/keys/${id}`);

    // Settled together: one request failing outright must not leave the others' rejections unhandled.
    const settled = await Promise.allSettled(sent.map(([, promise]) => promise));
    const unanswered = settled.flatMap((r, i) =>
      r.status === 'rejected' ? [`${sent[i]![0]}: ${r.reason}`] : [],
    );
    assert.deepEqual(unanswered, [], 'every request is answered');
    const answers = new Map<string, Answer[]>();
    settled.forEach((r, i) => {
      const tag = sent[i]![0];
      if (r.status === 'fulfilled') answers.set(tag, [...(answers.get(tag) ?? []), r.value]);
    });
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
