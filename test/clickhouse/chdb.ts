// What the ClickHouse tests share: whether chdb (ClickHouse's engine as an npm package, kept
// out of package.json for its ~540 MB) is installed — without it each suite is skipped with
// one line saying how to run it — and a chdb URL in a test's data directory. chdb holds one
// directory per process, so a test closes its store before the next opens another.
import { createRequire } from 'node:module';
import path from 'node:path';
import { CHDB_INSTALL } from '../../src/store/clickhouse/client.js';
import { createStore } from '../../src/store/create-store.js';
import type { SqlValue } from '../../src/store/types.js';

function installed(): boolean {
  try {
    createRequire(import.meta.url).resolve('chdb/connection');
    return true;
  } catch {
    return false;
  }
}

/** `describe(name, { skip: CHDB_SKIP }, …)`: false when chdb is installed, else the reason. */
export const CHDB_SKIP: string | false = installed() ? false : `chdb not installed: ${CHDB_INSTALL}`;

/** --clickhouse-url for ClickHouse in this process, its files under the data directory. */
export function chdbUrl(dataDir: string): string {
  return `chdb:${path.join(dataDir, 'clickhouse')}`;
}

/** Reads rows from ClickHouse once the data directory's server has stopped. */
export async function readClickHouse(
  dataDir: string,
  sql: string,
  params: SqlValue[] = [],
): Promise<Record<string, unknown>[]> {
  const store = await createStore({ dataDir, clickhouseUrl: chdbUrl(dataDir) });
  try {
    return await store.runQuery(sql, params, { timeoutMs: 30_000 });
  } finally {
    await store.close();
  }
}
