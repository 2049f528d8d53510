// The main chart in a real browser (issue 12, item 6): a tooltip at the cursor instead of a
// legend line, no points for hours still to come "today", the interval picker, year-over-year
// and custom comparisons reaching the API, and "new" where the compared period was empty.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import {
  createOwner,
  type DashboardServer,
  ownerContext,
  type PageWatch,
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

async function open(query: string, setup?: (page: Page) => Promise<void>): Promise<Page> {
  const page = await owner.newPage();
  page.setDefaultTimeout(10_000);
  watches.push(await watchPage(page, server.url));
  await setup?.(page);
  await page.goto(`${server.url}/sites/${SITE}${query}`);
  await settled(page);
  await page.waitForSelector('.chart-panel .u-over');
  return page;
}

/** Moves the mouse over bucket `i` of `n` and returns the tooltip's text (or null when hidden). */
async function hoverBucket(page: Page, i: number, n: number): Promise<string | null> {
  const box = await page.locator('.chart-panel .u-over').boundingBox();
  assert.ok(box);
  await page.mouse.move(box.x + Math.min(box.width - 1, (box.width * i) / (n - 1)), box.y + box.height / 2);
  return page.evaluate(() => {
    const tip = document.querySelector<HTMLElement>('.chart-tip');
    return tip && !tip.hidden ? tip.textContent : null;
  });
}

/** The bodies of the query requests the page sends from now on. */
function queries(page: Page): Record<string, unknown>[] {
  const seen: Record<string, unknown>[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/v2/query')) seen.push(JSON.parse(r.postData() ?? '{}'));
  });
  return seen;
}

test('hovering the chart shows a tooltip with the bucket and its value; there is no legend row', async () => {
  const page = await open('?period=7d');
  assert.equal(await page.$('.u-legend'), null);
  const text = await hoverBucket(page, 6, 7);
  assert.ok(text, 'a tooltip is shown');
  assert.match(text, /Unique visitors: 6/);
  await page.mouse.move(5, 5);
  await page.waitForFunction(() => document.querySelector<HTMLElement>('.chart-tip')?.hidden === true);
  await page.close();
});

test('"today" draws no points for the hours still to come', async () => {
  // The browser's clock is pinned to 06:30 of the server's today (UTC site): hours 7–23 are the future.
  const today = new Date().toISOString().slice(0, 10);
  const page = await open('?period=day', (p) => p.clock.setFixedTime(new Date(`${today}T06:30:00Z`)));
  assert.match((await hoverBucket(page, 6, 24)) ?? '', /Unique visitors: \d/);
  assert.match((await hoverBucket(page, 20, 24)) ?? '', /Unique visitors: —/);
  await page.close();
});

test('the interval picker offers days and weeks for 30 days and asks for weeks', async () => {
  const page = await open('');
  const seen = queries(page);
  assert.deepEqual(await page.$$eval('.interval-picker button', (bs) => bs.map((b) => b.textContent)), [
    'Days',
    'Weeks',
  ]);
  await page.click('.interval-picker button[data-interval="week"]');
  await page.waitForURL(/interval=week/);
  await settled(page);
  assert.ok(seen.some((q) => JSON.stringify(q.dimensions) === '["time:week"]'));
  assert.equal(
    await page.getAttribute('.interval-picker button[data-interval="week"]', 'aria-pressed'),
    'true',
  );
  await page.close();
});

test('comparing with an empty period says "new" on every card, not a percentage', async () => {
  const page = await open('?period=30d&compare=1');
  const changes = await page.$$eval('.stat .stat-change', (els) => els.map((e) => e.textContent));
  assert.deepEqual(changes, ['new', 'new', 'new', 'new', 'new', 'new']);
  await page.close();
});

test('year-over-year and custom comparisons go into the URL and the queries', async () => {
  const page = await open('?period=7d&compare=1');
  const seen = queries(page);
  await page.selectOption('.compare-with select', 'year_over_year');
  await page.waitForURL(/compare=yoy/);
  await settled(page);
  assert.ok(seen.some((q) => JSON.stringify(q.include).includes('"mode":"year_over_year"')));
  // The dashed line is its own query for the same dates a year earlier.
  const year = String(new Date().getUTCFullYear() - 1);
  assert.ok(seen.some((q) => Array.isArray(q.date_range) && String(q.date_range[0]).startsWith(year)));

  seen.length = 0;
  await page.selectOption('.compare-with select', 'custom');
  await page.fill('.compare-with input >> nth=0', '2026-01-01');
  await page.fill('.compare-with input >> nth=1', '2026-01-07');
  await page.click('.compare-with button[type=submit]');
  await page.waitForURL(/compare=custom&cfrom=2026-01-01&cto=2026-01-07/);
  await settled(page);
  assert.ok(
    seen.some((q) =>
      JSON.stringify(q.include).includes('{"mode":"custom","date_range":["2026-01-01","2026-01-07"]}'),
    ),
  );
  assert.ok(seen.some((q) => JSON.stringify(q.date_range) === '["2026-01-01","2026-01-07"]'));
  await page.close();
});
