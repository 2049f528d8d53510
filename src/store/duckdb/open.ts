// Opens (or creates) the DuckDB file in the data directory and exposes it as a Store.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DuckDBBlobValue, type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { footfallError } from '../../errors.js';
import type { LoadMark, NewSite, Salt, Site, SqlValue, Store } from '../types.js';
import { DuckDbAccountStore } from './accounts.js';
import { ConnectionPool } from './connection-pool.js';
import { loadEvents } from './load-events.js';
import { MIGRATIONS } from './schema.js';
import { recordWriter } from './schema-version.js';
import { type Upgrade, type UpgradeDeps, upgradeDue, upgradeFile } from './upgrade.js';

export const DB_FILE = 'footfall.duckdb';

export interface DuckDbOptions {
  /** DuckDB's memory_limit, e.g. '512MB'. */
  memoryLimit?: string;
  threads?: number;
  /** Connections for stats queries, i.e. how many run side by side (default 3). */
  queryConnections?: number;
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

export async function openDuckDbStore(dataDir: string, options: DuckDbOptions = {}): Promise<Store> {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, DB_FILE);
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
    throw err;
  }
  // Ingest loads get a connection of their own (a transaction must not interleave with
  // other statements); another connection serves everything else.
  const loadConn = await instance.connect();
  const readConn = await instance.connect();
  // An older schema is migrated on a copy (upgrade.ts), then opened afresh.
  const due = await upgradeDue(readConn, dataDir).catch((err: unknown) => {
    for (const c of [loadConn, readConn]) c.closeSync();
    instance.closeSync();
    throw err;
  });
  if (due) {
    for (const c of [loadConn, readConn]) c.closeSync();
    instance.closeSync();
    const upgrade = await upgradeFile(file, config, migrate, options.upgradeDeps);
    options.onUpgrade?.(upgrade);
    return openDuckDbStore(dataDir, { ...options, onUpgrade: undefined });
  }
  await migrate(readConn);
  await recordWriter(readConn);
  // Accounts get a third, so their transactions stay apart from site removal's.
  const accountConn = await instance.connect();
  // Reference data for queries (e.g. country and region names) lives in memory, not in the file.
  await readConn.run("ATTACH ':memory:' AS ref");
  return new DuckDbStore(
    instance,
    loadConn,
    readConn,
    accountConn,
    new ConnectionPool(instance, options.queryConnections ?? 3),
  );
}

