// npm run bench:dashboard — the dashboard's first render in headless Chromium against the real
// server (built dist/web) on the 10 M-event data directory that `npm run bench:query` builds
// (copied first, so that one stays as it was): how long until the top row shows its numbers,
// until the chart is drawn, and until every panel has loaded — for the default view (30 days),
// 7 days with comparison, a filtered view and 12 months. Medians of several loads, each in a
// fresh tab of a signed-in browser (the JS and CSS come from the HTTP cache after the first).
// BENCH_REQUESTS=1 also lists each view's API requests of its last load, slowest first: which
// panel decides "every panel". BENCH_VIEWS=12 runs only the views whose label contains it.
// BENCH_NO_ROLLUPS=1 forgets the copy's rollups and starts the server without its jobs (so none
// are rolled): the same data answered from the visits table and the events alone, a baseline
// for the rollups by salt day in the same conditions.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDuckDbStore } from '../src/store/duckdb/open.js';
import { launchChromium } from '../test/helpers/browser.js';
import { createOwner, ownerContext, settled } from '../test/helpers/dashboard.js';
import { startTestServer } from '../test/helpers/server.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SOURCE = path.join(tmpdir(), `footfall-bench-query-${EVENTS}`);
const VIEWS = [
  ['30 days', 'big.example', ''],
  ['7 days, compared', 'big.example', '?period=7d&compare=1'],
  ['30 days, country DE', 'big.example', '?f=is,visit:country,DE'],
  ['12 months', 'big.example', '?period=12mo'],
  ['30 days, 1 M site', 'small.example', ''],
] as const;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// bench:query writes a ready-<date> marker once its data is complete.
const ready = existsSync(SOURCE) && readdirSync(SOURCE).some((f) => f.startsWith('ready-'));
if (!ready || !existsSync(path.join(SOURCE, 'footfall.duckdb'))) {
  console.error(`no complete benchmark data in ${SOURCE}: run "npm run bench:query" first (it builds it)`);
  process.exit(1);
}
const dataDir = path.join(tmpdir(), `footfall-bench-dashboard-${process.pid}`);
mkdirSync(dataDir, { recursive: true });
cpSync(path.join(SOURCE, 'footfall.duckdb'), path.join(dataDir, 'footfall.duckdb'));
const noRollups = Boolean(process.env.BENCH_NO_ROLLUPS);
if (noRollups) {
  const store = await openDuckDbStore(dataDir);
  await store.queryRows('DELETE FROM rollup_days');
  await store.close();
}
const server = await startTestServer({ dataDir, sites: [], ...(noRollups ? { schedule: false } : {}) });
const browser = await launchChromium();
try {
  await createOwner(server);
  const context = await ownerContext(browser, server);
  console.log(`| view | top row (ms) | chart (ms) | every panel (ms) |\n|---|---|---|---|`);
  for (const [label, site, query] of VIEWS) {
    if (process.env.BENCH_VIEWS && !label.includes(process.env.BENCH_VIEWS)) continue;
    const requests: string[] = [];
    const top: number[] = [];
    const chart: number[] = [];
    const all: number[] = [];
    let wallStart = 0;
    for (let i = 0; i < RUNS; i++) {
      const page = await context.newPage();
      requests.length = 0;
      if (process.env.BENCH_REQUESTS) {
        page.on('requestfinished', (r) => {
          if (!r.url().includes('/api/')) return;
          const t = r.timing();
          const body = (r.postData() ?? '').replace(/"site_id":"[^"]*",?|"date_range":"[^"]*",?/g, '');
          // When it was sent, from the navigation's start: what the page did before asking.
          // (asked: when the page called fetch; it waits there for a free connection, six at a time)
          const asked = t.startTime - wallStart;
          const sent = asked + t.requestStart;
          requests.push(
            `${(t.responseEnd - t.requestStart).toFixed(0).padStart(6)} ms  (asked at +${asked.toFixed(0)}, sent at +${sent.toFixed(0)} ms)  ${new URL(r.url()).pathname} ${body}`,
          );
        });
      }
      const t0 = performance.now();
      wallStart = Date.now();
      await page.goto(`${server.url}/sites/${site}${query}`);
      await page.waitForFunction(
        () => {
          if (document.querySelector('.status-error')) return true;
          const v = document.querySelector('.top-stats:not(.is-loading) .stat-value')?.textContent;
          return v !== undefined && v !== '…';
        },
        undefined,
        { polling: 10, timeout: 60_000 },
      );
      const failed = await page.$$eval('.status-error', (els) => els.map((e) => e.textContent));
      if (failed.length > 0) process.stderr.write(`  ${label} #${i + 1}: ${failed.join('; ')}\n`);
      top.push(performance.now() - t0);
      await page.waitForSelector('.chart-panel:not(.is-loading) canvas', { timeout: 60_000 });
      chart.push(performance.now() - t0);
      await settled(page, 120_000);
      all.push(performance.now() - t0);
      process.stderr.write(`  ${label} #${i + 1}: ${all.at(-1)!.toFixed(0)} ms\n`);
      await page.close();
    }
    const f = (xs: number[]) => median(xs).toFixed(0);
    console.log(`| ${label} | ${f(top)} | ${f(chart)} | ${f(all)} |`);
    if (requests.length > 0)
      console.error(requests.sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a)).join('\n'));
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
