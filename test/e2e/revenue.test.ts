// Revenue in a real Chromium against a real server: the owner makes a revenue goal (EUR) in
// the site's settings; purchases sent to /api/event (Plausible's `revenue`, as the tracker
// sends it) show in the Goals panel as the goal's total and average revenue in euros — the
// USD purchase left out, computed here from the amounts the test sent — and clicking the goal
// turns the top row into conversions with the revenue cards.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import {
  createOwner,
  type DashboardServer,
  ownerContext,
  type PageWatch,
  panelRows,
  settled,
  startDashboardServer,
  watchPage,
} from '../helpers/dashboard.js';
import { BROWSER_UA } from '../helpers/server.js';

const SITE = 'shop.example';
// [visitor address, amount, currency]: three EUR purchases count, the USD one does not.
const PURCHASES: [string, number | string, string][] = [
  ['2.16.20.1', 19.99, 'EUR'],
  ['5.9.10.2', '5.50', 'EUR'],
  ['31.13.64.3', 100, 'EUR'],
  ['8.8.4.4', 7, 'USD'],
];
const eur = (n: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(n);
const TOTAL = 19.99 + 5.5 + 100;

let server: DashboardServer;
let browser: Browser;
let owner: BrowserContext;
const watches: PageWatch[] = [];

async function send(ip: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${server.url}/api/event`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA, 'x-forwarded-for': ip },
    body: JSON.stringify({ domain: SITE, url: `https://${SITE}/checkout`, ...body }),
  });
  assert.equal(res.status, 202, await res.text());
}

before(async () => {
  server = await startDashboardServer([SITE]);
  for (const [ip, amount, currency] of PURCHASES) {
    await send(ip, { name: 'pageview' });
    await send(ip, { name: 'Purchase', revenue: { amount, currency } });
  }
  await send('9.9.9.9', { name: 'pageview' });
  await createOwner(server);
  browser = await launchChromium();
  owner = await ownerContext(browser, server, { viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await browser?.close();
  await server?.close();
  for (const w of watches) {
    assert.deepEqual(w.violations, []);
    assert.deepEqual(w.errors, []);
  }
});

async function open(path: string): Promise<Page> {
  const page = await owner.newPage();
  page.setDefaultTimeout(20_000);
  watches.push(await watchPage(page, server.url));
  await page.goto(`${server.url}${path}`);
  return page;
}

test('a revenue goal shows its total and average in euros in the Goals panel and, filtered, in the top row', async () => {
  const settings = await open(`/sites/${SITE}/settings`);
  await settings.waitForSelector('#goals-heading');
  await settings.selectOption('.goal-form select', 'event');
  await settings.fill('.goal-form input[name=target]', 'Purchase');
  await settings.fill('.goal-form input[name=currency]', 'EUR');
  await settings.click('.goal-form button[type=submit]');
  await settings.waitForSelector('.goal-list li:has-text("revenue in EUR")');
  await settings.close();

  const page = await open(`/sites/${SITE}`);
  await settled(page, 30_000);
  // 4 buyers of 5 visitors converted; revenue is the EUR purchases only, averaged over them.
  assert.deepEqual(await panelRows(page, 'goals'), [
    { label: 'Purchase', values: ['4', '4', '80%', eur(TOTAL), eur(TOTAL / 3)] },
  ]);

  await page.click('section[data-panel="goals"] .row-pick:has-text("Purchase")');
  await page.waitForSelector('.top-stats .stat[data-metric="total_revenue"]');
  await settled(page, 30_000);
  const cards = await page.$$eval('.top-stats .stat', (els) =>
    els.map((e) => [
      e.querySelector('.stat-label')?.textContent,
      e.querySelector('.stat-value')?.textContent,
    ]),
  );
  assert.deepEqual(cards.slice(-2), [
    ['Total revenue', eur(TOTAL)],
    ['Average revenue', eur(TOTAL / 3)],
  ]);
});
