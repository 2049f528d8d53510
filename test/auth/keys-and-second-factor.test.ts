// API keys, pending sign-ins and two-factor sign-in, on their functions over a real DuckDB
// account store (one for the file, no server): what a key may be made for and how it is kept,
// a pending sign-in's 5 minutes and single end, enrolment, TOTP codes once per step, recovery
// codes once each, and the owners' "required" setting.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { createApiKey, keyView } from '../../src/auth/keys.js';
import {
  endPendingSignIn,
  PENDING_TTL_MS,
  pendingUser,
  startPendingSignIn,
} from '../../src/auth/pending-sign-in.js';
import { recoveryCodeHash } from '../../src/auth/recovery-codes.js';
import { sha256 } from '../../src/auth/tokens.js';
import {
  checkSecondFactor,
  confirmEnrolment,
  hasTwoFactor,
  isTwoFactorRequired,
  parseSecondFactor,
  setTwoFactorRequired,
  startEnrolment,
} from '../../src/auth/two-factor.js';
import { FootfallError } from '../../src/errors.js';
import { addSite } from '../../src/sites/manage.js';
import type { AccountStore, User } from '../../src/store/accounts.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import type { Store } from '../../src/store/types.js';
import { removeDir, tempDir } from '../helpers/server.js';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 15); // mid-step, so ±1 step is unambiguous
const STEP_MS = 30_000;

/** A random source giving 1, 2, 3, … so every secret differs and is known. */
function sequence(): (n: number) => Buffer {
  let next = 1;
  return (n) => Buffer.from(Array.from({ length: n }, () => next++ & 255));
}

const failsWith = (code: string, message?: RegExp) => (err: unknown) =>
  err instanceof FootfallError && err.code === code && (message === undefined || message.test(err.message));

let dir: string;
let store: Store;
let accounts: AccountStore;
let owner: User;
let viewer: User;
let admin: User;
let stranger: User;
let users = 0;
const addUser = (role: 'owner' | 'member') =>
  accounts.addUser({ email: `user${++users}@example.com`, passwordHash: 'x', role }, T0);

before(async () => {
  dir = tempDir();
  store = await openDuckDbStore(dir);
  accounts = store.accounts;
  await addSite(store, { domain: 'example.com' });
  await addSite(store, { domain: 'example.org' });
  owner = await addUser('owner');
  viewer = await addUser('member');
  admin = await addUser('member');
  stranger = await addUser('member');
  await accounts.setMember('example.com', viewer.id, 'viewer');
  await accounts.setMember('example.com', admin.id, 'admin');
});
after(async () => {
  await store?.close();
  if (dir) removeDir(dir);
});

