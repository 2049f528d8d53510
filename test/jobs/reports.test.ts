// Email reports through a real SMTP server in the test process, on a driven clock: the weekly
// report leaves on Monday 09:00 in each site's time zone (Berlin's the Monday after the switch
// to summer time, New York's five hours later), the monthly one on the 1st; the numbers are the
// Stats API's for the same range; no mail goes twice after a restart, nor after a stop in the
// middle of one; the one-click unsubscribe is honoured.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encodeRow } from '../../src/ingest/row-codec.js';
import { REPORT_QUERIES, SUMMARY_METRICS } from '../../src/jobs/report-data.js';
import { addSite } from '../../src/sites/manage.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import { formatChange, formatExact, formatMetric, METRIC_LABELS } from '../../src/web/format/number.js';
import { addUser, type Creds, call, errorCode, login, manualClock } from '../helpers/accounts.js';
import { sampleRow } from '../helpers/sample-row.js';
import { removeDir, runCli, startTestServer, type TestServer, tempDir } from '../helpers/server.js';
import { type SmtpCapture, startSmtpCapture } from '../helpers/smtp-capture.js';

const PUBLIC = 'https://stats.example.com';
const HOUR = 3600_000;
const PAGES = ['/', '/pricing', '/blog/a', '/blog/b', '/docs', '/about', '/<b>hostile</b>'];
const SOURCES: [string, string][] = [
  ['https://www.google.com/', 'Google'],
  ['https://news.ycombinator.com/', 'Hacker News'],
  ['', 'Direct / None'],
  ['https://duckduckgo.com/', 'DuckDuckGo'],
];

/** Visits every 3 hours through March 2026 (and into April), varied pages, sources and sign-ups. */
function march(siteId: number, hostname: string, firstSession: number): string {
  const lines: string[] = [];
  let s = firstSession;
  for (let t = Date.parse('2026-03-01T00:30:00Z'); t < Date.parse('2026-04-08T00:00:00Z'); t += 3 * HOUR) {
    s++;
    const [referrer, source] = SOURCES[s % SOURCES.length]!;
    const base = {
      ...sampleRow(1),
      siteId,
      hostname,
      sessionId: BigInt(s),
      visitorId: BigInt(s % 40),
      referrer,
      referrerHost: referrer ? new URL(referrer).hostname : '',
      source,
      channel: source === 'Direct / None' ? 'Direct' : 'Organic Search',
    };
    lines.push(encodeRow({ ...base, ts: t, pathname: PAGES[s % PAGES.length]! }));
    if (s % 3 === 0)
      lines.push(encodeRow({ ...base, ts: t + 95_000, pathname: PAGES[(s * 7) % PAGES.length]! }));
    if (s % 5 === 0)
      lines.push(encodeRow({ ...base, ts: t + 120_000, name: 'Signup', pathname: '/pricing' }));
  }
  return `${lines.join('\n')}\n`;
}

