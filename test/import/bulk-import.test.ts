// Imports of files bulk-load their batches without the journal (store/duckdb/bulk-import.ts):
// each batch and the import's record are one transaction, so an import stopped at any point —
// here a failure injected between a batch's events and its record — leaves whole batches,
// each recorded, and the re-run imports every page view exactly once with the visits table
// in step with the events. The caches the import adds (bot verdicts per user agent, visitor
// ids per salt, nginx times read by position) give the answers of what they stand for.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cachedBotCheck, isBotRequest } from '../../src/enrich/bots.js';
import { openGeo } from '../../src/enrich/geo.js';
import { cachedVisitorIds, visitorId } from '../../src/enrich/visitor-id.js';
import { localTarget } from '../../src/import/import-target.js';
import { parseTimeLocal } from '../../src/import/log-format.js';
import { importLogs } from '../../src/import/logs-import.js';
import type { ImportSummary } from '../../src/import/run-import.js';
import { encodeRow } from '../../src/ingest/row-codec.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import { sampleRow } from '../helpers/sample-row.js';
import { removeDir, seedSites, tempDir } from '../helpers/server.js';

const HELPERS = path.join(import.meta.dirname, '../helpers');
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const BOT = 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)';

/**
 * 40 lines, a minute apart, of 5 visitors taking turns: every fourth line an image, every
 * seventh a bot. Page views are counted here, per line, so any prefix's count is known.
 */
function accessLog(): { text: string; pageviewsIn: (lines: number) => number } {
  const lines: string[] = [];
  const page: boolean[] = [];
  for (let i = 0; i < 40; i++) {
    const minute = String(i % 60).padStart(2, '0');
    const asset = i % 4 === 3;
    const bot = i % 7 === 6;
    const target = asset ? '/logo.png' : `/p${i % 6}`;
    lines.push(
      `10.0.0.${i % 5} - - [02/Jun/2026:10:${minute}:00 +0000] "GET ${target} HTTP/1.1" 200 512 "-" "${bot ? BOT : CHROME}"`,
    );
    page.push(!asset && !bot);
  }
  return {
    text: `${lines.join('\n')}\n`,
    pageviewsIn: (n) => page.slice(0, n).filter(Boolean).length,
  };
}

interface Counts {
  pageviews: number;
  sessions: number;
  visits: number;
  visitPageviews: number;
  done: number | undefined;
}

/** What the store holds: events, the visits table beside them, and the import's record. */
async function counts(data: string): Promise<Counts> {
  const store = await openDuckDbStore(data);
  try {
    const [e] = await store.runQuery(
      "SELECT count(*) FILTER (WHERE name = 'pageview') AS pv, count(DISTINCT session_id) AS s FROM events",
      [],
      { timeoutMs: 10_000 },
    );
    const [v] = await store.runQuery(
      'SELECT count(*) AS n, coalesce(sum(pageviews), 0) AS pv FROM visits',
      [],
      { timeoutMs: 10_000 },
    );
    const [p] = await store.queryRows('SELECT done FROM import_progress');
    return {
      pageviews: Number(e!.pv),
      sessions: Number(e!.s),
      visits: Number(v!.n),
      visitPageviews: Number(v!.pv),
      done: p ? Number(p.done) : undefined,
    };
  } finally {
    await store.close();
  }
}

