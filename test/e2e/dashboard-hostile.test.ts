// Every tracked string is hostile. Page views and events whose titles, paths, referrers,
// UTM tags, event names and props carry an XSS corpus are stored, then the dashboard shows
// them in every panel, tab, details view, filter chip and property breakdown: no dialog
// opens, no CSP violation is reported, no script, frame or image is injected, no
// `javascript:` link exists, and at 375 px nothing overflows sideways.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import {
  assertFitsWidth,
  createOwner,
  type DashboardServer,
  ownerContext,
  type PageWatch,
  settled,
  startDashboardServer,
  watchPage,
} from '../helpers/dashboard.js';
import { BROWSER_UA, ROOT } from '../helpers/server.js';

const SITE = 'hostile.example.com';

const CORPUS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '<svg><script>alert(1)</script></svg>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(1)">click</a>',
  '</title><style>body{display:none}</style>',
  '{{constructor.constructor("alert(1)")()}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection payload, meant literally.
  '${alert(1)}',
  '\u202Egnp.exe\u202C right-to-left override',
  'مرحبا بالعالم — עברית',
  'zero\u200Bwidth\u200C\u200D\uFEFFjoiners',
  `${'W'.repeat(600)}`,
];

const HOSTILE_URLS = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(document.domain)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  `https://evil.example/${'x'.repeat(1500)}`,
];

let server: DashboardServer;
let browser: Browser;
const watches: PageWatch[] = [];
let accepted = 0;

async function send(ip: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${server.url}/api/event`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA, 'x-forwarded-for': ip },
    body: JSON.stringify({ domain: SITE, ...body }),
  });
  // Some payloads are refused at the door (e.g. a URL over 2,000 bytes); the rest must show safely.
  if (res.status === 202) accepted++;
  else assert.equal(res.status, 400, await res.text());
}

before(async () => {
  server = await startDashboardServer([SITE]);
  await createOwner(server);
  let n = 0;
  for (const s of CORPUS) {
    const ip = `203.0.113.${++n}`;
    const q = new URLSearchParams({
      utm_source: s,
      utm_medium: s,
      utm_campaign: s,
      utm_term: s,
      utm_content: s,
    });
    await send(ip, {
      name: 'pageview',
      url: `https://${SITE}/${encodeURIComponent(s).slice(0, 1500)}?${q}`,
      title: s,
      referrer: HOSTILE_URLS[n % HOSTILE_URLS.length],
    });
    await send(ip, {
      name: s.slice(0, 120),
      url: `https://${SITE}/events`,
      props: { [s.slice(0, 300)]: s, plan: s },
    });
  }
  for (const r of HOSTILE_URLS)
    await send(`198.51.100.${++n}`, { name: 'pageview', url: `https://${SITE}/r`, referrer: r });
  await server.flush();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** What an injected payload would leave behind in the DOM. */
function domCheck(page: Page) {
  return page.evaluate(() => {
    const problems: string[] = [];
    for (const el of document.querySelectorAll('*')) {
      for (const attr of el.getAttributeNames()) {
        if (attr.startsWith('on')) problems.push(`${el.tagName} has ${attr}`);
      }
      for (const attr of ['href', 'src', 'action', 'formaction', 'xlink:href']) {
        const v = el.getAttribute(attr);
        if (v === null) continue;
        const url = new URL(v, location.href);
        if (url.protocol !== 'http:' && url.protocol !== 'https:')
          problems.push(`${el.tagName} ${attr}=${v}`);
      }
    }
    const scripts = [...document.scripts].map((s) => s.getAttribute('src') ?? 'inline');
    if (scripts.length !== 1 || !scripts[0]!.startsWith('/assets/'))
      problems.push(`scripts: ${scripts.join(', ')}`);
    for (const sel of ['iframe', 'img', 'object', 'embed', 'style', 'svg script', 'body > :not(#app)']) {
      const n = document.querySelectorAll(sel).length;
      if (n > 0) problems.push(`${n} × ${sel}`);
    }
    if (document.title !== 'Footfall') problems.push(`title changed: ${document.title}`);
    return problems;
  });
}

/**
 * Every tab of every panel, and each tab's details view. A tab may be empty only where the
 * corpus has nothing for it (it carries no regions or cities, and the dashboard leaves out
 * the "(not set)" row there); every other tab must open its details.
 */
const EMPTY_FOR_THIS_CORPUS = new Set(['locations tab 1', 'locations tab 2']);