async function migrate(conn: DuckDBConnection): Promise<void> {
  await conn.run('CREATE TABLE IF NOT EXISTS footfall_meta (key VARCHAR PRIMARY KEY, value VARCHAR)');
  const current = await conn.runAndReadAll("SELECT value FROM footfall_meta WHERE key = 'schema_version'");
  let version = Number(current.getRowsJS()[0]?.[0] ?? 0);
  const before = version;
  for (; version < MIGRATIONS.length; version++) {
    await conn.run('BEGIN TRANSACTION');
    try {
      await conn.run(MIGRATIONS[version]!);
      await conn.run("INSERT OR REPLACE INTO footfall_meta VALUES ('schema_version', $1)", [
        String(version + 1),
      ]);
      await conn.run('COMMIT');
    } catch (err) {
      await conn.run('ROLLBACK').catch(() => {});
      throw err;
    }
  }
  // DuckDB 1.5 cannot replay a WAL holding these CREATE TABLEs (an internal error at the
  // next start), so a crash before the next checkpoint would lock the data directory out.
  if (version > before) await conn.run('CHECKPOINT');
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
  private closed = false;
  private loading: Promise<void> = Promise.resolve();
  readonly accounts: DuckDbAccountStore;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly loadConn: DuckDBConnection,
    private readonly readConn: DuckDBConnection,
    private readonly accountConn: DuckDBConnection,
    private readonly pool: ConnectionPool,
  ) {
    this.accounts = new DuckDbAccountStore(accountConn);
  }

  runQuery(
    sql: string,
    params: readonly SqlValue[],
    options: { timeoutMs: number },
  ): Promise<Record<string, unknown>[]> {
    return this.pool.run(sql, params, options.timeoutMs);
  }

  loadEvents(file: string | undefined, mark: LoadMark): Promise<void> {
    // One transaction at a time on the ingest connection.
    const next = this.loading.then(() => loadEvents(this.loadConn, file, mark));
    this.loading = next.catch(() => {});
    return next;
  }

  async loadMark(): Promise<LoadMark | undefined> {
    const rows = await this.queryRows(
      'SELECT journal_segment, journal_offset FROM ingest_state WHERE id = 1',
    );
    const r = rows[0];
    return r ? { segment: Number(r.journal_segment), offset: Number(r.journal_offset) } : undefined;
  }

  async checkWritable(): Promise<void> {
    await this.readConn.run('UPDATE health SET checked_at = current_timestamp WHERE id = 1');
  }

  async queryRows(
    sql: string,
    params: readonly (string | number | boolean | null)[] = [],
  ): Promise<Record<string, unknown>[]> {
    const reader = await this.readConn.runAndReadAll(sql, params as DuckDBValue[]);
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  }

  async listSites(): Promise<Site[]> {
    const rows = await this.queryRows(
      'SELECT id, domain, timezone, umami_id, created_at FROM sites ORDER BY domain',
    );
    return rows.map(toSite);
  }

  async addSite(site: NewSite): Promise<Site> {
    const existing = await this.queryRows(
      'SELECT domain, umami_id FROM sites WHERE domain = $1 OR umami_id = $2',
      [site.domain, site.umamiId ?? null],
    );
    if (existing.length > 0) {
      const taken = existing[0]!.domain === site.domain ? site.domain : `Umami id ${site.umamiId}`;
      throw footfallError('FOOTFALL_ERR_SITE_EXISTS', taken);
    }
    const rows = await this.queryRows(
      'INSERT INTO sites (domain, timezone, umami_id) VALUES ($1, $2, $3) RETURNING id, domain, timezone, umami_id, created_at',
      [site.domain, site.timezone, site.umamiId ?? null],
    );
    return toSite(rows[0]!);
  }

  async removeSite(domain: string): Promise<boolean> {
    const rows = await this.queryRows('SELECT id FROM sites WHERE domain = $1', [domain]);
    if (rows.length === 0) return false;
    const id = Number(rows[0]!.id);
    await this.readConn.run('BEGIN TRANSACTION');
    try {
      await this.readConn.run('DELETE FROM events WHERE site_id = $1', [id]);
      // Who had access to it goes with it (tables from the accounts migration).
      await this.readConn.run('DELETE FROM site_members WHERE site_id = $1', [id]);
      await this.readConn.run('DELETE FROM api_key_sites WHERE site_id = $1', [id]);
      await this.readConn.run('DELETE FROM share_links WHERE site_id = $1', [id]);
      await this.readConn.run('DELETE FROM sites WHERE id = $1', [id]);
      await this.readConn.run('COMMIT');
    } catch (err) {
      await this.readConn.run('ROLLBACK').catch(() => {});
      throw err;
    }
    return true;
  }

  async setSiteTimezone(domain: string, timezone: string): Promise<Site | undefined> {
    const rows = await this.queryRows(
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

  async addSalt(salt: Salt): Promise<Salt> {
    await this.readConn.run('INSERT INTO salts VALUES ($1::DATE, $2) ON CONFLICT (day) DO NOTHING', [
      salt.day,
      new DuckDBBlobValue(salt.salt),
    ]);
    const rows = await this.queryRows('SELECT salt FROM salts WHERE day = $1::DATE', [salt.day]);
    return { day: salt.day, salt: Buffer.from(rows[0]!.salt as Uint8Array) };
  }

  async deleteSaltsBefore(day: string): Promise<void> {
    await this.readConn.run('DELETE FROM salts WHERE day < $1::DATE', [day]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Fold the WAL into the main file so the next start does not replay it.
    await this.readConn.run('CHECKPOINT').catch(() => {});
    await this.loading;
    await this.pool.close();
    this.loadConn.closeSync();
    this.readConn.closeSync();
    this.accountConn.closeSync();
    this.instance.closeSync();
  }
}
