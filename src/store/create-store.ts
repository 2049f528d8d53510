// The one place that picks the engines: DuckDB in the data directory (the default), or
// ClickHouse when --clickhouse-url is set (events there, metadata still in the data directory,
// or in PostgreSQL with --database-url). The server, the CLI and the tests open stores only
// through here.
import type { EngineConnection } from './clickhouse/client.js';
import { openClickHouseStore } from './clickhouse/open.js';
import { parseClickHouseUrl } from './clickhouse/url.js';
import { type DuckDbOptions, openDuckDbStore } from './duckdb/open.js';
import { openPostgresMetadata } from './postgres/open.js';
import { metadataWithoutClickHouse, parsePostgresUrl } from './postgres/url.js';
import type { Store } from './types.js';

export interface StoreConfig extends DuckDbOptions {
  dataDir: string;
  /** --clickhouse-url; unset: events in the DuckDB file. */
  clickhouseUrl?: string;
  /** --database-url (PostgreSQL); unset: metadata in the DuckDB file. Only with clickhouseUrl. */
  databaseUrl?: string;
  /** Tests only: stands between the client and chdb, to make ClickHouse fail on purpose. */
  wrapChdbConnection?: (connection: EngineConnection) => EngineConnection;
}

/**
 * Opens the store. A wrong engine setting throws EngineConfigError (one line naming the setting
 * and the fix); the DuckDB file's own failures throw as openDuckDbStore's do.
 */
export async function createStore(config: StoreConfig): Promise<Store> {
  const { dataDir, clickhouseUrl, databaseUrl, wrapChdbConnection, ...options } = config;
  const hasClickHouse = clickhouseUrl !== undefined && clickhouseUrl !== '';
  if (databaseUrl !== undefined && databaseUrl !== '') {
    const target = parsePostgresUrl(databaseUrl);
    // Shared metadata is for several nodes, and they can share events only in ClickHouse: events
    // in each node's own DuckDB file beside shared sites and accounts would split every count.
    if (!hasClickHouse) throw metadataWithoutClickHouse();
    return openClickHouseStore(
      dataDir,
      parseClickHouseUrl(clickhouseUrl),
      options,
      wrapChdbConnection,
      (local) => openPostgresMetadata(local, target),
    );
  }
  if (!hasClickHouse) return openDuckDbStore(dataDir, options);
  return openClickHouseStore(dataDir, parseClickHouseUrl(clickhouseUrl), options, wrapChdbConnection);
}
