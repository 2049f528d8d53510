// The ClickHouse store on ClickHouse's real engine (chdb): schema, idempotent segment loads,
// removed sites, retention (a lightweight DELETE before a site's cut), typed parameters and
// the values runQuery gives back.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encodeRow } from '../../src/ingest/row-codec.js';
import { IngestWriter } from '../../src/ingest/writer.js';
import { ledgered } from '../../src/jobs/ledger.js';
import { retentionJob } from '../../src/jobs/retention.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { parseQuery } from '../../src/query/parse.js';
import { createQueryEngine } from '../../src/query/run-query.js';
import { SiteDirectory } from '../../src/sites/directory.js';
import { addSite } from '../../src/sites/manage.js';
import { MIGRATIONS } from '../../src/store/clickhouse/schema.js';
import { createStore } from '../../src/store/create-store.js';
import { EVENT_COLUMNS } from '../../src/store/event-columns.js';
import type { Store } from '../../src/store/types.js';
import { sampleRow } from '../helpers/sample-row.js';
import { removeDir, tempDir } from '../helpers/server.js';
import { CHDB_SKIP, chdbUrl } from './chdb.js';

const count = async (store: Store, where = '1 = 1', params: (string | number)[] = []) =>
  Number(
    (
      await store.runQuery(`SELECT count() AS n FROM events WHERE ${where}`, params, { timeoutMs: 10_000 })
    )[0]!.n,
  );

