// Imports of files skip the ingest journal. The journal is there so a tracked event can be
// acknowledged once it is on disk, before the store has it; an import acknowledges nobody: its
// file is still there after a crash. So each batch of an import is loaded straight from memory
// by column (append-batch.ts), with the import's progress recorded in the same transaction
// (the `import_progress` table): killed at any moment, the store holds whole batches, each
// with its record, and a re-run resumes after the last one — never half a batch, never a batch
// twice. Measured (BENCHMARKS.md, "Importing access logs"): the journal's fdatasync per batch
// and its second read and parse were the import's idle time and a third of its CPU.
import type { EventBatch } from '../event-batch.js';
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

/**
 * How much write-ahead log an import lets grow before DuckDB checkpoints (its default: 16 MB).
 * Each checkpoint rewrote the visits' and events' newest row groups, so an import of 1 M lines
 * of one-off visitors checkpointed every few batches and spent a third of its time there
 * (36 s against 26 s; BENCHMARKS.md, "Importing access logs"). The log is replayed on the next
 * open after a crash, so nothing is lost; the store's close checkpoints it.
 */
const IMPORT_CHECKPOINT_THRESHOLD = '1GB';

/** Batches take turns with journal loads on the ingest connection (`conn`). */
export function duckDbBulkImport(conn: SerialConnection): BulkImportStore {
  const importOne = (
    batch: EventBatch | undefined,
    progress: ImportProgress,
    beforeRecord: (() => void) | undefined,
  ): Promise<number> =>
    conn.transaction(async (tx) => {
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
  // The store's own settings while an import runs, put back when it has finished.
  let saved: Promise<number> | undefined;
  return {
    importBatch(batch, progress, beforeRecord) {
      // Global settings: a bulk import holds the store alone (a running server's imports go
      // through its journal). One thread: the import's own thread reads and enriches the next
      // batch on the other core while this one commits, and two DuckDB threads only fought it
      // for the cores (1 M lines of a site's log: 9.5 s and 12.8 CPU s against 11.1 s and 16.5;
      // BENCHMARKS.md, "Importing access logs"). Each step is queued at the call, in order.
      saved ??= conn.serial(async (tx) => {
        const [row] = await tx.rows("SELECT current_setting('threads') AS threads");
        await tx.run(`SET GLOBAL checkpoint_threshold = '${IMPORT_CHECKPOINT_THRESHOLD}'`);
        await tx.run('SET GLOBAL threads = 1');
        return Number(row!.threads);
      });
      const setUp = saved;
      const inserted = importOne(batch, progress, beforeRecord);
      let putBack: Promise<void> | undefined;
      if (progress.finished) {
        saved = undefined;
        putBack = conn.serial(async (tx) => {
          await tx.run('RESET GLOBAL checkpoint_threshold');
          // A whole number DuckDB gave, not input.
          await tx.run(`SET GLOBAL threads = ${Math.max(1, Math.trunc(await setUp))}`);
        });
      }
      // Awaited together: a failed step is reported, none left unhandled.
      return Promise.all([setUp, inserted, putBack]).then(([, n]) => n);
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
