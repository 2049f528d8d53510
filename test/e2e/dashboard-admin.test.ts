// The pages around the dashboard, in a real Chromium against a real server: first-run
// setup, signing in and being sent back, the sites list with its numbers, adding a site and
// seeing its first page view arrive, the settings (time zone, share links, API keys,
// members, deletion), the account page, and a password-protected share link that shows the
// same dashboard read-only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { formatCount } from '../../src/web/format/number.js';
import { last24h } from '../../src/web/sites/requests.js';
import { launchChromium, visitorContext, waitFor } from '../helpers/browser.js';
import {
  ADMIN_KEY,
  ask,
  type DashboardServer,
  OWNER,
  type PageWatch,
  sendEvent,
  settled,
  startDashboardServer,
  watchPage,
} from '../helpers/dashboard.js';
import { seedKnownTraffic } from './dashboard-seed.js';

const SITE = 'example.com';
let server: DashboardServer;
let browser: Browser;
let owner: BrowserContext;
const watches: PageWatch[] = [];

before(async () => {
  server = await startDashboardServer([SITE]);
  await seedKnownTraffic(server, SITE);
  browser = await launchChromium();
  owner = await visitorContext(browser);
});

after(async () => {
  await browser?.close();
  await server?.close();
  for (const w of watches) {
    assert.deepEqual(w.dialogs, []);
    assert.deepEqual(w.violations, []);
    assert.deepEqual(w.errors, []);
    assert.deepEqual(w.foreignRequests, []);
  }
});

async function newPage(ctx: BrowserContext = owner): Promise<Page> {
  const page = await ctx.newPage();
  watches.push(await watchPage(page, server.url));
  return page;
}

