// The first hour with a new site (issue 12, item 1): an empty site's dashboard and its
// settings show that site's own snippet and the installation check, which turns green at
// the first page view (the check asks the store, as the add-site form does).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import {
  createOwner,
  type DashboardServer,
  ownerContext,
  sendEvent,
  settled,
  startDashboardServer,
} from '../helpers/dashboard.js';

const EMPTY = 'new-site.example';
const BUSY = 'busy.example';
let server: DashboardServer;
let browser: Browser;
let owner: BrowserContext;

before(async () => {
  server = await startDashboardServer([EMPTY, BUSY]);
  await sendEvent(server, { domain: BUSY, url: `https://${BUSY}/`, ip: '2.16.20.1' });
  await createOwner(server);
  browser = await launchChromium();
  owner = await ownerContext(browser, server, { viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const snippetOf = (domain: string) =>
  new RegExp(
    `^<script defer data-domain="${domain.replace('.', '\\.')}" src="https?://[^"]+/script\\.js"></script>$`,
  );

test("an empty site's dashboard shows its snippet and turns green at the first page view", async () => {
  const page = await owner.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${server.url}/sites/${EMPTY}`);
  await settled(page);
  await page.waitForSelector('.installation');
  assert.match((await page.textContent('.installation .snippet code')) ?? '', snippetOf(EMPTY));
  assert.equal(await page.textContent('[data-testid="first-pageview"]'), 'Waiting for the first page view…');
  await sendEvent(server, { domain: EMPTY, url: `https://${EMPTY}/`, ip: '5.9.10.2' });
  // FirstPageview asks every 5 seconds.
  await page.waitForSelector('[data-testid="first-pageview"].is-seen');
  await page.close();
});

test('a site with page views shows no installation card on its dashboard', async () => {
  const page = await owner.newPage();
  await page.goto(`${server.url}/sites/${BUSY}`);
  await settled(page);
  assert.equal(await page.$('.installation'), null);
  await page.close();
});

test("site settings show the site's snippet and the installation check", async () => {
  const page = await owner.newPage();
  await page.goto(`${server.url}/sites/${BUSY}/settings`);
  await page.waitForSelector('.installation [data-testid="first-pageview"].is-seen');
  assert.match((await page.textContent('.installation .snippet code')) ?? '', snippetOf(BUSY));
  await page.close();
});
