// The dashboard's panels in a real browser (issue 12, item 7): the Details search box and
// Escape, readable language names, and one retry for a dashboard whose API is failing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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
import { seedKnownTraffic } from './dashboard-seed.js';

const SITE = 'example.com';
let server: DashboardServer;
let browser: Browser;
let owner: BrowserContext;

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
});

async function open(query = ''): Promise<Page> {
  const page = await owner.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${server.url}/sites/${SITE}${query}`);
  await settled(page);
  return page;
}

const dialogOpen = (page: Page) => page.evaluate(() => document.querySelector('dialog[open]') !== null);

test('in the Details search, Escape clears typed text first and closes on the first press when empty', async () => {
  const page = await open();
  await page.click('section[data-panel="pages"] .details-open');
  await page.waitForSelector('dialog[open] table.ranked');
  // Into the empty box, then Escape: closed at once.
  await page.click('dialog[open] .details-search');
  await page.keyboard.press('Escape');
  await page.waitForSelector('dialog[open]', { state: 'detached' });

  await page.click('section[data-panel="pages"] .details-open');
  await page.waitForSelector('dialog[open] table.ranked');
  await page.click('dialog[open] .details-search');
  await page.keyboard.type('pri');
  await page.keyboard.press('Escape');
  assert.equal(await page.inputValue('dialog[open] .details-search'), '');
  assert.equal(await dialogOpen(page), true);
  await page.keyboard.press('Escape');
  await page.waitForSelector('dialog[open]', { state: 'detached' });

  // Typed, searched, then erased by hand: the box is empty, so one Escape closes.
  await page.click('section[data-panel="pages"] .details-open');
  await page.waitForSelector('dialog[open] table.ranked');
  await page.click('dialog[open] .details-search');
  await page.keyboard.type('zz');
  await page.waitForSelector('dialog[open] .empty');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.waitForSelector('dialog[open] table.ranked');
  await page.keyboard.press('Escape');
  await page.waitForSelector('dialog[open]', { state: 'detached', timeout: 2000 });
  await page.close();
});

test('an unknown page is an HTML 404 with a way back, signed in or not; API clients still get JSON', async () => {
  const anonymous = await browser.newContext();
  for (const ctx of [owner, anonymous]) {
    for (const path of ['/nope', `/sites/${SITE}/nope`, '/sites']) {
      const page = await ctx.newPage();
      const res = await page.goto(server.url + path);
      assert.equal(res?.status(), 404, path);
      assert.match(res?.headers()['content-type'] ?? '', /^text\/html/, path);
      await page.waitForSelector('h1:has-text("Page not found")');
      assert.equal(await page.getAttribute('.not-found a', 'href'), '/');
      await page.close();
    }
  }
  await anonymous.close();
  for (const path of ['/nope', '/api/nope']) {
    const res = await fetch(server.url + path);
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'FOOTFALL_ERR_NOT_FOUND');
  }
  // Even a browser asking for an API path gets JSON.
  const api = await fetch(`${server.url}/api/nope`, { headers: { accept: 'text/html' } });
  assert.equal(api.status, 404);
  assert.match(api.headers.get('content-type') ?? '', /json/);
});

test('when every query fails, one banner with one Retry speaks for the whole dashboard', async () => {
  const page = await owner.newPage();
  page.setDefaultTimeout(10_000);
  // The network between the page and the server fails; the server and the page are real.
  const body = JSON.stringify({
    error: { code: 'FOOTFALL_ERR_QUERY_TIMEOUT', message: 'the query took too long' },
  });
  await page.route('**/api/v2/query', (route) =>
    route.fulfill({ status: 503, contentType: 'application/json', body }),
  );
  await page.goto(`${server.url}/sites/${SITE}`);
  await page.waitForSelector('.dash-failure');
  await page.waitForFunction(
    () => document.querySelectorAll('.panel .status-error, .top-stats ~ * .status-error').length >= 4,
  );
  assert.equal(await page.locator('button:has-text("Retry")').count(), 1);
  assert.match((await page.textContent('.dash-failure')) ?? '', /the query took too long/);
  // The API is back: the one Retry loads every panel.
  await page.unroute('**/api/v2/query');
  await page.click('.dash-failure button');
  await settled(page);
  assert.equal(await page.$('.dash-failure'), null);
  assert.equal(await page.locator('.status-error').count(), 0);
  assert.ok((await panelRows(page, 'pages')).length > 0);
  await page.close();
});

test('panel headers line up, and Custom events sits beside the tall Locations panel', async () => {
  const page = await open();
  type Box = { x: number; right: number; top: number; bottom: number; head?: number };
  const boxes: Record<string, Box> = await page.$$eval('.panels > section[data-panel]', (sections) =>
    Object.fromEntries(
      sections.map((s) => {
        const r = s.getBoundingClientRect();
        const head = s.querySelector('.panel-head')?.getBoundingClientRect();
        return [
          s.getAttribute('data-panel'),
          { x: r.x, right: r.right, top: r.top, bottom: r.bottom, head: head?.height },
        ];
      }),
    ),
  );
  const heads = Object.entries(boxes).map(([id, b]) => [id, Math.round(b.head ?? 0)] as const);
  const tallest = Math.max(...heads.map(([, h]) => h));
  // Every title-and-tabs header is one line high (the Sources and Devices tabs used to wrap).
  assert.deepEqual(
    heads.filter(([, h]) => h < tallest - 1),
    [],
    JSON.stringify(heads),
  );
  assert.ok(tallest < 45, `headers are one line: ${tallest}px`);
  const { locations, devices, events } = boxes;
  assert.ok(locations && devices && events);
  assert.ok(events.x >= locations.right, 'Custom events is in the column beside Locations');
  assert.ok(events.top > devices.top, 'under Devices');
  assert.ok(Math.abs(events.bottom - locations.bottom) < 2, 'and ends where Locations ends');
  await page.close();
});

test('while panels load they show skeletons, not the word "Loading…"', async () => {
  const page = await owner.newPage();
  page.setDefaultTimeout(10_000);
  // Hold every query until the skeletons have been looked at.
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/api/v2/query', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${server.url}/sites/${SITE}`);
  await page.waitForFunction(() => document.querySelectorAll('.panels .skeleton').length >= 5);
  assert.equal(await page.locator('.chart-panel .skeleton').count(), 1);
  const text = await page.textContent('.dashboard');
  assert.doesNotMatch(text ?? '', /Loading…/);
  release();
  await settled(page);
  assert.equal(await page.locator('.skeleton').count(), 0);
  await page.close();
});

