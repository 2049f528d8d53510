// Opens (or creates) the DuckDB file in the data directory: the lock, an older schema's upgrade
// on a copy, migrations, then the connections a DuckDbStore (store.ts) works on.
import { chmodSync, existsSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { diskFix, firstLine } from '../disk-fix.js';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../private-files.js';
import type { Store } from '../types.js';
import { ConnectionPool, DEFAULT_POOL_LIMITS, type PoolLimits } from './connection-pool.js';
import { migrate } from './migrate.js';
import { recordWriter } from './schema-version.js';
import { SerialConnection } from './serial-connection.js';
import { DuckDbStore } from './store.js';
import { type Upgrade, type UpgradeDeps, upgradeDue, upgradeFile } from './upgrade.js';

export const DB_FILE = 'footfall.duckdb';

export interface DuckDbOptions {
  /** DuckDB's memory_limit, e.g. '512MB'. */
  memoryLimit?: string;
  threads?: number;
  /** Stats query connections and their wait line (default DEFAULT_POOL_LIMITS). */
  queryLimits?: PoolLimits;
  /** Told when an older data directory was upgraded (and where its backup is). */
  onUpgrade?: (upgrade: Upgrade) => void;
  upgradeDeps?: UpgradeDeps;
}

/** Thrown when another process holds the database file. */
export class StoreLockedError extends Error {
  constructor(
    readonly file: string,
    readonly pid: number | undefined,
  ) {
    super(
      `the database ${file} is in use by another process${pid ? ` (PID ${pid})` : ''}: ` +
        'stop it, or point --data at another directory',
    );
  }
}

/**
 * When DuckDB refused to open a file because another process holds its lock: that process's
 * id (undefined if DuckDB did not say), else null (another failure).
 */
export function lockHolder(err: unknown): number | undefined | null {
  const message = err instanceof Error ? err.message : String(err);
  if (!/Could not set lock/i.test(message)) return null;
  const pid = /PID (\d+)/.exec(message)?.[1];
  return pid ? Number(pid) : undefined;
}

/** Thrown when the database file cannot be opened or migrated; the message names the fix. */
export class StoreOpenError extends Error {
  constructor(file: string, dataDir: string, cause: unknown) {
    const fix =
      diskFix(cause, dataDir) ??
      `restore it from a backup, or move it (and ${DB_FILE}.wal) aside to start with an empty database; ` +
        'events still in the journal are loaded into it';
    super(`the database ${file} cannot be opened (${firstLine(cause)}): ${fix}`, { cause });
  }
}

/**
 * What in a data directory should be private, for the warning at start (widerThanPrivate).
 * Not the .wal: DuckDB makes it with the process umask whenever it writes (the start itself
 * records the writer's version), so it would warn on every start; the 0700 directory is what
 * keeps it private.
 */
export function privatePaths(dataDir: string): string[] {
  return [dataDir, path.join(dataDir, DB_FILE)];
}

export async function openDuckDbStore(dataDir: string, options: DuckDbOptions = {}): Promise<Store> {
  const file = path.join(dataDir, DB_FILE);
  try {
    makePrivateDir(dataDir);
  } catch (err) {
    throw new StoreOpenError(file, dataDir, err);
  }
  // DuckDB creates the file itself (and refuses an empty one made for it), so a new file is
  // made private right after; until then it sits in a directory only its owner can enter.
  const isNew = !existsSync(file);
  const config: Record<string, string> = { memory_limit: options.memoryLimit ?? '512MB' };
  if (options.threads) config.threads = String(options.threads);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file, config);
  } catch (err) {
    const holder = lockHolder(err);
    if (holder !== null) throw new StoreLockedError(file, holder);
    throw new StoreOpenError(file, dataDir, err);
  }
  if (isNew) chmodSync(file, PRIVATE_FILE_MODE);
  // Ingest loads have a connection of their own; every metadata statement (sites, accounts,
  // salts, migrations), read or write, takes its turn on another, so no two transactions share
  // a connection and no metadata read runs while a metadata write commits. The third serves
  // start-up checks only.
  const load = new SerialConnection(await instance.connect());
  const metadata = new SerialConnection(await instance.connect());
  const readConn = await instance.connect();
  const closeAll = async (): Promise<void> => {
    await load.close();
    await metadata.close();
    readConn.closeSync();
    instance.closeSync();
  };
  // An older schema is migrated on a copy (upgrade.ts), then opened afresh.
  let due: boolean;
  try {
    due = await upgradeDue(readConn, dataDir);
  } catch (err) {
    await closeAll();
    throw err;
  }
  if (due) {
    await closeAll();
    const upgrade = await upgradeFile(
      file,
      config,
      (conn) => migrate(new SerialConnection(conn)),
      options.upgradeDeps,
    );
    options.onUpgrade?.(upgrade);
    return openDuckDbStore(dataDir, { ...options, onUpgrade: undefined });
  }
  try {
    await migrate(metadata);
    await recordWriter(readConn);
  } catch (err) {
    await closeAll();
    throw new StoreOpenError(file, dataDir, err);
  }
  // Reference data for queries (e.g. country and region names) lives in memory, not in the file.
  await readConn.run("ATTACH ':memory:' AS ref");
  return new DuckDbStore(
    instance,
    load,
    metadata,
    readConn,
    new ConnectionPool(instance, options.queryLimits ?? DEFAULT_POOL_LIMITS),
    file,
  );
}
