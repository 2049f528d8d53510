// Footfall's tracker (dist/script.js) in a real Chromium against a real Footfall server:
// what a visitor's browser does is what ends up in the events table.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  asHost,
  launchChromium,
  type PageServer,
  startPageServer,
  visitorContext,
  waitFor,
} from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let pages: PageServer;
let browser: Browser;
const extraBrowsers: Browser[] = [];

const QUEUE_STUB =
  '<script>window.footfall = window.footfall || function () { (window.footfall.q = window.footfall.q || []).push(arguments) };' +
  "footfall('Early', { props: { from: 'queue' } });</script>";

/** The test pages: every path gets the snippet; a few prefixes add what their test needs. */
function html(url: URL): string | { body: string; type: string } | undefined {
  const p = url.pathname;
  if (p.endsWith('.pdf')) return { body: 'a report', type: 'text/plain' };
  const src = `${asHost(server.url, 'stats.example')}/script.js`;
  let attrs = '';
  let head = '';
  let body = `<p>${p}</p>`;
  if (p.startsWith('/hash/')) attrs = 'data-hash';
  if (p.startsWith('/excluded/')) attrs = 'data-exclude="/excluded/admin/*, /excluded/preview"';
  if (p.startsWith('/dnt/')) attrs = 'data-respect-dnt';
  if (p.startsWith('/types/')) {
    attrs = 'data-file-types="zip, tar.gz"';
    // Clicks are recorded, but the page stays: the test clicks one link after another.
    head = "<script>addEventListener('click', (e) => e.preventDefault())</script>";
    body +=
      '<a id="pdf" href="/files/report.pdf">pdf</a><a id="zip" href="/files/a.zip">zip</a>' +
      '<a id="targz" href="/files/b.tar.gz">tar.gz</a><a id="gz" href="/files/c.gz">gz</a>' +
      '<a id="upper" href="/files/D.ZIP">ZIP</a>';
  }
  if (p.startsWith('/events/')) {
    head = QUEUE_STUB;
    body +=
      '<button id="cta" data-footfall-event="CTA Click" data-footfall-event-position="hero"><span id="inner">Go</span></button>';
  }
  if (p.startsWith('/links/')) {
    body +=
      `<a id="out" href="${pages.url('/landing', 'other.example')}">elsewhere</a>` +
      '<a id="pdf" href="/files/report.pdf">report</a><a id="local" href="/links/next">next</a>';
  }
  if (p === '/bf/a') body += '<a id="next" href="/bf/b">b</a>';
  if (p.startsWith('/eng/')) body += '<div style="height: 3000px"></div>';
  const title = p === '/pv/home' ? 'Home page' : p;
  return `<!doctype html><html><head><title>${title}</title>${head}<script defer data-domain="test.example" ${attrs} src="${src}"></script></head><body>${body}</body></html>`;
}

interface EventRow {
  name: string;
  pathname: string;
  title: string;
  referrer: string;
  screen: string;
  language: string;
  props: Record<string, string>;
  interactive: boolean;
  scroll_depth: number | null;
  engagement_ms: number | null;
}

async function events(pathPrefix: string, name?: string): Promise<EventRow[]> {
  const rows = await server.query(
    `SELECT name, pathname, title, referrer, screen, language, CAST(to_json(props) AS VARCHAR) AS props, interactive,
            scroll_depth, engagement_ms
     FROM events WHERE starts_with(pathname, ?) ${name ? 'AND name = ?' : ''} ORDER BY ts`,
    name ? [pathPrefix, name] : [pathPrefix],
  );
  return rows.map((r) => ({ ...r, props: JSON.parse(String(r.props)) })) as unknown as EventRow[];
}

/** Waits until exactly `count` rows match, then a little longer to catch duplicates. */
async function expectEvents(pathPrefix: string, name: string, count: number): Promise<EventRow[]> {
  await waitFor(
    async () => (await events(pathPrefix, name)).length >= count,
    `${count} × ${name} on ${pathPrefix}`,
  );
  await new Promise((r) => setTimeout(r, 300));
  const rows = await events(pathPrefix, name);
  assert.equal(
    rows.length,
    count,
    `${name} on ${pathPrefix}: ${JSON.stringify(rows.map((r) => r.pathname))}`,
  );
  return rows;
}

interface Tab {
  context: BrowserContext;
  page: Page;
  /** Every URL the page requested. */
  requests: string[];
}

async function open(
  url: string,
  options: { on?: Browser; init?: () => void; referer?: string } = {},
): Promise<Tab> {
  const context = await visitorContext(options.on ?? browser, {
    locale: 'de-DE',
    viewport: { width: 800, height: 600 },
    screen: { width: 800, height: 600 },
  });
  if (options.init) await context.addInitScript(options.init);
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(url, { referer: options.referer });
  await page.waitForFunction(() => typeof window.footfall === 'function');
  return { context, page, requests };
}

