// The dashboard in a real Chromium against a real Footfall server with known traffic: what
// the page shows is what the query API answers; a click filters everything and lives in
// the URL; ranges, comparison and realtime work; nothing loads from another host and the
// strict CSP is never violated. Screenshots land in test-results/screenshots/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Filter, Metric, QueryRequest } from '../../src/web/api/types.js';
import { formatChange, formatMetric } from '../../src/web/format/number.js';
import { displayValue } from '../../src/web/format/value.js';
import { DEVICES, LOCATIONS, PAGES, SOURCES, tabFilters } from '../../src/web/panels/tabs.js';
import { DEFAULT_STATE } from '../../src/web/state/url-state.js';
import { launchChromium, waitFor } from '../helpers/browser.js';
import {
  ADMIN_KEY,
  ask,
  assertFitsWidth,
  createOwner,
  type DashboardServer,
  ownerContext,
  type PageWatch,
  panelRows,
  sendEvent,
  settled,
  startDashboardServer,
  watchPage,
} from '../helpers/dashboard.js';
import { ROOT } from '../helpers/server.js';
import { EARLIER, seedKnownTraffic, TITLES, TODAY, UA, type Visit } from './dashboard-seed.js';

const SITE = 'example.com';
const TOP: Metric[] = ['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration'];
const SHOTS = path.join(ROOT, 'test-results/screenshots');

let server: DashboardServer;
let browser: Browser;
let context: BrowserContext;
const watches: PageWatch[] = [];

before(async () => {
  server = await startDashboardServer([SITE]);
  await createOwner(server);
  await seedKnownTraffic(server, SITE);
  browser = await launchChromium();
  context = await ownerContext(browser, server);
});

after(async () => {
  await browser?.close();
  await server?.close();
  for (const w of watches) {
    assert.deepEqual(w.dialogs, [], 'no dialog opened');
    assert.deepEqual(w.violations, [], 'no CSP violation');
    assert.deepEqual(w.errors, [], 'no page errors');
    assert.deepEqual(w.foreignRequests, [], 'no request to another host');
  }
});

async function open(query = '', ctx = context): Promise<Page> {
  const page = await ctx.newPage();
  watches.push(await watchPage(page, server.url));
  await page.goto(`${server.url}/sites/${SITE}${query}`);
  await settled(page);
  return page;
}

function breakdown(
  dim: string,
  metrics: Metric[],
  dateRange: QueryRequest['date_range'],
  filters: Filter[] = [],
) {
  return ask(server, {
    site_id: SITE,
    metrics,
    date_range: dateRange,
    dimensions: [dim],
    filters,
    order_by: [
      [metrics[0]!, 'desc'],
      [dim, 'asc'],
    ],
    pagination: { limit: 9, offset: 0 },
  });
}

async function expectTopRow(page: Page, dateRange: QueryRequest['date_range'], filters: Filter[] = []) {
  const res = await ask(server, { site_id: SITE, metrics: TOP, date_range: dateRange, filters });
  for (const [i, m] of TOP.entries()) {
    const shown = await page.textContent(`.stat[data-metric="${m}"] .stat-value`);
    assert.equal(shown, formatMetric(m, res.results[0]?.metrics[i] ?? 0), m);
  }
  return res;
}

async function expectPanel(
  page: Page,
  panel: string,
  dim: string,
  metrics: Metric[],
  dateRange: QueryRequest['date_range'],
  filters: Filter[] = [],
  options: { mayBeEmpty?: boolean } = {},
) {
  const res = await breakdown(dim, metrics, dateRange, filters);
  const expected = res.results.map((r) => ({
    label: displayValue(String(r.dimensions[0]), dim),
    values: metrics.map((m, i) => formatMetric(m, r.metrics[i])),
  }));
  if (expected.length === 0 && options.mayBeEmpty) {
    assert.equal(await page.textContent(`section[data-panel="${panel}"] .empty`), 'No data yet', panel);
    return;
  }
  assert.ok(expected.length > 0, `${panel}: the seeded data has rows for ${dim}`);
  assert.deepEqual(await panelRows(page, panel), expected, panel);
}

/** A row's label button in a panel (or in `scope`, e.g. an open details view), by its exact text. */
function row(page: Page, panel: string, text: string, scope = `section[data-panel="${panel}"]`) {
  return page.locator(`${scope} .row-pick`).filter({ has: page.getByText(text, { exact: true }) });
}

