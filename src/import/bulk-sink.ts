// Where a file's import puts its events when the store takes batches whole
// (store/duckdb/bulk-import.ts says why imports skip the journal): rows are encoded as journal
// lines as they come, and each batch goes to the store as a scratch file of those lines in the
// data directory — the form the store's loader reads fastest (~5 µs of CPU a row against ~20
// through DuckDB's appender) — removed once the batch is committed. Encoding on arrival rather
// than at the commit let the row objects die young: peak RSS 429–442 MB against 453 on a
// 200,000-line log (CPU the same within this machine's noise).
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeRow } from '../ingest/row-codec.js';
import type { EventRow } from '../store/event-row.js';
import { PRIVATE_FILE_MODE } from '../store/private-files.js';
import type { BulkImportStore, ImportProgress } from '../store/types.js';

export interface BulkSink {
  /** The store's record of an import of this file into the site, if any. */
  progress(kind: string, sha256: string, site: string): Promise<ImportProgress | undefined>;
  /** Keeps the row (as its journal line) for the next commit. */
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
  // Rows are encoded as they come: the objects then die young, and only their lines wait.
  let text = '';
  let batches = 0;
  return {
    progress: (kind, sha256, site) => store.importProgress(kind, sha256, site),
    add(row) {
      text += `${encodeRow(row)}\n`;
    },
    async commit(progress, beforeRecord) {
      let file: string | undefined;
      if (text !== '') {
        // A name of its own per batch: the previous batch's file may still be read.
        file = path.join(dataDir, `import-${process.pid}-${++batches}.ndjson`);
        writeFileSync(file, text, { mode: PRIVATE_FILE_MODE });
        text = '';
      }
      try {
        await store.importBatch(file, progress, beforeRecord);
      } finally {
        if (file) rmSync(file, { force: true });
      }
    },
  };
}
