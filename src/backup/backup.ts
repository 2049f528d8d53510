// `footfall backup` and `footfall restore`. A backup is one file: a consistent copy of the
// data directory's DuckDB database (sites, accounts, salts, goals… and, on DuckDB, every
// event), taken by the store between two writes after every acknowledged event was loaded
// (store.snapshot). Restoring copies it into an empty data directory, after checking it is a
// Footfall database this version can open, and forgets the original's journal position: the
// new directory's journal starts afresh, and a stale position would make its first segments
// look loaded already.
import { chmodSync, existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tempFileIn } from '../export/temp-file.js';
import { ConfigError } from '../server/config.js';
import { DB_FILE } from '../store/duckdb/open.js';
import { SCHEMA_VERSION } from '../store/duckdb/schema-version.js';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../store/private-files.js';
import type { SnapshotStore } from '../store/types.js';

export interface BackupSummary {
  schemaVersion: number;
  sites: number;
  events: number;
}

/** Takes a snapshot into <data>/exports/; the caller streams or moves it, then removes it. */
export async function writeSnapshot(store: SnapshotStore, dataDir: string): Promise<string> {
  const file = tempFileIn(dataDir, 'duckdb');
  try {
    await store.snapshot(file);
    return file;
  } catch (err) {
    rmSync(file, { force: true });
    throw err;
  }
}

/** Opens a backup read-only and says what it holds; a ConfigError naming the file otherwise. */
export async function inspectBackup(file: string): Promise<BackupSummary> {
  if (!existsSync(file)) throw new ConfigError(`${file} does not exist`);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  } catch (err) {
    throw new ConfigError(
      `${file} is not a Footfall backup (${firstLine(err)}): give a file \`footfall backup\` wrote`,
    );
  }
  try {
    const conn = await instance.connect();
    try {
      const read = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS()[0] ?? {};
      let version: number;
      try {
        version = Number((await read("SELECT value FROM footfall_meta WHERE key = 'schema_version'")).value);
      } catch {
        throw new ConfigError(
          `${file} is a DuckDB database but not Footfall's: give a file \`footfall backup\` wrote`,
        );
      }
      if (!Number.isInteger(version) || version < 1)
        throw new ConfigError(`${file} has no Footfall schema version`);
      if (version > SCHEMA_VERSION) {
        throw new ConfigError(
          `${file} was written by a newer Footfall (schema ${version}, this one knows ${SCHEMA_VERSION}): restore it with that version or newer`,
        );
      }
      const sites = Number((await read('SELECT count(*) AS n FROM sites')).n);
      const events = Number((await read('SELECT count(*) AS n FROM events')).n);
      return { schemaVersion: version, sites, events };
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** Copies a checked backup into an empty (or new) data directory. */
export async function restoreBackup(file: string, dataDir: string): Promise<BackupSummary> {
  const summary = await inspectBackup(file);
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new ConfigError(
      `${dataDir} is not empty: restore into a new directory (nothing there is overwritten), then point --data at it`,
    );
  }
  makePrivateDir(dataDir);
  const target = path.join(dataDir, DB_FILE);
  const part = `${target}.part`;
  try {
    await copyFile(file, part);
    chmodSync(part, PRIVATE_FILE_MODE);
    const instance = await DuckDBInstance.create(part);
    try {
      const conn = await instance.connect();
      // This directory's journal is new: no segment of it is loaded yet.
      await conn.run('DELETE FROM ingest_state');
      await conn.run('CHECKPOINT');
      conn.closeSync();
    } finally {
      instance.closeSync();
    }
    renameSync(part, target);
  } catch (err) {
    rmSync(part, { force: true });
    throw err;
  }
  return summary;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}
