// Issue 12, item 3: the scroll depth and time on page the tracker collects are shown, in the
// Pages panel and its Details (as Plausible does), with bounce rate per page in Details.
// Known page views and engagement events go through the real tracking endpoint; the
// numbers on screen must be the query API's answer for the same breakdown.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { formatMetric } from '../../src/web/format/number.js';
import { launchChromium } from '../helpers/browser.js';
import {
  ask,
  createOwner,
  type DashboardServer,
  ownerContext,
  panelRows,
  settled,
  startDashboardServer,
} from '../helpers/dashboard.js';
import { BROWSER_UA } from '../helpers/server.js';

const SITE = 'example.com';
let server: DashboardServer;
let browser: Browser;
let owner: BrowserContext;

/** A page view, then the engagement event the tracker sends when the page is left. */
async function view(ip: string, path: string, scroll: number, engagedMs: number): Promise<void> {
  for (const body of [
    { n: 'pageview', u: `https://${SITE}${path}`, d: SITE },
    { n: 'engagement', u: `https://${SITE}${path}`, d: SITE, sd: scroll, e: engagedMs },
  ]) {
    const res = await fetch(`${server.url}/api/event`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA, 'x-forwarded-for': ip },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 202, await res.text());
  }
}

before(async () => {
  server = await startDashboardServer([SITE]);
  // "/": two visitors, 30 s and 10 s, scrolled 80% and 20%; one of them went on to /pricing.
  await view('2.16.20.1', '/', 80, 30_000);
  await view('2.16.20.1', '/pricing', 40, 12_000);
  await view('5.9.10.2', '/', 20, 10_000);
  await createOwner(server);
  browser = await launchChromium();
  owner = await ownerContext(browser, server, { viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const PANEL = ['visitors', 'pageviews', 'time_on_page', 'scroll_depth'] as const;
const DETAILS = ['visitors', 'pageviews', 'bounce_rate', 'time_on_page', 'scroll_depth'] as const;

async function expected(metrics: readonly (typeof DETAILS)[number][]): Promise<Map<string, string[]>> {
  const res = await ask(server, {
    site_id: SITE,
    metrics: [...metrics],
    date_range: '30d',
    dimensions: ['event:page'],
  });
  return new Map(
    res.results.map((r) => [String(r.dimensions[0]), metrics.map((m, i) => formatMetric(m, r.metrics[i]))]),
  );
}

test('the Pages panel shows time on page and scroll depth per page, as the API counts them', async () => {
  const want = await expected(PANEL);
  // The rules of README's "How every number is counted", by hand: "/" is 20 s and 50%.
  assert.deepEqual(want.get('/'), ['2', '2', '20s', '50%']);
  const page = await owner.newPage();
  await page.goto(`${server.url}/sites/${SITE}`);
  await settled(page);
  const headings = await page.$$eval('section[data-panel="pages"] table.ranked thead th', (ths) =>
    ths.map((th) => th.getAttribute('title') ?? th.textContent),
  );
  assert.deepEqual(headings.slice(1), ['Unique visitors', 'Total pageviews', 'Time on page', 'Scroll depth']);
  const rows = await panelRows(page, 'pages');
  assert.deepEqual(new Map(rows.map((r) => [r.label, r.values])), want);
  await page.close();
});

test('the Pages details add bounce rate per page', async () => {
  const want = await expected(DETAILS);
  assert.deepEqual(want.get('/'), ['2', '2', '50%', '20s', '50%']);
  const page = await owner.newPage();
  await page.goto(`${server.url}/sites/${SITE}`);
  await settled(page);
  await page.click('section[data-panel="pages"] .details-open');
  await page.waitForSelector('dialog[open] table.ranked tbody tr');
  const rows = await page.$$eval('dialog[open] table.ranked tbody tr', (trs) =>
    trs.map((r) => [
      r.querySelector('.row-pick')?.textContent ?? '',
      [...r.querySelectorAll('td.num')].map((td) => td.textContent ?? ''),
    ]),
  );
  assert.deepEqual(new Map(rows as [string, string[]][]), want);
  await page.close();
});
