// `footfall migrate events --to <clickhouse-url>`: a data directory's events copied into
// ClickHouse (chdb) with the counts per site and day checked; stopped half-way and run again,
// it completes without doubling anything; the DuckDB file is not changed by a byte.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encodeRow } from '../../src/ingest/row-codec.js';
import { addSite } from '../../src/sites/manage.js';
import { openClickHouseClient } from '../../src/store/clickhouse/client.js';
import { migrateEvents } from '../../src/store/clickhouse/migrate-events.js';
import { migrate } from '../../src/store/clickhouse/schema.js';
import { parseClickHouseUrl } from '../../src/store/clickhouse/url.js';
import { DB_FILE, openDuckDbStore } from '../../src/store/duckdb/open.js';
import { sampleRow } from '../helpers/sample-row.js';
import { removeDir, runCli, startTestServer, tempDir } from '../helpers/server.js';
import { CHDB_SKIP } from './chdb.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-10-01T00:00:00Z');

/** 3 days × 2 sites of unequal size; returns the events per site and day. */
async function seed(dataDir: string): Promise<Map<string, number>> {
  const store = await openDuckDbStore(dataDir);
  const a = await addSite(store, { domain: 'a.example' });
  const b = await addSite(store, { domain: 'b.example' });
  const expected = new Map<string, number>();
  let text = '';
  for (let i = 0; i < 600; i++) {
    const site = i % 3 === 0 ? b.id : a.id;
    // 200 events a day; every other one in the day's last second, so day boundaries count.
    const ts = T0 + Math.floor(i / 200) * DAY + (i % 2 ? DAY - 1000 : 0) + (i % 200);
    text += `${encodeRow({ ...sampleRow(i), siteId: site, ts })}\n`;
  }
  const file = path.join(dataDir, 'seed.ndjson');
  writeFileSync(file, text);
  await store.loadEvents(file, { segment: 0, offset: Buffer.byteLength(text) });
  const rows = await store.queryRows(
    "SELECT site_id, strftime(ts, '%Y-%m-%d') AS day, count(*) AS n FROM events GROUP BY ALL",
  );
  for (const r of rows) expected.set(`${r.site_id} ${r.day}`, Number(r.n));
  await store.close();
  return expected;
}

const fileHash = (dataDir: string) =>
  createHash('sha256')
    .update(readFileSync(path.join(dataDir, DB_FILE)))
    .digest('hex');

describe('footfall migrate events (chdb)', { skip: CHDB_SKIP }, () => {
  let dataDir: string;
  let expected: Map<string, number>;
  let hashBefore: string;
  before(async () => {
    dataDir = tempDir();
    expected = await seed(dataDir);
    hashBefore = fileHash(dataDir);
  });
  after(() => removeDir(dataDir));

  it('stopped after two site-days and run again: every event once, counts verified, DuckDB untouched', async () => {
    assert.ok(expected.size >= 6, `${expected.size} site-days`);
    const client = await openClickHouseClient(parseClickHouseUrl(`chdb:${path.join(dataDir, 'ch-a')}`));
    try {
      await migrate(client);
      await assert.rejects(
        migrateEvents(dataDir, client, {
          afterChunk: (i) => {
            if (i === 2) throw new Error('interrupted');
          },
        }),
        /interrupted/,
      );
      const result = await migrateEvents(dataDir, client);
      assert.deepEqual(result.mismatches, []);
      assert.equal(result.skipped, 2, 'the two site-days copied before the stop are not copied again');
      assert.equal(result.copied, expected.size - 2);
      const rows = await (
        await client.query({
          query: 'SELECT site_id, toString(toDate(ts)) AS day, count() AS n FROM events GROUP BY ALL',
          format: 'JSONEachRow',
        })
      ).json<{ site_id: number; day: string; n: string }>();
      assert.deepEqual(
        new Map(rows.map((r) => [`${r.site_id} ${r.day}`, Number(r.n)])),
        expected,
        'the same events per site and day',
      );
      // A third run finds everything there.
      const again = await migrateEvents(dataDir, client);
      assert.equal(again.copied, 0);
    } finally {
      await client.close();
    }
    assert.equal(fileHash(dataDir), hashBefore, 'the DuckDB file is unchanged');
  });

  it('from the command line: a progress bar, then one line saying what was verified', async () => {
    const { code, stdout, stderr } = await runCli([
      'migrate',
      'events',
      '--data',
      dataDir,
      '--to',
      `chdb:${path.join(dataDir, 'ch-b')}`,
    ]);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /\[#+\] 100% \d+\/\d+ site-days, 600 events/);
    assert.match(stdout, /verified: 600 events, the same count per site and day/);
    assert.equal(fileHash(dataDir), hashBefore);
  });

  it('refuses while acknowledged events are still in the journal', async () => {
    const journal = path.join(dataDir, 'journal');
    mkdirSync(journal, { recursive: true });
    const segment = path.join(journal, '000000000007.ndjson');
    writeFileSync(segment, `${encodeRow(sampleRow(1))}\n`);
    const { code, stderr } = await runCli([
      'migrate',
      'events',
      '--data',
      dataDir,
      '--to',
      `chdb:${path.join(dataDir, 'ch-c')}`,
    ]);
    assert.equal(code, 2);
    assert.match(
      stderr,
      /are not in the database yet: start `footfall serve` on this directory once without --clickhouse-url/,
    );
    rmSync(segment);
  });

  it('a server started on ClickHouse says when the DuckDB file still holds events', async () => {
    const server = await startTestServer({
      dataDir,
      flags: { clickhouseUrl: `chdb:${path.join(dataDir, 'ch-a')}` },
    });
    try {
      assert.ok(
        server.logs.some((l) =>
          /^600 events in .*footfall\.duckdb are not in ClickHouse and not counted: stop the server and run `footfall migrate events/.test(
            l,
          ),
        ),
        server.logs.join('\n'),
      );
    } finally {
      await server.close();
    }
  });
});
