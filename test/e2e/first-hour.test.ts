// The first hour with a new site (issue 12, item 1): an empty site's dashboard and its
// settings show that site's own snippet and the installation check, which turns green at
// the first page view (the check asks the store, as the add-site form does). Then a custom
// event's properties are picked from the keys it carries (B4), and "Today" lists the last 30
// minutes' pages and sources and reloads every panel on its own while the tab is visible (B5).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium, waitFor } from '../helpers/browser.js';
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
  // Signup carries plan (3 times) and seats (once); another event's key must not be offered.
  const signups: Record<string, string>[] = [{ plan: 'pro', seats: '3' }, { plan: 'free' }, { plan: 'pro' }];
  for (const [i, props] of signups.entries()) {
    await sendEvent(server, {
      domain: BUSY,
      url: `https://${BUSY}/join`,
      ip: `2.16.21.${i}`,
      name: 'Signup',
      props,
    });
  }
  await sendEvent(server, {
    domain: BUSY,
    url: `https://${BUSY}/`,
    ip: '2.16.22.1',
    name: 'Play',
    props: { video: 'intro' },
  });
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

test("a custom event's property breakdown offers the keys that event carries, most used first (issue 12, B4)", async () => {
  const page = await owner.newPage();
  await page.goto(`${server.url}/sites/${BUSY}?f=is,event:name,Signup`);
  await settled(page);
  const picker = page.locator('section[data-panel="events"] .props select');
  await picker.waitFor();
  assert.equal(
    await page.locator('section[data-panel="events"] .props input').count(),
    0,
    'no box to type a key in',
  );
  const options = await picker
    .locator('option')
    .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  assert.deepEqual(options, ['plan', 'seats']);
  // The most used is shown at once, broken down by its values.
  await page.waitForSelector('section[data-panel="events"] .breakdown[data-dim="event:props:plan"]');
  await settled(page);
  const values = async () =>
    (await page.locator('section[data-panel="events"] .breakdown .row-pick').allTextContents()).map((t) =>
      t.trim(),
    );
  assert.deepEqual(await values(), ['pro', 'free']);
  await picker.selectOption('seats');
  await page.waitForSelector('section[data-panel="events"] .breakdown[data-dim="event:props:seats"]');
  await settled(page);
  // Signups without seats count as (none), as in Plausible.
  assert.deepEqual(await values(), ['(none)', '3']);
  await page.close();
});

test('with "Today" shown, the last 30 minutes list pages and sources, and every panel reloads on its own while the tab is visible (issue 12, B5)', async () => {
  const page = await owner.newPage();
  page.setDefaultTimeout(15_000);
  // The page's timers run on an injected clock: 30 seconds pass at once, without waiting.
  await page.clock.install();
  const queries: string[] = [];
  let inFlight = 0;
  page.on('request', (r) => {
    if (!r.url().includes('/api/v2/query')) return;
    queries.push(r.url());
    inFlight++;
  });
  const done = (r: { url(): string }) => {
    if (r.url().includes('/api/v2/query')) inFlight--;
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  await page.goto(`${server.url}/sites/${BUSY}?period=day`);
  await settled(page);
  const panel = 'section[data-panel="realtime"]';
  await page.waitForSelector(`${panel} .ranked`);
  const rows = async () =>
    (await page.locator(`${panel} tbody .ranked-label`).allTextContents()).map((t) => t.trim());
  assert.deepEqual(await rows(), ['/']);
  await page.click(`${panel} .tab:text-is("Sources")`);
  assert.deepEqual(await rows(), ['Direct / None']);
  await page.click(`${panel} .tab:text-is("Pages")`);

  // A visit arrives; 30 s later the realtime list and the other panels show it, without a reload.
  await sendEvent(server, {
    domain: BUSY,
    url: `https://${BUSY}/fresh`,
    ip: '2.16.23.1',
    referrer: 'https://news.ycombinator.com/',
  });
  await server.flush();
  const asked = queries.length;
  await page.clock.fastForward(31_000);
  await waitFor(async () => (await rows()).includes('/fresh'), 'the new page in the last 30 minutes', 10_000);
  await page.waitForSelector('section[data-panel="pages"] .row-pick:has-text("/fresh")');
  assert.ok(queries.length > asked, 'the panels asked again');
  assert.equal(await page.locator('.is-loading, [aria-busy="true"]').count(), 0, 'quietly: no loading state');

  // A hidden tab asks nothing. (The refresh's requests go six at a time, src/web/api/request-queue.ts:
  // those asked while visible are let through first.)
  await waitFor(async () => inFlight === 0, "the refresh's requests answered", 10_000);
  await page.evaluate(() =>
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' }),
  );
  const hidden = queries.length;
  await page.clock.fastForward(95_000);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(queries.length, hidden, 'no reload while hidden');
  await page.close();
});

test('other periods do not reload on their own and show no realtime lists', async () => {
  const page = await owner.newPage();
  await page.clock.install();
  const queries: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/v2/query')) queries.push(r.url());
  });
  await page.goto(`${server.url}/sites/${BUSY}?period=7d`);
  await settled(page);
  assert.equal(await page.locator('section[data-panel="realtime"]').count(), 0);
  const asked = queries.length;
  await page.clock.fastForward(31_000);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(queries.length, asked);
  await page.close();
});
