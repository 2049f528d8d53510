// `footfall import goatcounter`: a GoatCounter CSV export (format version 2) written here from a
// known plan, imported, and the answers checked against the plan: page views, visitors (one per
// GoatCounter session and day), visits (cut at 30 idle minutes), custom events, sources by
// referrer scheme, countries and regions, systems under Plausible's names; bots and bad rows
// skipped and counted; other versions and other files refused with one line.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { openGeo } from '../../src/enrich/geo.js';
import { GoatCounterFile, importGoatCounter } from '../../src/import/goatcounter-import.js';
import { localTarget } from '../../src/import/import-target.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import { askStats } from '../helpers/ask-stats.js';
import { removeDir, runCli, seedSites, tempDir } from '../helpers/server.js';

const HEADER =
  '2Path,Title,Event,UserAgent,Browser,System,Session,Bot,Referrer,Referrer scheme,Screen size,Location,FirstVisit,Date';

interface Row {
  path: string;
  title?: string;
  event?: boolean;
  browser?: string;
  system?: string;
  session: string;
  bot?: number;
  ref?: string;
  scheme?: string;
  size?: string;
  location?: string;
  date: string;
}

const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const line = (r: Row) =>
  [
    r.path,
    r.title ?? '',
    String(r.event ?? false),
    '',
    r.browser ?? 'Firefox 127',
    r.system ?? 'Linux',
    r.session,
    String(r.bot ?? 0),
    r.ref ?? '',
    r.scheme ?? '',
    r.size ?? '1920,1080,1',
    r.location ?? '',
    'false',
    r.date,
  ]
    .map(cell)
    .join(',');

const at = (minute: number) =>
  new Date(Date.UTC(2026, 5, 10, 8, 0) + minute * 60_000).toISOString().replace('.000', '');

/** Eight sessions on one day; s3 comes back after 70 minutes (a second visit). */
const ROWS: Row[] = [
  {
    path: '/',
    session: 's1',
    ref: 'news.ycombinator.com/item?id=1',
    scheme: 'h',
    location: 'DE',
    date: at(0),
  },
  { path: '/docs', session: 's1', date: at(1), title: 'Docs, "quoted"\nand a new line', location: 'DE' },
  { path: 'Signup', event: true, session: 's1', date: at(2), location: 'DE' },
  {
    path: '/',
    session: 's2',
    ref: 'Hacker News',
    scheme: 'g',
    location: 'US-TX',
    system: 'macOS 14.5',
    date: at(5),
  },
  {
    path: '/pricing',
    session: 's3',
    ref: 'spring-sale',
    scheme: 'c',
    location: 'US-CA',
    system: 'Windows 10',
    date: at(10),
  },
  { path: '/', session: 's3', location: 'US-CA', system: 'Windows 10', date: at(80) },
  {
    path: '/blog/a',
    session: 's4',
    ref: 'com.google.android.gm',
    scheme: 'o',
    system: 'Android 14',
    size: '390,844,3',
    browser: 'Chrome 126',
    date: at(20),
  },
  { path: '/blog/a', session: 's5', ref: 'www.google.com/', scheme: 'h', location: 'FR', date: at(30) },
  { path: '/', session: 's6', system: 'iOS 17.5', size: '', browser: 'Safari 17.5', date: at(40) },
  { path: '/', session: 's7', location: 'DE', date: at(50) },
  { path: 'Signup', event: true, session: 's7', location: 'DE', date: at(51) },
  { path: '/x', session: 's8', location: 'GB', date: at(60) },
  // Bots and rows that cannot be stored.
  { path: '/', session: 'b1', bot: 3, date: at(61) },
  { path: '/', session: 'b2', bot: 150, date: at(62) },
  { path: '/', session: 'x1', date: 'yesterday' },
  { path: '/', session: 'x2', date: '2999-01-01T00:00:00Z' },
  { path: '', session: 'x3', date: at(63) },
];
const kept = ROWS.filter((r) => !r.bot && r.path !== '' && r.date.startsWith('2026'));

