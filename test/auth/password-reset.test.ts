// Issue 18, item 4: "forgot password" → a one-time link by mail, valid 1 hour; the same answer
// for every address; limited like logins; every session of the user ends. End to end through
// a real SMTP server; the clock is driven for expiry and the limits.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WINDOW_MS } from '../../src/auth/attempt-limiter.js';
import { addUser, call, errorCode, login, manualClock, PASSWORD } from '../helpers/accounts.js';
import { removeDir, startTestServer, type TestServer } from '../helpers/server.js';
import { type SmtpCapture, startSmtpCapture } from '../helpers/smtp-capture.js';

const NEW_PASSWORD = 'a brand new passphrase';

function linkIn(text: string): { url: string; token: string } {
  const m = /(\S+\/reset\?token=([A-Za-z0-9_%-]+))/.exec(text);
  assert.ok(m, `no reset link in:\n${text}`);
  return { url: m[1]!, token: decodeURIComponent(m[2]!) };
}

describe('password reset by mail', () => {
  let smtp: SmtpCapture;
  let server: TestServer;
  let bare: TestServer;
  const clock = manualClock(Date.UTC(2026, 10, 30, 12));

  before(async () => {
    smtp = await startSmtpCapture();
    server = await startTestServer({
      now: clock.now,
      flags: { smtpUrl: smtp.url, mailFrom: 'stats@example.com', publicUrl: 'https://stats.example.com' },
    });
    bare = await startTestServer();
    await addUser(server, 'alice@example.com');
    await addUser(bare, 'alice@example.com');
  });
  after(async () => {
    await server?.close();
    await bare?.close();
    await smtp?.close();
    for (const s of [server, bare]) if (s) removeDir(s.dataDir);
  });

  /** A fresh limiter window for each test: the limits are tested on their own. */
  const nextWindow = () => clock.advance(WINDOW_MS + 1);

  const forgot = (email: string) => call(server, 'POST', '/api/auth/forgot', { body: { email } });

  it('mails a one-time link; using it sets the password and ends every session', async () => {
    nextWindow();
    const other = await login(server, 'alice@example.com');
    const seen = smtp.mails.length;
    const asked = await forgot('Alice@Example.com');
    assert.equal(asked.status, 202);
    const mail = await smtp.next(seen);
    assert.deepEqual(mail.to, ['alice@example.com']);
    const { url, token } = linkIn(mail.text);
    assert.ok(url.startsWith('https://stats.example.com/reset?token='), url);
    assert.match(mail.text, /works once, for 60 minutes/);

    // A password that is refused does not use the link up.
    const weak = await call(server, 'POST', '/api/auth/reset', { body: { token, password: 'short' } });
    assert.equal(errorCode(weak), 'FOOTFALL_ERR_WEAK_PASSWORD');
    const done = await call(server, 'POST', '/api/auth/reset', { body: { token, password: NEW_PASSWORD } });
    assert.equal(done.status, 204, done.text);
    assert.equal(
      done.headers.getSetCookie().length,
      0,
      'a reset does not sign in (a second factor may be due)',
    );

    assert.equal((await call(server, 'GET', '/api/auth/me', { as: other })).status, 401, 'old session ended');
    const oldPassword = await call(server, 'POST', '/api/auth/login', {
      body: { email: 'alice@example.com', password: PASSWORD },
    });
    assert.equal(errorCode(oldPassword), 'FOOTFALL_ERR_LOGIN_FAILED');
    await login(server, 'alice@example.com', NEW_PASSWORD);

    const again = await call(server, 'POST', '/api/auth/reset', { body: { token, password: PASSWORD } });
    assert.equal(again.status, 401);
    assert.equal(errorCode(again), 'FOOTFALL_ERR_RESET_TOKEN');
  });

  it('a link older than an hour is refused', async () => {
    nextWindow();
    const seen = smtp.mails.length;
    await forgot('alice@example.com');
    const { token } = linkIn((await smtp.next(seen)).text);
    clock.advance(60 * 60_000 + 1);
    const late = await call(server, 'POST', '/api/auth/reset', { body: { token, password: PASSWORD } });
    assert.equal(errorCode(late), 'FOOTFALL_ERR_RESET_TOKEN');
    await login(server, 'alice@example.com', NEW_PASSWORD);
  });

  it('an unknown address gets the same answer, and no mail', async () => {
    nextWindow();
    const seen = smtp.mails.length;
    const unknown = await forgot('nobody@example.com');
    const known = await forgot('alice@example.com');
    assert.deepEqual([unknown.status, unknown.body], [known.status, known.body]);
    assert.deepEqual((await smtp.next(seen)).to, ['alice@example.com'], 'the first mail is the known one');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(smtp.mails.length, seen + 1);
  });

  it('limited like logins: 5 a minute per address asked about, then 429', async () => {
    nextWindow();
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push((await forgot('nobody@example.com')).status);
    assert.deepEqual(answers, [202, 202, 202, 202, 202, 429]);
    nextWindow();
    assert.equal((await forgot('nobody@example.com')).status, 202);
  });

  it('bad input is a 400 naming the field; nothing is mailed', async () => {
    nextWindow();
    const seen = smtp.mails.length;
    assert.equal(errorCode(await forgot('not-an-email')), 'FOOTFALL_ERR_INVALID_EMAIL');
    assert.equal(errorCode(await forgot('x'.repeat(300))), 'FOOTFALL_ERR_INVALID_FIELD');
    const extra = await call(server, 'POST', '/api/auth/forgot', {
      body: { email: 'alice@example.com', to: 'x' },
    });
    assert.equal(errorCode(extra), 'FOOTFALL_ERR_INVALID_FIELD');
    const longToken = await call(server, 'POST', '/api/auth/reset', {
      body: { token: 'x'.repeat(101), password: NEW_PASSWORD },
    });
    assert.equal(errorCode(longToken), 'FOOTFALL_ERR_INVALID_FIELD');
    const forged = await call(server, 'POST', '/api/auth/reset', {
      body: { token: 'A'.repeat(43), password: NEW_PASSWORD },
    });
    assert.equal(errorCode(forged), 'FOOTFALL_ERR_RESET_TOKEN');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(smtp.mails.length, seen);
  });

  it('without mail configured: the same 503 for every address, and the login page is told', async () => {
    const status = await call(bare, 'GET', '/api/auth/setup-status');
    assert.deepEqual(status.body, { needsSetup: false, mail: false });
    assert.deepEqual((await call(server, 'GET', '/api/auth/setup-status')).body, {
      needsSetup: false,
      mail: true,
    });
    for (const email of ['alice@example.com', 'nobody@example.com']) {
      const res = await call(bare, 'POST', '/api/auth/forgot', { body: { email } });
      assert.equal(res.status, 503);
      assert.equal(errorCode(res), 'FOOTFALL_ERR_MAIL_NOT_CONFIGURED');
    }
  });
});
