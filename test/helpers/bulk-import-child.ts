// A bulk import of an access log in a process of its own, for a test to kill -9 in the middle
// of a batch's transaction: from the batch that has read `stallAt` lines on, it says
// "in batch <done>" on stdout once the batch's events are inserted and before its record is,
// then blocks there (synchronously: the transaction stays open) until killed.
// Usage: node --import tsx bulk-import-child.ts <log> <data dir> <batch> <stallAt>
import { openGeo } from '../../src/enrich/geo.js';
import { localTarget } from '../../src/import/import-target.js';
import { importLogs } from '../../src/import/logs-import.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';

const [log, data, batch, stallAt] = process.argv.slice(2) as [string, string, string, string];
const store = await openDuckDbStore(data);
const geo = await openGeo({});
await importLogs(localTarget(store, data), {
  file: log,
  format: 'combined',
  site: 'example.com',
  dataDir: data,
  geo,
  batch: Number(batch),
  now: () => Date.UTC(2026, 6, 1),
  beforeRecord: (done) => {
    if (done < Number(stallAt)) return;
    process.stdout.write(`in batch ${done}\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  },
});