test('UTM, referrer and region tabs do not lead with a "(not set)" row, unless filtered on that dimension', async () => {
  // The API's answer does lead with the visits that had no campaign (Plausible's "(not set)").
  const all = await ask(server, {
    site_id: SITE,
    metrics: ['visitors'],
    date_range: '30d',
    dimensions: ['visit:utm_campaign'],
  });
  assert.equal(all.results[0]?.dimensions[0], '(not set)');
  const page = await open();
  await page.click('section[data-panel="sources"] .tab:text-is("UTM campaign")');
  await settled(page);
  assert.deepEqual(
    (await panelRows(page, 'sources')).map((r) => r.label),
    ['spring'],
  );
  await page.close();
  // Filtered on the campaign, the empty value is what was asked for: it shows.
  const filtered = await open('?f=is_not,visit:utm_campaign,spring');
  await filtered.click('section[data-panel="sources"] .tab:text-is("UTM campaign")');
  await settled(filtered);
  assert.deepEqual(
    (await panelRows(filtered, 'sources')).map((r) => r.label),
    ['(not set)'],
  );
  await filtered.close();
});

test('the page sends its stats requests six at a time, the top row and journeys first', async () => {
  const page = await owner.newPage();
  page.setDefaultTimeout(10_000);
  const sent: string[] = [];
  let inFlight = 0;
  let most = 0;
  const stats = (url: string) => /\/api\/v2\/(query|journeys)$/.test(new URL(url).pathname);
  page.on('request', (r) => {
    if (!stats(r.url())) return;
    const body = r.postData() ?? '';
    sent.push(
      r.url().endsWith('/journeys') ? 'journeys' : body.includes('"bounce_rate"') ? 'top row' : 'panel',
    );
    most = Math.max(most, ++inFlight);
  });
  const done = (r: { url(): string }) => {
    if (stats(r.url())) inFlight--;
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  await page.goto(`${server.url}/sites/${SITE}`);
  await settled(page);
  // A dozen panels ask in one run of effects; the queue (src/web/api/request-queue.ts) ranks them.
  assert.ok(sent.length > 10, sent.join());
  assert.deepEqual(sent.slice(0, 2), ['top row', 'journeys'], sent.join());
  assert.ok(most <= 6, `${most} stats requests in flight at once`);
  await page.close();
});

test("a compared chart's second series, asked once the first is in, goes before the panels still waiting", async () => {
  const page = await owner.newPage();
  page.setDefaultTimeout(15_000);
  // The panels' answers are held back 400 ms, the chart's are not: while the chart asks for the
  // compared period, six panel requests are in flight and the rest wait in the page's queue.
  const chart = (body: string) => body.includes('"time:day"') && !body.includes('day_of_week');
  await page.route('**/api/v2/{query,journeys}', async (route) => {
    if (!chart(route.request().postData() ?? '')) await new Promise((r) => setTimeout(r, 400));
    await route.continue();
  });
  const sent: string[] = [];
  page.on('request', (r) => {
    if (!/\/api\/v2\/(query|journeys)$/.test(new URL(r.url()).pathname)) return;
    const body = r.postData() ?? '';
    sent.push(chart(body) ? (/"date_range":\[/.test(body) ? 'compared series' : 'chart') : 'panel');
  });
  await page.goto(`${server.url}/sites/${SITE}?period=7d&compare=1`);
  await settled(page, 20_000);
  const at = sent.indexOf('compared series');
  assert.ok(at > 0 && sent.length > 12, sent.join());
  // The first slot freed after it was asked (the seventh request sent, or the eighth when the
  // chart's own went in the second wave) — not after every panel asked before it.
  assert.ok(at <= 8, `sent ${at + 1}th of ${sent.length}: ${sent.join()}`);
  await page.close();
});
