// POST /api/v2/prop-keys (issue 12, B4): the custom-property keys of the events a range and
// filters select, most used first, bounded; read like any stats route (share links and
// read-only keys included), refused with a coded 400 when malformed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addUser, call, errorCode, login } from '../helpers/accounts.js';
import { ADMIN_KEY, sendEvent } from '../helpers/dashboard.js';
import { removeDir, startTestServer, type TestServer } from '../helpers/server.js';

const SITE = 'a.example';

describe('property keys of events', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      sites: [SITE, 'b.example'],
      flags: { trustProxy: 'loopback', adminKey: ADMIN_KEY },
    });
    const send = (name: string, props: Record<string, string>, n: number, domain = SITE) =>
      sendEvent(server, { domain, url: `https://${domain}/x`, ip: `10.0.0.${n}`, name, props });
    let n = 0;
    for (let i = 0; i < 3; i++) await send('Signup', { plan: 'pro', seats: '2' }, ++n);
    for (let i = 0; i < 2; i++) await send('Signup', { coupon: 'x' }, ++n);
    await send('Signup', { plan: 'free' }, ++n);
    await send('Play', { video: 'intro' }, ++n);
    await send('Signup', { other_site: 'y' }, ++n, 'b.example');
    await server.flush();
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  const ask = (body: Record<string, unknown>, bearer = ADMIN_KEY) =>
    call(server, 'POST', '/api/v2/prop-keys', { as: { bearer }, body });
  const signup = { site_id: SITE, date_range: 'day', filters: [['is', 'event:name', ['Signup']]] };

  it("lists the event's keys with their event counts, most used first, only that site's", async () => {
    const res = await ask(signup);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, {
      keys: [
        { key: 'plan', events: 4 },
        { key: 'seats', events: 3 },
        { key: 'coupon', events: 2 },
      ],
    });
    const all = await ask({ site_id: SITE, date_range: 'day' });
    assert.deepEqual(
      (all.body as { keys: { key: string }[] }).keys.map((k) => k.key),
      ['plan', 'seats', 'coupon', 'video'],
    );
  });

  it('is bounded by limit (1–100, 25 by default) and refuses what it does not know', async () => {
    assert.deepEqual((await ask({ ...signup, limit: 1 })).body, { keys: [{ key: 'plan', events: 4 }] });
    for (const bad of [
      { ...signup, limit: 101 },
      { ...signup, limit: 0 },
      { ...signup, metrics: ['visitors'] },
      { date_range: 'day' },
    ]) {
      const res = await ask(bad);
      assert.equal(res.status, 400, JSON.stringify(bad));
      // Without site_id the access rule refuses first (INVALID_FIELD); the rest, the parser.
      assert.match(errorCode(res) ?? '', /^FOOTFALL_ERR_INVALID_(QUERY|FIELD)$/);
    }
  });

  it('a share link and a read-only key of the site may ask; of another site, not', async () => {
    const share = await call(server, 'POST', `/api/sites/${SITE}/shares`, {
      as: { bearer: ADMIN_KEY },
      body: {},
    });
    const token = new URL((share.body as { share: { url: string } }).share.url).pathname.split('/').pop()!;
    const viaShare = await call(server, 'POST', '/api/v2/prop-keys', { as: { share: token }, body: signup });
    assert.equal(viaShare.status, 200, viaShare.text);
    const other = await call(server, 'POST', '/api/v2/prop-keys', {
      as: { share: token },
      body: { ...signup, site_id: 'b.example' },
    });
    assert.equal(other.status, 403);

    await addUser(server, 'owner@example.com', 'owner');
    const session = await login(server, 'owner@example.com');
    const created = await call(server, 'POST', '/api/keys', {
      as: session,
      body: { name: 'ro', sites: [SITE], readOnly: true },
    });
    const key = (created.body as { key: string }).key;
    assert.equal((await ask(signup, key)).status, 200);
    assert.equal((await ask({ ...signup, site_id: 'b.example' }, key)).status, 403);
  });
});
