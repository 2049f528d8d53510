// The one place that picks the event engine: DuckDB in the data directory (the default), or
// ClickHouse when --clickhouse-url is set (events there, metadata still in the data directory).
// The server, the CLI and the tests open stores only through here.
import type { EngineConnection } from './clickhouse/client.js';
import { openClickHouseStore } from './clickhouse/open.js';
import { parseClickHouseUrl } from './clickhouse/url.js';
import { type DuckDbOptions, openDuckDbStore } from './duckdb/open.js';
import type { Store } from './types.js';

export interface StoreConfig extends DuckDbOptions {
  dataDir: string;
  /** --clickhouse-url; unset: events in the DuckDB file. */
  clickhouseUrl?: string;
  /** Tests only: stands between the client and chdb, to make ClickHouse fail on purpose. */
  wrapChdbConnection?: (connection: EngineConnection) => EngineConnection;
}

/**
 * Opens the store. A wrong engine setting throws EngineConfigError (one line naming the setting
 * and the fix); the DuckDB file's own failures throw as openDuckDbStore's do.
 */
export function createStore(config: StoreConfig): Promise<Store> {
  const { dataDir, clickhouseUrl, wrapChdbConnection, ...options } = config;
  if (clickhouseUrl === undefined || clickhouseUrl === '') return openDuckDbStore(dataDir, options);
  return openClickHouseStore(dataDir, parseClickHouseUrl(clickhouseUrl), options, wrapChdbConnection);
}