const tracked = (requests: string[]) =>
  requests.filter((u) => u.includes('/api/event') || u.includes('/a.gif'));

before(async () => {
  server = await startTestServer({ sites: ['test.example'] });
  pages = await startPageServer(html);
  browser = await launchChromium();
});

after(async () => {
  await Promise.allSettled([browser?.close(), ...extraBrowsers.map((b) => b.close())]);
  await pages?.close();
  await server?.close();
});

describe('page views', () => {
  test('a page load stores path, title, referrer, screen class and language', async () => {
    const tab = await open(pages.url('/pv/home?utm_source=x'), { referer: 'https://news.example.org/story' });
    const [row] = await expectEvents('/pv/', 'pageview', 1);
    assert.equal(row!.pathname, '/pv/home');
    assert.equal(row!.title, 'Home page');
    assert.equal(row!.referrer, 'https://news.example.org/story');
    assert.equal(row!.screen, 'Tablet'); // 800 px
    assert.equal(row!.language, 'de');
    assert.equal(row!.interactive, true);
    await tab.context.close();
  });

  test('pushState/replaceState count once per new pathname; back (popstate) counts the page again', async () => {
    const { page, context } = await open(pages.url('/spa/a'));
    await expectEvents('/spa/', 'pageview', 1);
    await page.evaluate(() => history.pushState({}, '', '/spa/b'));
    await expectEvents('/spa/b', 'pageview', 1);
    await page.evaluate(() => {
      history.pushState({}, '', '/spa/b?tab=2'); // same pathname: not a new page
      history.replaceState({}, '', '/spa/b?tab=3#top');
      history.pushState({}, '', '/spa/b'); // unchanged
    });
    await page.evaluate(() => history.back()); // → /spa/b?tab=3#top: popstate, same pathname
    await page.waitForFunction(() => location.search === '?tab=3');
    await page.evaluate(() => {
      history.go(-2); // → /spa/a
    });
    await page.waitForFunction(() => location.pathname === '/spa/a');
    const rows = await expectEvents('/spa/', 'pageview', 3);
    assert.deepEqual(
      rows.map((r) => r.pathname),
      ['/spa/a', '/spa/b', '/spa/a'],
    );
    await context.close();
  });

  test('data-hash: every new #route counts (hashchange, pushState, back), a repeated one does not', async () => {
    const { page, context } = await open(pages.url('/hash/'));
    await expectEvents('/hash/', 'pageview', 1);
    await page.evaluate(() => {
      location.hash = '#/one';
    });
    await expectEvents('/hash/#/one', 'pageview', 1);
    await page.evaluate(() => {
      location.hash = '#/one'; // same route: nothing
      history.pushState({}, '', '#/two');
    });
    await expectEvents('/hash/#/two', 'pageview', 1);
    await page.evaluate(() => history.back()); // popstate and hashchange: one page view
    await page.waitForFunction(() => location.hash === '#/one');
    const rows = await expectEvents('/hash/', 'pageview', 4);
    assert.deepEqual(
      rows.map((r) => r.pathname),
      ['/hash/', '/hash/#/one', '/hash/#/two', '/hash/#/one'],
    );
    await context.close();
  });

  test('a page restored from the back/forward cache counts again', async () => {
    const { page, context } = await open(pages.url('/bf/a'));
    await page.evaluate(() => {
      addEventListener('pageshow', (e) => {
        document.title = e.persisted ? 'restored' : 'loaded';
      });
    });
    await expectEvents('/bf/a', 'pageview', 1);
    await Promise.all([page.waitForURL(/\/bf\/b$/), page.click('#next')]);
    await expectEvents('/bf/b', 'pageview', 1);
    await page.goBack({ waitUntil: 'commit' }); // a restored page fires no load event
    await page.waitForFunction(() => document.title !== '/bf/b');
    assert.equal(await page.title(), 'restored', 'the page came back from the bfcache');
    await expectEvents('/bf/a', 'pageview', 2);
    await context.close();
  });
});

