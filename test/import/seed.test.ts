// `footfall import seed`: a database with the seed's exact schema (written here with sql.js,
// the rows generated from a known plan) is imported, and the seed's questions are answered
// from Footfall as the plan says they must be: page views, visitors, visits, top titles,
// 4-hour blocks in the seed server's zone, browsers, sources and UTM — bots and other sites'
// rows left out, bad rows counted, a second import refused, an interrupted one resumed.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import initSqlJs from 'sql.js';
import { openGeo } from '../../src/enrich/geo.js';
import { localTarget } from '../../src/import/import-target.js';
import { SeedDb } from '../../src/import/seed-db.js';
import { importSeed } from '../../src/import/seed-import.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import { askStats, type Results } from '../helpers/ask-stats.js';
import { removeDir, runCli, tempDir } from '../helpers/server.js';

// peewee's DDL for the seed's model (CharField → VARCHAR(255), JSONField → JSON).
const SCHEMA = `CREATE TABLE "pageview" ("id" INTEGER NOT NULL PRIMARY KEY, "domain" VARCHAR(255) NOT NULL,
  "url" TEXT NOT NULL, "timestamp" DATETIME NOT NULL, "title" TEXT NOT NULL, "ip" VARCHAR(255) NOT NULL,
  "referrer" TEXT NOT NULL, "headers" JSON NOT NULL, "params" JSON NOT NULL);
  CREATE INDEX "pageview_timestamp" ON "pageview" ("timestamp");`;

const UAS = {
  Chrome:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  Firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  Safari:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
} as const;
const BOT_UA = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const PAGES = [
  ['/', 'Home'],
  ['/blog/hello', 'Hello, world'],
  ['/about', 'About us'],
  ['/pricing', 'Pricing'],
] as const;
const REFERRERS = ['', 'https://www.google.com/', 'https://news.ycombinator.com/item?id=1'];

/** A tiny deterministic PRNG, so the plan is the same on every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

interface Row {
  domain: string;
  url: string;
  timestamp: string;
  title: string;
  ip: string;
  referrer: string;
  headers: string;
  params: string;
}

interface Plan {
  rows: Row[];
  pageviews: number;
  visitors: number;
  visits: number;
  titles: Map<string, number>;
  blocks: Map<number, number>;
  browsers: Map<string, Set<string>>;
  utm: Map<string, number>;
  google: number;
  bots: number;
  other: number;
  bad: number;
  /** The earliest page view of the site, as the seed stored it. */
  first: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Seven June days; 30 people (IP + browser), each visiting on some days in visits of 1–4
 * pages two minutes apart, visits of a day at least two hours apart, all between 08:00 and
 * 21:59 local (Berlin, UTC+2), so no visit crosses a UTC midnight (where the daily salt
 * changes). Plus bots, another site's rows and rows that cannot be imported.
 */