describe('email reports', () => {
  const clock = manualClock(Date.parse('2026-03-25T12:00:00Z')); // subscriptions made on a Wednesday
  let smtp: SmtpCapture;
  let dataDir: string;
  let server: TestServer;
  let owner: Creds;
  const start = async (first = false) =>
    startTestServer({
      dataDir,
      sites: [],
      now: clock.now,
      schedule: false,
      flags: { smtpUrl: smtp.url, mailFrom: 'stats@example.com', publicUrl: PUBLIC, ...(first ? {} : {}) },
    });
  const runReports = async (iso: string) => {
    clock.advance(Date.parse(iso) - clock.now());
    await server.jobs.find((j) => j.name === 'reports')!.run(clock.now());
  };
  const mailsTo = (to: string) => smtp.mails.filter((m) => m.to.includes(to));

  before(async () => {
    smtp = await startSmtpCapture();
    dataDir = tempDir();
    const store = await openDuckDbStore(dataDir);
    await addSite(store, { domain: 'berlin.example', timezone: 'Europe/Berlin' });
    await addSite(store, { domain: 'ny.example', timezone: 'America/New_York' });
    await store.goals.addGoal(
      'berlin.example',
      { name: 'Signup', event: 'Signup', page: null, scroll: null, props: [] },
      clock.now(),
    );
    const file = path.join(dataDir, 'march.ndjson');
    const text = march(1, 'berlin.example', 0) + march(2, 'ny.example', 100_000);
    writeFileSync(file, text);
    await store.loadEvents(file, { segment: 0, offset: 0 });
    await store.close();
    server = await start(true);
    await addUser(server, 'owner@example.com', 'owner');
    owner = await login(server, 'owner@example.com');
    for (const [domain, email, period] of [
      ['berlin.example', 'anna@example.com', 'week'],
      ['berlin.example', 'anna@example.com', 'month'],
      ['ny.example', 'nick@example.com', 'week'],
    ]) {
      const res = await call(server, 'POST', `/api/sites/${domain}/reports`, {
        as: owner,
        body: { email, period },
      });
      assert.equal(res.status, 201, res.text);
    }
  });
  after(async () => {
    await server?.close();
    await smtp?.close();
    removeDir(dataDir);
  });

  it('sends the weekly report at 09:00 local in each zone, DST included, with the Stats API’s numbers', async () => {
    await runReports('2026-03-30T06:59:00Z'); // 08:59 in Berlin (summer time since Sunday)
    assert.equal(smtp.mails.length, 0, 'nothing before 09:00');
    await runReports('2026-03-30T07:00:01Z');
    const [mail] = mailsTo('anna@example.com');
    assert.equal(smtp.mails.length, 1);
    assert.equal(mail!.subject, 'Weekly report for berlin.example: 23–29 March 2026');

    // Every number in the mail is the API's for 23–29 March (a week of 167 hours).
    const api = async (body: object) =>
      (
        (
          await call(server, 'POST', '/api/v2/query', {
            as: owner,
            body: { site_id: 'berlin.example', date_range: ['2026-03-23', '2026-03-29'], ...body },
          })
        ).body as {
          results: { dimensions: string[]; metrics: number[]; comparison?: { change: number[] } }[];
        }
      ).results;
    const [summary] = await api(REPORT_QUERIES.summary);
    SUMMARY_METRICS.forEach((m, i) => {
      const line = `${METRIC_LABELS[m]}: ${formatMetric(m, summary!.metrics[i])} (${formatChange(m, summary!.comparison!.change[i]).text} vs the week before)`;
      assert.ok(mail!.text.includes(line), `${line}\n---\n${mail!.text}`);
    });
    assert.ok(summary!.metrics[0]! > 10, 'the week has visitors');
    for (const [name, query] of [
      ['Top pages', REPORT_QUERIES.pages],
      ['Top sources', REPORT_QUERIES.sources],
      ['Top goals', REPORT_QUERIES.goals],
    ] as const) {
      const rows = await api(query);
      assert.ok(rows.length > 0 && rows.length <= 5, name);
      const section = mail!.text.split(`${name} (visitors):\n`)[1]!.split('\n\n')[0]!;
      assert.deepEqual(
        section.split('\n'),
        rows.map((r) => `  ${formatExact(r.metrics[0]!)}  ${r.dimensions[0]}`),
        name,
      );
    }
    // HTML: inline styles, no remote images, tracked text escaped; one-click unsubscribe headers.
    assert.match(mail!.html, /style="/);
    assert.doesNotMatch(mail!.html, /<img|<link|<script|url\(/i);
    assert.doesNotMatch(mail!.html, /<b>hostile/);
    assert.match(
      mail!.header('list-unsubscribe') ?? '',
      /^<https:\/\/stats\.example\.com\/api\/reports\/unsubscribe\?token=\d+\.[\w-]{43}>$/,
    );
    assert.equal(mail!.header('list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
    assert.match(mail!.text, /Dashboard: https:\/\/stats\.example\.com\/sites\/berlin\.example/);

    await runReports('2026-03-30T12:59:00Z');
    assert.equal(mailsTo('nick@example.com').length, 0, 'New York: not before 09:00 EDT');
    await runReports('2026-03-30T13:00:01Z');
    assert.equal(mailsTo('nick@example.com')[0]?.subject, 'Weekly report for ny.example: 23–29 March 2026');
    assert.equal(smtp.mails.length, 2, 'each weekly report once');
  });

  it('the monthly report leaves on the 1st at 09:00 for the month before', async () => {
    await runReports('2026-04-01T06:59:00Z');
    assert.equal(smtp.mails.length, 2);
    await runReports('2026-04-01T07:00:01Z');
    assert.equal(smtp.mails.at(-1)?.subject, 'Monthly report for berlin.example: March 2026');
    assert.equal(smtp.mails.length, 3);
  });

  it('a restart sends nothing twice, and a report a stop interrupted is not sent again', async () => {
    // The state a stop in the middle of next Monday's New York report leaves: its period claimed.
    const [nyWeekly] = await server.store.jobs.subscriptions('ny.example');
    assert.ok(
      await server.store.jobs.claim('reports', `site2:week:2026-W14:to${nyWeekly!.id}`, clock.now(), 3),
    );
    await server.close();
    server = await start();
    owner = await login(server, 'owner@example.com');
    assert.ok(
      server.logs.some((l) => l.includes('job reports was stopped while running site2:week:2026-W14')),
    );
    await runReports('2026-04-01T07:30:00Z');
    assert.equal(smtp.mails.length, 3, 'the reports already sent are not sent again');
    await runReports('2026-04-06T13:00:01Z');
    const sent = smtp.mails.slice(3).map((m) => `${m.to} ${m.subject}`);
    assert.deepEqual(
      sent,
      ['anna@example.com Weekly report for berlin.example: 30 March – 5 April 2026'],
      'not the interrupted one',
    );
  });

  it('the one-click unsubscribe link works without signing in and is honoured', async () => {
    const header = mailsTo('anna@example.com').at(-1)!.header('list-unsubscribe')!;
    const link = header.slice(1, -1).replace(PUBLIC, server.url);
    const page = await fetch(link);
    assert.equal(page.status, 200, 'a GET (a mail scanner) only shows the button');
    assert.equal((await server.store.jobs.subscriptions('berlin.example')).length, 2);
    const res = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    assert.equal(res.status, 200);
    assert.deepEqual(
      (await server.store.jobs.subscriptions('berlin.example')).map((s) => s.period),
      ['month'],
    );
    assert.equal((await fetch(link, { method: 'POST' })).status, 200, 'a second click says the same');
    const forged = await call(
      server,
      'POST',
      `/api/reports/unsubscribe?token=${encodeURIComponent(link.split('token=')[1]!.replace(/^\d+/, '999'))}`,
    );
    assert.equal(errorCode(forged), 'FOOTFALL_ERR_UNSUBSCRIBE_TOKEN');
    const before = smtp.mails.length;
    await runReports('2026-04-13T13:00:01Z');
    assert.deepEqual(
      smtp.mails.slice(before).map((m) => m.to[0]),
      ['nick@example.com'],
      'Anna gets no weekly report',
    );
  });

  it('"send now" in settings and `footfall report send` mail the last finished period; bad input is refused', async () => {
    const now = await call(server, 'POST', '/api/sites/berlin.example/reports/send', {
      as: owner,
      body: { period: 'month' },
    });
    assert.equal(now.status, 200, now.text);
    const mail = smtp.mails.at(-1)!;
    assert.deepEqual(
      [mail.to, mail.subject],
      [['owner@example.com'], 'Monthly report for berlin.example: March 2026'],
    );
    assert.equal(mail.header('list-unsubscribe'), undefined, 'sent on request: nothing to unsubscribe from');

    const cli = await runCli([
      'report',
      'send',
      'ny.example',
      '--to',
      'ops@example.com',
      '--period',
      'week',
      '--data',
      dataDir,
    ]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal(smtp.mails.at(-1)?.subject, 'Weekly report for ny.example: 6–12 April 2026');

    for (const [body, code] of [
      [{ email: 'not-an-email', period: 'week' }, 'FOOTFALL_ERR_INVALID_EMAIL'],
      [{ email: 'a@example.com', period: 'year' }, 'FOOTFALL_ERR_INVALID_FIELD'],
      [{ email: 'a@example.com', period: 'week', extra: 1 }, 'FOOTFALL_ERR_INVALID_FIELD'],
    ] as const) {
      assert.equal(
        errorCode(await call(server, 'POST', '/api/sites/berlin.example/reports', { as: owner, body })),
        code,
      );
    }
    assert.equal(
      errorCode(await call(server, 'DELETE', '/api/sites/berlin.example/reports/999', { as: owner })),
      'FOOTFALL_ERR_SUBSCRIPTION_NOT_FOUND',
    );
    assert.equal((await server.store.jobs.subscriptions()).length, 2, 'nothing stored');
  });
});