describe('API keys', () => {
  it('a key is ff_ and 32 random bytes, kept as its SHA-256 with its first 9 characters shown', async () => {
    const random = sequence();
    const { key, record } = await createApiKey(accounts, random, owner, { sites: ['example.com'] }, T0);
    assert.equal(key, `ff_${Buffer.from(Array.from({ length: 32 }, (_, i) => i + 1)).toString('base64url')}`);
    assert.equal(record.prefix, key.slice(0, 9));
    assert.equal(record.name, 'API key');
    assert.equal(record.readOnly, false);
    assert.deepEqual(record.sites, ['example.com']);
    assert.equal((await accounts.findApiKey(sha256(key)))?.key.id, record.id);
    assert.deepEqual(keyView(record), {
      id: record.id,
      name: 'API key',
      sites: ['example.com'],
      readOnly: false,
      createdAt: new Date(T0).toISOString(),
      lastUsedAt: null,
      prefix: key.slice(0, 9),
    });
    assert.equal(keyView({ ...record, lastUsedAt: T0 + 1000 }).lastUsedAt, '2026-12-01T12:00:16.000Z');
  });

  it('a name is 1 to 100 characters (counted as characters, not UTF-16 units), trimmed', async () => {
    const make = (name: unknown) =>
      createApiKey(accounts, randomBytes, owner, { name, sites: ['example.com'] }, T0);
    assert.equal((await make('  export job  ')).record.name, 'export job');
    assert.equal((await make('\u{1F511}'.repeat(100))).record.name, '\u{1F511}'.repeat(100));
    for (const bad of ['', '   ', 'x'.repeat(101), 42, null]) {
      await assert.rejects(
        make(bad),
        failsWith('FOOTFALL_ERR_INVALID_FIELD', /name must be 1 to 100 characters/),
        String(bad),
      );
    }
  });

  it('sites: a list of 1 to 100 domains, normalised and without repeats; each must exist', async () => {
    const make = (sites: unknown) => createApiKey(accounts, randomBytes, owner, { sites }, T0);
    assert.deepEqual(
      (await make([' Example.COM', 'example.com', ...Array(98).fill('example.org')])).record.sites,
      ['example.com', 'example.org'],
    );
    for (const bad of [[], Array(101).fill('example.com'), 'example.com', undefined]) {
      await assert.rejects(
        make(bad),
        failsWith('FOOTFALL_ERR_INVALID_FIELD', /sites must list 1 to 100 site domains/),
        JSON.stringify(bad),
      );
    }
    await assert.rejects(
      make(['example.com', 7]),
      failsWith('FOOTFALL_ERR_INVALID_FIELD', /sites must be strings/),
    );
    await assert.rejects(make(['example.net']), failsWith('FOOTFALL_ERR_SITE_NOT_FOUND', /example\.net/));
  });

  it('readOnly is true or false; left out, the key may write', async () => {
    const make = (readOnly: unknown) =>
      createApiKey(accounts, randomBytes, owner, { sites: ['example.com'], readOnly }, T0);
    assert.equal((await make(true)).record.readOnly, true);
    assert.equal((await make(false)).record.readOnly, false);
    await assert.rejects(
      make('yes'),
      failsWith('FOOTFALL_ERR_INVALID_FIELD', /readOnly must be true or false/),
    );
  });

  it('a key never does more than its user may: a viewer gets read-only keys, a stranger none', async () => {
    const make = (user: User, readOnly: boolean, sites = ['example.com']) =>
      createApiKey(accounts, randomBytes, user, { sites, readOnly }, T0);
    assert.equal((await make(viewer, true)).record.readOnly, true);
    await assert.rejects(
      make(viewer, false),
      failsWith(
        'FOOTFALL_ERR_FORBIDDEN',
        /user2@example\.com may not change example\.com: make the key read-only$/,
      ),
    );
    assert.equal((await make(admin, false)).record.readOnly, false);
    await assert.rejects(
      make(stranger, true),
      failsWith('FOOTFALL_ERR_FORBIDDEN', /user4@example\.com may not read example\.com$/),
    );
    // A site that does not exist is named as such, for a member too (not hidden as forbidden).
    await assert.rejects(
      make(viewer, true, ['example.net']),
      failsWith('FOOTFALL_ERR_SITE_NOT_FOUND', /example\.net/),
    );
    // Every site of the key is checked, not only the first.
    await assert.rejects(
      make(viewer, true, ['example.com', 'example.org']),
      failsWith('FOOTFALL_ERR_FORBIDDEN'),
    );
    // An owner may do anything on every site without a site role.
    assert.deepEqual((await make(owner, false, ['example.com', 'example.org'])).record.sites, [
      'example.com',
      'example.org',
    ]);
  });
});

