// Password hashes, on the hasher itself: the stored form and its cost (OWASP's scrypt, kept in
// each hash), a hash made elsewhere with node's scrypt verifies, what is not a valid hash costs
// the same scrypt run and matches nothing, and hashes run one at a time with a bounded queue.
// Most tests hand the hasher a stand-in for node's scrypt (its existing parameter) that records
// what it was asked and answers at once, so the cost of 2^17 is checked without being paid.
import assert from 'node:assert/strict';
import { createHmac, type ScryptOptions, scryptSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { MAX_WAITING, PasswordHasher, type Scrypt } from '../../src/auth/passwords.js';
import { FootfallError } from '../../src/errors.js';

interface Call {
  password: string;
  salt: Buffer;
  keylen: number;
  options: ScryptOptions;
}

/** Answers at once with an HMAC of password and salt (or the key given), recording each call. */
function standIn(key?: (keylen: number) => Buffer): { kdf: Scrypt; calls: Call[] } {
  const calls: Call[] = [];
  const kdf: Scrypt = (password, salt, keylen, options, cb) => {
    calls.push({ password, salt, keylen, options });
    const out = key ? key(keylen) : createHmac('sha256', salt).update(password).digest().subarray(0, keylen);
    setImmediate(() => cb(null, out));
  };
  return { kdf, calls };
}

/** Finishes each scrypt run only when the test says so. */
function gated(): { kdf: Scrypt; started: () => number; finishNext: () => void } {
  const waiting: (() => void)[] = [];
  let started = 0;
  const kdf: Scrypt = (_p, _s, keylen, _o, cb) => {
    started++;
    waiting.push(() => cb(null, Buffer.alloc(keylen)));
  };
  return { kdf, started: () => started, finishNext: () => waiting.shift()!() };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const OWASP = { N: 2 ** 17, r: 8, p: 1 };
const fixedSalt = (n: number) => Buffer.alloc(n, 7);

describe('password hashes', () => {
  it("are stored as scrypt$N$r$p$salt$key with OWASP's cost, a 16-byte random salt and a 32-byte key", async () => {
    const { kdf, calls } = standIn();
    const asked: number[] = [];
    const hasher = new PasswordHasher((n) => {
      asked.push(n);
      return fixedSalt(n);
    }, kdf);
    const stored = await hasher.hash('correct horse battery');
    assert.deepEqual(asked, [16]);
    assert.equal(calls.length, 1);
    const { password, salt, keylen, options } = calls[0]!;
    assert.equal(password, 'correct horse battery');
    assert.deepEqual(salt, fixedSalt(16));
    assert.equal(keylen, 32);
    // maxmem above scrypt's 128·N·r bytes, or node refuses OWASP's cost.
    assert.deepEqual(options, { ...OWASP, maxmem: 128 * OWASP.N * OWASP.r * 2 });
    const key = createHmac('sha256', fixedSalt(16)).update('correct horse battery').digest();
    assert.equal(stored, `scrypt$131072$8$1$${fixedSalt(16).toString('base64')}$${key.toString('base64')}`);
    assert.equal(await hasher.verify('correct horse battery', stored), true);
    assert.equal(await hasher.verify('correct horse batterY', stored), false);
  });

  it('a hash made with node:crypto scrypt at its own cost verifies, with that cost', async () => {
    const salt = Buffer.from('0123456789abcdef');
    const key = scryptSync('tr0ub4dor&3', salt, 32, { N: 1024, r: 8, p: 1 });
    const stored = `scrypt$1024$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
    const hasher = new PasswordHasher();
    assert.equal(await hasher.verify('tr0ub4dor&3', stored), true);
    assert.equal(await hasher.verify('tr0ub4dor&4', stored), false);
  });

  it('the same password typed composed or decomposed (NFC) is the same password', async () => {
    const salt = Buffer.from('fedcba9876543210');
    const key = scryptSync('caf\u00e9', salt, 32, { N: 1024, r: 8, p: 1 });
    const stored = `scrypt$1024$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
    assert.equal(await new PasswordHasher().verify('cafe\u0301', stored), true);
  });

  it('an unknown account costs one scrypt run at full cost and matches nothing, even a key of zeros', async () => {
    // The stand-in returns the all-zero key the dummy hash holds.
    const { kdf, calls } = standIn((n) => Buffer.alloc(n));
    const hasher = new PasswordHasher(undefined, kdf);
    assert.equal(await hasher.verify('anything', undefined), false);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]!.salt, Buffer.alloc(16));
    assert.equal(calls[0]!.keylen, 32);
    assert.deepEqual(calls[0]!.options, { ...OWASP, maxmem: 128 * OWASP.N * OWASP.r * 2 });
  });

  it('what is not a valid scrypt hash costs the same run and matches nothing', async () => {
    const salt = Buffer.alloc(16).toString('base64');
    const zeros = Buffer.alloc(32).toString('base64');
    const invalid = [
      'invite:abc', // an unused invitation (invites.ts)
      `bcrypt$131072$8$1$${salt}$${zeros}`,
      `scrypt$131072$8$1$${salt}`,
      `scrypt$131072$8$1$${salt}$${zeros}$x`,
      `scrypt$0$8$1$${salt}$${zeros}`,
      `scrypt$-1024$8$1$${salt}$${zeros}`,
      `scrypt$1024.5$8$1$${salt}$${zeros}`,
      `scrypt$abc$8$1$${salt}$${zeros}`,
      `scrypt$1024$0$1$${salt}$${zeros}`,
      `scrypt$1024$8$0$${salt}$${zeros}`,
      `scrypt$${2 ** 20 + 1}$8$1$${salt}$${zeros}`,
      `scrypt$1024$33$1$${salt}$${zeros}`,
      `scrypt$1024$8$17$${salt}$${zeros}`,
    ];
    for (const stored of invalid) {
      const { kdf, calls } = standIn((n) => Buffer.alloc(n));
      assert.equal(await new PasswordHasher(undefined, kdf).verify('x', stored), false, stored);
      assert.equal(calls.length, 1, stored);
      assert.deepEqual(calls[0]!.options, { ...OWASP, maxmem: 128 * OWASP.N * OWASP.r * 2 }, stored);
    }
  });

  it('a stored cost up to N=2^20, r=32, p=16 is used as stored', async () => {
    const salt = Buffer.alloc(16, 1);
    for (const cost of [
      { N: 2 ** 20, r: 8, p: 1 },
      { N: 1024, r: 32, p: 1 },
      { N: 1024, r: 8, p: 16 },
    ]) {
      const { kdf, calls } = standIn();
      const key = createHmac('sha256', salt).update('pw').digest();
      const stored = `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
      assert.equal(await new PasswordHasher(undefined, kdf).verify('pw', stored), true, stored);
      assert.deepEqual(calls[0]!.options, { ...cost, maxmem: 128 * cost.N * cost.r * 2 });
      assert.deepEqual(calls[0]!.salt, salt);
    }
  });

  it('a stored key of another length matches nothing (and does not throw)', async () => {
    const salt = Buffer.alloc(16, 2);
    const short = createHmac('sha256', salt).update('pw').digest().subarray(0, 16);
    const stored = `scrypt$1024$8$1$${salt.toString('base64')}$${short.toString('base64')}`;
    assert.equal(await new PasswordHasher(undefined, standIn().kdf).verify('pw', stored), false);
  });
});

describe('password hasher queue', () => {
  it('starts the next scrypt run only when the one before has finished', async () => {
    const gate = gated();
    const hasher = new PasswordHasher(fixedSalt, gate.kdf);
    const all = Promise.all([hasher.hash('a'), hasher.hash('b'), hasher.verify('c', undefined)]);
    await tick();
    assert.equal(gate.started(), 1);
    gate.finishNext();
    await tick();
    assert.equal(gate.started(), 2);
    gate.finishNext();
    await tick();
    assert.equal(gate.started(), 3);
    gate.finishNext();
    await all;
  });

  it(`takes ${MAX_WAITING} hashes at once (the running one included), refuses more as busy, and takes them again once done`, async () => {
    const gate = gated();
    const hasher = new PasswordHasher(fixedSalt, gate.kdf);
    const queued = Array.from({ length: MAX_WAITING }, () => hasher.verify('x', undefined));
    await assert.rejects(
      hasher.hash('one too many'),
      (err: unknown) =>
        err instanceof FootfallError &&
        err.code === 'FOOTFALL_ERR_TOO_MANY_ATTEMPTS' &&
        /the server is busy/.test(err.message) &&
        err.retryAfter === 1,
    );
    for (let i = 0; i < MAX_WAITING; i++) {
      await tick();
      gate.finishNext();
    }
    assert.deepEqual(await Promise.all(queued), Array(MAX_WAITING).fill(false));
    const again = hasher.hash('now there is room');
    await tick();
    gate.finishNext();
    assert.match(await again, /^scrypt\$/);
  });

  it('a failed scrypt run rejects its own hash only; the queue goes on', async () => {
    let first = true;
    const kdf: Scrypt = (_p, _s, keylen, _o, cb) => {
      const fail = first;
      first = false;
      setImmediate(() =>
        fail ? cb(new Error('out of memory'), Buffer.alloc(0)) : cb(null, Buffer.alloc(keylen)),
      );
    };
    const hasher = new PasswordHasher(fixedSalt, kdf);
    const failed = hasher.hash('a');
    const next = hasher.hash('b');
    await assert.rejects(failed, /out of memory/);
    assert.match(await next, /^scrypt\$131072\$8\$1\$/);
  });

  it('failed scrypt runs give their places in the queue back', async () => {
    const hasher = new PasswordHasher(fixedSalt, (_p, _s, _k, _o, cb) =>
      setImmediate(() => cb(new Error('out of memory'), Buffer.alloc(0))),
    );
    for (let round = 0; round < 2; round++) {
      const results = await Promise.allSettled(Array.from({ length: MAX_WAITING }, () => hasher.hash('a')));
      assert.ok(
        results.every((r) => r.status === 'rejected' && /out of memory/.test(String(r.reason))),
        `round ${round}: every one ran and failed, none was refused as busy`,
      );
    }
  });
});
