// Retention on ClickHouse's real engine (chdb): the nightly job deletes a site's events before
// its cut with a lightweight DELETE, leaves later events and other sites alone, and the answers
// about the kept days do not change.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encodeRow } from '../../src/ingest/row-codec.js';
import { ledgered } from '../../src/jobs/ledger.js';
import { retentionJob } from '../../src/jobs/retention.js';
import { parseQuery } from '../../src/query/parse.js';
import { createQueryEngine } from '../../src/query/run-query.js';
import { SiteDirectory } from '../../src/sites/directory.js';
import { addSite } from '../../src/sites/manage.js';
import { createStore } from '../../src/store/create-store.js';
import type { Store } from '../../src/store/types.js';
import { manualClock } from '../helpers/accounts.js';
import { sampleRow } from '../helpers/sample-row.js';
import { removeDir, tempDir } from '../helpers/server.js';
import { CHDB_SKIP, chdbUrl } from './chdb.js';

const NOW = Date.parse('2026-11-30T10:00:00.000Z');
const CUT = Date.parse('2024-10-29T23:00:00.000Z'); // 25 months, Europe/Berlin
const HOUR = 3600_000;

describe('retention on ClickHouse (chdb)', { skip: CHDB_SKIP }, () => {
  let dir: string;
  let store: Store;
  const count = async (where: string, params: (string | number)[]) =>
    Number(
      (
        await store.runQuery(`SELECT count() AS n FROM events WHERE ${where}`, params, { timeoutMs: 10_000 })
      )[0]!.n,
    );
  const ask = async () => {
    const sites = new SiteDirectory(store);
    await sites.refresh();
    const engine = createQueryEngine({
      store,
      site: (d) => sites.lookup(d),
      goals: async () => [],
      now: () => NOW,
    });
    const q = parseQuery({
      site_id: 'example.com',
      date_range: ['2024-10-30', '2026-11-29'],
      metrics: ['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration'],
      dimensions: ['time:month'],
    });
    return (await engine.query(q)).results;
  };

  before(async () => {
    dir = tempDir();
    store = await createStore({ dataDir: dir, clickhouseUrl: chdbUrl(dir) });
    await addSite(store, { domain: 'example.com', timezone: 'Europe/Berlin' });
    await addSite(store, { domain: 'other.example' });
    const lines: string[] = [];
    let session = 0;
    for (let t = Date.parse('2024-06-01T00:00:00Z'); t < NOW - 24 * HOUR; t += 12 * HOUR) {
      for (const siteId of [1, 2]) {
        session++;
        const base = { ...sampleRow(1), siteId, sessionId: BigInt(session), visitorId: BigInt(session % 50) };
        lines.push(encodeRow({ ...base, ts: t }), encodeRow({ ...base, ts: t + 60_000, pathname: '/two' }));
      }
    }
    const file = path.join(dir, 'history.ndjson');
    const text = `${lines.join('\n')}\n`;
    writeFileSync(file, text);
    await store.loadEvents(file, { segment: 1, offset: Buffer.byteLength(text) });
  });
  after(async () => {
    await store?.close();
    removeDir(dir);
  });

  it('deletes the site’s events before the cut, keeps the rest and the answers about them', async () => {
    const answers = await ask();
    const kept = await count('site_id = {p1:UInt32} AND ts >= fromUnixTimestamp64Milli({p2:Int64})', [
      1,
      CUT,
    ]);
    const other = await count('site_id = {p1:UInt32}', [2]);
    assert.ok(
      (await count('site_id = {p1:UInt32} AND ts < fromUnixTimestamp64Milli({p2:Int64})', [1, CUT])) > 100,
    );

    await store.jobs.setRetention('example.com', 25);
    const logs: string[] = [];
    const clock = manualClock(NOW);
    await ledgered(
      retentionJob(store, (m) => logs.push(m)),
      store.jobs,
      clock.now,
    ).run(clock.now());

    assert.equal(
      await count('site_id = {p1:UInt32} AND ts < fromUnixTimestamp64Milli({p2:Int64})', [1, CUT]),
      0,
    );
    assert.equal(
      await count('site_id = {p1:UInt32} AND ts >= fromUnixTimestamp64Milli({p2:Int64})', [1, CUT]),
      kept,
    );
    assert.equal(await count('site_id = {p1:UInt32}', [2]), other, 'a site without a limit keeps everything');
    assert.ok((await store.oldestEvent(1))! >= CUT);
    assert.equal(await store.oldestEvent(2), Date.parse('2024-06-01T00:00:00Z'));
    assert.match(logs.join('\n'), /deleted \d+ events of example\.com before 2024-10-29T23:00:00\.000Z/);
    assert.deepEqual(await ask(), answers);
  });
});