describe('events', () => {
  test('footfall(name, {props, callback}), queued calls, footfall("404") and data-footfall-event clicks', async () => {
    const { page, context } = await open(pages.url('/events/page'));
    const called = await page.evaluate(
      () =>
        new Promise<boolean>((resolve) => {
          window.footfall!('Signup', { props: { plan: 'pro', seats: 3 }, callback: () => resolve(true) });
        }),
    );
    assert.equal(called, true);
    await page.evaluate(() => window.footfall!('404'));
    await page.click('#inner'); // a child of the tagged button
    const [signup] = await expectEvents('/events/', 'Signup', 1);
    assert.deepEqual(signup!.props, { plan: 'pro', seats: '3' });
    const [early] = await expectEvents('/events/', 'Early', 1);
    assert.deepEqual(early!.props, { from: 'queue' });
    await expectEvents('/events/', '404', 1);
    const [cta] = await expectEvents('/events/', 'CTA Click', 1);
    assert.deepEqual(cta!.props, { position: 'hero' });
    await expectEvents('/events/', 'pageview', 1);
    await context.close();
  });

  test('outbound link clicks and file downloads are stored although the page navigates away', async () => {
    const { page, context } = await open(pages.url('/links/one'));
    await Promise.all([page.waitForURL(/other\.example/), page.click('#out')]);
    const [out] = await expectEvents('/links/one', 'Outbound Link: Click', 1);
    assert.deepEqual(out!.props, { url: pages.url('/landing', 'other.example') });

    await page.goto(pages.url('/links/two'));
    await page.waitForFunction(() => typeof window.footfall === 'function');
    await Promise.all([page.waitForURL(/report\.pdf$/), page.click('#pdf')]);
    const [pdf] = await expectEvents('/links/two', 'File Download', 1);
    assert.deepEqual(pdf!.props, { url: pages.url('/files/report.pdf') });

    await page.goto(pages.url('/links/three'));
    await page.waitForFunction(() => typeof window.footfall === 'function');
    await Promise.all([page.waitForURL(/links\/next$/), page.click('#local')]);
    await expectEvents('/links/three', 'Outbound Link: Click', 0); // same-site links are not outbound
    await context.close();
  });

  test('data-file-types replaces the download extensions (case-insensitive, dots literal)', async () => {
    const { page, context } = await open(pages.url('/types/page'));
    for (const id of ['#pdf', '#gz', '#zip', '#targz', '#upper']) await page.click(id);
    const rows = await expectEvents('/types/', 'File Download', 3);
    assert.deepEqual(
      rows.map((r) => r.props.url),
      [pages.url('/files/a.zip'), pages.url('/files/b.tar.gz'), pages.url('/files/D.ZIP')],
      'pdf is no longer a download, and "tar.gz" does not match c.gz',
    );
    await context.close();
  });
});

