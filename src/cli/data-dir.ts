// What every data-directory command shares: the --data option, a yes/no prompt, and opening
// the DuckDB file directly (when no server holds it) with a clear error when one does.
import { createInterface } from 'node:readline/promises';
import { ConfigError } from '../server/config.js';
import { openDuckDbStore, StoreLockedError } from '../store/duckdb/open.js';
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

/** Opens the data directory's store for `fn` and closes it after. */
export async function withLocalStore<T>(dir: string, fn: (store: Store) => Promise<T>): Promise<T> {
  let store: Store;
  try {
    store = await openDuckDbStore(dir);
  } catch (err) {
    if (err instanceof StoreLockedError) throw new ConfigError(err.message);
    throw err;
  }
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
