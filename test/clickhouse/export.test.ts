// The raw event export on ClickHouse (chdb) reads the same as on DuckDB: the same rows, columns
// and text forms in each format, so `footfall import events` takes either engine's file.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { IngestWriter } from '../../src/ingest/writer.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { addSite } from '../../src/sites/manage.js';
import { createStore } from '../../src/store/create-store.js';
import type { EventRow } from '../../src/store/event-row.js';
import { EXPORT_FORMATS } from '../../src/store/export-format.js';
import type { Store } from '../../src/store/types.js';
import { sampleRow } from '../helpers/sample-row.js';
import { removeDir, tempDir } from '../helpers/server.js';
import { CHDB_SKIP, chdbUrl } from './chdb.js';

const ROWS: EventRow[] = [
  { ...sampleRow(0), title: '=HYPERLINK("x")', props: [['k"ey', 'v\nal']] },
  { ...sampleRow(1), title: "'quoted", pathname: '-1', scrollDepth: null, engagementMs: null },
  { ...sampleRow(2), title: 'line\nbreak, "quoted"', utmSource: '@me', interactive: false },
  { ...sampleRow(3), siteId: 2 },
];
const READERS = {
  parquet: 'read_parquet($1)',
  csv: 'read_csv($1, header = true, all_varchar = true)',
  ndjson: "read_json($1, format = 'newline_delimited', records = true)",
} as const;

async function fill(store: Store, dir: string): Promise<void> {
  await addSite(store, { domain: 'a.example' });
  await addSite(store, { domain: 'b.example' });
  const writer = await IngestWriter.open(store, dir, createMetrics(), {
    maxQueue: 100,
    loadIntervalMs: 60_000,
  });
  await Promise.all(ROWS.map((r) => writer.write(r)));
  await writer.close();
}

/** The rows a statement gives in a fresh in-memory DuckDB ($1: the file). */
async function duckRows(sql: string, file: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql, [file])).getRowObjectsJS();
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** Every row of a file as text values, read by one reader whichever engine wrote it. */
async function read(
  file: string,
  format: (typeof EXPORT_FORMATS)[number],
): Promise<Record<string, string>[]> {
  const rows = await duckRows(`SELECT * FROM ${READERS[format]}`, file);
  return rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [
        k,
        v instanceof Date
          ? v.toISOString()
          : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : x)),
      ]),
    ),
  );
}

/** The compression codecs of a Parquet file's column chunks. */
async function codecsOf(file: string): Promise<string[]> {
  const rows = await duckRows('SELECT DISTINCT compression FROM parquet_metadata($1)', file);
  return rows.map((r) => String(r.compression));
}

describe('raw event export on ClickHouse (chdb)', { skip: CHDB_SKIP }, () => {
  const duckDir = tempDir('footfall-export-duck-');
  const chDir = tempDir('footfall-export-ch-');
  before(async () => {
    const duck = await createStore({ dataDir: duckDir });
    await fill(duck, duckDir);
    await duck.close();
    const ch = await createStore({ dataDir: chDir, clickhouseUrl: chdbUrl(chDir) });
    await fill(ch, chDir);
    await ch.close();
  });
  after(() => {
    removeDir(duckDir);
    removeDir(chDir);
  });

  for (const format of EXPORT_FORMATS) {
    it(`${format}: the same rows as DuckDB's export`, async () => {
      const request = { siteKey: 1, fromMs: 0, toMs: 2_000_000_000_000, format };
      const files: string[] = [];
      for (const [dir, url] of [
        [duckDir, undefined],
        [chDir, chdbUrl(chDir)],
      ] as const) {
        const store = await createStore({ dataDir: dir, clickhouseUrl: url });
        try {
          const file = path.join(dir, `out.${format}`);
          assert.equal(
            await store.exportEvents(request, file, { timeoutMs: 30_000 }),
            3,
            `${store.engine}: site 1 only`,
          );
          files.push(file);
        } finally {
          await store.close();
        }
      }
      const [fromDuck, fromClickHouse] = [await read(files[0]!, format), await read(files[1]!, format)];
      assert.equal(fromDuck.length, 3);
      assert.deepEqual(fromClickHouse, fromDuck);
      if (format === 'parquet') {
        // The same codec from both engines (ClickHouse's own default is lz4).
        const codecs = await Promise.all(files.map((f) => codecsOf(f)));
        assert.deepEqual(codecs, [['SNAPPY'], ['SNAPPY']]);
      }
    });
  }
});
