// Users, invitations, password resets, the first-run setup link and the operator's user and
// key commands (control socket routes), on a real DuckDB store without a server: each case is
// milliseconds, so the edges (expiry to the millisecond, a link used twice, a weak password
// that must not use a link up) are cheap to pin. The password hasher is the real one with a
// low scrypt cost passed in (the production cost takes 0.3 s a hash).
import assert from 'node:assert/strict';
import { randomBytes, type ScryptOptions, scrypt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { localAccountAdmin } from '../../src/auth/admin.js';
import { accountControlRoutes } from '../../src/auth/control-routes.js';
import { acceptInvite, INVITE_TTL_MS, inviteUser } from '../../src/auth/invites.js';
import { mailPasswordReset, RESET_TTL_MS, resetPassword } from '../../src/auth/password-reset.js';
import { PasswordHasher } from '../../src/auth/passwords.js';
import { announceSetup } from '../../src/auth/setup.js';
import { API_KEY_PREFIX, newToken, sha256 } from '../../src/auth/tokens.js';
import { createUser, removeUserByEmail } from '../../src/auth/users.js';
import type { FootfallError } from '../../src/errors.js';
import { createMailer } from '../../src/mail/mailer.js';
import { installErrorHandling } from '../../src/server/error-handler.js';
import { addSite } from '../../src/sites/manage.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import type { Store } from '../../src/store/types.js';
import { rejection } from '../helpers/refusal.js';
import { type SmtpCapture, startSmtpCapture } from '../helpers/smtp-capture.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read by the assertions that check them
type Json = any;

const T0 = Date.UTC(2026, 5, 1, 12);
const PASSWORD = 'correct horse battery';

/** node:crypto's scrypt at a test cost; counts the hashes made. */
function cheapScrypt() {
  const counter = { runs: 0 };
  const kdf = (
    password: string,
    salt: Buffer,
    keylen: number,
    _options: ScryptOptions,
    cb: (err: Error | null, key: Buffer) => void,
  ) => {
    counter.runs++;
    scrypt(password, salt, keylen, { N: 16, r: 1, p: 1 }, cb);
  };
  return { kdf, counter };
}

// One store for the file (opening one costs about a second under load): the cases use
// distinct emails, and run in order (the first two need a store without users).
const dataDir = mkdtempSync(path.join(tmpdir(), 'footfall-test-'));
let store: Store;
const { kdf, counter } = cheapScrypt();
const hasher = new PasswordHasher(randomBytes, kdf);

before(async () => {
  store = await openDuckDbStore(dataDir);
  for (const domain of ['a.example', 'b.example']) await addSite(store, { domain });
});
after(async () => {
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('users, invitations, resets and setup on a store', () => {
  it('the first-run link is logged only while no user exists, and its token is the stored one', async () => {
    const lines: string[] = [];
    const deps = { now: () => T0, randomBytes, log: (m: string) => lines.push(m), command: 'npx footfall' };
    await announceSetup(store.accounts, 'https://stats.example', deps);
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^no users yet: open this link to create the owner account \(it works once\):$/);
    const m = /^https:\/\/stats\.example\/setup\?token=([\w-]{43})$/.exec(lines[1]!);
    assert.ok(m, lines[1]);
    assert.equal(await store.accounts.checkSetupToken(sha256(m[1]!)), true);
    assert.equal(lines[2], 'or run: npx footfall user add --email you@example.com --role owner');
  });

  it('an invitation is accepted once, by user id 1 too, and the invited user then has their own password', async () => {
    const inv = await inviteUser(
      store.accounts,
      randomBytes,
      { email: ' First@Example.com ', role: 'member' },
      T0,
    );
    assert.equal(inv.user.id, 1, 'a fresh store: the first user');
    assert.deepEqual(Object.keys(inv.user).sort(), ['createdAt', 'email', 'id', 'role']);
    assert.equal(inv.user.email, 'first@example.com');
    assert.equal(inv.user.role, 'member');
    assert.equal(inv.expiresAt, T0 + INVITE_TTL_MS);
    assert.equal(INVITE_TTL_MS, 7 * 24 * 3_600_000);
    const m = /^1\.([\w-]{43})$/.exec(inv.token);
    assert.ok(m, inv.token);
    const stored = await store.accounts.getUser(1);
    assert.equal(stored!.passwordHash, `invite$${T0 + INVITE_TTL_MS}$${sha256(m[1]!)}`);

    const user = await acceptInvite(store.accounts, hasher, { token: inv.token, password: PASSWORD }, T0);
    assert.equal(user.id, 1);
    assert.equal(user.email, 'first@example.com');
    const after = await store.accounts.getUser(1);
    assert.equal(user.passwordHash, after!.passwordHash);
    assert.equal(await hasher.verify(PASSWORD, after!.passwordHash), true);
    const again = await rejection(
      acceptInvite(store.accounts, hasher, { token: inv.token, password: PASSWORD }, T0),
    );
    assert.equal(again.code, 'FOOTFALL_ERR_INVITE_TOKEN');
    // Someone with a password is not invited again.
    const exists = await rejection(
      inviteUser(store.accounts, randomBytes, { email: 'first@example.com', role: 'member' }, T0),
    );
    assert.equal(exists.code, 'FOOTFALL_ERR_USER_EXISTS');
    assert.match(exists.message, /first@example\.com/);
  });

  it('an invitation works until the millisecond before it expires', async () => {
    const inv = await inviteUser(
      store.accounts,
      randomBytes,
      { email: 'late@example.com', role: 'owner' },
      T0,
    );
    assert.equal(inv.user.role, 'owner');
    const at = (now: number) =>
      acceptInvite(store.accounts, hasher, { token: inv.token, password: PASSWORD }, now);
    assert.equal((await rejection(at(T0 + INVITE_TTL_MS))).code, 'FOOTFALL_ERR_INVITE_TOKEN');
    assert.equal((await at(T0 + INVITE_TTL_MS - 1)).email, 'late@example.com');
  });

  it('the last owner cannot be removed', async () => {
    // late@example.com is the only owner so far.
    const err = await rejection(removeUserByEmail(store.accounts, 'late@example.com'));
    assert.equal(err.code, 'FOOTFALL_ERR_LAST_OWNER');
    assert.ok(await store.accounts.findUserByEmail('late@example.com'));
  });

  it('inviting again gives a new link to the same user and the old link stops working', async () => {
    const first = await inviteUser(
      store.accounts,
      randomBytes,
      { email: 'twice@example.com', role: 'member' },
      T0,
    );
    const second = await inviteUser(
      store.accounts,
      randomBytes,
      { email: 'TWICE@example.com', role: 'member' },
      T0 + 1000,
    );
    assert.equal(second.user.id, first.user.id);
    assert.notEqual(second.token, first.token);
    assert.equal(second.expiresAt, T0 + 1000 + INVITE_TTL_MS);
    const accept = (token: string) =>
      acceptInvite(store.accounts, hasher, { token, password: PASSWORD }, T0 + 2000);
    assert.equal((await rejection(accept(first.token))).code, 'FOOTFALL_ERR_INVITE_TOKEN');
    assert.equal((await accept(second.token)).id, first.user.id);
  });

  it('malformed, unknown or wrong invitation tokens are refused alike; a failure does not lock the user out', async () => {
    const inv = await inviteUser(
      store.accounts,
      randomBytes,
      { email: 'bad@example.com', role: 'member' },
      T0,
    );
    const [id, secret] = inv.token.split('.') as [string, string];
    const other = newToken(randomBytes);
    const known = await store.accounts.findUserByEmail('first@example.com'); // has a password
    for (const token of [
      secret,
      `.${secret}`,
      `x.${secret}`,
      `0.${secret}`,
      `-${id}.${secret}`,
      `9007199254740993.${secret}`,
      // Beyond a 64-bit id: the store would fail on it, so it must be refused before the lookup.
      `100000000000000000000.${secret}`,
      `${id}.${secret.slice(1)}`,
      `${id}.${secret}x`,
      `${id}.${other}`,
      `999.${secret}`,
      `${known!.id}.${secret}`,
    ]) {
      const err = await rejection(acceptInvite(store.accounts, hasher, { token, password: PASSWORD }, T0));
      assert.equal(err.code, 'FOOTFALL_ERR_INVITE_TOKEN', token);
    }
    // A weak password is refused before the link is looked at, so the link still works.
    const weak = await rejection(
      acceptInvite(store.accounts, hasher, { token: inv.token, password: 'short' }, T0),
    );
    assert.equal(weak.code, 'FOOTFALL_ERR_WEAK_PASSWORD');
    assert.equal(
      (await acceptInvite(store.accounts, hasher, { token: inv.token, password: PASSWORD }, T0)).id,
      Number(id),
    );
  });

  it('the same link accepted twice at once gives one acceptance', async () => {
    const inv = await inviteUser(
      store.accounts,
      randomBytes,
      { email: 'race@example.com', role: 'member' },
      T0,
    );
    const both = await Promise.allSettled([
      acceptInvite(store.accounts, hasher, { token: inv.token, password: PASSWORD }, T0),
      acceptInvite(store.accounts, hasher, { token: inv.token, password: 'another password' }, T0),
    ]);
    assert.deepEqual(
      both.map((r) => r.status),
      ['fulfilled', 'rejected'],
    );
    const err = (both[1] as PromiseRejectedResult).reason as FootfallError;
    assert.equal(err.code, 'FOOTFALL_ERR_INVITE_TOKEN');
  });

  it('createUser checks the input, hashes the password, and spends no hash on a taken email', async () => {
    const user = await createUser(
      store.accounts,
      hasher,
      { email: 'New@Example.com', password: PASSWORD, role: 'member' },
      T0,
    );
    assert.equal(user.email, 'new@example.com');
    assert.equal(user.role, 'member');
    const stored = await store.accounts.findUserByEmail('new@example.com');
    assert.equal(await hasher.verify(PASSWORD, stored!.passwordHash), true);
    const before = counter.runs;
    const taken = await rejection(
      createUser(
        store.accounts,
        hasher,
        { email: 'new@example.com', password: PASSWORD, role: 'member' },
        T0,
      ),
    );
    assert.equal(taken.code, 'FOOTFALL_ERR_USER_EXISTS');
    assert.match(taken.message, /new@example\.com/);
    assert.equal(counter.runs, before);
  });

  it('removeUserByEmail finds the user by normalised email; an unknown one is USER_NOT_FOUND', async () => {
    await createUser(
      store.accounts,
      hasher,
      { email: 'gone@example.com', password: PASSWORD, role: 'member' },
      T0,
    );
    await removeUserByEmail(store.accounts, '  GONE@example.com');
    assert.equal(await store.accounts.findUserByEmail('gone@example.com'), undefined);
    const err = await rejection(removeUserByEmail(store.accounts, 'gone@example.com'));
    assert.equal(err.code, 'FOOTFALL_ERR_USER_NOT_FOUND');
    assert.match(err.message, /gone@example\.com/);
  });

  it('once a user exists, no setup link is made or logged', async () => {
    const lines: string[] = [];
    let drawn = 0;
    const deps = {
      now: () => T0,
      randomBytes: (n: number) => {
        drawn++;
        return randomBytes(n);
      },
      log: (m: string) => lines.push(m),
      command: 'footfall',
    };
    await announceSetup(store.accounts, 'https://stats.example', deps);
    assert.deepEqual(lines, []);
    assert.equal(drawn, 0);
  });

  describe('password reset', () => {
    let smtp: SmtpCapture;
    before(async () => {
      smtp = await startSmtpCapture();
    });
    after(async () => {
      await smtp.close();
    });

    const deps = (now: number) => ({
      accounts: store.accounts,
      mailer: createMailer({ smtpUrl: smtp.url, from: 'stats@example.com' }),
      randomBytes,
      now: () => now,
      publicUrl: 'https://stats.example/',
    });

    it('a known address gets a one-hour link; an unknown one gets nothing', async () => {
      await createUser(
        store.accounts,
        hasher,
        { email: 'reset@example.com', password: PASSWORD, role: 'member' },
        T0,
      );
      const seen = smtp.mails.length;
      await mailPasswordReset(deps(T0), 'nobody@example.com');
      await mailPasswordReset(deps(T0), 'reset@example.com');
      const mail = await smtp.next(seen);
      assert.equal(smtp.mails.length, seen + 1);
      assert.deepEqual(mail.to, ['reset@example.com']);
      assert.match(mail.text, /for 60 minutes/);
      assert.equal(RESET_TTL_MS, 3_600_000);
      const linkIn = (text: string) => {
        const token = /https:\/\/stats\.example\/reset\?token=([\w-]{43})\n/.exec(text)?.[1];
        assert.ok(token, text);
        return token;
      };
      const token = linkIn(mail.text);
      // Still good a millisecond before the hour is over, and then used up.
      const at = (token: string, now: number, password = 'a new password') =>
        resetPassword(store.accounts, hasher, { token, password }, now);
      await at(token, T0 + RESET_TTL_MS - 1);
      const user = await store.accounts.findUserByEmail('reset@example.com');
      assert.equal(await hasher.verify('a new password', user!.passwordHash), true);
      assert.equal((await rejection(at(token, T0))).code, 'FOOTFALL_ERR_RESET_TOKEN', 'used once');
      // A second link, tried when its hour is over.
      await mailPasswordReset(deps(T0), 'reset@example.com');
      const late = linkIn((await smtp.next(seen + 1)).text);
      assert.equal((await rejection(at(late, T0 + RESET_TTL_MS))).code, 'FOOTFALL_ERR_RESET_TOKEN');
    });

    it('a reset ends every session; a weak password does not use the link up; a malformed token is refused', async () => {
      const user = await createUser(
        store.accounts,
        hasher,
        { email: 'sessions@example.com', password: PASSWORD, role: 'member' },
        T0,
      );
      const session = newToken(randomBytes);
      await store.accounts.addSession(sha256(session), user.id, T0, T0 + 86_400_000);
      const token = newToken(randomBytes);
      await store.accounts.addPasswordReset(sha256(token), user.id, T0 + RESET_TTL_MS);
      const weak = await rejection(resetPassword(store.accounts, hasher, { token, password: 'short' }, T0));
      assert.equal(weak.code, 'FOOTFALL_ERR_WEAK_PASSWORD');
      assert.ok(await store.accounts.findSession(sha256(session), T0));
      for (const bad of ['', token.slice(1), `${token}=`]) {
        const err = await rejection(
          resetPassword(store.accounts, hasher, { token: bad, password: PASSWORD }, T0),
        );
        assert.equal(err.code, 'FOOTFALL_ERR_RESET_TOKEN');
      }
      await resetPassword(store.accounts, hasher, { token, password: 'brand new pass' }, T0);
      assert.equal(await store.accounts.findSession(sha256(session), T0), undefined);
    });
  });
});

describe("the operator's user and key commands on the control socket", () => {
  let app: FastifyInstance;

  before(async () => {
    app = Fastify();
    installErrorHandling(app, () => {});
    await accountControlRoutes(app, { accounts: store.accounts, hasher, now: () => T0, randomBytes });
    await app.ready();
  });
  after(async () => {
    await app.close();
  });

  const send = async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) => {
    const res = await app.inject({
      method,
      url,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.json() as Json };
  };
  const code = (r: { body: Json }) => r.body.error?.code;

  it('users: added (201), listed without hashes, refused on bad input, removed', async () => {
    const added = await send('POST', '/users', {
      email: 'Owner@Example.com',
      password: PASSWORD,
      role: 'owner',
    });
    assert.equal(added.status, 201);
    assert.deepEqual(added.body, {
      user: {
        id: added.body.user.id,
        email: 'owner@example.com',
        role: 'owner',
        createdAt: new Date(T0).toISOString(),
      },
    });
    await send('POST', '/users', { email: 'member@example.com', password: PASSWORD, role: 'member' });
    const list = await send('GET', '/users');
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.users
        .map((u: { email: string }) => u.email)
        .filter((e: string) => ['member@example.com', 'owner@example.com'].includes(e)),
      ['member@example.com', 'owner@example.com'],
    );
    assert.ok(!JSON.stringify(list.body).includes('scrypt'));
    // Fields that are not strings count as empty.
    assert.equal(
      code(await send('POST', '/users', { email: 42, password: PASSWORD, role: 'owner' })),
      'FOOTFALL_ERR_INVALID_EMAIL',
    );
    assert.equal(
      code(await send('POST', '/users', { email: 'x@example.com', password: 12345678, role: 'owner' })),
      'FOOTFALL_ERR_WEAK_PASSWORD',
    );
    assert.equal(
      code(await send('POST', '/users', { email: 'x@example.com', password: PASSWORD, role: ['owner'] })),
      'FOOTFALL_ERR_INVALID_FIELD',
    );
    assert.equal(code(await send('POST', '/users')), 'FOOTFALL_ERR_INVALID_EMAIL');
    assert.deepEqual((await send('DELETE', '/users/member@example.com')).body, { removed: true });
    const gone = await send('DELETE', '/users/member@example.com');
    assert.equal(gone.status, 404);
    assert.equal(code(gone), 'FOOTFALL_ERR_USER_NOT_FOUND');
  });

  it('an invitation (201) carries the user, the token and an ISO expiry', async () => {
    const res = await send('POST', '/users/invite', { email: 'Invited@Example.com', role: 'member' });
    assert.equal(res.status, 201);
    assert.equal(res.body.user.email, 'invited@example.com');
    assert.equal(res.body.expiresAt, new Date(T0 + INVITE_TTL_MS).toISOString());
    assert.match(res.body.token, new RegExp(`^${res.body.user.id}\\.[\\w-]{43}$`));
    assert.equal(
      code(await send('POST', '/users/invite', { email: 'x@example.com', role: 7 })),
      'FOOTFALL_ERR_INVALID_FIELD',
    );
    assert.equal(code(await send('POST', '/users/invite', { role: 'member' })), 'FOOTFALL_ERR_INVALID_EMAIL');
    assert.equal(code(await send('POST', '/users/invite')), 'FOOTFALL_ERR_INVALID_EMAIL');
  });

  it('setting a password ends every session of that user; weak or unknown is refused', async () => {
    await send('POST', '/users', { email: 'pw@example.com', password: PASSWORD, role: 'member' });
    const user = await store.accounts.findUserByEmail('pw@example.com');
    const session = newToken(randomBytes);
    await store.accounts.addSession(sha256(session), user!.id, T0, T0 + 86_400_000);
    const res = await send('POST', '/users/PW@example.com/password', { password: 'the new one!' });
    assert.deepEqual(res, { status: 200, body: { changed: true } });
    const after = await store.accounts.findUserByEmail('pw@example.com');
    assert.equal(await hasher.verify('the new one!', after!.passwordHash), true);
    assert.equal(await store.accounts.findSession(sha256(session), T0), undefined);
    assert.equal(
      code(await send('POST', '/users/pw@example.com/password', { password: 'short' })),
      'FOOTFALL_ERR_WEAK_PASSWORD',
    );
    assert.equal(
      code(await send('POST', '/users/pw@example.com/password', { password: 123456789 })),
      'FOOTFALL_ERR_WEAK_PASSWORD',
    );
    assert.equal(code(await send('POST', '/users/pw@example.com/password')), 'FOOTFALL_ERR_WEAK_PASSWORD');
    const unknown = await send('POST', '/users/nobody@example.com/password', { password: 'long enough' });
    assert.equal(code(unknown), 'FOOTFALL_ERR_USER_NOT_FOUND');
    assert.match(unknown.body.error.message, /nobody@example\.com/);
  });

  it("resetting two-factor turns the user's second factor off", async () => {
    await send('POST', '/users', { email: 'tf@example.com', password: PASSWORD, role: 'member' });
    const user = await store.accounts.findUserByEmail('tf@example.com');
    await store.accounts.setPendingTotpSecret(user!.id, 'JBSWY3DPEHPK3PXP');
    assert.equal(
      await store.accounts.enableTwoFactor(user!.id, 'JBSWY3DPEHPK3PXP', [sha256('code')], 1),
      true,
    );
    assert.equal((await store.accounts.getTwoFactor(user!.id)).secret, 'JBSWY3DPEHPK3PXP');
    assert.deepEqual((await send('POST', '/users/tf@example.com/reset-2fa')).body, { reset: true });
    assert.equal((await store.accounts.getTwoFactor(user!.id)).secret, null);
    assert.equal(
      code(await send('POST', '/users/none@example.com/reset-2fa')),
      'FOOTFALL_ERR_USER_NOT_FOUND',
    );
  });

  it('keys: created (201) once in plaintext, listed per user with their email, revoked by id', async () => {
    await send('POST', '/users', { email: 'k1@example.com', password: PASSWORD, role: 'owner' });
    await send('POST', '/users', { email: 'k2@example.com', password: PASSWORD, role: 'owner' });
    const made = await send('POST', '/keys', {
      user: 'K1@example.com',
      sites: ['a.example'],
      readOnly: true,
      name: 'ci',
    });
    assert.equal(made.status, 201);
    assert.ok(made.body.key.startsWith(API_KEY_PREFIX));
    assert.equal(made.body.user, 'k1@example.com');
    assert.equal(made.body.name, 'ci');
    assert.equal(made.body.readOnly, true);
    assert.deepEqual(made.body.sites, ['a.example']);
    assert.equal((await store.accounts.findApiKey(sha256(made.body.key)))?.key.id, made.body.id);
    // Only `true` makes a key read-only; a name that is not a string gets the default.
    const rw = await send('POST', '/keys', {
      user: 'k2@example.com',
      sites: ['b.example'],
      readOnly: 'true',
      name: 5,
    });
    assert.equal(rw.status, 201);
    assert.equal(rw.body.readOnly, false);
    assert.equal(rw.body.name, 'API key');

    const all = await send('GET', '/keys');
    assert.deepEqual(
      all.body.keys.map((k: { id: number; user: string }) => [k.id, k.user]),
      [
        [made.body.id, 'k1@example.com'],
        [rw.body.id, 'k2@example.com'],
      ],
    );
    assert.ok(!JSON.stringify(all.body).includes(made.body.key), 'the plaintext key is shown once');
    const mine = await send('GET', '/keys?user=k2@example.com');
    assert.deepEqual(
      mine.body.keys.map((k: { id: number }) => k.id),
      [rw.body.id],
    );
    assert.equal(code(await send('GET', '/keys?user=none@example.com')), 'FOOTFALL_ERR_USER_NOT_FOUND');

    assert.deepEqual((await send('DELETE', `/keys/${made.body.id}`)).body, { removed: true });
    assert.equal(await store.accounts.findApiKey(sha256(made.body.key)), undefined);
    for (const id of [String(made.body.id), '0', '-1', '1.5', 'abc']) {
      const res = await send('DELETE', `/keys/${id}`);
      assert.equal(res.status, 404, id);
      assert.equal(code(res), 'FOOTFALL_ERR_KEY_NOT_FOUND', id);
      assert.match(res.body.error.message, new RegExp(`: ${id.replace('.', '\\.')}$`), id);
    }
  });

  it("a key's fields: sites must be a list of strings, the user must exist", async () => {
    const bad = async (body?: unknown) => code(await send('POST', '/keys', body));
    assert.equal(await bad({ user: 'k1@example.com', sites: 'a.example' }), 'FOOTFALL_ERR_INVALID_FIELD');
    assert.equal(await bad({ user: 'k1@example.com' }), 'FOOTFALL_ERR_INVALID_FIELD');
    assert.equal(await bad({ user: 'k1@example.com', sites: [7] }), 'FOOTFALL_ERR_INVALID_DOMAIN');
    assert.equal(
      await bad({ user: 'none@example.com', sites: ['a.example'] }),
      'FOOTFALL_ERR_USER_NOT_FOUND',
    );
    assert.equal(await bad({ user: 7, sites: ['a.example'] }), 'FOOTFALL_ERR_INVALID_EMAIL');
    assert.equal(await bad(), 'FOOTFALL_ERR_INVALID_EMAIL');
  });
});

describe('localAccountAdmin directly', () => {
  it('removeUser, listUsers and inviteUser answer with views', async () => {
    const admin = localAccountAdmin({ accounts: store.accounts, hasher, now: () => T0, randomBytes });
    const owner = await admin.addUser('o@example.com', PASSWORD, 'owner');
    assert.deepEqual(owner, {
      id: owner.id,
      email: 'o@example.com',
      role: 'owner',
      createdAt: new Date(T0).toISOString(),
    });
    const inv = await admin.inviteUser('m@example.com', 'member');
    assert.deepEqual(inv.user, {
      id: inv.user.id,
      email: 'm@example.com',
      role: 'member',
      createdAt: new Date(T0).toISOString(),
    });
    const emails = async () => (await admin.listUsers()).map((u) => u.email);
    assert.ok((await emails()).includes('m@example.com'));
    assert.deepEqual(
      (await admin.listUsers()).find((u) => u.email === 'o@example.com'),
      owner,
    );
    await admin.removeUser('M@example.com');
    assert.ok(!(await emails()).includes('m@example.com'));
    assert.ok((await emails()).includes('o@example.com'));
    const err = await rejection(admin.revokeKey(12345));
    assert.equal(err.code, 'FOOTFALL_ERR_KEY_NOT_FOUND');
    assert.match(err.message, /: 12345$/);
  });
});