const CUSTOM_EVENTS: Filter = ['is_not', 'event:name', ['pageview', 'engagement']];

describe('the dashboard shows what the query API answers', () => {
  test('the top row and the first rows of every panel', async () => {
    const page = await open();
    await expectTopRow(page, '30d');
    await expectPanel(
      page,
      'pages',
      'event:page',
      ['visitors', 'pageviews', 'time_on_page', 'scroll_depth'],
      '30d',
    );
    await expectPanel(page, 'sources', 'visit:source', ['visitors', 'visits'], '30d');
    await expectPanel(page, 'locations', 'visit:country_name', ['visitors', 'percentage'], '30d');
    await expectPanel(page, 'devices', 'visit:browser', ['visitors', 'percentage'], '30d');
    await expectPanel(page, 'events', 'event:name', ['visitors', 'events'], '30d', [CUSTOM_EVENTS]);
    await page.close();
  });

  test('each panel tab, the heatmap, the map and journeys', async () => {
    const page = await open();
    // The map colours exactly the countries with visitors that it has a shape for.
    const countries = await ask(server, {
      site_id: SITE,
      metrics: ['visitors'],
      date_range: '30d',
      dimensions: ['visit:country', 'visit:country_name'],
    });
    const mapUrl = await page.getAttribute('meta[name="footfall-map"]', 'content');
    const shapes = (await (await fetch(server.url + mapUrl)).json()) as { countries: { id: string }[] };
    const onMap = new Set(shapes.countries.map((c) => c.id));
    const expected = countries.results
      .filter((r) => onMap.has(String(r.dimensions[0])))
      .map((r) => `${r.dimensions[1]}: ${r.metrics[0]} visitors`);
    assert.ok(expected.length > 0);
    const coloured = await page.$$eval('.world-map path.has-data title', (ts) =>
      ts.map((t) => t.textContent),
    );
    assert.deepEqual(new Set(coloured), new Set(expected));
    // Clicking a country filters by it, like its row in the list.
    const first = countries.results.find((r) => onMap.has(String(r.dimensions[0])))!;
    await page
      .locator('.world-map path.has-data', { hasText: `${first.dimensions[1]}:` })
      .first()
      // A shape's centre may lie in a neighbour (or the sea): send the click to the shape itself.
      .dispatchEvent('click');
    await page.waitForSelector('.chip[data-dim="visit:country_name"]');
    assert.equal(new URL(page.url()).searchParams.get('f'), `is,visit:country_name,${first.dimensions[1]}`);
    await page.click('.chip-remove');
    await page.waitForSelector('.chip', { state: 'detached' });
    await settled(page);

    const tabs: [string, string, string, Metric[]][] = [
      ['pages', 'Entry pages', 'visit:entry_page', ['visitors', 'visits']],
      ['pages', 'Exit pages', 'visit:exit_page', ['visitors', 'visits']],
      ['pages', 'Titles', 'event:title', ['visitors', 'pageviews']],
      ['sources', 'Channels', 'visit:channel', ['visitors', 'visits']],
      ['sources', 'Referrers', 'visit:referrer', ['visitors', 'visits']],
      ['sources', 'UTM campaign', 'visit:utm_campaign', ['visitors', 'visits']],
      ['locations', 'Cities', 'visit:city_name', ['visitors', 'percentage']],
      ['devices', 'Operating systems', 'visit:os', ['visitors', 'percentage']],
      ['devices', 'Devices', 'visit:device', ['visitors', 'percentage']],
      ['devices', 'Screens', 'visit:screen', ['visitors', 'percentage']],
    ];
    for (const [panel, tab, dim, metrics] of tabs) {
      await page.click(`section[data-panel="${panel}"] .tab:text-is("${tab}")`);
      await settled(page);
      // Referrer, UTM and region tabs leave out the row without a value (tabs.ts hideEmpty).
      const def = [PAGES, SOURCES, LOCATIONS, DEVICES]
        .find((d) => d.key === panel)
        ?.tabs.find((t) => t.label === tab);
      assert.ok(def, `${panel} ${tab}`);
      await expectPanel(page, panel, dim, metrics, '30d', tabFilters(def, DEFAULT_STATE, dim));
    }

    const heat = await ask(server, {
      site_id: SITE,
      metrics: ['visitors'],
      date_range: '30d',
      dimensions: ['time:day_of_week', 'time:hour_of_day'],
    });
    const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
    for (const r of heat.results) {
      const title = `${days[Number(r.dimensions[0]) - 1]} ${String(r.dimensions[1]).padStart(2, '0')}:00 — ${r.metrics[0]} visitors`;
      assert.equal(await page.locator(`.heatmap td[title="${title}"]`).count(), 1, title);
    }

    const journeys = (await (
      await fetch(`${server.url}/api/v2/journeys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
        body: JSON.stringify({ site_id: SITE, date_range: '30d', filters: [], steps: 3, limit: 10 }),
      })
    ).json()) as { journeys: { pages: string[]; visits: number }[] };
    const shown = await page.$$eval('.journeys li', (lis) =>
      lis.map((li) => [...li.querySelectorAll('.journey-step > span:last-child')].map((s) => s.textContent)),
    );
    assert.deepEqual(
      shown,
      journeys.journeys.map((j) => j.pages),
    );
    await page.close();
  });
});

/**
 * What the seeded visits make, counted here from the visit list itself (not asked of the API,
 * not formatted by the dashboard's own formatters): a number wrong in both the API and the
 * page fails this. As the API counts them, event dimensions group every event — a custom
 * event counts towards its page's visitors but not its page views, and one sent without a
 * title (as the seed sends them) is the "(not set)" title. The seed sends no engagement, so
 * Top pages shows no time on page or scroll depth ("—").
 */
function fromSeed(visits: readonly Visit[]) {
  const views = visits.flatMap((v) =>
    v.pages.map((page) => ({ ip: v.ip, page, title: TITLES[page] ?? page, view: true })),
  );
  const custom = visits.flatMap((v) =>
    v.event ? [{ ip: v.ip, page: v.pages.at(-1)!, title: '', view: false, name: v.event.name }] : [],
  );
  const perCent = (n: number) => `${Math.round((100 * n) / visits.length)}%`;
  /** Rows as a ranked panel shows them: visitors, then the count; most visitors first, ties by value. */
  const group = (items: { ip: string; key: string; counts: boolean }[]) => {
    const rows = new Map<string, { visitors: Set<string>; count: number }>();
    for (const { ip, key, counts } of items) {
      const row = rows.get(key) ?? { visitors: new Set<string>(), count: 0 };
      row.visitors.add(ip);
      if (counts) row.count++;
      rows.set(key, row);
    }
    return [...rows]
      .sort(([a, x], [b, y]) => y.visitors.size - x.visitors.size || (a < b ? -1 : 1))
      .map(([key, r]) => ({ label: key || '(not set)', values: [String(r.visitors.size), String(r.count)] }));
  };
  const events = [...views, ...custom];
  return {
    top: {
      visitors: String(new Set(visits.map((v) => v.ip)).size),
      visits: String(visits.length),
      pageviews: String(views.length),
      views_per_visit: String(Math.round((100 * views.length) / visits.length) / 100),
      bounce_rate: perCent(visits.filter((v) => v.pages.length === 1).length),
    },
    pages: group(events.map((e) => ({ ip: e.ip, key: e.page, counts: e.view }))).map((row) => ({
      ...row,
      values: [...row.values, '—', '—'],
    })),
    titles: group(events.map((e) => ({ ip: e.ip, key: e.title, counts: e.view }))),
    entryPages: group(visits.map((v) => ({ ip: v.ip, key: v.pages[0]!, counts: true }))),
    exitPages: group(visits.map((v) => ({ ip: v.ip, key: v.pages.at(-1)!, counts: true }))),
    events: group(custom.map((e) => ({ ip: e.ip, key: e.name, counts: true }))),
  };
}

describe('the dashboard shows what the seeded visits make', () => {
  for (const [range, visits] of [
    ['30d', [...EARLIER, ...TODAY]],
    ['day', TODAY],
  ] as const) {
    test(`the top row and the pages, titles, entry, exit and events panels (${range})`, async () => {
      const want = fromSeed(visits);
      const page = await open(`?period=${range}`);
      for (const [metric, text] of Object.entries(want.top)) {
        assert.equal(await page.textContent(`.stat[data-metric="${metric}"] .stat-value`), text, metric);
      }
      // Every visit's events were sent within moments of each other.
      assert.match(
        (await page.textContent('.stat[data-metric="visit_duration"] .stat-value')) ?? '',
        /^\d+s$/,
      );
      assert.deepEqual(await panelRows(page, 'pages'), want.pages);
      assert.deepEqual(await panelRows(page, 'events'), want.events);
      for (const [tab, rows] of [
        ['Titles', want.titles],
        ['Entry pages', want.entryPages],
        ['Exit pages', want.exitPages],
      ] as const) {
        await page.click(`section[data-panel="pages"] .tab:text-is("${tab}")`);
        await settled(page);
        assert.deepEqual(await panelRows(page, 'pages'), rows, tab);
      }
      await page.close();
    });
  }
});

describe('filters', () => {
  test('clicking a row filters every panel and goes into the URL; back restores; the chip removes it', async () => {
    const page = await open();
    await row(page, 'pages', '/pricing').click();
    await page.waitForSelector('.chip');
    await settled(page);
    assert.match((await page.textContent('.chip .chip-text')) ?? '', /Page is\s+\/pricing/);
    assert.equal(new URL(page.url()).searchParams.get('f'), 'is,event:page,/pricing');
    const filters: Filter[] = [['is', 'event:page', ['/pricing']]];
    await expectTopRow(page, '30d', filters);
    await expectPanel(
      page,
      'pages',
      'event:page',
      ['visitors', 'pageviews', 'time_on_page', 'scroll_depth'],
      '30d',
      filters,
    );
    await expectPanel(page, 'sources', 'visit:source', ['visitors', 'visits'], '30d', filters);
    await expectPanel(page, 'locations', 'visit:country_name', ['visitors', 'percentage'], '30d', filters);
    await expectPanel(page, 'devices', 'visit:browser', ['visitors', 'percentage'], '30d', filters);
    // Nobody signed up on /pricing itself: the events panel says so.
    await expectPanel(
      page,
      'events',
      'event:name',
      ['visitors', 'events'],
      '30d',
      [...filters, CUSTOM_EVENTS],
      {
        mayBeEmpty: true,
      },
    );

    await page.goBack();
    await page.waitForSelector('.chip', { state: 'detached' });
    await settled(page);
    assert.equal(new URL(page.url()).search, '');
    await expectTopRow(page, '30d');

    await page.goForward();
    await page.waitForSelector('.chip');
    await settled(page);
    await expectTopRow(page, '30d', filters);

    // A reload restores the same state from the URL alone.
    await page.reload();
    await settled(page);
    assert.equal(await page.locator('.chip').count(), 1);
    await expectTopRow(page, '30d', filters);

    await page.click('.chip-remove');
    await page.waitForSelector('.chip', { state: 'detached' });
    await settled(page);
    assert.equal(new URL(page.url()).search, '');
    await expectTopRow(page, '30d');
    await page.close();
  });

  test('a browser row drills down to its versions; the filter menu adds "contains"', async () => {
    const page = await open();
    await row(page, 'devices', 'Firefox').click();
    await page.waitForSelector('section[data-panel="devices"] [data-dim="visit:browser_version"]');
    await settled(page);
    await expectPanel(page, 'devices', 'visit:browser_version', ['visitors', 'percentage'], '30d', [
      ['is', 'visit:browser', ['Firefox']],
    ]);

    await page.click('button:text-is("+ Filter")');
    await page.selectOption('.filter-form select >> nth=0', 'visit:source');
    await page.selectOption('.filter-form select >> nth=1', 'contains');
    await page.fill('.filter-form input[list]', 'oog');
    await page.click('.filter-form button[type=submit]');
    await page.waitForSelector('.chip[data-dim="visit:source"]');
    await settled(page);
    const filters: Filter[] = [
      ['is', 'visit:browser', ['Firefox']],
      ['contains', 'visit:source', ['oog']],
    ];
    await expectTopRow(page, '30d', filters);
    assert.deepEqual(new URL(page.url()).searchParams.getAll('f'), [
      'is,visit:browser,Firefox',
      'contains,visit:source,oog',
    ]);
    await page.close();
  });

  test('the details view searches on the server and pages through the rows', async () => {
    const page = await open();
    await page.click('section[data-panel="pages"] .details-open');
    await page.waitForSelector('dialog[open] table.ranked');
    await page.fill('dialog[open] .details-search', 'pri');
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('dialog[open] .row-pick')].map((b) => b.textContent);
      return rows.length === 1 && rows[0] === '/pricing';
    });
    // Clicking a row there filters the dashboard and closes the view.
    await row(page, 'pages', '/pricing', 'dialog[open]').click();
    await page.waitForSelector('dialog[open]', { state: 'detached' });
    await page.waitForSelector('.chip[data-dim="event:page"]');
    // Escape closes it too (the first Escape in a search box only clears the box).
    await page.click('section[data-panel="pages"] .details-open');
    await page.waitForSelector('dialog[open] table.ranked');
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog[open]', { state: 'detached' });
    await page.close();
  });
});

describe('keyboard', () => {
  test('Tab reaches the rows, the focus ring shows, Enter filters and removes a filter', async () => {
    const page = await open();
    let onRow = false;
    for (let i = 0; i < 100 && !onRow; i++) {
      await page.keyboard.press('Tab');
      onRow = await page.evaluate(() => document.activeElement?.classList.contains('row-pick') ?? false);
    }
    assert.ok(onRow, 'a row button is reachable with Tab');
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    assert.notEqual(ring, 'none', 'the focused row shows a focus ring');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.chip');
    await page.focus('.chip-remove');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.chip', { state: 'detached' });
    await page.close();
  });
});

describe('ranges, comparison and realtime', () => {
  test('changing the range and turning comparison on refetch everything and go into the URL', async () => {
    const page = await open();
    await page.selectOption('.range select', 'day');
    await page.waitForURL(/period=day/);
    await settled(page);
    await expectTopRow(page, 'day');
    await expectPanel(
      page,
      'pages',
      'event:page',
      ['visitors', 'pageviews', 'time_on_page', 'scroll_depth'],
      'day',
    );

    await page.selectOption('.range select', '7d');
    await page.waitForURL(/period=7d/);
    await page.check('.compare input');
    await page.waitForURL(/compare=1/);
    await settled(page);
    const res = await ask(server, {
      site_id: SITE,
      metrics: TOP,
      date_range: '7d',
      include: { comparisons: { mode: 'previous_period' } },
    });
    for (const [i, m] of TOP.entries()) {
      const change = await page.textContent(`.stat[data-metric="${m}"] .stat-change`);
      assert.equal(
        change,
        formatChange(m, res.results[0]?.comparison?.change[i], res.results[0]?.comparison?.metrics[0] === 0)
          .text,
        m,
      );
    }
    // The previous period is the chart's second line: its value shows in the tooltip at the cursor.
    const plot = await page.locator('.chart-panel .u-over').boundingBox();
    assert.ok(plot);
    await page.mouse.move(plot.x + plot.width / 2, plot.y + plot.height / 2);
    await page.waitForSelector('.chart-tip:not([hidden])');
    assert.match((await page.textContent('.chart-tip')) ?? '', /Previous period: /);
    await page.mouse.move(5, 5);

    // Picking another metric redraws the chart and is remembered in the URL.
    await page.click('.stat[data-metric="pageviews"]');
    await page.waitForURL(/metric=pageviews/);
    assert.equal(await page.getAttribute('.stat[data-metric="pageviews"]', 'aria-pressed'), 'true');
    await page.close();
  });

  test('the realtime counter rises when a page view arrives (polled every 30 s)', async () => {
    const page = await context.newPage();
    watches.push(await watchPage(page, server.url));
    await page.clock.install();
    await page.goto(`${server.url}/sites/${SITE}`);
    await settled(page);
    const count = async () => Number((await page.textContent('[data-testid="realtime"]'))?.match(/\d+/)?.[0]);
    const before = await waitFor(
      async () => ((await count()) >= 0 ? String(await count()) : undefined),
      'a count',
    );
    await sendEvent(server, { domain: SITE, url: `https://${SITE}/new`, ip: '93.184.216.9', ua: UA.firefox });
    await server.flush();
    await page.clock.fastForward(31_000);
    await waitFor(async () => (await count()) === Number(before) + 1, 'the counter to rise', 10_000);
    await page.close();
  });
});

describe('screenshots, light and dark, desktop and 375 px', () => {
  for (const scheme of ['light', 'dark'] as const) {
    for (const [size, viewport] of [
      ['desktop', { width: 1280, height: 900 }],
      ['mobile', { width: 375, height: 812 }],
    ] as const) {
      test(`${scheme} ${size}`, async () => {
        const ctx = await ownerContext(browser, server, { colorScheme: scheme, viewport });
        const page = await open('?period=7d&compare=1', ctx);
        await assertFitsWidth(page, `the dashboard (${scheme}, ${size})`);
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: path.join(SHOTS, `dashboard-${scheme}-${size}.png`), fullPage: true });
        await ctx.close();
      });
    }
  }
});