describe('footfall import goatcounter', () => {
  const dir = tempDir('footfall-goatcounter-');
  after(() => removeDir(dir));
  const write = (name: string, text: string | Buffer) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const csv = `${[HEADER, ...ROWS.map(line)].join('\r\n')}\r\n`;

  it('imports page views, events, visitors and visits as planned; bots and bad rows skipped by reason', async () => {
    const data = path.join(dir, 'plain');
    await seedSites(data, ['example.com']);
    const file = await GoatCounterFile.open(write('export.csv', csv));
    const store = await openDuckDbStore(data);
    const geo = await openGeo({});
    let summary: Awaited<ReturnType<typeof importGoatCounter>>;
    try {
      summary = await importGoatCounter(localTarget(store, data), {
        file,
        site: 'example.com',
        dataDir: data,
        geo,
      });
    } finally {
      file.close();
      await geo.close();
      await store.close();
    }
    assert.equal(summary.imported, kept.length);
    assert.deepEqual(summary.skipped, { bot: 2, bad_date: 1, out_of_range: 1, bad_path: 1 });

    const pageviews = kept.filter((r) => !r.event).length;
    const visitors = new Set(kept.map((r) => r.session)).size;
    const base = { site_id: 'example.com', date_range: ['2026-06-01', '2026-06-30'] };
    const [top, events, sources, countries, regions, systems, devices, campaigns, titles] = await askStats(
      data,
      base,
      [
        { metrics: ['pageviews', 'visitors', 'visits', 'events'] },
        {
          metrics: ['events', 'visitors'],
          dimensions: ['event:name'],
          filters: [['is_not', 'event:name', ['pageview']]],
        },
        { metrics: ['visits'], dimensions: ['visit:source'] },
        { metrics: ['visitors'], dimensions: ['visit:country'] },
        { metrics: ['visitors'], dimensions: ['visit:region'] },
        { metrics: ['visitors'], dimensions: ['visit:os', 'visit:os_version'] },
        { metrics: ['visitors'], dimensions: ['visit:device'] },
        {
          metrics: ['visitors'],
          dimensions: ['visit:utm_campaign'],
          filters: [['is_not', 'visit:utm_campaign', ['']]],
        },
        {
          metrics: ['pageviews'],
          dimensions: ['event:title'],
          filters: [['contains', 'event:title', ['quoted']]],
        },
      ],
    );
    assert.deepEqual(top![0]!.metrics, [pageviews, visitors, visitors + 1, kept.length]);
    assert.deepEqual(events, [{ dimensions: ['Signup'], metrics: [2, 2] }]);
    const bySource = Object.fromEntries(sources!.map((r) => [r.dimensions[0], r.metrics[0]]));
    assert.equal(bySource['Hacker News'], 2, 'a link (h) and a generated name (g) from Hacker News');
    assert.equal(bySource.Google, 1);
    assert.equal(bySource['com.google.android.gm'], 1, 'another source (o) by its name');
    assert.equal(bySource['Direct / None'], 5, 's3 (a campaign only, twice), s6, s7, s8');
    assert.deepEqual(Object.fromEntries(countries!.map((r) => [r.dimensions[0], r.metrics[0]])), {
      DE: 2,
      US: 2,
      FR: 1,
      GB: 1,
      '(not set)': 2,
    });
    assert.deepEqual(
      Object.fromEntries(
        regions!.filter((r) => r.dimensions[0] !== '(not set)').map((r) => [r.dimensions[0], r.metrics[0]]),
      ),
      { 'US-TX': 1, 'US-CA': 1 },
    );
    const os = Object.fromEntries(
      systems!.map((r) => [`${r.dimensions[0]} ${r.dimensions[1]}`, r.metrics[0]]),
    );
    assert.equal(os['Mac 14.5'], 1, "macOS under Plausible's name, with its version");
    assert.equal(os['GNU/Linux (not set)'], 4);
    assert.equal(os['iOS 17.5'], 1);
    assert.deepEqual(
      Object.fromEntries(devices!.map((r) => [r.dimensions[0], r.metrics[0]])),
      { Desktop: 6, Mobile: 2 },
      'by screen width (s4: 390 px), else by system (s6: iOS)',
    );
    assert.deepEqual(campaigns, [{ dimensions: ['spring-sale'], metrics: [1] }]);
    assert.deepEqual(titles, [{ dimensions: ['Docs, "quoted"\nand a new line'], metrics: [1] }]);
  });

  it('reads a gzip export through the CLI, refuses it the second time, and --strict stores nothing', async () => {
    const data = path.join(dir, 'gzip');
    await seedSites(data, ['example.com']);
    const gz = write('export.csv.gz', gzipSync(csv));
    const strict = await runCli([
      'import',
      'goatcounter',
      gz,
      '--site',
      'example.com',
      '--strict',
      '--data',
      data,
    ]);
    assert.equal(strict.code, 2);
    assert.match(strict.stderr, /row 15 cannot be imported \(bad_date\); nothing was stored/);
    const run = await runCli(['import', 'goatcounter', gz, '--site', 'example.com', '--data', data]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      new RegExp(`imported ${kept.length} page views into example.com from ${ROWS.length} rows`),
    );
    assert.match(run.stdout, /skipped: 2 bot, 1 bad date, 1 out of range, 1 bad path/);
    const again = await runCli(['import', 'goatcounter', gz, '--site', 'example.com', '--data', data]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /was imported into example\.com already/);
  });

  it('refuses another format version, another CSV and a file that is not CSV, naming the file', async () => {
    const cases: [string, string | Buffer, RegExp][] = [
      [
        'v1.csv',
        `1Path,Title,Event,Bot,Session,FirstVisit,Referrer,Referrer scheme,Browser,Screen size,Location,Date\n/,t,false,0,s,false,,,,,,${at(0)}\n`,
        /format version 1; only version 2 is read/,
      ],
      ['other.csv', 'a,b\n1,2\n', /is not a GoatCounter export \(version 2\)/],
      ['binary.csv.gz', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]), /cannot be read as CSV \(gzip\)/],
    ];
    for (const [name, text, message] of cases)
      await assert.rejects(GoatCounterFile.open(write(name, text)), message);
    await assert.rejects(GoatCounterFile.open(path.join(dir, 'missing.csv')), /does not exist/);
  });
});
