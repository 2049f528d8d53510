// `footfall query`: the seed's six questions, one command each, answered from the data
// directory, through a running server's control socket, and through its HTTP API.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadRows } from '../../bench/generate/load.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import type { EventRow } from '../../src/store/event-row.js';
import { killServers, removeDir, runCli, spawnServer } from '../helpers/server.js';
import { ADMIN_KEY, seedDataDir } from '../query/fixture.js';

// "Last week" of the generated data, in the site's zone (Berlin): 25–31 October 2026.
const FROM = Date.parse('2026-10-24T22:00:00Z');
const TO = Date.parse('2026-10-31T23:00:00Z');
const WEEK = ['--site', 'example.com', '--range', '2026-10-25,2026-10-31'];
const FORMULA_TITLE = '=HYPERLINK("https://evil.example","click")';

describe("footfall query answers the seed's questions", () => {
  let dataDir: string;
  let week: EventRow[];
  before(async () => {
    const seeded = await seedDataDir();
    dataDir = seeded.dataDir;
    week = seeded.events.filter(
      (e) => e.siteId === seeded.siteId && e.ts >= FROM && e.ts < TO && e.name !== 'engagement',
    );
    // One more visit, whose page title a spreadsheet would run as a formula.
    const formula: EventRow = {
      ...week.find((e) => e.name === 'pageview')!,
      ts: FROM + 3_600_000,
      title: FORMULA_TITLE,
      visitorId: 4_242_424_242n,
      sessionId: 4_242_424_243n,
    };
    const store = await openDuckDbStore(dataDir);
    try {
      await loadRows(store, [[formula]]);
    } finally {
      await store.close();
    }
    week.push(formula);
  });
  after(() => {
    removeDir(dataDir);
    killServers();
  });

  const json = async (args: string[], extra: string[] = ['--data', dataDir]) => {
    const res = await runCli(['query', ...args, '--json', ...extra]);
    assert.equal(res.code, 0, res.stderr);
    return JSON.parse(res.stdout);
  };
  const count = <K>(items: K[]) => {
    const m = new Map<K, number>();
    for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
    return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  };
  const views = () => week.filter((e) => e.name === 'pageview');

  it('1. how many page views last week', async () => {
    const res = await json([...WEEK, '--metrics', 'pageviews']);
    assert.deepEqual(res.results, [{ dimensions: [], metrics: [views().length] }]);
  });

  it('2. how many distinct visitors', async () => {
    const res = await json([...WEEK, '--metrics', 'visitors']);
    assert.deepEqual(res.results[0].metrics, [new Set(week.map((e) => e.visitorId)).size]);
  });

  it('3. the 10 most viewed pages, by title', async () => {
    const res = await json([
      ...WEEK,
      '--metrics',
      'pageviews',
      '--dimensions',
      'event:title',
      '--limit',
      '10',
    ]);
    // An untitled page reads "(not set)", as in Plausible.
    const want = count(views().map((e) => (e.title === '' ? '(not set)' : e.title))).slice(0, 10);
    assert.deepEqual(
      res.results.map((r: { dimensions: string[]; metrics: number[] }) => [r.dimensions[0], r.metrics[0]]),
      want,
    );
  });

  it('4. which 4-hour block of the day is busiest', async () => {
    const res = await json([
      ...WEEK,
      '--metrics',
      'pageviews',
      '--dimensions',
      'time:hour_block',
      '--order',
      'pageviews:desc',
    ]);
    const hourIn = (ms: number) =>
      Number(
        new Intl.DateTimeFormat('en-GB', {
          timeZone: 'Europe/Berlin',
          hour: '2-digit',
          hourCycle: 'h23',
        }).format(ms),
      );
    const want = count(views().map((e) => hourIn(e.ts) - (hourIn(e.ts) % 4)));
    assert.deepEqual(
      res.results.map((r: { dimensions: number[]; metrics: number[] }) => [r.dimensions[0], r.metrics[0]]),
      want,
    );
  });

  it('5. the most common user agents, as browsers and versions', async () => {
    const res = await json([
      ...WEEK,
      '--metrics',
      'pageviews',
      '--dimensions',
      'visit:browser,visit:browser_version',
      '--limit',
      '5',
    ]);
    const want = count(views().map((e) => `${e.browser} ${e.browserVersion}`)).slice(0, 5);
    assert.deepEqual(
      res.results.map((r: { dimensions: string[]; metrics: number[] }) => [
        r.dimensions.join(' '),
        r.metrics[0],
      ]),
      want,
    );
  });

  it('6. in which order each visitor read the pages', async () => {
    const res = await json([...WEEK, '--journeys', '--steps', '2']);
    const visits = new Map<bigint, EventRow[]>();
    for (const e of views()) visits.set(e.sessionId, [...(visits.get(e.sessionId) ?? []), e]);
    const latest = [...visits.values()]
      .map((list) => list.sort((a, b) => a.ts - b.ts))
      .sort((a, b) => b[0]!.ts - a[0]!.ts)
      .slice(0, 5)
      .map((list) => list.map((e) => e.pathname).filter((p, i, all) => i === 0 || all[i - 1] !== p));
    assert.deepEqual(
      res.samples.map((s: { pages: string[] }) => s.pages),
      latest,
    );
    assert.ok(res.journeys.length > 0);
  });

  it('a table shows an hour block as the hours it covers and journeys’ times in the site’s zone to the second (issue 12, B9)', async () => {
    const blocks = await runCli([
      'query',
      ...WEEK,
      '--metrics',
      'pageviews',
      '--dimensions',
      'time:hour_block',
      '--order',
      'time:hour_block:asc',
      '--data',
      dataDir,
    ]);
    assert.equal(blocks.code, 0, blocks.stderr);
    const cells = blocks.stdout
      .trimEnd()
      .split('\n')
      .slice(2)
      .map((l) => l.split(/\s+/)[0]);
    assert.deepEqual(cells, ['0–4', '4–8', '8–12', '12–16', '16–20', '20–24']);

    const journeys = await runCli(['query', ...WEEK, '--journeys', '--steps', '2', '--data', dataDir]);
    assert.equal(journeys.code, 0, journeys.stderr);
    const [, samples] = journeys.stdout.split('latest visits, page by page (times in Europe/Berlin):\n');
    assert.ok(samples, journeys.stdout);
    const views = week.filter((e) => e.name === 'pageview');
    const latestStart = Math.max(
      ...[...new Set(views.map((e) => e.sessionId))].map((id) =>
        Math.min(...views.filter((e) => e.sessionId === id).map((e) => e.ts)),
      ),
    );
    // Berlin is UTC+1 at the end of October 2026 (summer time ended on the 25th).
    const berlin = new Date(latestStart + 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    assert.ok(samples.startsWith(`${berlin}  /`), samples.split('\n')[0]);
    assert.doesNotMatch(samples, /\.\d{3}|Z /);
  });

  it('prints an aligned table by default and formula-safe CSV with --csv', async () => {
    const table = await runCli([
      'query',
      ...WEEK,
      '--metrics',
      'visitors,pageviews',
      '--dimensions',
      'event:page',
      '--limit',
      '3',
      '--data',
      dataDir,
    ]);
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^event:page\s+visitors\s+pageviews$/);
    assert.match(lines[1]!, /^-+\s+-+\s+-+$/);
    assert.equal(lines.length, 5);
    const csv = await runCli([
      'query',
      ...WEEK,
      '--metrics',
      'visitors',
      '--dimensions',
      'event:page',
      '--limit',
      '2',
      '--csv',
      '--data',
      dataDir,
    ]);
    assert.match(csv.stdout, /^event:page,visitors\n\/,\d+\n/);
    // A tracked title starting with = reaches the CSV as text: apostrophe first, quotes doubled.
    const formula = await runCli([
      'query',
      ...WEEK,
      '--metrics',
      'pageviews',
      '--dimensions',
      'event:title',
      '--filter',
      'event:title contains HYPERLINK',
      '--csv',
      '--data',
      dataDir,
    ]);
    assert.equal(formula.code, 0, formula.stderr);
    assert.equal(
      formula.stdout,
      'event:title,pageviews\n"\'=HYPERLINK(""https://evil.example"",""click"")",1\n',
    );
  });

  it('gives the same answers through a running server: its control socket, and its HTTP API with --url and --key', async () => {
    const direct = await json([
      ...WEEK,
      '--metrics',
      'visitors,visits,bounce_rate',
      '--dimensions',
      'visit:source',
    ]);
    const server = await spawnServer(dataDir, ['--admin-key', ADMIN_KEY]);
    try {
      assert.deepEqual(
        await json([...WEEK, '--metrics', 'visitors,visits,bounce_rate', '--dimensions', 'visit:source']),
        direct,
      );
      const viaHttp = await json(
        [...WEEK, '--metrics', 'visitors,visits,bounce_rate', '--dimensions', 'visit:source'],
        ['--url', server.url, '--key', ADMIN_KEY],
      );
      assert.deepEqual(viaHttp.results, direct.results);
      const viaEnv = await runCli(
        [
          'query',
          ...WEEK,
          '--metrics',
          'visitors,visits,bounce_rate',
          '--dimensions',
          'visit:source',
          '--json',
        ],
        { env: { FOOTFALL_URL: server.url, FOOTFALL_KEY: ADMIN_KEY, FOOTFALL_DATA: '/nonexistent' } },
      );
      assert.equal(viaEnv.code, 0, viaEnv.stderr);
      assert.deepEqual(JSON.parse(viaEnv.stdout).results, direct.results);
      const wrongKey = await runCli(['query', ...WEEK, '--url', server.url, '--key', 'nope']);
      assert.equal(wrongKey.code, 2);
      assert.match(wrongKey.stderr, /footfall: sign in, or send an API key/);
    } finally {
      server.proc.kill('SIGTERM');
      await server.exited;
    }
  });

  it('--realtime: the visitors of the last 5 minutes (none here: the generated traffic is older)', async () => {
    assert.deepEqual(await json(['--site', 'example.com', '--realtime']), {
      visitors: 0,
      pages: [],
      sources: [],
    });
    const text = await runCli(['query', '--site', 'example.com', '--realtime', '--data', dataDir]);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout, '0 current visitors\n');
  });

  it('bad flags: a clear one-line error and exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['query', '--data', dataDir], /--site: name the site/],
      [
        ['query', ...WEEK, '--metrics', 'visits,nope', '--data', dataDir],
        /metrics\[1\]: unknown metric "nope"/,
      ],
      [
        ['query', ...WEEK, '--filter', 'visit:country equals DE', '--data', dataDir],
        /--filter: "visit:country equals DE" is not/,
      ],
      [['query', ...WEEK, '--order', 'visitors', '--data', dataDir], /--order/],
      [['query', ...WEEK, '--limit', 'ten', '--data', dataDir], /--limit: "ten" is not a whole number/],
      [['query', '--site', 'nope.example', '--data', dataDir], /no site with this domain: nope.example/],
      [['query', '--file', '/nonexistent.json', '--data', dataDir], /cannot read \/nonexistent.json/],
      [['query', ...WEEK, '--url', 'http://127.0.0.1:9'], /--url needs --key/],
    ];
    for (const [args, message] of cases) {
      const res = await runCli(args);
      assert.equal(res.code, 2, `${args.join(' ')}: ${res.stderr}`);
      assert.match(res.stderr, message);
      assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
    }
    const help = await runCli(['query', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--filter <filter>/);
  });
});