async function admin(method: string, url: string, body?: unknown): Promise<Response> {
  return fetch(server.url + url, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

test('first run: /login points to setup; the setup link creates the owner and signs in', async () => {
  const page = await newPage();
  await page.goto(`${server.url}/sites/${SITE}`);
  await page.waitForURL(/\/login\?next=/);
  await page.waitForSelector('.note:has-text("no owner yet")');
  const token = /setup\?token=([A-Za-z0-9_-]+)/.exec(server.logs.join('\n'))?.[1];
  assert.ok(token);
  await page.goto(`${server.url}/setup?token=${token}`);
  await page.fill('input[type=email]', OWNER.email);
  await page.fill('input[autocomplete=new-password] >> nth=0', OWNER.password);
  await page.fill('input[autocomplete=new-password] >> nth=1', OWNER.password);
  await page.click('button[type=submit]');
  await page.waitForSelector(`.site-card[data-site="${SITE}"]`);
  assert.equal(new URL(page.url()).pathname, '/');
  await page.close();
});

test('signed out, a dashboard link goes to /login and back to the link afterwards', async () => {
  const ctx = await visitorContext(browser);
  const page = await newPage(ctx);
  await page.goto(`${server.url}/sites/${SITE}?period=7d`);
  await page.waitForURL(/\/login\?next=/);
  await page.fill('input[name=email]', OWNER.email);
  await page.fill('input[name=password]', 'wrong password');
  await page.click('button[type=submit]');
  await page.waitForSelector('.form-error');
  await page.fill('input[name=password]', OWNER.password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${server.url}/sites/${SITE}?period=7d`);
  await settled(page);
  await ctx.close();
});

test('the sites list shows visitors in the last 24 hours and a sparkline', async () => {
  const page = await newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => {
    const shown = document.querySelector('.site-visitors')?.textContent;
    return shown !== undefined && !shown.includes('…');
  });
  const res = await ask(server, { site_id: SITE, metrics: ['visitors'], date_range: last24h(new Date()) });
  const shown = await page.textContent(`.site-card[data-site="${SITE}"] .site-visitors`);
  assert.equal(shown?.trim().split(/\s/)[0], formatCount(res.results[0]?.metrics[0] ?? 0));
  await page.waitForSelector(`.site-card[data-site="${SITE}"] svg.sparkline polyline`);
  await page.close();
});

test('adding a site shows the snippet, and the check turns green at its first page view', async () => {
  const page = await newPage();
  await page.goto(server.url);
  await page.fill('.add-site input[placeholder="example.com"]', 'new.example.org');
  await page.selectOption('#new-site-timezone', 'Europe/Berlin');
  await page.click('.add-site button[type=submit]');
  const snippet = await page.textContent('.snippet code');
  assert.match(
    snippet ?? '',
    /^<script defer data-domain="new\.example\.org" src="http:\/\/[^"]+\/script\.js"><\/script>$/,
  );
  assert.equal(await page.textContent('[data-testid="first-pageview"]'), 'Waiting for the first page view…');
  await sendEvent(server, { domain: 'new.example.org', url: 'https://new.example.org/', ip: '84.1.2.3' });
  await server.flush();
  await page.waitForSelector('[data-testid="first-pageview"].is-seen', { timeout: 10_000 });
  await page.close();
});

test('settings: time zone, API keys, members, share links', async () => {
  const page = await newPage();
  await page.goto(`${server.url}/sites/${SITE}`);
  await page.click('.dash-actions a:text-is("Settings")');
  await page.waitForURL(`${server.url}/sites/${SITE}/settings`);

  await page.selectOption('#site-timezone', 'Asia/Tokyo');
  await page.click('#general-heading ~ form button[type=submit]');
  await page.waitForSelector('#general-heading ~ form .ok');
  const sites = (await (await admin('GET', '/api/sites')).json()) as {
    sites: { domain: string; timezone: string }[];
  };
  assert.equal(sites.sites.find((s) => s.domain === SITE)?.timezone, 'Asia/Tokyo');

  await page.fill('#keys-heading ~ form input[required]', 'reporting');
  await page.click('#keys-heading ~ form button[type=submit]');
  const key = await page.textContent('#keys-heading ~ .note code.secret');
  assert.match(key ?? '', /\S{20,}/);
  const byKey = await fetch(`${server.url}/api/v2/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ site_id: SITE, metrics: ['visitors'], date_range: '30d' }),
  });
  assert.equal(byKey.status, 200, 'the new key reads the site');
  await page.waitForSelector('#keys-heading ~ ul li:has-text("reporting")');
  await page.click('#keys-heading ~ ul li:has-text("reporting") .btn-danger-link');
  await page.click('#keys-heading ~ ul li:has-text("reporting") .btn-danger');
  await page.waitForSelector('#keys-heading ~ ul li:has-text("reporting")', { state: 'detached' });

  assert.equal(
    (
      await admin('POST', '/api/users', {
        email: 'viewer@example.com',
        password: 'viewer password 1',
        role: 'member',
      })
    ).status,
    201,
  );
  await page.fill('#members-heading ~ form input[type=email]', 'viewer@example.com');
  await page.click('#members-heading ~ form button[type=submit]');
  await page.waitForSelector('#members-heading ~ ul li:has-text("viewer@example.com")');
  await page.click('#members-heading ~ ul li:has-text("viewer@example.com") .btn-danger-link');
  await page.click('#members-heading ~ ul li:has-text("viewer@example.com") .btn-danger');
  await page.waitForSelector('#members-heading ~ ul li:has-text("viewer@example.com")', {
    state: 'detached',
  });

  await page.fill('#shares-heading ~ form input[type=password]', 'share secret 1');
  await page.click('#shares-heading ~ form button[type=submit]');
  await page.waitForSelector('#shares-heading ~ ul li:has-text("password")');
  const shareUrl = await page.textContent('#shares-heading ~ ul li code.share-url');
  assert.match(shareUrl ?? '', /\/share\/[A-Za-z0-9_-]+$/);
  await page.close();

  // The share link, in a browser that has never signed in.
  const visitor = await visitorContext(browser);
  const share = await newPage(visitor);
  const shareHeaders: (string | undefined)[] = [];
  share.on('request', (r) => {
    if (r.url().includes('/api/v2/')) shareHeaders.push(r.headers()['x-footfall-share']);
  });
  const token = new URL(shareUrl!).pathname.split('/').pop()!;
  await share.goto(`${server.url}/share/${token}`);
  // The password form names the site, and a wrong password is called one (issue 12, B8).
  await share.waitForSelector(`h1:text-is("${SITE}")`);
  await share.fill('input[type=password]', 'not it');
  await share.click('button[type=submit]');
  await share.waitForSelector('.form-error');
  assert.match((await share.textContent('.form-error')) ?? '', /^wrong password/);
  await share.fill('input[type=password]', 'share secret 1');
  await share.click('button[type=submit]');
  await settled(share);
  const top = await ask(server, { site_id: SITE, metrics: ['visitors'], date_range: '30d' });
  assert.equal(
    await share.textContent('.stat[data-metric="visitors"] .stat-value'),
    formatCount(top.results[0]?.metrics[0]),
  );
  assert.equal(
    await share.locator('a:text-is("Settings"), a:text-is("All sites"), a:text-is("Account")').count(),
    0,
  );
  assert.ok(
    shareHeaders.length > 5 && shareHeaders.every((h) => h === token),
    'every stats call carries the token',
  );
  await visitor.close();
});

