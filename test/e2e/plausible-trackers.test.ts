// Plausible's own client libraries, pointed at Footfall, work unchanged: the official
// @plausible-analytics/tracker (npm, `endpoint` option) and the older plausible-tracker
// (`apiHost` option), each bundled for the browser with esbuild and run in a real Chromium.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import {
  asHost,
  launchChromium,
  type PageServer,
  startPageServer,
  visitorContext,
  waitFor,
} from '../helpers/browser.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let pages: PageServer;
let browser: Browser;
const bundles = new Map<string, string>();

async function bundle(source: string): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2017',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

before(async () => {
  server = await startTestServer({ sites: ['test.example'] });
  const stats = asHost(server.url, 'stats.example');
  bundles.set(
    'official',
    await bundle(`
      import { init, track } from '@plausible-analytics/tracker';
      init({ domain: 'test.example', endpoint: ${JSON.stringify(`${stats}/api/event`)} });
      track('Signup', { props: { plan: 'pro' } });
    `),
  );
  bundles.set(
    'legacy',
    await bundle(`
      import Plausible from 'plausible-tracker';
      const { trackPageview, trackEvent } = Plausible({ domain: 'test.example', apiHost: ${JSON.stringify(stats)} });
      trackPageview();
      trackEvent('Signup', { props: { plan: 'pro' } });
    `),
  );
  pages = await startPageServer((url) => {
    const m = /^\/(official|legacy)\/(page|bundle\.js)$/.exec(url.pathname);
    if (!m) return undefined;
    if (m[2] === 'bundle.js') return { body: bundles.get(m[1]!)!, type: 'text/javascript' };
    return `<!doctype html><title>${m[1]}</title><script src="/${m[1]}/bundle.js"></script>`;
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await pages?.close();
  await server?.close();
});

for (const lib of ['official', 'legacy']) {
  test(`${lib === 'official' ? '@plausible-analytics/tracker' : 'plausible-tracker'}: a page view and a custom event with props are stored`, async () => {
    const context = await visitorContext(browser);
    const page = await context.newPage();
    await page.goto(pages.url(`/${lib}/page`));
    const rows = await waitFor(async () => {
      const found = await server.query(
        `SELECT name, pathname, CAST(to_json(props) AS VARCHAR) AS props FROM events
         WHERE pathname = ? ORDER BY name`,
        [`/${lib}/page`],
      );
      return found.length >= 2 ? found : undefined;
    }, `${lib} events`);
    assert.deepEqual(
      rows.map((r) => [r.name, JSON.parse(String(r.props))]),
      [
        ['Signup', { plan: 'pro' }],
        ['pageview', {}],
      ],
    );
    await context.close();
  });
}
