// Data directories as earlier (or later) Footfalls left them, made from the migration list
// itself: the upgrade and doctor tests start from these.
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DB_FILE } from '../../src/store/duckdb/open.js';
import { MIGRATIONS } from '../../src/store/duckdb/schema.js';
import { type DataVersion, readDataVersion } from '../../src/store/duckdb/schema-version.js';
import { tempDir } from '../helpers/server.js';

/**
 * A data directory as Footfall with `schema` migrations left it: one site, and `events`
 * generated events (enough to make an upgrade take a while when a test needs to kill it).
 */
export async function makeDataDir(
  schema: number,
  opts: { writtenBy?: string; events?: number } = {},
): Promise<string> {
  const dir = tempDir('footfall-upgrade-');
  const instance = await DuckDBInstance.create(path.join(dir, DB_FILE));
  const conn = await instance.connect();
  await conn.run('CREATE TABLE footfall_meta (key VARCHAR PRIMARY KEY, value VARCHAR)');
  for (const sql of MIGRATIONS.slice(0, schema)) await conn.run(sql);
  // A "future" schema: one more table this Footfall knows nothing of.
  for (let v = MIGRATIONS.length; v < schema; v++) await conn.run(`CREATE TABLE future_${v} (x INTEGER)`);
  await conn.run("INSERT INTO footfall_meta VALUES ('schema_version', $1)", [String(schema)]);
  if (opts.writtenBy)
    await conn.run("INSERT INTO footfall_meta VALUES ('footfall_version', $1)", [opts.writtenBy]);
  await conn.run("INSERT INTO sites (domain, timezone) VALUES ('old.example', 'Europe/Berlin')");
  if (opts.events) {
    // Columns later migrations append (revenue…) take NULL, as on events stored before them.
    const reader = await conn.runAndReadAll(
      "SELECT count(*)::INTEGER AS n FROM information_schema.columns WHERE table_name = 'events'",
    );
    const later = ', NULL'.repeat((reader.getRowObjectsJS()[0]!.n as number) - 31);
    await conn.run(
      `INSERT INTO events SELECT 1, TIMESTAMP '2026-01-01' + to_seconds(i::BIGINT), 'pageview', 'old.example',
        '/p' || (i % 500), 'T', '', '', '', '', '', '', '', MAP {}, true, i % 9000, i % 20000, 'Chrome', '1',
        'Linux', '', 'Desktop', 'desktop', 'en', 'DE', '', '', 'Direct', 'Direct', NULL, NULL${later}
       FROM range($1) t(i)`,
      [opts.events],
    );
  }
  await conn.run('CHECKPOINT');
  conn.closeSync();
  instance.closeSync();
  return dir;
}

export async function versionOf(file: string): Promise<DataVersion> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    return await readDataVersion(conn);
  } finally {
    // The instance stays open while a connection does.
    conn.closeSync();
    instance.closeSync();
  }
}
