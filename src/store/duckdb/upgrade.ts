// Moving a data directory to a newer schema without a way to lose it.
//
// The migrations never run on the live file. The database is checkpointed (so the file alone
// holds everything), copied to footfall.duckdb.upgrading, migrated and checkpointed there; the
// old file is then hard-linked as footfall.duckdb.backup-schema-<n> and the upgraded copy
// renamed over footfall.duckdb, one atomic step. Killed at any moment (kill -9, power loss),
// the directory holds either the old database, untouched, or the new one, complete; a
// leftover .upgrading file is removed at the next start, which then upgrades again. (Running
// migrations in place would also leave a WAL full of CREATE TABLEs, which DuckDB 1.5 cannot
// replay: see migrate() in open.ts.)
//
// The backup costs no space (a second name for the old file's blocks) until the upgraded
// file replaces it; the copy needs the database's size free, checked before anything is
// written. Backups are kept until the next successful `footfall serve` (pruneBackups).
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  linkSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statfsSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { DataTooNewError, readDataVersion, recordWriter, SCHEMA_VERSION } from './schema-version.js';

export const UPGRADING_SUFFIX = '.upgrading';
const BACKUP = /^(.+)\.backup-schema-(\d+)$/;

/** Room kept free beyond the copy, for the migrations' own growth and the WAL. */
export const UPGRADE_HEADROOM_BYTES = 64 * 1024 * 1024;

export interface Upgrade {
  from: number;
  to: number;
  /** The old database, kept beside the new one. */
  backup: string;
}

export interface UpgradeDeps {
  /** Bytes free to this process on the data directory's file system (injected by tests). */
  freeBytes?: (dir: string) => number;
}

/** Thrown when there is not room for the upgraded copy; nothing has been written. */
export class UpgradeSpaceError extends Error {}

/** Refusals to show as one line (a newer data directory, no room to upgrade), not as crashes. */
export function isUpgradeRefusal(err: unknown): err is Error {
  return err instanceof DataTooNewError || err instanceof UpgradeSpaceError;
}

export function freeBytes(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

export function backupName(file: string, schema: number): string {
  return `${file}.backup-schema-${schema}`;
}

/**
 * Whether the open database needs an upgrade. Throws DataTooNewError for a newer schema;
 * when an upgrade is due, checkpoints so the closed file holds everything.
 */
export async function upgradeDue(conn: DuckDBConnection, dataDir: string): Promise<boolean> {
  const found = await readDataVersion(conn);
  if (found.schema > SCHEMA_VERSION) throw new DataTooNewError(dataDir, found);
  // Schema 0 is a new file with nothing to lose: it is migrated in place.
  if (found.schema === 0 || found.schema === SCHEMA_VERSION) return false;
  await conn.run('CHECKPOINT');
  return true;
}

/**
 * Upgrades the closed database `file` with `migrate` as described at the top. The caller
 * holds no connection to it. Returns what was done.
 */
export async function upgradeFile(
  file: string,
  config: Record<string, string>,
  migrate: (conn: DuckDBConnection) => Promise<void>,
  deps: UpgradeDeps = {},
): Promise<Upgrade> {
  const dir = path.dirname(file);
  const work = file + UPGRADING_SUFFIX;
  removeLeftovers(file);
  // upgradeDue() checkpointed and the caller closed the database, so DuckDB removed its WAL;
  // one still here holds changes the copy would miss.
  if (existsSync(`${file}.wal`))
    throw new Error(`${file}.wal is still there after a checkpoint: not upgrading`);
  const size = statSync(file).size;
  const free = (deps.freeBytes ?? freeBytes)(dir);
  if (free < size + UPGRADE_HEADROOM_BYTES) {
    throw new UpgradeSpaceError(
      `upgrading ${file} needs ${mb(size + UPGRADE_HEADROOM_BYTES)} free beside it for a copy, ` +
        `but ${dir} has ${mb(free)}: free some space and start again (nothing was changed)`,
    );
  }
  copyFileSync(file, work);
  const instance = await DuckDBInstance.create(work, config);
  let from: number;
  try {
    const conn = await instance.connect();
    from = (await readDataVersion(conn)).schema;
    await migrate(conn);
    await recordWriter(conn);
    await conn.run('CHECKPOINT');
    conn.closeSync();
  } finally {
    instance.closeSync();
  }
  // The checkpoint left nothing in a WAL; a stray one must not be replayed onto the new file.
  rmSync(`${work}.wal`, { force: true });
  syncFile(work);
  const backup = backupName(file, from);
  rmSync(backup, { force: true });
  try {
    linkSync(file, backup);
  } catch {
    copyFileSync(file, backup); // a file system without hard links
  }
  syncFile(backup);
  renameSync(work, file);
  syncFile(dir);
  return { from, to: SCHEMA_VERSION, backup };
}

/** Removes what an upgrade killed half-way left: the copy being migrated and its WAL. */
export function removeLeftovers(file: string): void {
  rmSync(file + UPGRADING_SUFFIX, { force: true });
  rmSync(`${file}${UPGRADING_SUFFIX}.wal`, { force: true });
}

/** The upgrade backups beside `file`, oldest schema first. */
export function listBackups(file: string): string[] {
  const dir = path.dirname(file);
  const base = path.basename(file);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => BACKUP.exec(name))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === base)
    .sort((a, b) => Number(a[2]) - Number(b[2]))
    .map((m) => path.join(dir, m[0]));
}

/** After a successful start: the backups of earlier upgrades are no longer needed. */
export function pruneBackups(file: string, keep: string | undefined): string[] {
  const removed = listBackups(file).filter((b) => b !== keep);
  for (const b of removed) rmSync(b, { force: true });
  return removed;
}

/** fsync of a file or directory (its entries: a rename is durable after its directory's). */
export function syncFile(p: string): void {
  const fd = openSync(p, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function mb(bytes: number): string {
  return `${Math.ceil(bytes / (1024 * 1024))} MB`;
}
