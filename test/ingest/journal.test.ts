// The ingest journal and the writer's recovery, on real files and a real DuckDB store.
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Journal } from '../../src/ingest/journal.js';
import { decodeRow, encodeRow } from '../../src/ingest/row-codec.js';
import { IngestWriter } from '../../src/ingest/writer.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import type { EventRow } from '../../src/store/event-row.js';
import { removeDir, tempDir } from '../helpers/server.js';

function row(i: number): EventRow {
  return {
    siteId: 1,
    ts: 1_780_000_000_000 + i,
    name: i % 2 ? 'pageview' : 'Signup',
    hostname: 'example.com',
    pathname: `/p/${i}`,
    title: `Title ${i} — ünïcode ✓`,
    referrer: 'https://news.ycombinator.com/',
    referrerHost: 'news.ycombinator.com',
    utmSource: 'hn',
    utmMedium: '',
    utmCampaign: '',
    utmTerm: '',
    utmContent: '',
    props: i % 2 ? [] : [['plan', 'pro']],
    interactive: true,
    visitorId: 18_000_000_000_000_000_000n + BigInt(i),
    sessionId: 42n,
    browser: 'Firefox',
    browserVersion: '130',
    os: 'Linux',
    osVersion: '',
    device: 'desktop',
    screen: 'laptop',
    language: 'de',
    country: 'DE',
    region: 'DE-BE',
    city: 'Berlin',
    source: 'Hacker News',
    channel: 'Referral',
    scrollDepth: i % 2 ? null : 80,
    engagementMs: i % 2 ? null : 12_345,
  };
}

const OPTIONS = { maxQueue: 10_000, loadIntervalMs: 60_000, segmentBytes: 64 * 1024 * 1024 };

describe('ingest journal', () => {
  it('encodes every field of a row and decodes it unchanged', () => {
    for (const i of [0, 1]) assert.deepEqual(decodeRow(encodeRow(row(i))), row(i));
  });

  it('returns the lines after a position and leaves out a torn last line', async () => {
    const dir = tempDir();
    try {
      const journal = Journal.open(dir);
      const first = await journal.append(`${encodeRow(row(1))}\n`);
      await journal.append(`${encodeRow(row(2))}\n${encodeRow(row(3))}\n`);
      journal.close();
      // A crash in the middle of a write leaves half a line, which was never acknowledged.
      const segment = readdirSync(path.join(dir, 'journal'))[0]!;
      appendFileSync(path.join(dir, 'journal', segment), '[1,1,17800');
      const reopened = Journal.open(dir);
      const { lines, end } = reopened.unloadedLines(first);
      assert.deepEqual(
        lines.map((l) => decodeRow(l).pathname),
        ['/p/2', '/p/3'],
      );
      assert.equal(end.segment, first.segment);
      assert.equal(reopened.position.segment, first.segment + 1, 'a new run writes a new segment');
      reopened.deleteBefore(reopened.position.segment);
      assert.deepEqual(readdirSync(path.join(dir, 'journal')), [
        `${String(first.segment + 1).padStart(12, '0')}.ndjson`,
      ]);
      reopened.close();
    } finally {
      removeDir(dir);
    }
  });

  it('after a crash, journaled rows are loaded at the next start exactly once', async () => {
    const dir = tempDir();
    try {
      const store = await openDuckDbStore(dir);
      const writer = await IngestWriter.open(store, dir, createMetrics(), OPTIONS);
      await Promise.all([1, 2, 3, 4, 5].map((i) => writer.write(row(i))));
      await writer.flush(); // rows 1–5 are in the store
      await Promise.all([6, 7, 8].map((i) => writer.write(row(i))));
      // "Crash": rows 6–8 are acknowledged (journaled) but never loaded; nothing is closed.
      assert.equal(Number((await store.queryRows('SELECT count(*) AS n FROM events'))[0]!.n), 5);
      await store.close();

      for (let restart = 0; restart < 2; restart++) {
        const again = await openDuckDbStore(dir);
        const recovered = await IngestWriter.open(again, dir, createMetrics(), OPTIONS);
        const rows = await again.queryRows('SELECT pathname, visitor_id, props FROM events ORDER BY ts');
        assert.deepEqual(
          rows.map((r) => r.pathname),
          [1, 2, 3, 4, 5, 6, 7, 8].map((i) => `/p/${i}`),
        );
        assert.equal(rows[7]!.visitor_id, 18_000_000_000_000_000_008n);
        await recovered.close();
        await again.close();
      }
    } finally {
      removeDir(dir);
    }
  });

  it('a full queue refuses writes with a 503 error instead of growing', async () => {
    const dir = tempDir();
    try {
      const store = await openDuckDbStore(dir);
      const writer = await IngestWriter.open(store, dir, createMetrics(), { ...OPTIONS, maxQueue: 3 });
      const results = await Promise.allSettled([1, 2, 3, 4, 5].map((i) => writer.write(row(i))));
      const refused = results.filter((r) => r.status === 'rejected');
      assert.equal(refused.length, 2);
      for (const r of refused)
        assert.equal((r as PromiseRejectedResult).reason.code, 'FOOTFALL_ERR_QUEUE_FULL');
      await writer.close();
      assert.equal(Number((await store.queryRows('SELECT count(*) AS n FROM events'))[0]!.n), 3);
      await store.close();
    } finally {
      removeDir(dir);
    }
  });
});
