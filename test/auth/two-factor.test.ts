// Issue 18, item 5: two-factor sign-in (TOTP, RFC 6238). Codes are computed here with otpauth
// from the secret the server shows, on the server's driven clock.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { WINDOW_MS } from '../../src/auth/attempt-limiter.js';
import {
  type Answer,
  addUser,
  type Creds,
  call,
  cookieFrom,
  errorCode,
  login,
  manualClock,
  PASSWORD,
} from '../helpers/accounts.js';
import { removeDir, runCli, startTestServer, type TestServer } from '../helpers/server.js';

const STEP_MS = 30_000;

describe('two-factor sign-in', () => {
  let server: TestServer;
  // In the middle of a 30-second step, so ±1 step is unambiguous.
  const clock = manualClock(Date.UTC(2026, 10, 30, 12, 0, 15));
  let secret = '';
  let recoveryCodes: string[] = [];
  let owner: Creds;

  const code = (at = clock.now()) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: at });
  const nextWindow = () => clock.advance(WINDOW_MS + STEP_MS);
  const password = (email: string) =>
    call(server, 'POST', '/api/auth/login', { body: { email, password: PASSWORD } });
  const pendingOf = (a: Answer) => (a.body as { pending: string }).pending;
  const withCode = (pending: string, c: unknown) =>
    call(server, 'POST', '/api/auth/login/code', { body: { pending, code: c } });

  before(async () => {
    server = await startTestServer({ now: clock.now });
    await addUser(server, 'owner@example.com', 'owner');
    await addUser(server, 'member@example.com');
    owner = await login(server, 'owner@example.com');
  });
  after(async () => {
    await server?.close();
    if (server) removeDir(server.dataDir);
  });

  it('enrols from the account: a local SVG QR code, a code check, 10 recovery codes stored hashed', async () => {
    const setup = await call(server, 'POST', '/api/auth/2fa/setup', { as: owner, body: {} });
    assert.equal(setup.status, 200, setup.text);
    const s = setup.body as { secret: string; uri: string; qrSvg: string };
    secret = s.secret;
    assert.match(s.uri, /^otpauth:\/\/totp\/Footfall:owner%40example\.com\?.*secret=/);
    assert.match(s.qrSvg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.doesNotMatch(s.qrSvg, /<image|href=|<script/i, 'no remote image, nothing active');

    const wrong = await call(server, 'POST', '/api/auth/2fa/enable', { as: owner, body: { code: '000000' } });
    assert.equal(errorCode(wrong), 'FOOTFALL_ERR_WRONG_CODE');
    const on = await call(server, 'POST', '/api/auth/2fa/enable', { as: owner, body: { code: code() } });
    assert.equal(on.status, 200, on.text);
    recoveryCodes = (on.body as { recoveryCodes: string[] }).recoveryCodes;
    assert.equal(new Set(recoveryCodes).size, 10);
    for (const c of recoveryCodes) assert.match(c, /^[a-z2-9]{5}-[a-z2-9]{5}$/);
    const stored = (await server.query('SELECT code_hash FROM recovery_codes')).map((r) =>
      String(r.code_hash),
    );
    assert.equal(stored.length, 10);
    for (const c of recoveryCodes) assert.ok(!stored.some((h) => h.includes(c.replace('-', ''))));
    const status = await call(server, 'GET', '/api/auth/2fa', { as: owner });
    assert.deepEqual(status.body, { enabled: true, recoveryCodesLeft: 10, required: false });
    const again = await call(server, 'POST', '/api/auth/2fa/setup', { as: owner, body: {} });
    assert.equal(errorCode(again), 'FOOTFALL_ERR_TWO_FACTOR_ON');
  });

  it('sign-in asks for the code after the password; the password alone gives no session', async () => {
    nextWindow();
    const first = await password('owner@example.com');
    assert.equal(first.status, 200);
    assert.equal((first.body as { next: string }).next, 'code');
    assert.equal(cookieFrom(first.headers, 'footfall_session'), undefined);
    const pending = pendingOf(first);
    // The pending token is not a session.
    assert.equal(
      (await call(server, 'GET', '/api/auth/me', { as: { cookie: `footfall_session=${pending}` } })).status,
      401,
    );
    const done = await withCode(pending, code());
    assert.equal(done.status, 200, done.text);
    assert.ok(cookieFrom(done.headers, 'footfall_session'));
    // Finished: the pending sign-in cannot make a second session.
    assert.equal(
      errorCode(await withCode(pending, code(clock.now() + STEP_MS))),
      'FOOTFALL_ERR_SIGN_IN_EXPIRED',
    );
  });

  it('a code is not accepted twice in its window (replay), nor a wrong one', async () => {
    nextWindow();
    const used = code();
    assert.equal((await withCode(pendingOf(await password('owner@example.com')), used)).status, 200);
    const replay = await withCode(pendingOf(await password('owner@example.com')), used);
    assert.equal(replay.status, 401);
    assert.equal(errorCode(replay), 'FOOTFALL_ERR_WRONG_CODE');
    const wrong = await withCode(
      pendingOf(await password('owner@example.com')),
      code(clock.now() + 3 * STEP_MS),
    );
    assert.equal(errorCode(wrong), 'FOOTFALL_ERR_WRONG_CODE');
  });

  it('±1 time step: the codes before and after the current one pass, two steps away does not', async () => {
    nextWindow();
    const t = clock.now();
    const old = await withCode(pendingOf(await password('owner@example.com')), code(t - 2 * STEP_MS));
    assert.equal(errorCode(old), 'FOOTFALL_ERR_WRONG_CODE');
    assert.equal(
      (await withCode(pendingOf(await password('owner@example.com')), code(t - STEP_MS))).status,
      200,
    );
    assert.equal(
      (await withCode(pendingOf(await password('owner@example.com')), code(t + STEP_MS))).status,
      200,
    );
  });

  it('a recovery code signs in once', async () => {
    nextWindow();
    const rc = recoveryCodes[0]!.toUpperCase(); // typed as printed, in any case
    assert.equal((await withCode(pendingOf(await password('owner@example.com')), rc)).status, 200);
    const twice = await withCode(pendingOf(await password('owner@example.com')), rc);
    assert.equal(errorCode(twice), 'FOOTFALL_ERR_WRONG_CODE');
    const status = await call(server, 'GET', '/api/auth/2fa', { as: owner });
    assert.equal((status.body as { recoveryCodesLeft: number }).recoveryCodesLeft, 9);
  });

  it('the same attempt limits as passwords: after 5 wrong codes a minute, even the right one gets 429', async () => {
    nextWindow();
    const pending = pendingOf(await password('owner@example.com'));
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) answers.push((await withCode(pending, '000000')).status);
    answers.push((await withCode(pending, code())).status);
    assert.deepEqual(answers, [401, 401, 401, 401, 401, 429]);
    nextWindow();
  });

  it('a pending sign-in lasts 5 minutes; bad code formats are a 400 naming the format', async () => {
    nextWindow();
    const pending = pendingOf(await password('owner@example.com'));
    for (const bad of ['12345', '1234567', 'abc', 123456, '', 'x'.repeat(50)]) {
      const res = await withCode(pending, bad);
      assert.equal(res.status, 400, String(bad));
      assert.match((res.body as { error: { message: string } }).error.message, /6 digits or a recovery code/);
    }
    const noPending = await call(server, 'POST', '/api/auth/login/code', { body: { code: '123456' } });
    assert.equal(errorCode(noPending), 'FOOTFALL_ERR_INVALID_FIELD');
    clock.advance(5 * 60_000 + 1);
    assert.equal(errorCode(await withCode(pending, code())), 'FOOTFALL_ERR_SIGN_IN_EXPIRED');
  });

  it('owners can require it: a member without it is sent to enrol after the password', async () => {
    nextWindow();
    const member = await login(server, 'member@example.com');
    const forbidden = await call(server, 'POST', '/api/auth/2fa/required', {
      as: member,
      body: { required: true },
    });
    assert.equal(forbidden.status, 403);
    owner = await sessionWithCode('owner@example.com');
    const set = await call(server, 'POST', '/api/auth/2fa/required', { as: owner, body: { required: true } });
    assert.deepEqual(set.body, { required: true, signedOut: 1 });
    // Required means required: the member's session without a second factor has ended; the owner's stays.
    assert.equal((await call(server, 'GET', '/api/auth/me', { as: member })).status, 401);
    assert.equal((await call(server, 'GET', '/api/auth/me', { as: owner })).status, 200);

    const first = await password('member@example.com');
    assert.equal((first.body as { next: string }).next, 'enrol');
    assert.equal(cookieFrom(first.headers, 'footfall_session'), undefined);
    const pending = pendingOf(first);
    // An enrol sign-in is not a code sign-in.
    assert.equal(errorCode(await withCode(pending, '123456')), 'FOOTFALL_ERR_SIGN_IN_EXPIRED');
    const setup = await call(server, 'POST', '/api/auth/login/enrol', { body: { pending } });
    const memberSecret = (setup.body as { secret: string }).secret;
    const memberCode = TOTP.generate({ secret: Secret.fromBase32(memberSecret), timestamp: clock.now() });
    const done = await call(server, 'POST', '/api/auth/login/enrol/confirm', {
      body: { pending, code: memberCode },
    });
    assert.equal(done.status, 200, done.text);
    assert.equal((done.body as { recoveryCodes: string[] }).recoveryCodes.length, 10);
    const cookie = cookieFrom(done.headers, 'footfall_session')!;
    const me = await call(server, 'GET', '/api/auth/me', { as: { cookie } });
    assert.equal((me.body as { user: { email: string } }).user.email, 'member@example.com');
    // Next time: the code.
    assert.equal(((await password('member@example.com')).body as { next: string }).next, 'code');

    const off = await call(server, 'POST', '/api/auth/2fa/disable', {
      as: owner,
      body: { password: PASSWORD },
    });
    assert.equal(errorCode(off), 'FOOTFALL_ERR_TWO_FACTOR_REQUIRED');
    await call(server, 'POST', '/api/auth/2fa/required', { as: owner, body: { required: false } });
  });

  async function sessionWithCode(email: string): Promise<Creds> {
    clock.advance(STEP_MS);
    const done = await withCode(pendingOf(await password(email)), code());
    assert.equal(done.status, 200, done.text);
    const cookie = cookieFrom(done.headers, 'footfall_session')!;
    const me = await call(server, 'GET', '/api/auth/me', { as: { cookie } });
    return { cookie, csrf: (me.body as { csrf: string }).csrf };
  }

  it('turning it off asks for the password; `footfall user reset-2fa` turns it off for the operator', async () => {
    nextWindow();
    owner = await sessionWithCode('owner@example.com');
    const wrong = await call(server, 'POST', '/api/auth/2fa/disable', {
      as: owner,
      body: { password: 'not it at all' },
    });
    assert.equal(errorCode(wrong), 'FOOTFALL_ERR_WRONG_PASSWORD');
    const off = await call(server, 'POST', '/api/auth/2fa/disable', {
      as: owner,
      body: { password: PASSWORD },
    });
    assert.equal(off.status, 204);
    assert.ok(
      (await password('owner@example.com')).body &&
        ((await password('owner@example.com')).body as { user?: unknown }).user,
    );

    const cli = await runCli(['user', 'reset-2fa', 'member@example.com', '--data', server.dataDir]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /turned off two-factor sign-in for member@example\.com/);
    assert.ok(((await password('member@example.com')).body as { user?: unknown }).user);
    const unknown = await runCli(['user', 'reset-2fa', 'nobody@example.com', '--data', server.dataDir]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no such user/);
  });
});
