// Runs a suite once per place the metadata can live: the data directory's DuckDB file (the
// default), and PostgreSQL (--database-url, with events in ClickHouse's engine in this process,
// as PostgreSQL metadata requires ClickHouse). One PostgreSQL per test file, started by the
// first suite that needs it and stopped after the file's last test; each suite gets a fresh
// database and a fresh data directory.
import { after } from 'node:test';
import type { ServeFlags } from '../../src/server/config.js';
import { CHDB_SKIP, chdbUrl } from '../clickhouse/chdb.js';
import { startPostgres, type TestPostgres } from './postgres.js';
import { tempDir } from './server.js';

export interface MetadataEngine {
  name: 'duckdb' | 'postgres';
  /** `describe`'s skip option: only when chdb is missing (`.ci/run` installs it). */
  skip: string | false;
  /** A new data directory and the flags that put its metadata in this engine. */
  serverOptions(flags?: ServeFlags): Promise<{ dataDir: string; flags: ServeFlags }>;
}

let postgres: Promise<TestPostgres> | undefined;

// At the file's top level, so it runs after the file's last test (a hook registered from
// inside a suite would stop the server after that suite only).
after(async () => {
  if (postgres) await (await postgres).stop();
});

/** The file's PostgreSQL, started on first use. */
export function filePostgres(): Promise<TestPostgres> {
  postgres ??= startPostgres();
  return postgres;
}

export const METADATA_ENGINES: readonly MetadataEngine[] = [
  {
    name: 'duckdb',
    skip: false,
    serverOptions: async (flags = {}) => ({ dataDir: tempDir(), flags }),
  },
  {
    name: 'postgres',
    skip: CHDB_SKIP,
    serverOptions: async (flags = {}) => {
      const dataDir = tempDir();
      const databaseUrl = await (await filePostgres()).freshDatabase();
      return { dataDir, flags: { ...flags, clickhouseUrl: chdbUrl(dataDir), databaseUrl } };
    },
  },
];
