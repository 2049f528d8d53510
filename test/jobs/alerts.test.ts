// Traffic alerts on a driven clock, with a real SMTP server and a local HTTP receiver: a spike
// mails and calls the webhook (signed; retried on 500 with backoff), then stays quiet for 12
// hours; a drop alerts too; Slack and Discord bodies cannot ping anyone; webhook targets on
// loopback, private or link-local addresses are refused — by the address a name resolves to,
// not only by how it is written — unless the operator allows them; bad settings are a 400.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { deliverWebhook } from '../../src/jobs/webhook.js';
import { isPrivateAddress, parseWebhookUrl } from '../../src/jobs/webhook-target.js';
import { ConfigError, resolveServeConfig } from '../../src/server/config.js';
import { addUser, type Creds, call, errorCode, login, manualClock } from '../helpers/accounts.js';
import { BROWSER_UA, removeDir, startTestServer, type TestServer } from '../helpers/server.js';
import { type SmtpCapture, startSmtpCapture } from '../helpers/smtp-capture.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP receiver answering each POST with the next scripted status (then 200). */
async function receiver(): Promise<{ url: string; got: Received[]; script: number[]; server: Server }> {
  const got: Received[] = [];
  const script: number[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.statusCode = script.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got, script, server };
}

describe('traffic alerts and webhooks', () => {
  const clock = manualClock(Date.parse('2026-05-04T10:00:00Z'));
  const slept: number[] = [];
  let smtp: SmtpCapture;
  let hook: Awaited<ReturnType<typeof receiver>>;
  let server: TestServer;
  let owner: Creds;
  let secret: string;
  const settings = () => call(server, 'GET', '/api/sites/spike.example/alerts', { as: owner });
  const put = (body: object) => call(server, 'PUT', '/api/sites/spike.example/alerts', { as: owner, body });
  const runAlerts = () => server.jobs.find((j) => j.name === 'alerts')!.run(clock.now());
  /** `n` page views from `n` different visitors, at the clock's time. */
  let visitorNo = 0;
  const visitors = async (n: number, path = '/launch') => {
    for (let i = 0; i < n; i++) {
      visitorNo++;
      const res = await fetch(`${server.url}/api/event`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'user-agent': `${BROWSER_UA} visitor/${visitorNo}` },
        body: JSON.stringify({
          n: 'pageview',
          u: `https://spike.example${path}`,
          d: 'spike.example',
          r: 'https://news.ycombinator.com/',
        }),
      });
      assert.equal(res.status, 202);
    }
    await server.flush();
  };

  before(async () => {
    smtp = await startSmtpCapture();
    hook = await receiver();
    server = await startTestServer({
      sites: ['spike.example'],
      now: clock.now,
      schedule: false,
      sleep: async (ms) => {
        slept.push(ms);
      },
      flags: {
        smtpUrl: smtp.url,
        mailFrom: 'stats@example.com',
        publicUrl: 'https://stats.example.com',
        allowPrivateWebhooks: 'true',
      },
    });
    await addUser(server, 'owner@example.com', 'owner');
    owner = await login(server, 'owner@example.com');
  });
  after(async () => {
    await server?.close();
    await smtp?.close();
    await new Promise((r) => hook?.server.close(r));
    removeDir(server.dataDir);
  });

  it('a spike mails and calls the signed webhook, retried after 500s, then stays quiet for 12 hours', async () => {
    const saved = await put({ spike: 3, emails: ['ops@example.com'], webhookUrl: hook.url });
    assert.equal(saved.status, 200, saved.text);
    secret = (saved.body as { alerts: { webhookSecret: string } }).alerts.webhookSecret;
    assert.match(secret, /^[\w-]{43}$/);

    await visitors(2);
    await runAlerts();
    assert.equal(smtp.mails.length + hook.got.length, 0, '2 visitors: below the threshold');

    await visitors(2, '/pricing');
    hook.script.push(500, 500);
    await runAlerts();
    const mail = smtp.mails[0]!;
    assert.equal(
      mail.subject,
      'Traffic spike on spike.example: 4 visitors in the last 5 minutes (alert at 3)',
    );
    assert.match(mail.text, /Top sources: Hacker News \(4\)/);
    assert.match(mail.text, /Top pages: \/launch \(2\), \/pricing \(2\)/);
    assert.equal(hook.got.length, 3, 'two 500s, then delivered');
    assert.deepEqual(slept, [1000, 4000], 'backoff between attempts');
    const last = hook.got[2]!;
    const ts = String(last.headers['x-footfall-timestamp']);
    const expected = `sha256=${createHmac('sha256', secret).update(`${ts}.${last.body}`).digest('hex')}`;
    assert.equal(
      last.headers['x-footfall-signature'],
      expected,
      'the signature verifies with the site’s secret',
    );
    const body = JSON.parse(last.body);
    assert.equal(body.type, 'traffic_spike');
    assert.equal(body.visitors, 4);
    assert.deepEqual(body.top_sources, [{ name: 'Hacker News', visitors: 4 }]);
    const shown = (await settings()).body as { alerts: { lastDelivery: string; lastSpikeAt: string } };
    assert.match(shown.alerts.lastDelivery, /delivered \(HTTP 200, 3 attempts\)/);
    assert.equal(shown.alerts.lastSpikeAt, new Date(clock.now()).toISOString());

    clock.advance(60_000);
    await visitors(3);
    await runAlerts();
    assert.equal(smtp.mails.length, 1, 'still spiking a minute later: no second alert within 12 hours');
    assert.equal(hook.got.length, 3);

    clock.advance(12 * 3600_000);
    await visitors(3);
    await runAlerts();
    assert.equal(smtp.mails.length, 2, 'twelve hours later it may alert again');
  });

  it('a drop alerts; Slack and Discord bodies carry the text and cannot ping a channel', async () => {
    await visitors(1, '/<!channel>');
    await put({ drop: 100, webhookUrl: hook.url, webhookFormat: 'slack' });
    clock.advance(60_000);
    await runAlerts();
    const slack = JSON.parse(hook.got.at(-1)!.body);
    assert.match(
      slack.text,
      /^Traffic drop on spike\.example: \d+ visitors in the last 12 hours \(alert below 100\)/,
    );
    assert.ok(slack.text.includes('&lt;!channel&gt;') && !slack.text.includes('<!channel>'), slack.text);

    await put({ drop: 100, webhookUrl: hook.url, webhookFormat: 'discord' });
    clock.advance(12 * 3600_000);
    await runAlerts();
    const discord = JSON.parse(hook.got.at(-1)!.body);
    assert.match(discord.content, /^Traffic drop on spike\.example/);
    assert.deepEqual(discord.allowed_mentions, { parse: [] });
  });

  it('refuses loopback, private and link-local targets, also behind a name, unless allowed', async () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
    ]) {
      assert.ok(isPrivateAddress(a), a);
    }
    for (const a of ['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111']) assert.ok(!isPrivateAddress(a), a);
    for (const url of [
      'http://127.0.0.1/x',
      'http://[::1]/x',
      'http://169.254.169.254/latest',
      'http://[::ffff:127.0.0.1]/',
      'http://2130706433/',
      'http://0x7f.1/',
    ]) {
      assert.throws(() => parseWebhookUrl(url, false), { code: 'FOOTFALL_ERR_INVALID_WEBHOOK' }, url);
    }
    assert.equal(
      parseWebhookUrl('https://hooks.slack.com/services/T/B/x', false).hostname,
      'hooks.slack.com',
    );
    // A name is checked by what it resolves to: localhost is 127.0.0.1 (or ::1).
    const before = hook.got.length;
    const local = new URL(hook.url.replace('127.0.0.1', 'localhost'));
    const refused = await deliverWebhook(local, '{}', 's', {
      allowPrivate: false,
      sleep: async () => {},
      now: clock.now,
    });
    assert.equal(refused.ok, false);
    assert.equal(refused.attempts, 1, 'a refused target is not retried');
    assert.match(
      refused.error!,
      /localhost resolves to (127\.0\.0\.1|::1), a loopback, private or link-local address/,
    );
    assert.equal(hook.got.length, before, 'nothing reached the receiver');
    const allowed = await deliverWebhook(local, '{}', 's', {
      allowPrivate: true,
      sleep: async () => {},
      now: clock.now,
    });
    assert.equal(allowed.ok, true, 'with --allow-private-webhooks it goes through');
    // A literal address is refused without a lookup, and not retried either.
    const literal = await deliverWebhook(new URL(hook.url), '{}', 's', {
      allowPrivate: false,
      sleep: async () => {},
      now: clock.now,
    });
    assert.deepEqual([literal.ok, literal.attempts], [false, 1]);
    assert.match(literal.error!, /^127\.0\.0\.1 is a loopback, private or link-local address/);
    assert.equal(hook.got.length, before + 1, 'only the allowed delivery reached the receiver');
    // 429 (too many requests) is retried like a 5xx; a 4xx otherwise is not.
    hook.script.push(429);
    const busy = await deliverWebhook(new URL(hook.url), '{}', 's', {
      allowPrivate: true,
      sleep: async () => {},
      now: clock.now,
    });
    assert.deepEqual([busy.ok, busy.attempts, busy.status], [true, 2, 200]);
    hook.script.push(404);
    const gone = await deliverWebhook(new URL(hook.url), '{}', 's', {
      allowPrivate: true,
      sleep: async () => {},
      now: clock.now,
    });
    assert.deepEqual([gone.ok, gone.attempts, gone.status], [false, 1, 404]);
    assert.throws(() => resolveServeConfig({ allowPrivateWebhooks: 'maybe' }, {}), ConfigError);
    assert.equal(
      resolveServeConfig({}, { FOOTFALL_ALLOW_PRIVATE_WEBHOOKS: 'false' }).allowPrivateWebhooks,
      false,
    );
  });

  it('bad settings are a 400 naming the field, and nothing changes', async () => {
    const before = (await settings()).body;
    for (const [body, code] of [
      [{ spike: 0 }, 'FOOTFALL_ERR_INVALID_ALERT'],
      [{ spike: '5' }, 'FOOTFALL_ERR_INVALID_ALERT'],
      [{ drop: 1.5 }, 'FOOTFALL_ERR_INVALID_ALERT'],
      [{ emails: 'ops@example.com' }, 'FOOTFALL_ERR_INVALID_ALERT'],
      [{ emails: ['not an email'] }, 'FOOTFALL_ERR_INVALID_EMAIL'],
      [{ webhookUrl: 'ftp://example.com/x' }, 'FOOTFALL_ERR_INVALID_WEBHOOK'],
      [{ webhookUrl: 'https://user:pass@example.com/x' }, 'FOOTFALL_ERR_INVALID_WEBHOOK'],
      [{ webhookUrl: 'javascript:alert(1)' }, 'FOOTFALL_ERR_INVALID_WEBHOOK'],
      [{ webhookUrl: 'https://example.com/x', webhookFormat: 'teams' }, 'FOOTFALL_ERR_INVALID_ALERT'],
      [{ threshold: 5 }, 'FOOTFALL_ERR_INVALID_FIELD'],
    ] as const) {
      const res = await put(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(errorCode(res), code, JSON.stringify(body));
    }
    assert.deepEqual((await settings()).body, before);
  });
});
