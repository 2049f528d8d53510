// Imports an access log into a data directory twice in one process: the second import is
// refused (the file was imported before) after its reading thread has started. The process
// then ends as any would, without process.exit: a thread left running keeps it alive, which
// test/import/log-reader.test.ts watches for.
// Usage: node --import tsx import-twice-child.ts <log> <data dir>
import { openGeo } from '../../src/enrich/geo.js';
import { localTarget } from '../../src/import/import-target.js';
import { importLogs } from '../../src/import/logs-import.js';
import { openDuckDbStore } from '../../src/store/duckdb/open.js';

const [log, data] = process.argv.slice(2) as [string, string];
const store = await openDuckDbStore(data);
const geo = await openGeo({});
const options = {
  file: log,
  format: 'combined',
  site: 'example.com',
  dataDir: data,
  geo,
  now: () => Date.UTC(2026, 6, 1),
};
const first = await importLogs(localTarget(store, data), options);
process.stdout.write(`first: imported ${first.imported}\n`);
try {
  await importLogs(localTarget(store, data), options);
  process.stdout.write('second: imported\n');
} catch (err) {
  process.stdout.write(`second: refused: ${(err as Error).message}\n`);
}
await geo.close();
await store.close();
