// Imports of files skip the ingest journal. The journal is there so a tracked event can be
// acknowledged once it is on disk, before the store has it; an import acknowledges nobody: its
// file is still there after a crash. So each batch of an import is loaded straight from memory
// by column (append-batch.ts), with the import's progress recorded in the same transaction
// (the `import_progress` table): killed at any moment, the store holds whole batches, each
// with its record, and a re-run resumes after the last one — never half a batch, never a batch
// twice. Measured (BENCHMARKS.md, "Importing access logs"): the journal's fdatasync per batch
// and its second read and parse were the import's idle time and a third of its CPU.
import type { BulkImportStore, ImportProgress } from '../types.js';
import { insertEventBatch } from './append-batch.js';
import type { SerialConnection } from './serial-connection.js';

export const IMPORT_PROGRESS_MIGRATION = `
  CREATE TABLE import_progress (
    kind       VARCHAR NOT NULL,
    sha256     VARCHAR NOT NULL,
    site       VARCHAR NOT NULL,
    done       BIGINT NOT NULL,
    finished   BOOLEAN NOT NULL,
    updated_at VARCHAR NOT NULL,
    PRIMARY KEY (kind, sha256, site)
  );`;

/** Batches take turns with journal loads on the ingest connection (`conn`). */
export function duckDbBulkImport(conn: SerialConnection): BulkImportStore {
  return {
    importBatch(batch, progress, beforeRecord) {
      return conn.transaction(async (tx) => {
        const inserted = batch && batch.length > 0 ? await insertEventBatch(tx, batch) : 0;
        beforeRecord?.();
        await tx.run('INSERT OR REPLACE INTO import_progress VALUES ($1, $2, $3, $4, $5, $6)', [
          progress.kind,
          progress.sha256,
          progress.site,
          progress.done,
          progress.finished,
          progress.updatedAt,
        ]);
        return inserted;
      });
    },
    async importProgress(kind, sha256, site): Promise<ImportProgress | undefined> {
      const [row] = await conn.rows(
        'SELECT done, finished, updated_at FROM import_progress ' +
          'WHERE kind = $1 AND sha256 = $2 AND site = $3',
        [kind, sha256, site],
      );
      if (!row) return undefined;
      return {
        kind,
        sha256,
        site,
        done: Number(row.done),
        finished: row.finished === true,
        updatedAt: String(row.updated_at),
      };
    },
  };
}
