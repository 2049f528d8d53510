// What every data-directory command shares: the --data option, a yes/no prompt, and opening
// the store directly (when no server holds it) with a clear error when one does. The events
// engine follows FOOTFALL_CLICKHOUSE_URL (or a command's --clickhouse-url), as the server
// does, so removing a site from the command line removes its events from ClickHouse too.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { ConfigError } from '../server/config.js';
import { createStore } from '../store/create-store.js';
import { StoreLockedError } from '../store/duckdb/open.js';
import { isUpgradeRefusal } from '../store/duckdb/upgrade.js';
import { EngineConfigError } from '../store/engine-config-error.js';
import type { Store } from '../store/types.js';

export const DATA_HELP = 'data directory (env FOOTFALL_DATA, default ./data)';

export function dataDir(opts: { data?: string }): string {
  return opts.data ?? (process.env.FOOTFALL_DATA || './data');
}

/** Asks on a terminal; anything but "y"/"yes" (or no terminal at all) is a no. */
export async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** Whether a command may make a new data directory: only the ones that add something do. */
export interface LocalStoreOptions {
  create?: boolean;
  /** --clickhouse-url; unset: FOOTFALL_CLICKHOUSE_URL, else events in the DuckDB file. */
  clickhouseUrl?: string;
}

export const CLICKHOUSE_HELP =
  'keep events in ClickHouse: http(s)://user:pass@host:8123/db or chdb:<dir> (env FOOTFALL_CLICKHOUSE_URL)';

/**
 * Opens the data directory's store for `fn` and closes it after. Commands that only read or
 * remove refuse a directory without a database: a typo in --data must not leave a fresh, empty
 * data directory behind and answer "no sites".
 */
export async function withLocalStore<T>(
  dir: string,
  fn: (store: Store) => Promise<T>,
  options: LocalStoreOptions = {},
): Promise<T> {
  if (!options.create && !existsSync(path.join(dir, 'footfall.duckdb'))) {
    throw new ConfigError(
      `no Footfall data in ${dir} (${path.join(dir, 'footfall.duckdb')} does not exist): pass --data (or FOOTFALL_DATA) naming the directory \`footfall serve\` uses`,
    );
  }
  let store: Store;
  try {
    store = await createStore({
      dataDir: dir,
      clickhouseUrl: options.clickhouseUrl ?? process.env.FOOTFALL_CLICKHOUSE_URL,
      // The metadata where the server keeps it (site and user commands on a stopped node).
      databaseUrl: process.env.FOOTFALL_DATABASE_URL,
    });
  } catch (err) {
    if (err instanceof StoreLockedError || err instanceof EngineConfigError || isUpgradeRefusal(err)) {
      throw new ConfigError(err.message);
    }
    throw err;
  }
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
