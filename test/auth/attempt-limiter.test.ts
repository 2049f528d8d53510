// The limiter behind "5 failed attempts per minute per address and per account", and the
// password hasher it guards: what counts as a failure, which address is one client, what a
// flood of refused attempts may not do, and scrypt running one hash at a time.
import assert from 'node:assert/strict';
import { type ScryptOptions, scrypt } from 'node:crypto';
import { describe, it } from 'node:test';
import { AttemptLimiter, addressBucket, MAX_FAILURES } from '../../src/auth/attempt-limiter.js';
import { MAX_WAITING, PasswordHasher, type Scrypt } from '../../src/auth/passwords.js';
import { FootfallError } from '../../src/errors.js';
import { manualClock } from '../helpers/accounts.js';

const wrong = async () => false;
const isLimited = (err: unknown) =>
  err instanceof FootfallError &&
  err.code === 'FOOTFALL_ERR_TOO_MANY_ATTEMPTS' &&
  /retry in/.test(err.message);

describe('attempt limiter', () => {
  it('refused attempts add no keys: a flood of random accounts from a locked address keeps a victim locked', async () => {
    const clock = manualClock();
    // A small cache stands for the real 50,000 entries; the flood is twice its size.
    const limiter = new AttemptLimiter(clock.now, 100);
    for (let i = 0; i < MAX_FAILURES; i++) await limiter.check('login', `198.51.100.${i}`, 'victim', wrong);
    for (let i = 0; i < MAX_FAILURES; i++) await limiter.check('login', '203.0.113.9', `x${i}`, wrong);
    for (let i = 0; i < 200; i++) {
      await assert.rejects(limiter.check('login', '203.0.113.9', `random${i}@example.com`, wrong), isLimited);
    }
    await assert.rejects(
      limiter.check('login', '192.0.2.1', 'victim', wrong),
      isLimited,
      'victim still locked',
    );
  });

  it('a failure counts for a whole minute, not less and not more', async () => {
    const clock = manualClock();
    const limiter = new AttemptLimiter(clock.now);
    const guess = (i: number) => limiter.check('login', `192.0.2.${i}`, 'dave', wrong);
    for (let i = 1; i <= 3; i++) await guess(i);
    clock.advance(30_000);
    for (let i = 4; i <= 5; i++) await guess(i);
    clock.advance(29_000);
    // 59 s after the first failure, all five are within the minute.
    await assert.rejects(guess(6), isLimited);
    clock.advance(2_000);
    // 61 s after the first three, only the last two count.
    assert.equal(await guess(7), false);
  });

  it('an IPv6 client is one address per /64; IPv4 and IPv4-mapped addresses are themselves', () => {
    assert.equal(addressBucket('2001:db8:1:2::1'), '2001:db8:1:2::/64');
    assert.equal(addressBucket('2001:0db8:0001:0002:ffff:ffff:ffff:ffff'), '2001:db8:1:2::/64');
    assert.equal(addressBucket('2001:db8::'), '2001:db8:0:0::/64');
    assert.equal(addressBucket('::1'), '0:0:0:0::/64');
    assert.equal(addressBucket('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(addressBucket('0:0:0:0:0:ffff:cb00:7107'), '203.0.113.7');
    assert.equal(addressBucket('203.0.113.7'), '203.0.113.7');
  });

  it('a "server busy" refusal from the hasher is not a failed attempt', async () => {
    // Hashes that finish only when the test says so, to fill the hasher's queue.
    const held: (() => void)[] = [];
    let open = false;
    const gated: Scrypt = (_p, _s, keylen, _o, cb) => {
      const finish = () => cb(null, Buffer.alloc(keylen));
      if (open) setImmediate(finish);
      else held.push(finish);
    };
    const hasher = new PasswordHasher(undefined, gated);
    const limiter = new AttemptLimiter(manualClock().now);
    const queued = Array.from({ length: MAX_WAITING }, () => hasher.verify('x', undefined));
    for (let i = 0; i < MAX_FAILURES + 2; i++) {
      await assert.rejects(
        limiter.check('login', '192.0.2.7', 'alice', () => hasher.verify('guess', undefined)),
        (err: unknown) => err instanceof FootfallError && /busy/.test(err.message),
      );
    }
    open = true;
    for (const finish of held) finish();
    await Promise.all(queued);
    // Not one of the refusals counted: a real guess is checked (and fails) as usual.
    assert.equal(await limiter.check('login', '192.0.2.7', 'alice', wrong), false);
  });
});

describe('password hasher', () => {
  it('runs one scrypt at a time, however many hashes are asked for at once', async () => {
    let running = 0;
    let most = 0;
    const watched: Scrypt = (password, salt, keylen, options: ScryptOptions, cb) => {
      most = Math.max(most, ++running);
      scrypt(password, salt, keylen, options, (err, key) => {
        running--;
        cb(err, key);
      });
    };
    const hasher = new PasswordHasher(undefined, watched);
    const [, second] = await Promise.all([hasher.hash('one password'), hasher.hash('two password')]);
    assert.equal(most, 1, 'hashes overlapped');
    assert.equal(await hasher.verify('two password', second), true);
  });
});
