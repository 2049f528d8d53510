// An import's batch goes to DuckDB by column (store/event-batch.ts, store/duckdb/append-batch.ts);
// tracked events go as journal lines read by DuckDB's JSON reader (load-events.ts). The same
// rows through each path must leave the same events and the same visits, to the last byte:
// strings a log can hold (quotes, backslashes, newlines, emoji, NUL), empty and missing values,
// props, revenue, the largest 64-bit ids, and a removed site's rows (left out by both).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encodeRow } from '../../src/ingest/row-codec.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';
import { EventBatch } from '../../src/store/event-batch.js';
import type { EventRow } from '../../src/store/event-row.js';
import type { Store } from '../../src/store/types.js';
import { sampleRow } from '../helpers/sample-row.js';
import { removeDir, seedSites, tempDir } from '../helpers/server.js';

const ODD = [
  '',
  '"quoted" \\ back\\slash',
  'line\nbreak\ttab',
  'emoji 🦊 and ünïcode',
  'nul\u0000byte',
  "it's",
];

/** 3,000 rows (two data chunks and a part), visits spread over a few sessions, odd values mixed in. */
function rows(): EventRow[] {
  const out: EventRow[] = [];
  for (let i = 0; i < 3000; i++) {
    const r = sampleRow(i);
    const odd = ODD[i % ODD.length]!;
    out.push({
      ...r,
      sessionId: BigInt(1 + (i % 37)),
      visitorId: i % 11 === 0 ? 18_446_744_073_709_551_615n : r.visitorId,
      pathname: i % 3 === 0 ? `/p/${odd}` : r.pathname,
      title: i % 5 === 0 ? odd : r.title,
      referrer: i % 7 === 0 ? '' : r.referrer,
      props: i % 4 === 2 ? [['k', odd] as const, ['second', 'v']] : r.props,
      interactive: i % 3 !== 1,
      // The first site only exists; a removed site's rows are left out by both paths.
      siteId: i % 100 === 99 ? 77 : 1,
    });
  }
  return out;
}

async function dump(store: Store): Promise<{ events: string; visits: string }> {
  const q = (sql: string) => store.runQuery(sql, [], { timeoutMs: 30_000 });
  // JSON of every column, so a NULL, an empty string and a MAP compare exactly.
  const events = await q(
    'SELECT to_json(e)::VARCHAR AS j FROM events e ORDER BY ts, session_id, pathname, name, title',
  );
  const visits = await q('SELECT to_json(v)::VARCHAR AS j FROM visits v ORDER BY site_id, session_id');
  return { events: events.map((r) => r.j).join('\n'), visits: visits.map((r) => r.j).join('\n') };
}

describe('an import batch by column stores what the journal path stores', () => {
  let dir: string;
  before(() => {
    dir = tempDir('footfall-columnar-');
  });
  after(() => removeDir(dir));

  it('the same rows through both paths: the same events and visits, column by column', async () => {
    const all = rows();
    const journalData = path.join(dir, 'journal');
    const columnData = path.join(dir, 'columns');
    await seedSites(journalData, ['example.com']);
    await seedSites(columnData, ['example.com']);

    const viaJournal = await openDuckDbStore(journalData);
    let fromJournal: Awaited<ReturnType<typeof dump>>;
    try {
      const file = path.join(dir, 'segment.ndjson');
      // Two loads, as two batches: the second folds into visits the first began.
      const half = all.length / 2;
      writeFileSync(file, `${all.slice(0, half).map(encodeRow).join('\n')}\n`);
      assert.equal(await viaJournal.loadEvents(file, { segment: 1, offset: 0 }), 1485);
      writeFileSync(file, `${all.slice(half).map(encodeRow).join('\n')}\n`);
      assert.equal(await viaJournal.loadEvents(file, { segment: 2, offset: 0 }), 1485);
      fromJournal = await dump(viaJournal);
    } finally {
      await viaJournal.close();
    }

    const viaColumns = await openDuckDbStore(columnData);
    try {
      const progress = { kind: 'test', sha256: 'x', site: 'example.com', finished: false, updatedAt: '' };
      for (const [part, slice] of [all.slice(0, 1500), all.slice(1500)].entries()) {
        const batch = new EventBatch();
        for (const r of slice) batch.add(r);
        assert.equal(await viaColumns.bulkImport!.importBatch(batch, { ...progress, done: part }), 1485);
      }
      const fromColumns = await dump(viaColumns);
      assert.equal(fromColumns.events.split('\n').length, 2970);
      assert.equal(fromColumns.events, fromJournal.events);
      assert.equal(fromColumns.visits, fromJournal.visits);
    } finally {
      await viaColumns.close();
    }
  });
});
