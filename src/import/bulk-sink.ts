// Where a file's import puts its events when the store takes batches whole
// (store/duckdb/bulk-import.ts says why imports skip the journal): rows go into a batch held by
// column (store/event-batch.ts) as they come, and the batch goes to the store at each commit.
// Until 2026-12-01 each batch went as a scratch file of journal lines, and their JSON encoding
// was the largest item of an import's profile (BENCHMARKS.md, "Importing access logs").
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { EventBatch } from '../store/event-batch.js';
import type { EventRow } from '../store/event-row.js';
import type { BulkImportStore, ImportProgress } from '../store/types.js';

export interface BulkSink {
  /** The store's record of an import of this file into the site, if any. */
  progress(kind: string, sha256: string, site: string): Promise<ImportProgress | undefined>;
  /** Rows added since the last commit. */
  readonly size: number;
  /** Keeps the row for the next commit. */
  add(row: EventRow): void;
  /**
   * Stores the rows added since the last commit together with `progress`, in one transaction
   * (beforeRecord: see BulkImportStore.importBatch). The rows are handed over at once, so the
   * next batch can be collected while the store commits this one.
   */
  commit(progress: ImportProgress, beforeRecord?: () => void): Promise<void>;
}

/** Scratch files the previous form of this sink left behind when killed. */
const SCRATCH = /^import-\d+-\d+\.ndjson$/;

/** Call while holding the store. */
export function bulkSink(store: BulkImportStore, dataDir: string): BulkSink {
  // A data directory an import was killed in before 2026-12-01 may still hold a batch's file.
  for (const name of readdirSync(dataDir)) if (SCRATCH.test(name)) rmSync(path.join(dataDir, name));
  let batch = new EventBatch();
  return {
    progress: (kind, sha256, site) => store.importProgress(kind, sha256, site),
    get size() {
      return batch.length;
    },
    add(row) {
      batch.add(row);
    },
    async commit(progress, beforeRecord) {
      const full = batch.length > 0 ? batch : undefined;
      batch = new EventBatch();
      await store.importBatch(full, progress, beforeRecord);
    },
  };
}
