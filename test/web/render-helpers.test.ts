// Pure pieces of what the dashboard draws: chart series, the heatmap grid, which values
// become links (never anything but http(s)), the snippet and the share link's site.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dimensionText, type QueryResponse } from '../../src/web/api/types.js';
import { formatTimeLabel, previousRange, toSeries } from '../../src/web/chart/series.js';
import { heatGrid } from '../../src/web/panels/heat-grid.js';
import { linkMaker } from '../../src/web/panels/links.js';
import { PAGES, SOURCES } from '../../src/web/panels/tabs.js';
import { absoluteShareUrl, shareSite } from '../../src/web/share/share-site.js';
import { snippetFor } from '../../src/web/sites/snippet-text.js';
import { safeHttpUrl } from '../../src/web/ui/safe-url.js';

test('a time series has a slot per time label; buckets without rows are 0', () => {
  const res: QueryResponse = {
    results: [{ dimensions: ['2026-03-02'], metrics: [5] }],
    meta: { time_labels: ['2026-03-01', '2026-03-02', '2026-03-03'] },
    query: {},
  };
  assert.deepEqual(toSeries(res), {
    labels: ['2026-03-01', '2026-03-02', '2026-03-03'],
    current: [0, 5, 0],
    previous: undefined,
    previousLabels: undefined,
  });
});

test('the previous period is matched bucket by bucket, even where this period has nothing', () => {
  const now: QueryResponse = {
    results: [{ dimensions: ['2026-03-02'], metrics: [5] }],
    meta: { time_labels: ['2026-03-01', '2026-03-02', '2026-03-03'] },
    query: {},
  };
  const before: QueryResponse = {
    results: [
      { dimensions: ['2026-02-26'], metrics: [7] },
      { dimensions: ['2026-02-28'], metrics: [2] },
    ],
    meta: { time_labels: ['2026-02-26', '2026-02-27', '2026-02-28'] },
    query: {},
  };
  const s = toSeries(now, before);
  assert.deepEqual(s.current, [0, 5, 0]);
  assert.deepEqual(s.previous, [7, 0, 2]);
  assert.deepEqual(s.previousLabels, ['2026-02-26', '2026-02-27', '2026-02-28']);
});

test('the previous period has as many days and ends the day before', () => {
  assert.deepEqual(previousRange(['2026-03-01T00:00:00+01:00', '2026-03-07T23:59:59.999+01:00']), [
    '2026-02-22',
    '2026-02-28',
  ]);
  assert.deepEqual(previousRange(['2026-03-10T00:00:00Z', '2026-03-10T23:59:59.999Z']), [
    '2026-03-09',
    '2026-03-09',
  ]);
  assert.equal(previousRange(undefined), undefined);
  assert.equal(previousRange(['garbage', 'x']), undefined);
});

test('numeric dimension values are read as text', () => {
  assert.equal(dimensionText({ dimensions: [13], metrics: [] }), '13');
  assert.equal(dimensionText({ dimensions: [], metrics: [] }), '');
});

test('time labels are short on the axis and long in the legend', () => {
  assert.equal(formatTimeLabel('2026-11-27 13:00:00', 'hour'), '13:00');
  assert.equal(formatTimeLabel('2026-11-27 13:00:00', 'hour', true), 'Nov 27, 13:00');
  assert.equal(formatTimeLabel('2026-11-27', 'day'), 'Nov 27');
  assert.equal(formatTimeLabel('2026-11-23', 'week', true), 'Week of Nov 23, 2026');
  assert.equal(formatTimeLabel('2026-11-01', 'month'), 'Nov 2026');
  assert.equal(formatTimeLabel('garbage', 'day'), 'garbage');
});

test('the heatmap grid is 7 × 24 and ignores out-of-range cells', () => {
  const { cells, max } = heatGrid([
    { dimensions: ['1', '0'], metrics: [4] },
    { dimensions: ['7', '23'], metrics: [9] },
    { dimensions: ['8', '1'], metrics: [100] },
    { dimensions: ['3', '24'], metrics: [100] },
  ]);
  assert.equal(cells.length, 7);
  assert.ok(cells.every((r) => r.length === 24));
  assert.equal(cells[0]![0], 4);
  assert.equal(cells[6]![23], 9);
  assert.equal(max, 9);
});

test('only absolute http(s) URLs become links', () => {
  assert.equal(safeHttpUrl('https://news.example/a?b=1'), 'https://news.example/a?b=1');
  assert.equal(safeHttpUrl('http://x.example'), 'http://x.example/');
  for (const bad of [
    'javascript:alert(1)',
    ' javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    '//evil.example/',
    '/relative',
    'news.example',
    '',
    undefined,
  ]) {
    assert.equal(safeHttpUrl(bad), undefined, String(bad));
  }
});

test('referrers link to themselves, pages to the site, other values nowhere', () => {
  const referrers = linkMaker(SOURCES.tabs.find((t) => t.key === 'referrers')!, 'example.com')!;
  assert.equal(safeHttpUrl(referrers('javascript:alert(1)')), undefined);
  assert.equal(safeHttpUrl(referrers('https://ref.example/x')), 'https://ref.example/x');
  const pages = linkMaker(PAGES.tabs[0]!, 'example.com')!;
  assert.equal(safeHttpUrl(pages('/about')), 'https://example.com/about');
  assert.equal(new URL(safeHttpUrl(pages('//evil.example/x'))!).hostname, 'example.com');
  assert.equal(pages('javascript:alert(1)'), undefined);
  assert.equal(linkMaker(SOURCES.tabs[0]!, 'example.com'), undefined);
});

test('the snippet names the domain and the server', () => {
  assert.equal(
    snippetFor('example.com', 'https://stats.example.org'),
    '<script defer data-domain="example.com" src="https://stats.example.org/script.js"></script>',
  );
});

test('a share link names its site as a domain or an object; a path URL gets the origin', () => {
  assert.deepEqual(shareSite('example.com'), { domain: 'example.com', timezone: undefined });
  assert.deepEqual(shareSite({ domain: 'example.com', timezone: 'Europe/Berlin' }), {
    domain: 'example.com',
    timezone: 'Europe/Berlin',
  });
  assert.equal(shareSite(null), undefined);
  assert.equal(shareSite({ domain: 5 }), undefined);
  assert.equal(absoluteShareUrl('/share/abc', 'https://stats.example'), 'https://stats.example/share/abc');
  assert.equal(
    absoluteShareUrl('https://stats.example/share/abc', 'http://x'),
    'https://stats.example/share/abc',
  );
});
