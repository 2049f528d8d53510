// What the ClickHouse tests share: whether chdb (ClickHouse's engine as an npm package, kept
// out of package.json for its ~540 MB) is installed — without it each suite is skipped with
// one line saying how to run it — and a chdb URL in a test's data directory. chdb holds one
// directory per process, so a test closes its store before the next opens another.
import { createRequire } from 'node:module';
import path from 'node:path';
import { CHDB_INSTALL } from '../../src/store/clickhouse/client.js';

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
