// What every data-directory command shares: the --data option, a yes/no prompt, and opening
// the DuckDB file directly (when no server holds it) with a clear error when one does.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { ConfigError } from '../server/config.js';
import { openDuckDbStore, StoreLockedError } from '../store/duckdb/open.js';
import { isUpgradeRefusal } from '../store/duckdb/upgrade.js';
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
}

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
    store = await openDuckDbStore(dir);
  } catch (err) {
    if (err instanceof StoreLockedError || isUpgradeRefusal(err)) throw new ConfigError(err.message);
    throw err;
  }
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
