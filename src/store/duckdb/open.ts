// Opens (or creates) the DuckDB file in the data directory and exposes it as a Store.
import { chmodSync, constants, existsSync, statSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBBlobValue, type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { footfallError } from '../../errors.js';
import { diskFix, firstLine } from '../disk-fix.js';
import type { EventExportRequest } from '../export-format.js';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../private-files.js';
import type { LoadMark, NewSite, Salt, Site, SqlValue, Store } from '../types.js';
import { DuckDbAccountStore } from './accounts.js';
import { ConnectionPool, DEFAULT_POOL_LIMITS, type PoolLimits } from './connection-pool.js';
import { exportSql } from './export-events.js';
import { DuckDbGoalStore } from './goals.js';
import { DuckDbImportedStore, deleteSiteImports } from './imported.js';
import { loadEvents } from './load-events.js';
import { MIGRATIONS } from './schema.js';
import { recordWriter } from './schema-version.js';
import { type Param, SerialConnection } from './serial-connection.js';
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
    const message = err instanceof Error ? err.message : String(err);
    if (/Could not set lock/i.test(message)) {
      const pid = /PID (\d+)/.exec(message)?.[1];
      throw new StoreLockedError(file, pid ? Number(pid) : undefined);
    }
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

async function migrate(metadata: SerialConnection): Promise<void> {
  await metadata.rows('CREATE TABLE IF NOT EXISTS footfall_meta (key VARCHAR PRIMARY KEY, value VARCHAR)');
  const current = await metadata.rows("SELECT value FROM footfall_meta WHERE key = 'schema_version'");
  let version = Number(current[0]?.value ?? 0);
  const before = version;
  for (; version < MIGRATIONS.length; version++) {
    const next = String(version + 1);
    await metadata.transaction(async (tx) => {
      await tx.run(MIGRATIONS[version]!);
      await tx.run("INSERT OR REPLACE INTO footfall_meta VALUES ('schema_version', $1)", [next]);
    });
  }
  // DuckDB 1.5 cannot replay a WAL holding these CREATE TABLEs (an internal error at the
  // next start), so a crash before the next checkpoint would lock the data directory out.
  if (version > before) await metadata.rows('CHECKPOINT');
}

function toSite(row: Record<string, unknown>): Site {
  return {
    id: Number(row.id),
    domain: String(row.domain),
    timezone: String(row.timezone),
    umamiId: row.umami_id === null || row.umami_id === undefined ? null : String(row.umami_id),
    createdAt: row.created_at as Date,
  };
}

class DuckDbStore implements Store {
  readonly engine = 'duckdb';
  private closed = false;
  readonly accounts: DuckDbAccountStore;
  readonly goals: DuckDbGoalStore;
  readonly imported: DuckDbImportedStore;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly load: SerialConnection,
    private readonly metadata: SerialConnection,
    private readonly readConn: DuckDBConnection,
    private readonly pool: ConnectionPool,
    private readonly file: string,
  ) {
    this.accounts = new DuckDbAccountStore((sql, params) => this.queryRows(sql, params), metadata);
    this.goals = new DuckDbGoalStore((sql, params) => this.queryRows(sql, params), metadata);
    this.imported = new DuckDbImportedStore(metadata);
  }

  runQuery(
    sql: string,
    params: readonly SqlValue[],
    options: { timeoutMs: number },
  ): Promise<Record<string, unknown>[]> {
    return this.pool.run(sql, params, options.timeoutMs);
  }

  async exportEvents(req: EventExportRequest, file: string, options: { timeoutMs: number }): Promise<number> {
    try {
      const [row] = await this.pool.run(exportSql(req, file), [], options.timeoutMs);
      return Number(row?.Count ?? 0);
    } finally {
      // Back to DuckDB's default for the statements that take this connection next.
      await this.pool.run('RESET preserve_insertion_order', [], options.timeoutMs).catch(() => {});
    }
  }

  snapshot(file: string): Promise<number> {
    // In the turns of both writing connections: no load and no metadata write runs, so after
    // the checkpoint the file holds every committed change and nothing changes it until the
    // copy is done (stats queries only read). COPYFILE_EXCL: never over an existing file.
    return this.load.serial(() =>
      this.metadata.serial(async (tx) => {
        await tx.run('CHECKPOINT');
        await copyFile(this.file, file, constants.COPYFILE_EXCL);
        chmodSync(file, PRIVATE_FILE_MODE);
        return statSync(file).size;
      }),
    );
  }

  loadEvents(file: string | undefined, mark: LoadMark): Promise<number> {
    return loadEvents(this.load, file, mark);
  }

  async loadMark(): Promise<LoadMark | undefined> {
    const rows = await this.queryRows(
      'SELECT journal_segment, journal_offset FROM ingest_state WHERE id = 1',
    );
    const r = rows[0];
    return r ? { segment: Number(r.journal_segment), offset: Number(r.journal_offset) } : undefined;
  }

  async lastSessionId(): Promise<bigint> {
    const rows = await this.queryRows('SELECT coalesce(max(session_id), 0) AS last FROM events');
    return BigInt(rows[0]!.last as bigint);
  }

  async checkWritable(): Promise<void> {
    await this.metadata.rows('UPDATE health SET checked_at = current_timestamp WHERE id = 1');
  }

  queryRows(sql: string, params: readonly Param[] = []): Promise<Record<string, unknown>[]> {
    // In the metadata connection's turn. DuckDB 1.5.6 crashed (SIGSEGV copying strings into a
    // result) about once in 20 runs of test/api/concurrent-writes.test.ts when a session or
    // site read ran on its own connection while another committed an UPDATE to the same
    // rows; metadata statements are a few milliseconds, so taking turns costs nothing noticeable.
    return this.metadata.rows(sql, params);
  }

  async listSites(): Promise<Site[]> {
    const rows = await this.queryRows(
      'SELECT id, domain, timezone, umami_id, created_at FROM sites ORDER BY domain',
    );
    return rows.map(toSite);
  }

  addSite(site: NewSite): Promise<Site> {
    // The check and the insert in one turn: of two concurrent adds, the second sees the first.
    return this.metadata.transaction(async (tx) => {
      const existing = await tx.rows(
        'SELECT domain, umami_id FROM sites WHERE domain = $1 OR umami_id = $2',
        [site.domain, site.umamiId ?? null],
      );
      if (existing.length > 0) {
        const taken = existing[0]!.domain === site.domain ? site.domain : `Umami id ${site.umamiId}`;
        throw footfallError('FOOTFALL_ERR_SITE_EXISTS', taken);
      }
      const rows = await tx.rows(
        'INSERT INTO sites (domain, timezone, umami_id) VALUES ($1, $2, $3) RETURNING id, domain, timezone, umami_id, created_at',
        [site.domain, site.timezone, site.umamiId ?? null],
      );
      return toSite(rows[0]!);
    });
  }

  removeSite(domain: string): Promise<boolean> {
    // In the ingest connection's turn, so no load is running: one that began before the delete
    // committed would still see the site and insert its journaled events after it (orphans).
    return this.load.serial(() =>
      this.metadata.transaction(async (tx) => {
        const rows = await tx.rows('SELECT id FROM sites WHERE domain = $1', [domain]);
        if (rows.length === 0) return false;
        const id = Number(rows[0]!.id);
        await tx.run('DELETE FROM events WHERE site_id = $1', [id]);
        await tx.run('DELETE FROM visits WHERE site_id = $1', [id]);
        // Who had access to it goes with it (tables from the accounts migration).
        await tx.run('DELETE FROM site_members WHERE site_id = $1', [id]);
        await tx.run('DELETE FROM api_key_sites WHERE site_id = $1', [id]);
        await tx.run('DELETE FROM share_links WHERE site_id = $1', [id]);
        await tx.run('DELETE FROM goals WHERE site_id = $1', [id]);
        await deleteSiteImports(tx, id);
        await tx.run('DELETE FROM sites WHERE id = $1', [id]);
        return true;
      }),
    );
  }

  async setSiteTimezone(domain: string, timezone: string): Promise<Site | undefined> {
    const rows = await this.metadata.rows(
      'UPDATE sites SET timezone = $1 WHERE domain = $2 RETURNING id, domain, timezone, umami_id, created_at',
      [timezone, domain],
    );
    return rows[0] ? toSite(rows[0]) : undefined;
  }

  async listSalts(): Promise<Salt[]> {
    const rows = await this.queryRows(
      "SELECT strftime(day, '%Y-%m-%d') AS day, salt FROM salts ORDER BY day",
    );
    return rows.map((r) => ({ day: String(r.day), salt: Buffer.from(r.salt as Uint8Array) }));
  }

  addSalt(salt: Salt): Promise<Salt> {
    return this.metadata.serial(async (tx) => {
      await tx.run('INSERT INTO salts VALUES ($1::DATE, $2) ON CONFLICT (day) DO NOTHING', [
        salt.day,
        new DuckDBBlobValue(salt.salt),
      ]);
      const rows = await tx.rows('SELECT salt FROM salts WHERE day = $1::DATE', [salt.day]);
      return { day: salt.day, salt: Buffer.from(rows[0]!.salt as Uint8Array) };
    });
  }

  async deleteSaltsBefore(day: string): Promise<void> {
    await this.metadata.rows('DELETE FROM salts WHERE day < $1::DATE', [day]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.load.close();
    await this.metadata.serial(async (tx) => {
      // Fold the WAL into the main file so the next start does not replay it.
      await tx.run('CHECKPOINT').catch(() => {});
    });
    await this.metadata.close();
    await this.pool.close();
    this.readConn.closeSync();
    this.instance.closeSync();
  }
}
