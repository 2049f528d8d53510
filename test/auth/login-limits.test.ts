// Guessing passwords: 5 failures a minute per address (an IPv6 /64) and per account, then
// 429; an unknown email and a wrong password cannot be told apart.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addUser, call, errorCode, manualClock, PASSWORD } from '../helpers/accounts.js';
import { removeDir, startTestServer, type TestServer } from '../helpers/server.js';

describe('login limits', () => {
  const clock = manualClock();
  let server: TestServer;
  // The server trusts the loopback proxy, so each test can pose as its own client address.
  const from = (ip: string) => ({ 'x-forwarded-for': ip });
  const attempt = (email: string, password: string, ip: string) =>
    call(server, 'POST', '/api/auth/login', { body: { email, password }, headers: from(ip) });

  before(async () => {
    server = await startTestServer({ flags: { trustProxy: 'loopback' }, now: clock.now });
    await addUser(server, 'alice@example.com', 'owner');
    await addUser(server, 'bob@example.com', 'owner');
    await addUser(server, 'carol@example.com', 'owner');
  });
  after(async () => {
    await server.close();
    removeDir(server.dataDir);
  });

  it('the 6th failed attempt on an account within a minute is refused with 429 and Retry-After, from any address', async () => {
    for (let i = 1; i <= 5; i++) {
      const res = await attempt('alice@example.com', `guess ${i}`, `203.0.113.${i}`);
      assert.equal(res.status, 401, `attempt ${i}`);
    }
    const sixth = await attempt('alice@example.com', 'guess 6', '203.0.113.6');
    assert.equal(sixth.status, 429);
    assert.equal(errorCode(sixth), 'FOOTFALL_ERR_TOO_MANY_ATTEMPTS');
    const retryAfter = Number(sixth.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
    // Not even the right password gets past the limit…
    assert.equal((await attempt('alice@example.com', PASSWORD, '203.0.113.7')).status, 429);
    // …until the minute is over.
    clock.advance(61_000);
    assert.equal((await attempt('alice@example.com', PASSWORD, '203.0.113.7')).status, 200);
  });

  it('the 6th failed attempt from one address within a minute is refused, whatever the account', async () => {
    const ip = '198.51.100.9';
    for (let i = 1; i <= 5; i++) {
      assert.equal((await attempt(`nobody${i}@example.com`, 'guess', ip)).status, 401);
    }
    const sixth = await attempt('bob@example.com', PASSWORD, ip);
    assert.equal(sixth.status, 429);
    assert.ok(Number(sixth.headers.get('retry-after')) >= 1);
    assert.equal(
      (await attempt('bob@example.com', PASSWORD, '198.51.100.10')).status,
      200,
      'other addresses',
    );
    clock.advance(61_000);
  });

  it('an IPv6 client is one address per /64', async () => {
    for (let i = 1; i <= 5; i++) {
      assert.equal((await attempt(`v6-${i}@example.com`, 'guess', `2001:db8:a:b::${i}`)).status, 401);
    }
    const sameBlock = await attempt('v6-6@example.com', 'guess', '2001:db8:a:b:ffff:1:2:3');
    assert.equal(sameBlock.status, 429, 'another address of the same /64');
    assert.equal((await attempt('v6-7@example.com', 'guess', '2001:db8:a:c::1')).status, 401, 'the next /64');
    clock.advance(61_000);
  });

  it('a successful login does not count as a failure', async () => {
    for (let i = 0; i < 7; i++) {
      assert.equal((await attempt('carol@example.com', PASSWORD, '192.0.2.50')).status, 200);
    }
  });

  it('an unknown email and a wrong password get the same status and body, in similar time', async () => {
    const times = { unknown: [] as number[], wrong: [] as number[] };
    const bodies = new Set<string>();
    for (let i = 0; i < 3; i++) {
      let t = performance.now();
      const unknown = await attempt(`ghost${i}@example.com`, 'guess', `192.0.2.${10 + i}`);
      times.unknown.push(performance.now() - t);
      t = performance.now();
      const wrong = await attempt('bob@example.com', `guess ${i}`, `192.0.2.${20 + i}`);
      times.wrong.push(performance.now() - t);
      assert.equal(unknown.status, 401);
      assert.equal(wrong.status, 401);
      bodies.add(unknown.text);
      bodies.add(wrong.text);
      assert.equal(unknown.headers.get('content-length'), wrong.headers.get('content-length'));
    }
    assert.deepEqual(
      [...bodies],
      [JSON.stringify({ error: { code: 'FOOTFALL_ERR_LOGIN_FAILED', message: 'wrong email or password' } })],
    );
    // Both run one scrypt hash (~0.3 s here); a skipped hash would be ~100× faster.
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    const ratio = median(times.unknown) / median(times.wrong);
    assert.ok(ratio > 0.5 && ratio < 2, `unknown ${times.unknown} vs wrong ${times.wrong}`);
  });
});