describe('ClickHouse store (chdb)', { skip: CHDB_SKIP }, () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = tempDir();
    store = await createStore({ dataDir: dir, clickhouseUrl: chdbUrl(dir) });
    await addSite(store, { domain: 'example.com' });
  });
  after(async () => {
    await store?.close();
    removeDir(dir);
  });

  it('says it is the ClickHouse engine and has every event column', async () => {
    assert.equal(store.engine, 'clickhouse');
    const cols = await store.runQuery(
      'SELECT name FROM system.columns WHERE database = currentDatabase() AND table = {p1:String} ORDER BY position',
      ['events'],
      { timeoutMs: 10_000 },
    );
    assert.deepEqual(
      cols.map((c) => c.name),
      EVENT_COLUMNS.map((c) => c.name),
    );
  });

  it('every field of an event arrives unchanged through the journal', async () => {
    const writer = await IngestWriter.open(store, dir, createMetrics(), {
      maxQueue: 1000,
      loadIntervalMs: 60_000,
    });
    const tricky = {
      ...sampleRow(0),
      title: 'line\nbreak "quoted" \\ 🎉',
      props: [['k"ey', 'v\nal']] as [string, string][],
    };
    await Promise.all([writer.write(tricky), writer.write(sampleRow(1))]);
    await writer.close();
    const rows = await store.runQuery(
      'SELECT *, toUnixTimestamp64Milli(ts) AS ms FROM events WHERE site_id = {p1:UInt32} ORDER BY ts',
      [1],
      { timeoutMs: 10_000 },
    );
    assert.equal(rows.length, 2);
    const [a, b] = rows;
    assert.equal(a!.title, tricky.title);
    assert.deepEqual(a!.props, { 'k"ey': 'v\nal' });
    assert.equal(a!.ms, tricky.ts);
    assert.ok(a!.ts instanceof Date && a!.ts.getTime() === tricky.ts, 'DateTime64 comes back as a Date');
    // Past 2^53 a 64-bit id comes back as an exact bigint; small ones as numbers.
    assert.equal(a!.visitor_id, tricky.visitorId);
    assert.equal(a!.session_id, 42);
    assert.equal(a!.scroll_depth, 80);
    assert.equal(b!.scroll_depth, null);
    assert.equal(b!.engagement_ms, null);
    assert.equal(a!.interactive, true);
    assert.equal(await store.lastSessionId(), 42n);
    assert.deepEqual(await store.loadMark().then((m) => typeof m?.segment), 'number');
  });

  it('loading the same segment twice (a crash before its mark) stores its events once', async () => {
    const file = path.join(dir, 'twice.ndjson');
    const text = [10, 11, 12].map((i) => `${encodeRow({ ...sampleRow(i), pathname: '/twice' })}\n`).join('');
    writeFileSync(file, text);
    const mark = { segment: 900, offset: Buffer.byteLength(text) };
    assert.equal(await store.loadEvents(file, mark), 3);
    await store.loadEvents(file, mark);
    assert.equal(await count(store, 'pathname = {p1:String}', ['/twice']), 3);
    // Another segment with the same number and length but other events is not mistaken for it.
    const other = text.replaceAll('/twice', '/other');
    writeFileSync(file, other);
    await store.loadEvents(file, mark);
    assert.equal(await count(store, 'pathname = {p1:String}', ['/other']), 3);
    // chdb keeps a statement's settings for the next one unless each statement sets its own:
    // a load's token must not carry over (a later insert would be taken for a repeat).
    const [setting] = await store.runQuery("SELECT getSetting('insert_deduplication_token') AS token", [], {
      timeoutMs: 10_000,
    });
    assert.equal(setting!.token, '');
  });

  it('a crash after the insert and before the mark: the restart loads the segment again, nothing doubles', async () => {
    // The state such a crash leaves: the segment's events in ClickHouse, the segment still in
    // the journal, the mark in DuckDB before it.
    const before = await store.loadMark();
    const journal = path.join(dir, 'journal');
    const file = path.join(journal, `${String(800).padStart(12, '0')}.ndjson`);
    const text = [40, 41].map((i) => `${encodeRow({ ...sampleRow(i), pathname: '/crash' })}\n`).join('');
    writeFileSync(file, text);
    await store.loadEvents(file, { segment: 800, offset: Buffer.byteLength(text) });
    await store.queryRows(
      'UPDATE ingest_state SET journal_segment = $1, journal_offset = 0 WHERE id = 1',
      [799],
    );
    const writer = await IngestWriter.open(store, dir, createMetrics(), {
      maxQueue: 1000,
      loadIntervalMs: 60_000,
    });
    await writer.close();
    assert.equal(await count(store, 'pathname = {p1:String}', ['/crash']), 2);
    assert.ok(
      (await store.loadMark())!.segment >= 800,
      `the mark is past the segment (was ${before?.segment})`,
    );
    assert.equal(existsSync(file), false, 'the loaded segment left the journal');
  });

  it('leaves out events of sites that do not exist', async () => {
    const file = path.join(dir, 'orphans.ndjson');
    const text = `${encodeRow({ ...sampleRow(20), siteId: 77 })}\n${encodeRow({ ...sampleRow(21), pathname: '/kept' })}\n`;
    writeFileSync(file, text);
    assert.equal(await store.loadEvents(file, { segment: 901, offset: Buffer.byteLength(text) }), 1);
    assert.equal(await count(store, 'site_id = {p1:UInt32}', [77]), 0);
  });

  it('retention: the nightly job deletes a site’s events before its cut, keeps the rest and the answers about them', async () => {
    // 25 months in Berlin on 30 November 2026 keep from 2024-10-30 00:00 local.
    const NOW = Date.parse('2026-11-30T10:00:00.000Z');
    const CUT = Date.parse('2024-10-29T23:00:00.000Z');
    const kept = await addSite(store, { domain: 'kept.example', timezone: 'Europe/Berlin' });
    const other = await addSite(store, { domain: 'other.example' });
    const lines: string[] = [];
    let session = 7_000_000;
    for (let t = Date.parse('2024-06-01T00:00:00Z'); t < NOW - 86_400_000; t += 12 * 3600_000) {
      for (const siteId of [kept.id, other.id]) {
        session++;
        const base = { ...sampleRow(1), siteId, sessionId: BigInt(session), visitorId: BigInt(session % 50) };
        lines.push(encodeRow({ ...base, ts: t }), encodeRow({ ...base, ts: t + 60_000, pathname: '/two' }));
      }
    }
    const file = path.join(dir, 'history.ndjson');
    const text = `${lines.join('\n')}\n`;
    writeFileSync(file, text);
    await store.loadEvents(file, { segment: 950, offset: Buffer.byteLength(text) });
    const sites = new SiteDirectory(store);
    await sites.refresh();
    const engine = createQueryEngine({
      store,
      site: (d) => sites.lookup(d),
      goals: async () => [],
      now: () => NOW,
    });
    const ask = async () =>
      (
        await engine.query(
          parseQuery({
            site_id: 'kept.example',
            date_range: ['2024-10-30', '2026-11-29'],
            metrics: ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration'],
            dimensions: ['time:month'],
          }),
        )
      ).results;
    const before = 'site_id = {p1:UInt32} AND ts < fromUnixTimestamp64Milli({p2:Int64})';
    const after = 'site_id = {p1:UInt32} AND ts >= fromUnixTimestamp64Milli({p2:Int64})';
    const answers = await ask();
    const keptAfter = await count(store, after, [kept.id, CUT]);
    const otherAll = await count(store, 'site_id = {p1:UInt32}', [other.id]);
    assert.ok((await count(store, before, [kept.id, CUT])) > 100);

    await store.jobs.setRetention('kept.example', 25);
    const logs: string[] = [];
    await ledgered(
      retentionJob(store, (m) => logs.push(m)),
      store.jobs,
      () => NOW,
    ).run(NOW);

    assert.equal(await count(store, before, [kept.id, CUT]), 0);
    assert.equal(await count(store, after, [kept.id, CUT]), keptAfter);
    assert.equal(
      await count(store, 'site_id = {p1:UInt32}', [other.id]),
      otherAll,
      'a site without a limit keeps all',
    );
    const oldest = async (siteId: number) =>
      Number(
        (
          await store.runQuery(
            'SELECT toUnixTimestamp64Milli(min(ts)) AS ms FROM events WHERE site_id = {p1:UInt32}',
            [siteId],
            { timeoutMs: 30_000 },
          )
        )[0]!.ms,
      );
    assert.ok((await oldest(kept.id)) >= CUT);
    assert.equal(await oldest(other.id), Date.parse('2024-06-01T00:00:00Z'));
    assert.match(logs.join('\n'), /deleted \d+ events of kept\.example before 2024-10-29T23:00:00\.000Z/);
    assert.deepEqual(await ask(), answers);
  });

  it('binds p1, p2, … as typed parameters; nothing is pasted into the SQL', async () => {
    const rows = await store.runQuery(
      'SELECT {p1:String} AS s, {p2:Int64} AS n, {p3:Float64} AS f, {p4:Bool} AS b, {p5:Nullable(String)} AS z',
      ["x' OR 1=1 --", 9_007_199_254_740_991, 1.5, true, null],
      { timeoutMs: 10_000 },
    );
    assert.deepEqual(rows, [{ s: "x' OR 1=1 --", n: 9_007_199_254_740_991, f: 1.5, b: true, z: null }]);
  });

  it('a query past its time answers FOOTFALL_ERR_QUERY_TIMEOUT', async () => {
    const started = Date.now();
    await assert.rejects(
      store.runQuery('SELECT count() FROM system.numbers WHERE sipHash64(number) = 0', [], {
        timeoutMs: 300,
      }),
      (err: Error & { code?: string }) => err.code === 'FOOTFALL_ERR_QUERY_TIMEOUT',
    );
    assert.ok(Date.now() - started < 3_000, `answered after ${Date.now() - started} ms`);
  });

  it('removing a site removes its events from ClickHouse', async () => {
    const site = await addSite(store, { domain: 'gone.example' });
    const file = path.join(dir, 'gone.ndjson');
    const text = `${encodeRow({ ...sampleRow(30), siteId: site.id })}\n`;
    writeFileSync(file, text);
    assert.equal(await store.loadEvents(file, { segment: 902, offset: Buffer.byteLength(text) }), 1);
    assert.equal(await store.removeSite('gone.example'), true);
    assert.equal(await count(store, 'site_id = {p1:UInt32}', [site.id]), 0);
    assert.ok((await count(store)) > 0, 'other sites keep their events');
  });

  it('opens again on the same directories with the schema as it was', async () => {
    const before = await count(store);
    await store.close();
    store = await createStore({ dataDir: dir, clickhouseUrl: chdbUrl(dir) });
    assert.equal(await count(store), before);
    const versions = await store.runQuery('SELECT version FROM footfall_schema ORDER BY version', [], {
      timeoutMs: 10_000,
    });
    // Every migration once, none run twice (no version number written here: they are appended).
    assert.deepEqual(
      versions,
      MIGRATIONS.map((_, i) => ({ version: i + 1 })),
    );
  });

  it('stats statements take turns as on DuckDB: past the bounded line one is refused at once', async () => {
    await store.close();
    store = await createStore({
      dataDir: dir,
      clickhouseUrl: chdbUrl(dir),
      queryLimits: { size: 1, perOwner: 1, maxWaiting: 1, perOwnerWaiting: 1 },
    });
    const slow = 'SELECT count() FROM system.numbers WHERE sipHash64(number) = 0';
    const running = store.runQuery(slow, [], { timeoutMs: 1500 }).catch((e: { code?: string }) => e.code);
    const waiting = store.runQuery(slow, [], { timeoutMs: 1500 }).catch((e: { code?: string }) => e.code);
    const started = Date.now();
    await assert.rejects(
      store.runQuery('SELECT 1', [], { timeoutMs: 1500 }),
      (err: Error & { code?: string }) => err.code === 'FOOTFALL_ERR_QUERIES_BUSY',
    );
    assert.ok(Date.now() - started < 500, 'refused at once');
    assert.deepEqual(await Promise.all([running, waiting]), [
      'FOOTFALL_ERR_QUERY_TIMEOUT',
      'FOOTFALL_ERR_QUERY_TIMEOUT',
    ]);
  });
});
