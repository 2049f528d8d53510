// The DuckDB engine as a Store: events, stats queries, exports and snapshots on the file's
// connections; sites, salts, accounts and goals in their own modules on the metadata connection.
import { chmodSync, constants, statSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { EventExportRequest } from '../export-format.js';
import { PRIVATE_FILE_MODE } from '../private-files.js';
import type { BulkImportStore, LoadMark, NewSite, Salt, Site, SqlValue, Store } from '../types.js';
import { DuckDbAccountStore } from './accounts.js';
import { duckDbBulkImport } from './bulk-import.js';
import type { ConnectionPool } from './connection-pool.js';
import { exportSql } from './export-events.js';
import { DuckDbFunnelStore } from './funnels.js';
import { DuckDbGoalStore } from './goals.js';
import { DuckDbImportedStore } from './imported.js';
import { DuckDbJobStore } from './jobs.js';
import { loadEvents } from './load-events.js';
import { deleteEventsBefore } from './retention.js';
import { daysToRoll, goalDaysToRoll, rollDay, rollGoals } from './rollups.js';
import { DuckDbSaltStore } from './salts.js';
import { DuckDbSegmentStore } from './segments.js';
import type { Param, SerialConnection } from './serial-connection.js';
import { DuckDbSiteStore } from './sites.js';

export class DuckDbStore implements Store {
  readonly engine = 'duckdb';
  private closed = false;
  readonly accounts: DuckDbAccountStore;
  readonly goals: DuckDbGoalStore;
  readonly segments: DuckDbSegmentStore;
  readonly jobs: DuckDbJobStore;
  readonly funnels: DuckDbFunnelStore;
  readonly imported: DuckDbImportedStore;
  readonly bulkImport: BulkImportStore;
  private readonly sites: DuckDbSiteStore;
  private readonly salts: DuckDbSaltStore;

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
    this.segments = new DuckDbSegmentStore((sql, params) => this.queryRows(sql, params), metadata);
    this.jobs = new DuckDbJobStore((sql, params) => this.queryRows(sql, params), metadata);
    this.funnels = new DuckDbFunnelStore((sql, params) => this.queryRows(sql, params), metadata);
    this.imported = new DuckDbImportedStore(metadata);
    this.bulkImport = duckDbBulkImport(load);
    this.sites = new DuckDbSiteStore(metadata, load);
    this.salts = new DuckDbSaltStore(metadata);
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

  async lastSessionId(range?: { from: bigint; to: bigint }): Promise<bigint> {
    const rows = range
      ? await this.queryRows(
          'SELECT coalesce(max(session_id), 0) AS last FROM events WHERE session_id >= $1::UBIGINT AND session_id < $2::UBIGINT',
          [range.from.toString(), range.to.toString()],
        )
      : await this.queryRows('SELECT coalesce(max(session_id), 0) AS last FROM events');
    return BigInt(rows[0]!.last as bigint);
  }

  deleteEventsBefore(siteId: number, cutMs: number): Promise<number> {
    return deleteEventsBefore(this.load, this.metadata, siteId, cutMs);
  }

  /**
   * Rolls up to `maxDays` finished salt days (rollups.ts), each in its own turn of the ingest
   * connection so loads go on between them, then rolls goals made or changed since into days
   * already rolled (a day each counts as one); resolves with the number of days done.
   */
  async rollUp(nowMs: number, maxDays: number): Promise<number> {
    let done = 0;
    for (const site of await this.listSites()) {
      if (done >= maxDays) break;
      const goals = await this.goals.listGoals(site.domain);
      const days = await this.load.transaction((tx) => daysToRoll(tx, site, nowMs, maxDays - done));
      for (const day of days) {
        if (await this.load.transaction((tx) => rollDay(tx, site, day, goals))) done++;
      }
      if (done >= maxDays) break;
      const goalDays = await this.load.transaction((tx) =>
        goalDaysToRoll(tx, site.id, goals, maxDays - done),
      );
      for (const day of goalDays) {
        await this.load.transaction((tx) => rollGoals(tx, site, day, goals));
        done++;
      }
    }
    return done;
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

  listSites(): Promise<Site[]> {
    return this.sites.listSites();
  }

  addSite(site: NewSite): Promise<Site> {
    return this.sites.addSite(site);
  }

  removeSite(domain: string): Promise<boolean> {
    return this.sites.removeSite(domain);
  }

  setSiteTimezone(domain: string, timezone: string): Promise<Site | undefined> {
    return this.sites.setSiteTimezone(domain, timezone);
  }

  listSalts(): Promise<Salt[]> {
    return this.salts.listSalts();
  }

  addSalt(salt: Salt): Promise<Salt> {
    return this.salts.addSalt(salt);
  }

  deleteSaltsBefore(day: string): Promise<void> {
    return this.salts.deleteSaltsBefore(day);
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