describe('pending sign-in', () => {
  it('lasts 5 minutes, for its own purpose only, and ends once', async () => {
    const token = await startPendingSignIn(accounts, sequence(), viewer.id, 'code', T0);
    assert.equal(token, Buffer.from(Array.from({ length: 32 }, (_, i) => i + 1)).toString('base64url'));
    assert.equal(PENDING_TTL_MS, 5 * 60_000);
    assert.equal(await pendingUser(accounts, token, 'code', T0 + PENDING_TTL_MS - 1), viewer.id);
    await assert.rejects(
      pendingUser(accounts, token, 'code', T0 + PENDING_TTL_MS),
      failsWith('FOOTFALL_ERR_SIGN_IN_EXPIRED'),
    );
    await assert.rejects(
      pendingUser(accounts, token, 'enrol', T0),
      failsWith('FOOTFALL_ERR_SIGN_IN_EXPIRED'),
    );
    await endPendingSignIn(accounts, token);
    await assert.rejects(pendingUser(accounts, token, 'code', T0), failsWith('FOOTFALL_ERR_SIGN_IN_EXPIRED'));
    await assert.rejects(endPendingSignIn(accounts, token), failsWith('FOOTFALL_ERR_SIGN_IN_EXPIRED'));
  });

  it('a token that is not one we issue, or unknown, is an expired sign-in', async () => {
    const token = await startPendingSignIn(accounts, sequence(), admin.id, 'enrol', T0);
    assert.equal(await pendingUser(accounts, token, 'enrol', T0), admin.id);
    await assert.rejects(
      pendingUser(accounts, `${token}x`, 'enrol', T0),
      failsWith('FOOTFALL_ERR_SIGN_IN_EXPIRED'),
    );
    await assert.rejects(
      pendingUser(accounts, `${token.slice(0, 42)}${token[42] === 'A' ? 'B' : 'A'}`, 'enrol', T0),
      failsWith('FOOTFALL_ERR_SIGN_IN_EXPIRED'),
    );
    await assert.rejects(pendingUser(accounts, '', 'enrol', T0), failsWith('FOOTFALL_ERR_SIGN_IN_EXPIRED'));
  });
});

describe('second factor: codes as typed', () => {
  it('six digits are a TOTP code, ten symbols a recovery code; spaces and case do not matter', () => {
    assert.deepEqual(parseSecondFactor(' 123 456 '), { kind: 'totp', code: '123456' });
    assert.deepEqual(parseSecondFactor('ABCDE-FGHIJ'), { kind: 'recovery', code: 'abcde-fghij' });
    assert.deepEqual(parseSecondFactor('abcde fghij'), { kind: 'recovery', code: 'abcdefghij' });
    assert.deepEqual(parseSecondFactor(`123456${' '.repeat(34)}`), { kind: 'totp', code: '123456' });
  });

  it('anything else is a 400 naming both formats', () => {
    for (const bad of [
      '12345',
      '1234567',
      'x123456',
      '123456x',
      '',
      `123456${' '.repeat(35)}`,
      123456,
      null,
    ]) {
      assert.throws(
        () => parseSecondFactor(bad),
        failsWith('FOOTFALL_ERR_INVALID_FIELD', /code must be 6 digits or a recovery code \(xxxxx-xxxxx\)/),
        JSON.stringify(bad),
      );
    }
  });
});