describe('engagement', () => {
  test('leaving a page sends its visible time and deepest scroll once', async () => {
    const { page, context } = await open(pages.url('/eng/long'));
    await page.evaluate(() => window.scrollTo(0, 1200));
    await new Promise((r) => setTimeout(r, 600));
    await page.goto(pages.url('/eng/next')); // pagehide (and visibilitychange) on the old page
    const [row] = await expectEvents('/eng/long', 'engagement', 1);
    assert.ok(row!.engagement_ms! >= 500, `engagement ${row!.engagement_ms} ms`);
    // (1200 + 600) / 3016 px scrolled → 60 %
    assert.ok(row!.scroll_depth! >= 55 && row!.scroll_depth! <= 65, `scroll depth ${row!.scroll_depth}`);
    assert.equal(row!.interactive, false);
    await context.close();
  });

  test('a hidden tab stops the clock; coming back continues from zero', async () => {
    const { page, context } = await open(pages.url('/eng/tabs'));
    const setHidden = (hidden: boolean) =>
      page.evaluate((h) => {
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
        Object.defineProperty(document, 'visibilityState', {
          configurable: true,
          get: () => (h ? 'hidden' : 'visible'),
        });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await new Promise((r) => setTimeout(r, 400));
    await setHidden(true);
    await new Promise((r) => setTimeout(r, 800)); // hidden: not counted
    await setHidden(false);
    await new Promise((r) => setTimeout(r, 200));
    await setHidden(true);
    const rows = await expectEvents('/eng/tabs', 'engagement', 2);
    assert.ok(rows[0]!.engagement_ms! >= 400, `first ${rows[0]!.engagement_ms} ms`);
    assert.ok(
      rows[1]!.engagement_ms! >= 200 && rows[1]!.engagement_ms! < 700,
      `second ${rows[1]!.engagement_ms} ms`,
    );
    await context.close();
  });
});

describe('opt-outs store nothing', () => {
  /** What every case does on its page: an event with a callback, and a click. */
  async function act(tab: Tab): Promise<void> {
    const called = await tab.page.evaluate(
      () => new Promise<boolean>((resolve) => window.footfall!('Signup', { callback: () => resolve(true) })),
    );
    assert.equal(called, true, 'the callback runs even when the visit is ignored');
    await tab.page.click('body');
  }

  /**
   * The opted-out tab does its part first, then a tab that is tracked (the positive control)
   * does the same. Once the control's page view and event are stored, the opted-out tab's
   * would have been too: "nothing stored" is then a finding, not a wait that ended too soon.
   */
  async function expectIgnored(tab: Tab, pathPrefix: string, control: () => Promise<Tab>): Promise<void> {
    await act(tab);
    const ctl = await control();
    await act(ctl);
    const controlPath = new URL(ctl.page.url()).pathname;
    await expectEvents(controlPath, 'pageview', 1);
    await expectEvents(controlPath, 'Signup', 1);
    assert.deepEqual(tracked(tab.requests), []);
    assert.deepEqual(await events(pathPrefix), []);
    await Promise.all([tab.context.close(), ctl.context.close()]);
  }

  test('localStorage.footfall_ignore = "true"', async () => {
    const tab = await open(pages.url('/optout/storage'), {
      init: () => localStorage.setItem('footfall_ignore', 'true'),
    });
    await expectIgnored(tab, '/optout/storage', () => open(pages.url('/optout/control-storage')));
  });

  test('navigator.webdriver (an automated browser)', async () => {
    const automated = await launchChromium({ webdriver: true });
    extraBrowsers.push(automated);
    const tab = await open(pages.url('/optout/webdriver'), { on: automated });
    assert.equal(await tab.page.evaluate(() => navigator.webdriver), true);
    await expectIgnored(tab, '/optout/webdriver', () => open(pages.url('/optout/control-webdriver')));
  });

  test('a page on localhost', async () => {
    const tab = await open(`http://localhost:${pages.port}/optout/localhost`);
    await expectIgnored(tab, '/optout/localhost', () => open(pages.url('/optout/control-localhost')));
  });

  test('data-exclude globs', async () => {
    const control = () => open(pages.url('/excluded/public-1'));
    await expectIgnored(await open(pages.url('/excluded/admin/users/1')), '/excluded/admin/', control);
    await expectIgnored(await open(pages.url('/excluded/preview')), '/excluded/preview', () =>
      open(pages.url('/excluded/public-2')),
    );
  });

  test('data-respect-dnt with Do Not Track or Global Privacy Control', async () => {
    const dnt = await open(pages.url('/dnt/dnt'), {
      init: () => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' }),
    });
    // The control has data-respect-dnt too, without either signal.
    await expectIgnored(dnt, '/dnt/dnt', () => open(pages.url('/dnt/control-dnt')));
    const gpc = await open(pages.url('/dnt/gpc'), {
      init: () => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
    });
    await expectIgnored(gpc, '/dnt/gpc', () => open(pages.url('/dnt/control-gpc')));
  });
});

describe('transport', () => {
  async function sentBy(path: string, init?: () => void): Promise<string[]> {
    const context = await visitorContext(browser);
    if (init) await context.addInitScript(init);
    const page = await context.newPage();
    const types: string[] = [];
    page.on('request', (r) => {
      if (/\/api\/event|\/a\.gif/.test(r.url())) types.push(`${r.resourceType()} ${r.method()}`);
    });
    await page.goto(pages.url(path));
    await expectEvents(path, 'pageview', 1);
    await context.close();
    return types;
  }

  test('sendBeacon, else fetch with keepalive, else the seed GIF', async () => {
    assert.deepEqual(await sentBy('/transport/beacon'), ['ping POST']);
    const noBeacon = () => {
      // biome-ignore lint/suspicious/noExplicitAny: removing a built-in for the test
      delete (Navigator.prototype as any).sendBeacon;
    };
    assert.deepEqual(await sentBy('/transport/fetch', noBeacon), ['fetch POST']);
    const neither = () => {
      // biome-ignore lint/suspicious/noExplicitAny: removing built-ins for the test
      delete (Navigator.prototype as any).sendBeacon;
      // biome-ignore lint/suspicious/noExplicitAny: removing built-ins for the test
      delete (window as any).fetch;
    };
    assert.deepEqual(await sentBy('/transport/gif', neither), ['image GET']);
    const [row] = await events('/transport/gif');
    assert.equal(row!.title, '/transport/gif');
  });
});

test('no cookies, no storage writes, no request to any host but the page and Footfall', async () => {
  const tab = await open(pages.url('/privacy/a'));
  await tab.page.evaluate(() => window.footfall!('Signup', { props: { plan: 'pro' } }));
  await tab.page.evaluate(() => history.pushState({}, '', '/privacy/b'));
  await expectEvents('/privacy/', 'pageview', 2);
  assert.deepEqual(await tab.context.cookies(), []);
  assert.equal(await tab.page.evaluate(() => localStorage.length + sessionStorage.length), 0);
  const hosts = new Set(tab.requests.map((u) => new URL(u).host));
  assert.deepEqual([...hosts].sort(), [
    `stats.example:${new URL(server.url).port}`,
    `test.example:${pages.port}`,
  ]);
  await tab.context.close();
});
