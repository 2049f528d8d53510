// The periodic jobs' settings in a real Chromium against a real server: retention (a bad value
// shows the server's message and changes nothing; a good one is saved and the oldest kept event
// shows), a report subscription, and alert thresholds with a refused private webhook.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import {
  ADMIN_KEY,
  createOwner,
  type DashboardServer,
  ownerContext,
  type PageWatch,
  sendEvent,
  startDashboardServer,
  watchPage,
} from '../helpers/dashboard.js';

const SITE = 'example.com';
let server: DashboardServer;
let browser: Browser;
let owner: BrowserContext;
const watches: PageWatch[] = [];

const api = async (path: string) =>
  (
    await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })
  ).json() as Promise<Record<string, Record<string, unknown>>>;

before(async () => {
  server = await startDashboardServer([SITE]);
  await sendEvent(server, { domain: SITE, url: `https://${SITE}/`, ip: '203.0.113.7' });
  await server.flush();
  await createOwner(server);
  browser = await launchChromium();
  owner = await ownerContext(browser, server, { viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await browser?.close();
  await server?.close();
  for (const w of watches) {
    assert.deepEqual(w.dialogs, []);
    assert.deepEqual(w.violations, []);
    assert.deepEqual(w.errors, []);
  }
});

test('retention, reports and alerts are set in the site settings; bad values show the server’s message', async () => {
  const page: Page = await owner.newPage();
  page.setDefaultTimeout(20_000);
  watches.push(await watchPage(page, server.url));
  await page.goto(`${server.url}/sites/${SITE}/settings`);
  await page.waitForSelector('#retention-heading');
  const today = new Date().toISOString().slice(0, 10);
  await page.waitForSelector(`text=Oldest event kept: ${today}.`);

  await page.fill('#site-retention', 'abc');
  await page.click('section:has(#retention-heading) button[type=submit]');
  await page.waitForSelector(
    'section:has(#retention-heading) .form-error:has-text("retention must be a whole number")',
  );
  assert.equal((await api(`/api/sites/${SITE}`)).site!.retentionMonths, null);
  await page.fill('#site-retention', '25');
  await page.click('section:has(#retention-heading) button[type=submit]');
  await page.waitForSelector('section:has(#retention-heading) .ok:has-text("Saved.")');
  assert.equal((await api(`/api/sites/${SITE}`)).site!.retentionMonths, 25);

  const reports = page.locator('section:has(#reports-heading)');
  await reports.locator('text=Mail is not configured').waitFor();
  await reports.locator('input[type=email]').fill('anna@example.com');
  await reports.locator('select').selectOption('month');
  await reports.locator('button[type=submit]').click();
  await reports.locator('li:has-text("anna@example.com")').waitFor();
  assert.deepEqual((await api(`/api/sites/${SITE}/reports`)).subscriptions, [
    { id: 1, email: 'anna@example.com', period: 'month' },
  ]);

  const alerts = page.locator('section:has(#alerts-heading)');
  await alerts.locator('input[inputmode=numeric]').first().fill('50');
  await alerts.locator('input[type=url]').fill('http://169.254.169.254/latest/meta-data');
  await alerts.locator('button[type=submit]').click();
  await alerts.locator('.form-error:has-text("the webhook URL is not allowed")').waitFor();
  assert.equal((await api(`/api/sites/${SITE}/alerts`)).alerts!.spike, null, 'nothing saved');
  await alerts.locator('input[type=url]').fill('https://hooks.example.com/footfall');
  await alerts.locator('button[type=submit]').click();
  await alerts.locator('.ok:has-text("Saved.")').waitFor();
  await alerts.locator('text=Signing secret').waitFor();
  const saved = (await api(`/api/sites/${SITE}/alerts`)).alerts!;
  assert.equal(saved.spike, 50);
  assert.equal(saved.webhookUrl, 'https://hooks.example.com/footfall');
  await page.close();
});