function plan(): Plan {
  const rnd = random(7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const p: Plan = {
    rows: [],
    pageviews: 0,
    visitors: 0,
    visits: 0,
    titles: new Map(),
    blocks: new Map(),
    browsers: new Map(),
    utm: new Map(),
    google: 0,
    bots: 0,
    other: 0,
    bad: 0,
    first: '9999',
  };
  const browsers = Object.keys(UAS) as (keyof typeof UAS)[];
  const people = Array.from({ length: 30 }, (_, i) => ({
    ip: `203.0.113.${i + 1}`,
    browser: browsers[i % 3]!,
  }));
  const add = (row: Row) => p.rows.push(row);
  for (let day = 1; day <= 7; day++) {
    const date = `2026-06-${pad(day)}`;
    for (const person of people) {
      if (rnd() < 0.4) continue;
      p.visitors++;
      let hour = 8 + Math.floor(rnd() * 3);
      const visits = 1 + Math.floor(rnd() * 3);
      for (let v = 0; v < visits && hour <= 21; v++) {
        p.visits++;
        const referrer = pick(REFERRERS);
        const campaign = rnd() < 0.3 ? 'newsletter' : '';
        if (referrer.includes('google')) p.google++;
        if (campaign) p.utm.set(campaign, (p.utm.get(campaign) ?? 0) + 1);
        const minute = Math.floor(rnd() * 40);
        const pages = 1 + Math.floor(rnd() * 4);
        for (let n = 0; n < pages; n++) {
          const [url, title] = pick(PAGES);
          p.pageviews++;
          p.titles.set(title, (p.titles.get(title) ?? 0) + 1);
          p.blocks.set(Math.floor(hour / 4) * 4, (p.blocks.get(Math.floor(hour / 4) * 4) ?? 0) + 1);
          const seen = p.browsers.get(person.browser) ?? new Set<string>();
          seen.add(`${date}|${person.ip}`);
          p.browsers.set(person.browser, seen);
          const timestamp = `${date} ${pad(hour)}:${pad(minute + 2 * n)}:${pad(Math.floor(rnd() * 60))}.${String(Math.floor(rnd() * 1e6)).padStart(6, '0')}`;
          if (timestamp < p.first) p.first = timestamp;
          add({
            domain: day % 2 === 0 ? 'www.example.com' : 'example.com',
            url,
            timestamp,
            title,
            // The seed stored X-Forwarded-For as sent: the client first, then proxies.
            ip: rnd() < 0.2 ? `${person.ip}, 10.0.0.1` : person.ip,
            referrer: n === 0 ? referrer : 'https://example.com/',
            headers: JSON.stringify({ Host: 'analytics.example.com', 'User-Agent': UAS[person.browser] }),
            params: JSON.stringify(
              n === 0 && campaign ? { utm_campaign: campaign, utm_medium: 'email' } : {},
            ),
          });
        }
        hour += 2 + Math.floor(rnd() * 3);
      }
    }
    for (let b = 0; b < 5; b++) {
      p.bots++;
      add({
        domain: 'example.com',
        url: '/',
        timestamp: `${date} 03:0${b}:00`,
        title: 'Home',
        ip: '66.249.66.1',
        referrer: '',
        headers: JSON.stringify({ 'User-Agent': BOT_UA }),
        params: '{}',
      });
    }
    p.other++;
    add({ ...p.rows[0]!, domain: 'other.org', timestamp: `${date} 12:00:00` });
  }
  const bad: Partial<Row>[] = [
    { timestamp: 'yesterday' },
    { timestamp: '1985-03-01 10:00:00' },
    { timestamp: '2099-01-01 10:00:00' },
    { headers: '{not json' },
    { params: '[1,2]' },
    { url: '/\u0000' },
  ];
  for (const b of bad) {
    p.bad++;
    add({ ...p.rows[0]!, ...b });
  }
  return p;
}

async function writeSeedDb(file: string, rows: Row[]): Promise<void> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run(SCHEMA);
  const insert = db.prepare(
    'INSERT INTO pageview (domain, url, timestamp, title, ip, referrer, headers, params) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const r of rows)
    insert.run([r.domain, r.url, r.timestamp, r.title, r.ip, r.referrer, r.headers, r.params]);
  insert.free();
  writeFileSync(file, db.export());
  db.close();
}

const ask = (dataDir: string, queries: Record<string, unknown>[]) =>
  askStats(dataDir, { site_id: 'example.com', date_range: ['2026-06-01', '2026-06-07'] }, queries);

const asMap = (rows: Results) => new Map(rows.map((r) => [r.dimensions[0]!, r.metrics[0]!]));

describe('footfall import seed', () => {
  let dir: string;
  let dataDir: string;
  let file: string;
  const p = plan();
  const pageviews = async (dir = dataDir) =>
    (await ask(dir, [{ metrics: ['pageviews'] }]))[0]![0]!.metrics[0];

  before(async () => {
    dir = tempDir();
    dataDir = path.join(dir, 'data');
    file = path.join(dir, 'analytics.db');
    await writeSeedDb(file, p.rows);
    const added = await runCli([
      'site',
      'add',
      'example.com',
      '--timezone',
      'Europe/Berlin',
      '--data',
      dataDir,
    ]);
    assert.equal(added.code, 0, added.stderr);
  });
  after(() => removeDir(dir));

  it('imports every page view of the site, leaves out bots, other sites and bad rows, and says so', async () => {
    const out = await runCli(['import', 'seed', file, '--site', 'example.com', '--data', dataDir]);
    assert.equal(out.code, 0, out.stderr);
    assert.match(
      out.stdout,
      new RegExp(`imported ${p.pageviews} page views into example.com from ${p.rows.length} rows`),
    );
    assert.match(out.stdout, new RegExp(`left out as tracking would: ${p.bots} bot\\b`));
    assert.match(out.stdout, new RegExp(`skipped: .*\\b${p.other} other site`));
    assert.match(out.stdout, /2 out of range/);
    assert.match(out.stdout, /1 bad timestamp/);
    assert.match(out.stdout, /2 bad json/);
    assert.match(out.stdout, /1 bad url/);
    assert.equal(p.bad, 6);
    const [top] = await ask(dataDir, [{ metrics: ['pageviews', 'visitors', 'visits'] }]);
    assert.deepEqual(top![0]!.metrics, [p.pageviews, p.visitors, p.visits]);
  });

  it('answers the seed questions: titles, 4-hour blocks in the seed server zone, browsers', async () => {
    const [titles, blocks, browsers] = await ask(dataDir, [
      { metrics: ['pageviews'], dimensions: ['event:title'] },
      { metrics: ['pageviews'], dimensions: ['time:hour_block'] },
      { metrics: ['visitors'], dimensions: ['visit:browser'] },
    ]);
    assert.deepEqual(asMap(titles!), p.titles);
    assert.deepEqual(new Map([...asMap(blocks!)].map(([k, v]) => [Number(k), v])), p.blocks);
    assert.deepEqual(asMap(browsers!), new Map([...p.browsers].map(([b, seen]) => [b, seen.size])));
  });

  it('reads the source from the referrer and UTM tags from the stored query', async () => {
    const [sources, campaigns] = await ask(dataDir, [
      { metrics: ['visits'], dimensions: ['visit:source'] },
      { metrics: ['visits'], dimensions: ['visit:utm_campaign'] },
    ]);
    assert.equal(asMap(sources!).get('Google'), p.google);
    assert.equal(asMap(campaigns!).get('newsletter'), p.utm.get('newsletter'));
  });

  it('keeps the times the seed stored: the first page view is at its local time', async () => {
    const [hours] = await ask(dataDir, [
      { metrics: ['pageviews'], dimensions: ['time:hour'], order_by: [['time:hour', 'asc']] },
    ]);
    assert.equal(hours![0]!.dimensions[0], `${p.first.slice(0, 13)}:00:00`);
  });

  it('refuses the same file twice unless --again, and nothing is added', async () => {
    const out = await runCli(['import', 'seed', file, '--site', 'example.com', '--data', dataDir]);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /was imported into example\.com already .* add --again/);
    assert.equal(await pageviews(), p.pageviews);
  });

  it('bad files and settings get one line naming the fix, and store nothing', async () => {
    const notSqlite = path.join(dir, 'notes.txt');
    writeFileSync(notSqlite, 'hello');
    const otherSchema = path.join(dir, 'other.db');
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run('CREATE TABLE visits (id INTEGER)');
    writeFileSync(otherSchema, db.export());
    db.close();
    const truncated = path.join(dir, 'truncated.db');
    const { readFileSync } = await import('node:fs');
    writeFileSync(truncated, readFileSync(file).subarray(0, 5000));
    const cases: [string[], RegExp][] = [
      [[path.join(dir, 'missing.db'), '--site', 'example.com'], /does not exist: give the path/],
      [[notSqlite, '--site', 'example.com'], /is not an SQLite database/],
      [[otherSchema, '--site', 'example.com'], /has no pageview table: it is not the seed's database/],
      [[truncated, '--site', 'example.com'], /truncated|cannot be read|malformed|pageview/],
      [
        [file, '--site', 'nosuch.example'],
        /no site nosuch\.example: add it first with `footfall site add nosuch\.example`/,
      ],
      [[file, '--site', 'example.com', '--timezone', 'Mars/Base'], /time ?zone/i],
    ];
    // Side by side: only the unknown site gets as far as opening the data directory.
    const outs = await Promise.all(
      cases.map(([args]) => runCli(['import', 'seed', ...args, '--data', dataDir])),
    );
    cases.forEach(([args, message], i) => {
      const out = outs[i]!;
      assert.equal(out.code, 2, `${args.join(' ')}: ${out.stderr}`);
      assert.match(out.stderr, message);
      assert.equal(out.stderr.trim().split('\n').length, 1, out.stderr);
    });
    assert.equal(await pageviews(), p.pageviews);
  });

  it('--strict stops at the first bad row before storing anything', async () => {
    const strictData = path.join(dir, 'strict');
    assert.equal((await runCli(['site', 'add', 'example.com', '--data', strictData])).code, 0);
    const out = await runCli([
      'import',
      'seed',
      file,
      '--site',
      'example.com',
      '--strict',
      '--data',
      strictData,
    ]);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /: row id \d+ cannot be imported \(.+\); nothing was stored/);
    assert.equal(await pageviews(strictData), 0);
  });

  it('an interrupted import records how far it got, and the same command resumes without doubling', async () => {
    const resumeData = path.join(dir, 'resume');
    assert.equal(
      (await runCli(['site', 'add', 'example.com', '--timezone', 'Europe/Berlin', '--data', resumeData]))
        .code,
      0,
    );
    // Ctrl-C arrives while the second day's bots are read: in this process, the same signal.
    const stop = new AbortController();
    let bots = 0;
    const store = await openDuckDbStore(resumeData);
    const geo = await openGeo();
    const db = await SeedDb.open(file);
    let first: Awaited<ReturnType<typeof importSeed>>;
    try {
      first = await importSeed(localTarget(store, resumeData), {
        db,
        site: 'example.com',
        dataDir: resumeData,
        geo,
        signal: stop.signal,
        onSkip: (_id, reason) => {
          if (reason === 'bot' && ++bots === 7) stop.abort();
        },
      });
    } finally {
      db.close();
      await geo.close();
      await store.close();
    }
    assert.equal(first.interrupted, true);
    assert.ok(first.rows > 0 && first.rows < p.rows.length, `stopped after ${first.rows} rows`);
    const part = await pageviews(resumeData);
    assert.ok(part! > 0 && part! < p.pageviews, `${part} of ${p.pageviews} page views before the re-run`);

    const out = await runCli(['import', 'seed', file, '--site', 'example.com', '--data', resumeData]);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, new RegExp(`\\(resumed after row ${first.rows}\\)`));
    assert.equal(await pageviews(resumeData), p.pageviews);

    // Finished now: --again is the one way to add the same file twice.
    const again = await runCli([
      'import',
      'seed',
      file,
      '--site',
      'example.com',
      '--again',
      '--data',
      resumeData,
    ]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(await pageviews(resumeData), 2 * p.pageviews);
  });

  it('an import far ahead of the loader waits for it instead of being refused (queue full)', async () => {
    const small = path.join(dir, 'small-batches');
    assert.equal(
      (await runCli(['site', 'add', 'example.com', '--timezone', 'Europe/Berlin', '--data', small])).code,
      0,
    );
    const store = await openDuckDbStore(small);
    const geo = await openGeo();
    const db = await SeedDb.open(file);
    try {
      // Batches of 2 bound the journal at 12 events' worth (96 KB): the 600 page views
      // (~240 KB of journal) get through only if the import waits for loads.
      // Through the journal, as streams and ClickHouse imports go: without openBulk.
      const summary = await importSeed(
        { ...localTarget(store, small), openBulk: undefined },
        {
          db,
          site: 'example.com',
          dataDir: small,
          geo,
          batch: 2,
        },
      );
      assert.equal(summary.imported, p.pageviews);
    } finally {
      db.close();
      await geo.close();
      await store.close();
    }
    assert.equal(await pageviews(small), p.pageviews);
  });
});
