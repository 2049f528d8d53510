// The dashboard's data out and imported data in, in a real Chromium against a real server:
// Export downloads a zip of the view's panels as CSV (formula-safe), a Details view's Download
// CSV its whole breakdown, and "Include imported data" — shown because the site has days
// imported from Plausible in the range — merges them into the numbers.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { unzipSync } from 'fflate';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { readPlausibleExport } from '../../src/import/plausible-export.js';
import { importPlausible } from '../../src/import/plausible-import.js';
import { addSite } from '../../src/sites/manage.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import { launchChromium } from '../helpers/browser.js';
import {
  ADMIN_KEY,
  ask,
  createOwner,
  ownerContext,
  type PageWatch,
  sendEvent,
  settled,
  watchPage,
} from '../helpers/dashboard.js';
import { csv, zipOf } from '../helpers/plausible-zip.js';
import { removeDir, startTestServer, type TestServer, tempDir } from '../helpers/server.js';

const SITE = 'example.com';
const day = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10);
const IMPORTED = [
  [day(10), 7, 20, 3, 8, 400],
  [day(11), 5, 9, 1, 6, 120],
];

let dir: string;
let server: TestServer;
let browser: Browser;
let owner: BrowserContext;
let watch: PageWatch;
let page: Page;

before(async () => {
  dir = tempDir('footfall-dashboard-export-');
  const store = await openDuckDbStore(dir);
  const site = await addSite(store, { domain: SITE, timezone: 'UTC' });
  const zip = path.join(dir, 'plausible.zip');
  writeFileSync(
    zip,
    zipOf({
      'imported_visitors.csv': csv('date,visitors,pageviews,bounces,visits,visit_duration', IMPORTED),
    }),
  );
  await importPlausible(store.imported, readPlausibleExport(zip, day(0)), { site, firstEventMs: undefined });
  await store.close();
  server = await startTestServer({
    sites: [],
    dataDir: dir,
    flags: { trustProxy: 'loopback', adminKey: ADMIN_KEY },
  });
  await createOwner(server);
  for (const [i, p] of ['/', '/pricing', '/'].entries()) {
    await sendEvent(server, {
      domain: SITE,
      url: `https://${SITE}${p}`,
      ip: `2.16.20.${i + 1}`,
      title: i === 0 ? '=HYPERLINK("https://evil.example")' : 'Pricing',
    });
  }
  await server.flush();
  browser = await launchChromium();
  owner = await ownerContext(browser, server, { acceptDownloads: true });
  page = await owner.newPage();
  watch = await watchPage(page, server.url);
  await page.goto(`${server.url}/sites/${SITE}?period=30d`);
  await settled(page);
});

after(async () => {
  await browser?.close();
  await server?.close();
  removeDir(dir);
  assert.deepEqual(watch.violations, []);
  assert.deepEqual(watch.errors, []);
  assert.deepEqual(watch.foreignRequests, []);
});

async function downloaded(click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: dl.suggestedFilename(), bytes: readFileSync((await dl.path())!) };
}

test('Export: a zip of the view’s panels as formula-safe CSV', async () => {
  const { name, bytes } = await downloaded(() => page.click('.export-button'));
  assert.match(name, /^example_com_30d\.zip$/);
  const files = unzipSync(bytes);
  for (const f of [
    'visitors.csv',
    'top_pages.csv',
    'titles.csv',
    'sources.csv',
    'countries.csv',
    'browsers.csv',
  ]) {
    assert.ok(files[f], `${f} in ${Object.keys(files).join(', ')}`);
  }
  const text = (f: string) => new TextDecoder().decode(files[f]);
  const pages = await ask(server, {
    site_id: SITE,
    metrics: ['visitors', 'pageviews'],
    date_range: '30d',
    dimensions: ['event:page'],
  });
  assert.match(
    text('top_pages.csv'),
    /^Top pages,visitors,pageviews,bounce_rate,time_on_page,scroll_depth\n/,
  );
  for (const r of pages.results) {
    assert.match(text('top_pages.csv'), new RegExp(`\\n${r.dimensions[0]},${r.metrics[0]},${r.metrics[1]},`));
  }
  // A title a spreadsheet would run as a formula is written as text.
  assert.match(text('titles.csv'), /\n"'=HYPERLINK\(""https:\/\/evil\.example""\)",1,1\n/);
});

test('Details: Download CSV writes the whole breakdown', async () => {
  await page.click('section[data-panel="pages"] .details-open');
  const { name, bytes } = await downloaded(() => page.click('.details-download'));
  assert.equal(name, 'top_pages.csv');
  const lines = bytes.toString('utf8').trim().split('\n');
  assert.equal(lines[0], 'Top pages,visitors,pageviews,bounce_rate,time_on_page,scroll_depth');
  assert.deepEqual(
    lines.slice(1).map((l) => l.split(',').slice(0, 3).join(',')),
    ['/,2,2', '/pricing,1,1'],
  );
  await page.keyboard.press('Escape');
});

test('Include imported data: shown for a range with imported days, and merged in when on', async () => {
  const visitors = () => page.textContent('.stat[data-metric="visitors"] .stat-value');
  assert.equal(await visitors(), '3');
  await page.click('.imports-toggle input');
  await page.waitForURL(/imports=1/);
  await settled(page);
  assert.equal(await visitors(), String(3 + 7 + 5));
  // A range without imported days hides the switch.
  await page.goto(`${server.url}/sites/${SITE}?period=day`);
  await settled(page);
  assert.equal(await page.$('.imports-toggle'), null);
});
