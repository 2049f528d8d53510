// Loads generated events into a store the way ingest does: journal-format NDJSON files read by
// the store's loadEvents, one chunk at a time.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeRow } from '../../src/ingest/row-codec.js';
import type { EventRow } from '../../src/store/event-row.js';
import type { EventStore } from '../../src/store/types.js';

export async function loadRows(
  store: EventStore,
  batches: Iterable<EventRow[]>,
  options: { chunkRows?: number; onProgress?: (rows: number) => void } = {},
): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'footfall-load-'));
  const chunkRows = options.chunkRows ?? 200_000;
  let pending: string[] = [];
  let total = 0;
  let segment = 0;
  // Leave the ingest journal's mark as it was: these rows never went through the journal. A
  // load covers the file up to the mark's offset (ClickHouse reads no further), so each chunk
  // is loaded with its own length in the journal's current segment, and the mark put back.
  const mark = (await store.loadMark()) ?? { segment: 0, offset: 0 };
  const flush = async () => {
    if (pending.length === 0) return;
    const file = path.join(dir, `${++segment}.ndjson`);
    const text = `${pending.join('\n')}\n`;
    writeFileSync(file, text);
    pending = [];
    await store.loadEvents(file, { segment: mark.segment, offset: Buffer.byteLength(text) });
    rmSync(file);
    options.onProgress?.(total);
  };
  try {
    for (const batch of batches) {
      for (const row of batch) {
        pending.push(encodeRow(row));
        total++;
        if (pending.length >= chunkRows) await flush();
      }
    }
    await flush();
    if (segment > 0) await store.loadEvents(undefined, mark);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return total;
}