describe('bulk imports of files', () => {
  let dir: string;
  let log: string;
  let plan: ReturnType<typeof accessLog>;

  before(() => {
    dir = tempDir('footfall-bulk-import-');
    plan = accessLog();
    log = path.join(dir, 'access.log');
    writeFileSync(log, plan.text);
  });
  after(() => removeDir(dir));

  async function importInto(
    data: string,
    beforeRecord?: (done: number) => void,
    journal = false,
    bounds: { batch: number; batchRows?: number } = { batch: 6 },
  ): Promise<ImportSummary> {
    const store = await openDuckDbStore(data);
    const geo = await openGeo({});
    // Through the journal, as a stream or a ClickHouse import goes: without openBulk.
    const target = journal ? { ...localTarget(store, data), openBulk: undefined } : localTarget(store, data);
    try {
      return await importLogs(target, {
        file: log,
        format: 'combined',
        site: 'example.com',
        dataDir: data,
        geo,
        ...bounds,
        beforeRecord,
        now: () => Date.UTC(2026, 6, 1),
      });
    } finally {
      await geo.close();
      await store.close();
    }
  }

  it('a batch that fails between its events and its record leaves nothing of it; the re-run imports each page view once', async () => {
    const data = path.join(dir, 'failed');
    await seedSites(data, ['example.com']);
    await assert.rejects(
      importInto(data, (done) => {
        if (done === 18) throw new Error('killed between the batch and its record');
      }),
      /killed between the batch and its record/,
    );
    // Batches of 6 lines: two committed with their records, the third rolled back whole.
    const part = await counts(data);
    assert.equal(part.done, 12);
    assert.equal(part.pageviews, plan.pageviewsIn(12));
    assert.equal(part.visitPageviews, part.pageviews, 'the visits table holds the same page views');

    const rerun = await importInto(data);
    assert.equal(rerun.resumed, 12);
    const all = await counts(data);
    assert.equal(all.done, 40);
    assert.equal(all.pageviews, plan.pageviewsIn(40));
    assert.equal(all.visits, all.sessions, 'one row of the visits table per visit of the events');
    assert.equal(all.visitPageviews, all.pageviews);
  });

  it('kill -9 in the middle of a batch: the store holds the batches before it, each recorded; the re-run completes the import', async () => {
    const data = path.join(dir, 'killed');
    await seedSites(data, ['example.com']);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(HELPERS, 'bulk-import-child.ts'), log, data, '6', '24'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        // Inside the fourth batch's transaction: its events are inserted, its record is not.
        if (out.includes('in batch 24')) child.kill('SIGKILL');
      });
      child.on('exit', (_code, signal) =>
        signal === 'SIGKILL' ? resolve() : reject(new Error(`the import ended before the kill: ${out}`)),
      );
    });
    const part = await counts(data);
    assert.equal(part.done, 18);
    assert.equal(part.pageviews, plan.pageviewsIn(18));
    assert.equal(part.visitPageviews, part.pageviews);

    const rerun = await importInto(data);
    assert.equal(rerun.resumed, 18);
    const all = await counts(data);
    assert.equal(all.pageviews, plan.pageviewsIn(40));
    assert.equal(all.visits, all.sessions);
    assert.equal(all.visitPageviews, all.pageviews);
    // The killed batch's scratch file went with the re-run.
    assert.deepEqual(
      readdirSync(data).filter((f) => f.endsWith('.ndjson')),
      [],
    );
  });

  it('a batch also closes when it holds its bound of events: each recorded batch but the last holds exactly that many page views', async () => {
    const data = path.join(dir, 'rows-bound');
    await seedSites(data, ['example.com']);
    const recorded: number[] = [];
    await importInto(data, (done) => recorded.push(done), false, { batch: 1000, batchRows: 4 });
    const total = plan.pageviewsIn(40);
    assert.ok(recorded.length >= 3, `batches recorded at ${recorded.join(', ')}`);
    for (const [k, done] of recorded.slice(0, -1).entries())
      assert.equal(plan.pageviewsIn(done), 4 * (k + 1), `batch ${k + 1}`);
    assert.equal(recorded.at(-1), 40);
    const all = await counts(data);
    assert.equal(all.pageviews, total);
    assert.equal(all.visitPageviews, total);
  });

  it("by default a batch closes at 20,000 events, or at 200,000 lines when they hold fewer (the README's bounds)", async () => {
    const data = path.join(dir, 'default-bounds');
    await seedSites(data, ['example.com']);
    // 20,500 page views, then assets up to 200,500 lines.
    const line = (i: number, target: string) =>
      `10.1.${Math.floor(i / 250) % 250}.${i % 250} - - [02/Jun/2026:10:00:00 +0000] "GET ${target} HTTP/1.1" 200 512 "-" "${CHROME}"`;
    const lines = Array.from({ length: 200_500 }, (_, i) =>
      line(i, i < 20_500 ? `/p${i % 50}` : '/logo.png'),
    );
    const file = path.join(dir, 'bounds.log');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const recorded: number[] = [];
    const store = await openDuckDbStore(data);
    const geo = await openGeo({});
    try {
      const summary = await importLogs(localTarget(store, data), {
        file,
        format: 'combined',
        site: 'example.com',
        dataDir: data,
        geo,
        beforeRecord: (done) => recorded.push(done),
        now: () => Date.UTC(2026, 6, 1),
      });
      assert.equal(summary.imported, 20_500);
    } finally {
      await geo.close();
      await store.close();
    }
    assert.deepEqual(recorded, [20_000, 200_000, 200_500]);
  });

  it('an import lets the write-ahead log grow to 1 GB between checkpoints and runs DuckDB on one thread, and puts both back when finished', async () => {
    const data = path.join(dir, 'checkpoints');
    await seedSites(data, ['example.com']);
    const store = await openDuckDbStore(data);
    try {
      const settings = async () => {
        const [row] = await store.queryRows(
          "SELECT current_setting('checkpoint_threshold') AS wal, current_setting('threads') AS threads",
        );
        return { wal: String(row!.wal), threads: Number(row!.threads) };
      };
      const before = await settings();
      assert.ok(before.threads > 1, `the machine's threads: ${before.threads}`);
      const progress = {
        kind: 'logs',
        sha256: 'x',
        site: 'example.com',
        done: 1,
        finished: false,
        updatedAt: '',
      };
      await store.bulkImport!.importBatch(undefined, progress);
      const during = await settings();
      assert.match(during.wal, /^(1\.0 ?GiB|1GB|1000\.0 ?MiB|953\.6 ?MiB)$/);
      assert.equal(during.threads, 1);
      await store.bulkImport!.importBatch(undefined, { ...progress, done: 2, finished: true });
      assert.deepEqual(await settings(), before);
    } finally {
      await store.close();
    }
  });

  it("the store's record wins over imports.json, which a kill can leave a batch behind", async () => {
    const data = path.join(dir, 'behind');
    await seedSites(data, ['example.com']);
    await assert.rejects(
      importInto(data, (done) => {
        if (done === 24) throw new Error('stop');
      }),
      /stop/,
    );
    assert.equal((await counts(data)).done, 18);
    // As if killed after the third batch committed and before imports.json was written.
    const file = path.join(data, 'imports.json');
    const records = JSON.parse(readFileSync(file, 'utf8')) as { done: number }[];
    writeFileSync(file, JSON.stringify(records.map((r) => ({ ...r, done: 12 }))));

    const rerun = await importInto(data);
    assert.equal(rerun.resumed, 18);
    assert.equal((await counts(data)).pageviews, plan.pageviewsIn(40));
    // Finished, by the store's record: the same file is refused the second time.
    await assert.rejects(importInto(data), /was imported into example\.com already/);
  });

  it('a finished record in imports.json (an import sent to a running server) wins over an unfinished one in the store', async () => {
    const data = path.join(dir, 'finished-elsewhere');
    await seedSites(data, ['example.com']);
    await assert.rejects(
      importInto(data, (done) => {
        if (done === 18) throw new Error('stop');
      }),
      /stop/,
    );
    assert.equal((await counts(data)).done, 12);
    const file = path.join(data, 'imports.json');
    const records = JSON.parse(readFileSync(file, 'utf8')) as { done: number }[];
    writeFileSync(file, JSON.stringify(records.map((r) => ({ ...r, done: 40, finished: true }))));
    await assert.rejects(importInto(data), /was imported into example\.com already \(40 rows/);
    assert.equal((await counts(data)).pageviews, plan.pageviewsIn(12));
  });

  for (const via of ['bulk', 'journal'] as const) {
    it(`${via}: events a stopped server left in the journal are stored first, and no imported visit takes their session id`, async () => {
      const data = path.join(dir, `leftovers-${via}`);
      await seedSites(data, ['example.com']);
      const journal = path.join(data, 'journal');
      mkdirSync(journal, { recursive: true });
      const left = { ...sampleRow(1), pathname: '/left-behind', sessionId: 1n };
      writeFileSync(path.join(journal, '000000000001.ndjson'), `${encodeRow(left)}\n`);
      await importInto(data, undefined, via === 'journal');
      const store = await openDuckDbStore(data);
      try {
        const rows = await store.runQuery(
          'SELECT pathname FROM events WHERE session_id = 1 ORDER BY pathname',
          [],
          { timeoutMs: 10_000 },
        );
        assert.deepEqual(
          rows.map((r) => r.pathname),
          ['/left-behind'],
        );
      } finally {
        await store.close();
      }
      assert.equal((await counts(data)).pageviews, plan.pageviewsIn(40) + 1);
    });
  }

  it('the bot check cached per user agent gives the verdicts of the check itself', () => {
    const agents = [
      CHROME,
      BOT,
      '',
      '   ',
      'curl/8.4.0',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 jsdom/24.0.0',
    ];
    // A cache of 3 on 8 agents, each asked twice in a row, three rounds: verdicts come from
    // the check, from hits and after evictions.
    const cached = cachedBotCheck(isBotRequest, 3);
    for (let round = 0; round < 3; round++) {
      for (const ua of agents) {
        for (let ask = 0; ask < 2; ask++) assert.equal(cached(ua), isBotRequest(ua), JSON.stringify(ua));
      }
    }
  });

  it('visitor ids cached per salt are the ids themselves, across days and back to yesterday', () => {
    const salts = [randomBytes(32), randomBytes(32), randomBytes(32)];
    const cached = cachedVisitorIds(8);
    // Today's and yesterday's salt alternate (the first 30 minutes of a day), then a new day.
    const order = [0, 0, 1, 0, 1, 1, 2, 1, 2, 0];
    for (const s of order) {
      for (let ip = 0; ip < 6; ip++) {
        // Two agents, two sites: each part of the key keeps its own id.
        for (const [site, ua] of [
          [1, CHROME],
          [1, BOT],
          [2, CHROME],
        ] as const) {
          const args = [salts[s]!, site, `10.0.0.${ip}`, ua] as const;
          assert.equal(cached(...args), visitorId(...args));
        }
      }
    }
  });

  it('nginx times read by position are the times the pattern reads', () => {
    const cases = [
      '10/Oct/2000:13:55:36 -0700',
      '02/Jun/2026:00:00:00 +0000',
      '31/Dec/2026:23:59:59 +0530',
      '29/Feb/2024:12:00:00 -1200',
      '10/Oct/2000:13:55:36.123 -0700',
      '1O/Oct/2000:13:55:36 -0700',
      '10/Oct/2000:13:55:36 *0700',
      '10/Okt/2000:13:55:36 -0700',
      '10/Oct/2000 13:55:36 -0700',
    ];
    const expected = [
      Date.UTC(2000, 9, 10, 20, 55, 36),
      Date.UTC(2026, 5, 2),
      Date.UTC(2026, 11, 31, 18, 29, 59),
      Date.UTC(2024, 1, 30, 0, 0, 0),
      Date.UTC(2000, 9, 10, 20, 55, 36),
      Number.NaN,
      Number.NaN,
      Number.NaN,
      Number.NaN,
    ];
    assert.deepEqual(cases.map(parseTimeLocal), expected);
    // The last text's time is kept: each text twice in a row (a page and its assets) reads the same.
    assert.deepEqual(
      cases.flatMap((c) => [c, c]).map(parseTimeLocal),
      expected.flatMap((t) => [t, t]),
    );
  });
});