test('a viewer sees the dashboard of their site, without settings or the add-site form', async () => {
  assert.equal(
    (
      await admin('POST', '/api/users', {
        email: 'reader@example.com',
        password: 'reader password 1',
        role: 'member',
      })
    ).status,
    201,
  );
  assert.equal(
    (await admin('POST', `/api/sites/${SITE}/members`, { email: 'reader@example.com', role: 'viewer' }))
      .status,
    201,
  );
  const ctx = await visitorContext(browser);
  const res = await ctx.request.post(`${server.url}/api/auth/login`, {
    data: { email: 'reader@example.com', password: 'reader password 1' },
  });
  assert.ok(res.ok());
  const page = await newPage(ctx);
  await page.goto(server.url);
  await page.waitForSelector(`.site-card[data-site="${SITE}"]`);
  assert.equal(await page.locator('.site-card').count(), 1, 'only the site given to them');
  assert.equal(await page.locator('.add-site').count(), 0);
  await page.click(`.site-card[data-site="${SITE}"] .site-link`);
  await settled(page);
  assert.equal(await page.locator('.dash-actions a:text-is("Settings")').count(), 0);
  await ctx.close();
});

test('account: sessions, password change, sign out', async () => {
  const page = await newPage();
  await page.goto(`${server.url}/account`);
  await page.waitForSelector('#sessions-heading ~ ul li .badge:text-is("this browser")');

  // An owner invites people, who choose their own password through a one-time link (issue
  // 12, B8), and removes them.
  assert.equal(await page.locator('#users-heading ~ form input[type=password]').count(), 0);
  await page.fill('#users-heading ~ form input[type=email]', 'someone@example.com');
  await page.click('#users-heading ~ form button[type=submit]');
  const person = '#users-heading ~ ul li:has-text("someone@example.com")';
  await page.waitForSelector(person);
  const first = (await page.textContent('#users-heading ~ .note code.invite-url')) ?? '';
  assert.match(first, /\/invite\?token=\d+\.[\w-]{43}$/);
  // Until it is used the person is listed as invited, and a new link replaces the old one.
  await page.waitForSelector(`${person} .muted:has-text("invited")`);
  await page.click(`${person} button:text-is("New link")`);
  await page.waitForFunction(
    (old) => document.querySelector('#users-heading ~ .note code.invite-url')?.textContent !== old,
    first,
  );
  const link = (await page.textContent('#users-heading ~ .note code.invite-url')) ?? '';
  const invitee = await visitorContext(browser);
  const join = await newPage(invitee);
  await join.goto(`${server.url}${new URL(link).pathname}${new URL(link).search}`);
  await join.fill('input[autocomplete=new-password] >> nth=0', 'someone password 1');
  await join.fill('input[autocomplete=new-password] >> nth=1', 'someone password 1');
  await join.click('button[type=submit]');
  await join.waitForSelector('h1:text-is("Sites")');
  const someone = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'someone@example.com', password: 'someone password 1' }),
  });
  assert.equal(someone.status, 200, 'the invited person signs in with the password they chose');
  // The link worked once, and the replaced one not at all.
  await join.goto(`${server.url}${new URL(first).pathname}${new URL(first).search}`);
  await join.fill('input[autocomplete=new-password] >> nth=0', 'another password 2');
  await join.fill('input[autocomplete=new-password] >> nth=1', 'another password 2');
  await join.click('button[type=submit]');
  await join.waitForSelector('.form-error');
  assert.match(
    (await join.textContent('.form-error')) ?? '',
    /invitation link is invalid, expired or already used/,
  );
  await invitee.close();
  await page.click(`${person} .btn-danger-link`);
  await page.click(`${person} .btn-danger`);
  await page.waitForSelector(person, { state: 'detached' });

  await page.fill('input[autocomplete=current-password]', OWNER.password);
  await page.fill('input[autocomplete=new-password] >> nth=0', 'a brand new password');
  await page.fill('input[autocomplete=new-password] >> nth=1', 'a brand new password');
  await page.click('#password-heading ~ form button[type=submit]');
  await page.waitForSelector('#password-heading ~ form .ok');
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: OWNER.email, password: 'a brand new password' }),
  });
  assert.equal(login.status, 200);
  OWNER.password = 'a brand new password';
  await page.click('button:text-is("Sign out")');
  await page.waitForURL(/\/login$/);
  await page.goto(`${server.url}/account`);
  await page.waitForURL(/\/login\?next=%2Faccount/);
  await page.close();
});

test('deleting a site needs its domain typed', async () => {
  const ctx = await visitorContext(browser);
  const res = await ctx.request.post(`${server.url}/api/auth/login`, { data: OWNER });
  assert.ok(res.ok());
  const page = await newPage(ctx);
  await page.goto(`${server.url}/sites/new.example.org/settings`);
  const button = page.locator('#delete-heading ~ form button[type=submit]');
  await page.fill('#delete-heading ~ form input', 'new.example.or');
  assert.equal(await button.isDisabled(), true);
  await page.fill('#delete-heading ~ form input', 'new.example.org');
  await button.click();
  await page.waitForURL(`${server.url}/`);
  await waitFor(async () => (await page.locator('.site-card').count()) === 1, 'one site left');
  await ctx.close();
});