describe('two-factor sign-in', () => {
  let user: User;
  let secret = '';
  let recovery: string[] = [];
  const code = (at: number) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: at });
  const totp = (at: number) => parseSecondFactor(code(at));

  before(async () => {
    user = await addUser('member');
  });

  it('is off until enrolled: no second factor passes, not even a right-looking one', async () => {
    assert.equal(await hasTwoFactor(accounts, user.id), false);
    assert.equal(await checkSecondFactor(accounts, user.id, { kind: 'totp', code: '123456' }, T0), false);
    assert.equal(
      await checkSecondFactor(accounts, user.id, { kind: 'recovery', code: 'abcde-fghij' }, T0),
      false,
    );
  });

  it('enrolment shows a new secret as text, URI and a local SVG QR code, and keeps it pending', async () => {
    const enrolment = await startEnrolment(accounts, { id: user.id, email: 'two@example.com' }, sequence());
    secret = enrolment.secret;
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.equal((await accounts.getTwoFactor(user.id)).pendingSecret, secret);
    assert.match(
      enrolment.uri,
      new RegExp(`^otpauth://totp/Footfall:two%40example\\.com\\?.*secret=${secret}`),
    );
    assert.match(enrolment.qrSvg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.equal(await hasTwoFactor(accounts, user.id), false, 'not on before a code confirms it');
  });

  it('only a right TOTP code for the pending secret turns it on', async () => {
    const random = sequence();
    const wrongCode = code(T0) === '000000' ? '111111' : '000000';
    assert.equal(
      await confirmEnrolment(accounts, user.id, parseSecondFactor(wrongCode), T0, random),
      undefined,
    );
    assert.equal(
      await confirmEnrolment(accounts, user.id, { kind: 'recovery', code: 'abcde-fghij' }, T0, random),
      undefined,
    );
    assert.equal(await hasTwoFactor(accounts, user.id), false);
    const codes = await confirmEnrolment(accounts, user.id, totp(T0), T0, random);
    assert.ok(codes);
    recovery = codes;
    assert.equal(recovery.length, 10);
    const state = await accounts.getTwoFactor(user.id);
    assert.equal(state.secret, secret);
    assert.equal(state.pendingSecret, null);
    assert.equal(state.recoveryCodesLeft, 10);
    assert.equal(state.lastStep, Math.floor(T0 / STEP_MS), 'the code that turned it on is used up');
    assert.equal(await hasTwoFactor(accounts, user.id), true);
  });

  it('two confirmations of one enrolment at once: one turns it on with its codes, the other gets none', async () => {
    const other = await addUser('member');
    const { secret: pending } = await startEnrolment(
      accounts,
      { id: other.id, email: 'race@example.com' },
      sequence(),
    );
    const factor = parseSecondFactor(TOTP.generate({ secret: Secret.fromBase32(pending), timestamp: T0 }));
    const answers = await Promise.all([
      confirmEnrolment(accounts, other.id, factor, T0, sequence()),
      confirmEnrolment(accounts, other.id, factor, T0, sequence()),
    ]);
    assert.equal(answers.filter((a) => a !== undefined).length, 1);
    assert.equal(await hasTwoFactor(accounts, other.id), true);
  });

  it('once on, no second enrolment starts, and confirming again does nothing', async () => {
    await assert.rejects(
      startEnrolment(accounts, { id: user.id, email: 'two@example.com' }, sequence()),
      failsWith('FOOTFALL_ERR_TWO_FACTOR_ON'),
    );
    assert.equal(
      await confirmEnrolment(accounts, user.id, totp(T0 + STEP_MS), T0 + STEP_MS, sequence()),
      undefined,
    );
  });

  it('a TOTP code passes once per step (the enrolment step is used), ±1 step, and not a wrong one', async () => {
    assert.equal(
      await checkSecondFactor(accounts, user.id, totp(T0), T0),
      false,
      'replay of the enrolment code',
    );
    assert.equal(
      await checkSecondFactor(accounts, user.id, totp(T0 + STEP_MS), T0),
      true,
      'the next step, early',
    );
    assert.equal(await checkSecondFactor(accounts, user.id, totp(T0 + STEP_MS), T0), false, 'replayed');
    const later = T0 + 10 * STEP_MS;
    assert.equal(
      await checkSecondFactor(accounts, user.id, totp(later + 2 * STEP_MS), later),
      false,
      'two steps off',
    );
    const wrongCode = code(later) === '000000' ? '111111' : '000000';
    assert.equal(await checkSecondFactor(accounts, user.id, parseSecondFactor(wrongCode), later), false);
    assert.equal(await checkSecondFactor(accounts, user.id, totp(later), later), true);
  });

  it('a recovery code passes once, however it is typed', async () => {
    const [first, second] = recovery as [string, string];
    assert.equal(
      await checkSecondFactor(accounts, user.id, parseSecondFactor(first.toUpperCase()), T0),
      true,
    );
    assert.equal(await checkSecondFactor(accounts, user.id, parseSecondFactor(first), T0), false, 'used up');
    assert.equal(
      await checkSecondFactor(accounts, user.id, parseSecondFactor(second.replace('-', ' ')), T0),
      true,
    );
    // Kept hashed: the store knows the codes only by recoveryCodeHash.
    assert.equal(await accounts.useRecoveryCode(user.id, recoveryCodeHash(recovery[2]!)), true);
    assert.equal((await accounts.getTwoFactor(user.id)).recoveryCodesLeft, 7);
  });
});

describe('two-factor required by the owners', () => {
  it('is off until set, then as set', async () => {
    assert.equal(await isTwoFactorRequired(accounts), false);
    await setTwoFactorRequired(accounts, true);
    assert.equal(await isTwoFactorRequired(accounts), true);
    // Kept under the name existing databases hold it by, so an upgrade keeps the owners' choice.
    assert.equal(await accounts.getSetting('require_two_factor'), 'true');
    await setTwoFactorRequired(accounts, false);
    assert.equal(await isTwoFactorRequired(accounts), false);
  });
});
