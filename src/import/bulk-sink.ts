// Where a file's import puts its events when the store takes batches whole
// (store/duckdb/bulk-import.ts says why imports skip the journal): rows are collected in
// memory, and each batch goes to the store as a scratch file of journal lines in the data
// directory — the form the store's loader reads fastest (~5 µs of CPU a row against ~20
// through DuckDB's appender) — removed once the batch is committed.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeRow } from '../ingest/row-codec.js';
import type { EventRow } from '../store/event-row.js';
import { PRIVATE_FILE_MODE } from '../store/private-files.js';
import type { BulkImportStore, ImportProgress } from '../store/types.js';

export interface BulkSink {
  /** The store's record of an import of this file into the site, if any. */
  progress(kind: string, sha256: string, site: string): Promise<ImportProgress | undefined>;
  /** Keeps the row for the next commit. */
  add(row: EventRow): void;
  /**
   * Stores the rows added since the last commit together with `progress`, in one transaction
   * (beforeRecord: see BulkImportStore.importBatch). The rows are handed over at once, so the
   * next batch can be collected while the store commits this one.
   */
  commit(progress: ImportProgress, beforeRecord?: () => void): Promise<void>;
}

const SCRATCH = /^import-\d+-\d+\.ndjson$/;

/** Call while holding the store: scratch files of a killed import are removed first. */
export function bulkSink(store: BulkImportStore, dataDir: string): BulkSink {
  // Their batches were rolled back with the import's transaction (or never began).
  for (const name of readdirSync(dataDir)) if (SCRATCH.test(name)) rmSync(path.join(dataDir, name));
  let rows: EventRow[] = [];
  let batches = 0;
  return {
    progress: (kind, sha256, site) => store.importProgress(kind, sha256, site),
    add(row) {
      rows.push(row);
    },
    async commit(progress, beforeRecord) {
      const batch = rows;
      rows = [];
      let file: string | undefined;
      if (batch.length > 0) {
        // A name of its own per batch: the previous batch's file may still be read.
        file = path.join(dataDir, `import-${process.pid}-${++batches}.ndjson`);
        let text = '';
        for (const row of batch) text += `${encodeRow(row)}\n`;
        writeFileSync(file, text, { mode: PRIVATE_FILE_MODE });
      }
      try {
        await store.importBatch(file, progress, beforeRecord);
      } finally {
        if (file) rmSync(file, { force: true });
      }
    },
  };
}
