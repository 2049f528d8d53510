// Item 1 of issue 18: mail through the operator's SMTP server (--smtp-url, --mail-from), checked
// at start, and `footfall mail test` — against a real SMTP server in this process.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConfigError, resolveServeConfig } from '../../src/server/config.js';
import { removeDir, runCli, startTestServer, type TestServer, tempDir } from '../helpers/server.js';
import { type SmtpCapture, startSmtpCapture } from '../helpers/smtp-capture.js';

const FROM = 'Footfall <stats@example.com>';

describe('mail settings', () => {
  const refused = (flags: Record<string, string>, env: Record<string, string>, pattern: RegExp) =>
    assert.throws(
      () => resolveServeConfig(flags, env),
      (e: Error) => e instanceof ConfigError && pattern.test(e.message),
    );

  it('a bad SMTP URL, an odd scheme or half a configuration stops the start, naming the fix', () => {
    refused(
      { smtpUrl: 'mail.example.com', mailFrom: FROM },
      {},
      /--smtp-url is not a URL: use e\.g\. smtps:\/\//,
    );
    refused(
      { mailFrom: FROM },
      { FOOTFALL_SMTP_URL: 'http://user:pw@mail.example.com' },
      /FOOTFALL_SMTP_URL starts with "http:\/\/": use smtp:\/\/ \(STARTTLS\) or smtps:\/\//,
    );
    refused({ smtpUrl: 'smtps://u:p@mail.example.com:465/x?y=1', mailFrom: FROM }, {}, /no.*path, query/);
    refused(
      { smtpUrl: 'smtps://u:p@mail.example.com:465' },
      {},
      /--smtp-url is set but not the sender: add --mail-from/,
    );
    refused({ mailFrom: FROM }, {}, /--mail-from is set but no SMTP server: add --smtp-url/);
    refused(
      { smtpUrl: 'smtps://u:p@mail.example.com', mailFrom: 'not an address' },
      {},
      /--mail-from="not an address" is not a sender address/,
    );
  });

  it('the SMTP password never appears in a refusal', () => {
    assert.throws(
      () => resolveServeConfig({ smtpUrl: 'ftp://user:hunter2-secret@mail.example.com', mailFrom: FROM }, {}),
      (e: Error) => !e.message.includes('hunter2'),
    );
  });

  it('accepted: smtp:// and smtps:// with a sender, or neither (mail not configured)', () => {
    const c = resolveServeConfig(
      {},
      { FOOTFALL_SMTP_URL: 'smtps://u:p@mail.example.com:465', FOOTFALL_MAIL_FROM: FROM },
    );
    assert.deepEqual([c.smtpUrl, c.mailFrom], ['smtps://u:p@mail.example.com:465', FROM]);
    const none = resolveServeConfig({}, {});
    assert.deepEqual([none.smtpUrl, none.mailFrom], [undefined, undefined]);
  });
});

describe('footfall mail test', () => {
  let smtp: SmtpCapture;
  let server: TestServer;
  let bare: TestServer;
  const dirs: string[] = [];

  before(async () => {
    smtp = await startSmtpCapture();
    server = await startTestServer({ flags: { smtpUrl: smtp.url, mailFrom: FROM } });
    bare = await startTestServer();
  });
  after(async () => {
    await server?.close();
    await bare?.close();
    await smtp?.close();
    for (const d of [server?.dataDir, bare?.dataDir, ...dirs]) if (d) removeDir(d);
  });

  it('sends through the running server with its own settings', async () => {
    const seen = smtp.mails.length;
    const res = await runCli(['mail', 'test', '--to', 'Owner@Example.com', '--data', server.dataDir]);
    assert.equal(res.code, 0, res.stderr);
    const mail = await smtp.next(seen);
    assert.deepEqual(mail.to, ['owner@example.com']);
    assert.equal(mail.from, 'stats@example.com');
    assert.match(mail.subject, /test mail/);
  });

  it('tries --smtp-url/--mail-from given on the command line, with no server running', async () => {
    const seen = smtp.mails.length;
    const dir = tempDir();
    dirs.push(dir);
    const res = await runCli([
      'mail',
      'test',
      '--to',
      'ops@example.com',
      '--data',
      dir,
      '--smtp-url',
      smtp.url,
      '--mail-from',
      FROM,
    ]);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual((await smtp.next(seen)).to, ['ops@example.com']);
  });

  it('says that mail is not configured, from the server or without one', async () => {
    const viaServer = await runCli(['mail', 'test', '--to', 'ops@example.com', '--data', bare.dataDir]);
    assert.equal(viaServer.code, 2);
    assert.match(viaServer.stderr, /mail is not configured on this server/);
    const dir = tempDir();
    dirs.push(dir);
    const alone = await runCli(['mail', 'test', '--to', 'ops@example.com', '--data', dir], {
      env: { FOOTFALL_SMTP_URL: '', FOOTFALL_MAIL_FROM: '' },
    });
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /mail is not configured: pass --smtp-url and --mail-from/);
  });

  it('an SMTP server that refuses the login is a clear error, not a crash', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const wrong = smtp.url.replace('smtp-secret', 'wrong');
    const res = await runCli([
      'mail',
      'test',
      '--to',
      'ops@example.com',
      '--data',
      dir,
      '--smtp-url',
      wrong,
      '--mail-from',
      FROM,
    ]);
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /the SMTP server did not take the mail/);
    assert.doesNotMatch(res.stderr, /\n\s+at /); // no stack trace
  });
});
