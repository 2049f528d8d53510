// `footfall compact`: gives the space of deleted rows (retention, removed sites) back to the
// file system. DuckDB never moves live blocks to the front of its file, so after a delete the
// file keeps its size (the blocks go on its free list); only a copy of the database is smaller.
//
// With the server stopped (DuckDB's file lock refuses a second process): the database is
// checkpointed, copied table by table into footfall.duckdb.compacting (`COPY FROM DATABASE`
// keeps sequences where they were), synced, and renamed over footfall.duckdb in one atomic step,
// so a kill at any moment leaves the old file or the new one, complete; a leftover
// .compacting file is removed by the next compaction. The ingest journal and its load mark
// (a table) move with the data, so nothing journaled is lost or loaded twice.
import { chmodSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { PRIVATE_FILE_MODE } from '../private-files.js';
import { lockHolder, StoreLockedError } from './open.js';
import { readDataVersion, SCHEMA_VERSION } from './schema-version.js';
import {
  freeBytes,
  syncFile,
  UPGRADE_HEADROOM_BYTES,
  type UpgradeDeps,
  UpgradeSpaceError,
} from './upgrade.js';

const COMPACTING_SUFFIX = '.compacting';

export interface Compaction {
  before: number;
  after: number;
}

/** Compacts the closed database `file` (see above); throws StoreLockedError while a server holds it. */
export async function compactFile(file: string, deps: UpgradeDeps = {}): Promise<Compaction> {
  const work = file + COMPACTING_SUFFIX;
  rmSync(work, { force: true });
  rmSync(`${work}.wal`, { force: true });
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file);
  } catch (err) {
    const holder = lockHolder(err);
    throw holder === null ? err : new StoreLockedError(file, holder);
  }
  try {
    const conn = await instance.connect();
    const { schema } = await readDataVersion(conn);
    if (schema !== SCHEMA_VERSION) {
      throw new Error(
        `${file} has schema ${schema}, this Footfall ${SCHEMA_VERSION}: start \`footfall serve\` once (it upgrades the file), stop it, then compact`,
      );
    }
    await conn.run('CHECKPOINT');
    conn.closeSync();
  } finally {
    instance.closeSync();
  }
  const before = statSync(file).size;
  const free = (deps.freeBytes ?? freeBytes)(path.dirname(file));
  if (free < before + UPGRADE_HEADROOM_BYTES) {
    throw new UpgradeSpaceError(
      `compacting ${file} needs up to ${Math.ceil((before + UPGRADE_HEADROOM_BYTES) / 2 ** 20)} MB free beside it for the copy, ` +
        `but there are ${Math.ceil(free / 2 ** 20)} MB: free some space and try again (nothing was changed)`,
    );
  }
  const copier = await DuckDBInstance.create(':memory:');
  try {
    const conn = await copier.connect();
    const quote = (p: string) => `'${p.replaceAll("'", "''")}'`;
    await conn.run(`ATTACH ${quote(file)} AS old_db (READ_ONLY)`);
    await conn.run(`ATTACH ${quote(work)} AS new_db`);
    await conn.run('COPY FROM DATABASE old_db TO new_db');
    await conn.run('DETACH old_db');
    await conn.run('CHECKPOINT new_db');
    await conn.run('DETACH new_db');
    conn.closeSync();
  } catch (err) {
    rmSync(work, { force: true });
    throw err;
  } finally {
    copier.closeSync();
  }
  rmSync(`${work}.wal`, { force: true });
  if (!existsSync(work)) throw new Error(`the compacted copy ${work} is missing: nothing was changed`);
  chmodSync(work, PRIVATE_FILE_MODE);
  syncFile(work);
  renameSync(work, file);
  syncFile(path.dirname(file));
  return { before, after: statSync(file).size };
}