async function visitEverything(page: Page): Promise<void> {
  for (const panel of ['pages', 'sources', 'locations', 'devices']) {
    const tabs = page.locator(`section[data-panel="${panel}"] .tab`);
    for (let i = 0; i < (await tabs.count()); i++) {
      await tabs.nth(i).click();
      await settled(page);
      assert.deepEqual(await domCheck(page), [], `${panel} tab ${i}`);
      const details = page.locator(`section[data-panel="${panel}"] .details-open`);
      if (EMPTY_FOR_THIS_CORPUS.has(`${panel} tab ${i}`)) {
        const empty = page.locator(`section[data-panel="${panel}"] .empty`);
        assert.equal(
          (await empty.count()) + (await details.count()),
          1,
          `${panel} tab ${i}: rows or "No data yet"`,
        );
        if ((await details.count()) === 0) continue;
      }
      // A missing button fails here rather than skipping the details view unseen.
      assert.equal(await details.count(), 1, `${panel} tab ${i} has a details view`);
      await details.click();
      await page.waitForSelector('dialog[open] table.ranked, dialog[open] .empty');
      assert.deepEqual(await domCheck(page), [], `${panel} tab ${i} details`);
      await assertFitsWidth(page, `${panel} tab ${i} details`);
      await page.click('dialog[open] .modal-head button');
      await page.waitForSelector('dialog[open]', { state: 'detached' });
    }
  }
}

for (const [name, viewport] of [
  ['desktop', { width: 1280, height: 900 }],
  ['375 px', { width: 375, height: 812 }],
] as const) {
  test(`hostile tracked strings stay text (${name})`, async () => {
    assert.ok(accepted >= CORPUS.length * 2, `${accepted} hostile events stored`);
    const context = await ownerContext(browser, server, { viewport });
    const page = await context.newPage();
    const watch = await watchPage(page, server.url);
    watches.push(watch);
    await page.goto(`${server.url}/sites/${SITE}?period=day`);
    await settled(page);

    // The corpus is on the page, as text.
    const text = await page.textContent('main');
    assert.ok(text?.includes('<script>alert(1)</script>'), 'a payload is shown as text');
    assert.deepEqual(await domCheck(page), []);
    await assertFitsWidth(page, `the dashboard (${name})`);

    await visitEverything(page);

    // Referrers that are not http(s) are text, not links.
    await page.click('section[data-panel="sources"] .tab:text-is("Referrers")');
    await settled(page);
    const outLinks = await page.$$eval('section[data-panel="sources"] a.row-out', (as) =>
      as.map((a) => a.getAttribute('href') ?? ''),
    );
    for (const href of outLinks) assert.match(href, /^https?:\/\//);

    // A hostile row becomes a filter chip (and a URL parameter) and stays text.
    await page
      .locator('section[data-panel="pages"] .row-pick')
      .filter({ hasText: '<svg onload=alert(1)>' })
      .first()
      .click();
    await page.waitForSelector('.chip');
    await settled(page);
    assert.match((await page.textContent('.chip')) ?? '', /<svg onload=alert\(1\)>/);
    assert.deepEqual(await domCheck(page), []);
    await page.reload();
    await settled(page);
    assert.equal(await page.locator('.chip').count(), 1, 'the hostile filter survives a reload');
    await page.click('.chip-remove');
    await settled(page);

    // A hostile event name, and its breakdown by a hostile property key.
    await page
      .locator('section[data-panel="events"] .row-pick')
      .filter({ hasText: '<img src=x onerror=alert(1)>' })
      .first()
      .click();
    const picker = page.locator('section[data-panel="events"] .props select');
    await picker.waitFor();
    const hostileKey = await picker
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).find((v) => v.includes('onerror')));
    assert.ok(hostileKey, 'the hostile key is offered (as text)');
    await picker.selectOption(hostileKey);
    await settled(page);
    assert.deepEqual(await domCheck(page), []);
    await assertFitsWidth(page, `the dashboard with hostile chips (${name})`);

    mkdirSync(path.join(ROOT, 'test-results/screenshots'), { recursive: true });
    await page.screenshot({
      path: path.join(ROOT, `test-results/screenshots/hostile-${viewport.width}.png`),
      fullPage: true,
    });

    assert.deepEqual(watch.dialogs, [], 'no dialog opened');
    assert.deepEqual(watch.violations, [], 'no CSP violation');
    assert.deepEqual(watch.errors, [], 'no page error');
    assert.deepEqual(watch.foreignRequests, [], 'no request to another host');
    await context.close();
  });
}
