// The ingest journal and the writer's recovery, on real files and a real DuckDB store.
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { FootfallError } from '../../src/errors.js';
import { encodeRow } from '../../src/ingest/row-codec.js';
import { IngestWriter } from '../../src/ingest/writer.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { addSite, removeSite } from '../../src/sites/manage.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import type { Store } from '../../src/store/types.js';
import { sampleRow as row } from '../helpers/sample-row.js';
import { removeDir, tempDir } from '../helpers/server.js';

const OPTIONS = { maxQueue: 10_000, loadIntervalMs: 60_000 };

/** A fresh store with example.com as site 1 (events of unknown sites are not loaded). */
async function openStore(dir: string): Promise<Store> {
  const store = await openDuckDbStore(dir);
  if ((await store.listSites()).length === 0) await addSite(store, { domain: 'example.com' });
  return store;
}

function count(store: Store): Promise<number> {
  return store.queryRows('SELECT count(*) AS n FROM events').then((r) => Number(r[0]!.n));
}

describe('ingest journal', () => {
  it('every field of an event arrives in the store unchanged', async () => {
    const dir = tempDir();
    try {
      const store = await openStore(dir);
      const writer = await IngestWriter.open(store, dir, createMetrics(), OPTIONS);
      const tricky = {
        ...row(0),
        title: 'line\nbreak "quoted" \\ back\u2028slash 🎉',
        props: [
          ['k"ey', 'v\nal'],
          ['plan', 'pro'],
        ] as [string, string][],
      };
      await Promise.all([writer.write(tricky), writer.write(row(1))]);
      await writer.flush();
      const got = await store.queryRows(
        'SELECT *, epoch_ms(ts) AS ms, map_entries(props) AS entries FROM events ORDER BY ts',
      );
      for (const [i, expected] of [tricky, row(1)].entries()) {
        const g = got[i]!;
        assert.equal(Number(g.ms), expected.ts);
        assert.deepEqual(
          [
            g.site_id,
            g.name,
            g.hostname,
            g.pathname,
            g.title,
            g.referrer,
            g.referrer_host,
            g.utm_source,
            g.interactive,
          ],
          [
            expected.siteId,
            expected.name,
            expected.hostname,
            expected.pathname,
            expected.title,
            expected.referrer,
            expected.referrerHost,
            expected.utmSource,
            expected.interactive,
          ],
        );
        assert.equal(g.visitor_id, expected.visitorId);
        assert.equal(g.session_id, expected.sessionId);
        assert.deepEqual(
          [
            g.browser,
            g.browser_version,
            g.os,
            g.device,
            g.screen,
            g.language,
            g.country,
            g.region,
            g.city,
            g.source,
            g.channel,
          ],
          [
            expected.browser,
            expected.browserVersion,
            expected.os,
            expected.device,
            expected.screen,
            expected.language,
            expected.country,
            expected.region,
            expected.city,
            expected.source,
            expected.channel,
          ],
        );
        assert.equal(g.scroll_depth, expected.scrollDepth);
        assert.equal(g.engagement_ms, expected.engagementMs);
        assert.deepEqual(
          (g.entries as { key: string; value: string }[]).map((e) => [e.key, e.value]),
          expected.props,
        );
      }
      await writer.close();
      await store.close();
    } finally {
      removeDir(dir);
    }
  });

  it('after a crash, acknowledged events are loaded at the next start exactly once, a torn line left out', async () => {
    const dir = tempDir();
    try {
      const store = await openStore(dir);
      const writer = await IngestWriter.open(store, dir, createMetrics(), OPTIONS);
      await Promise.all([1, 2, 3, 4, 5].map((i) => writer.write(row(i))));
      await writer.flush(); // 1–5 are in the store
      await Promise.all([6, 7, 8].map((i) => writer.write(row(i))));
      // "Crash": 6–8 are acknowledged (journaled) but never loaded, nothing is closed, and a
      // write that was cut off left half a line, which was never acknowledged.
      assert.equal(await count(store), 5);
      const journalDir = path.join(dir, 'journal');
      const current = readdirSync(journalDir).sort().at(-1)!;
      appendFileSync(path.join(journalDir, current), '{"s":1,"t":17800');
      await store.close();

      for (let restart = 0; restart < 2; restart++) {
        const again = await openStore(dir);
        const recovered = await IngestWriter.open(again, dir, createMetrics(), OPTIONS);
        const rows = await again.queryRows('SELECT pathname, visitor_id FROM events ORDER BY ts');
        assert.deepEqual(
          rows.map((r) => r.pathname),
          [1, 2, 3, 4, 5, 6, 7, 8].map((i) => `/p/${i}`),
        );
        assert.equal(rows[7]!.visitor_id, 18_000_000_000_000_000_008n);
        await recovered.close();
        await again.close();
      }
      assert.deepEqual(readdirSync(journalDir), [], 'loaded segments are deleted');
    } finally {
      removeDir(dir);
    }
  });

  it('a full queue refuses writes with a 503 error instead of growing', async () => {
    const dir = tempDir();
    try {
      const store = await openStore(dir);
      const writer = await IngestWriter.open(store, dir, createMetrics(), { ...OPTIONS, maxQueue: 3 });
      const results = await Promise.allSettled([1, 2, 3, 4, 5].map((i) => writer.write(row(i))));
      const refused = results.filter((r) => r.status === 'rejected');
      assert.equal(refused.length, 2);
      for (const r of refused)
        assert.equal((r as PromiseRejectedResult).reason.code, 'FOOTFALL_ERR_QUEUE_FULL');
      // Journaled events have left memory: the queue takes more while they wait for the store.
      await writer.write(row(6));
      await writer.close();
      assert.equal(await count(store), 4);
      await store.close();
    } finally {
      removeDir(dir);
    }
  });

  it('a full journal budget refuses writes with a 503 and a Retry-After until the store catches up', async () => {
    const dir = tempDir();
    try {
      const store = await openStore(dir);
      const bytes = Buffer.byteLength(`${encodeRow(row(1))}\n${encodeRow(row(2))}\n`);
      const writer = await IngestWriter.open(store, dir, createMetrics(), {
        ...OPTIONS,
        journalMaxBytes: bytes,
      });
      await writer.write(row(1));
      await writer.write(row(2));
      // Two journaled, none loaded: the budget is spent.
      await assert.rejects(writer.write(row(3)), (err: FootfallError) => {
        assert.equal(err.code, 'FOOTFALL_ERR_JOURNAL_FULL');
        assert.equal(err.retryAfter, 30);
        return true;
      });
      assert.deepEqual(
        { events: writer.health().backlogEvents, bytes: writer.health().backlogBytes },
        { events: 2, bytes },
      );
      await writer.flush();
      assert.equal(writer.health().backlogBytes, 0);
      await writer.write(row(4));
      await writer.close();
      assert.equal(await count(store), 3);
      await store.close();
    } finally {
      removeDir(dir);
    }
  });

  it('after a failed load, retries wait longer each time (up to 30 s); a success resets them', async () => {
    const dir = tempDir();
    let clock = 1_000_000;
    try {
      const store = await openStore(dir);
      let attempts = 0;
      let failing = true;
      const flaky: Store = Object.assign(Object.create(store) as Store, {
        loadEvents: (file: string | undefined, mark: { segment: number; offset: number }) => {
          attempts++;
          return failing ? Promise.reject(new Error('store away')) : store.loadEvents(file, mark);
        },
      });
      const writer = await IngestWriter.open(flaky, dir, createMetrics(), {
        ...OPTIONS,
        loadIntervalMs: 5,
        now: () => clock,
      });
      await writer.write(row(1));
      /** Waits (up to 10 s: the machine may be busy) until `done`, then lets the failure be noted. */
      const until = async (done: () => boolean) => {
        for (let waited = 0; !done() && waited < 10_000; waited += 5)
          await new Promise((r) => setTimeout(r, 5));
        await new Promise((r) => setImmediate(r));
        return done();
      };
      const retriedAfter = async (ms: number) => {
        const before = attempts;
        clock += ms;
        return until(() => attempts > before);
      };
      /** No attempt in 100 ms of ticks (every 5 ms) after the clock moved by `ms`. */
      const quietAfter = async (ms: number) => {
        const before = attempts;
        clock += ms;
        await new Promise((r) => setTimeout(r, 100));
        return attempts === before;
      };
      assert.ok(await retriedAfter(0), 'the first load is tried');
      // Each wait is twice the last: 0.5 s, 1 s, 2 s, …; none is tried before its time.
      for (const wait of [500, 1000, 2000, 4000]) {
        assert.ok(await quietAfter(wait - 1), `no retry before ${wait} ms`);
        assert.ok(await retriedAfter(1), `a retry at ${wait} ms`);
      }
      assert.equal(writer.health().lagSeconds, (clock - 1_000_000) / 1000);
      failing = false;
      assert.ok(await quietAfter(7999), 'no retry before 8 s');
      clock += 1;
      assert.ok(await until(() => writer.health().backlogEvents === 0), 'caught up at the next retry');
      assert.equal(writer.health().lagSeconds, 0);
      await writer.close();
      await store.close();
    } finally {
      removeDir(dir);
    }
  });

  it('removing a site deletes its events still waiting in the journal too (issue 11.7)', async () => {
    const dir = tempDir();
    try {
      const store = await openStore(dir); // example.com is site 1
      const other = await addSite(store, { domain: 'other.example' });
      const metrics = createMetrics();
      const writer = await IngestWriter.open(store, dir, metrics, OPTIONS);
      await Promise.all([1, 2, 3].map((i) => writer.write(row(i))));
      await Promise.all([4, 5].map((i) => writer.write({ ...row(i), siteId: other.id })));
      // Acknowledged, journaled, not yet loaded — and then the site goes.
      await removeSite(store, 'example.com');
      await writer.flush();
      const rows = await store.queryRows('SELECT site_id, pathname FROM events ORDER BY ts');
      assert.deepEqual(
        rows.map((r) => [r.site_id, r.pathname]),
        [
          [other.id, '/p/4'],
          [other.id, '/p/5'],
        ],
      );
      const text = await metrics.registry.metrics();
      assert.match(text, /^footfall_events_dropped_total\{reason="site_removed"\} 3$/m);
      assert.match(text, /^footfall_events_stored_total 2$/m);
      await writer.close();
      await store.close();
    } finally {
      removeDir(dir);
    }
  });
});
