// The ClickHouse store: events in ClickHouse, everything else — sites, accounts, salts and
// the ingest mark — in the data directory's DuckDB file, so a single node needs no second
// database for its metadata (or, with --database-url, the shared metadata in PostgreSQL:
// postgres/open.ts). Loads are idempotent per journal segment (load-events.ts): the
// segment is inserted into ClickHouse, then its mark is recorded in DuckDB; a crash between
// the two re-inserts the segment at the next start, and ClickHouse drops the repeat.
import type { ClickHouseClient } from '@clickhouse/client';
import { FootfallError } from '../../errors.js';
import type { AccountStore } from '../accounts.js';
import type { ClusterStore } from '../cluster.js';
import { firstLine } from '../disk-fix.js';
import { type DuckDbOptions, openDuckDbStore } from '../duckdb/open.js';
import { EngineConfigError } from '../engine-config-error.js';
import type { EventExportRequest } from '../export-format.js';
import type { FunnelStore } from '../funnels.js';
import type { GoalStore } from '../goals.js';
import type { ImportedStore } from '../imported.js';
import type { JobStore } from '../jobs.js';
import { DEFAULT_POOL_LIMITS, QueryGate } from '../query-gate.js';
import type { SegmentStore } from '../segments.js';
import type { LoadMark, NewSite, Salt, Site, SqlValue, Store } from '../types.js';
import { type EngineConnection, openClickHouseClient } from './client.js';
import { engineError } from './engine-errors.js';
import { exportEventsFrom } from './export-events.js';
import { loadEventsInto } from './load-events.js';
import { runClickHouseQuery } from './run-query.js';
import { migrate } from './schema.js';
import { CLICKHOUSE_SETTING, type ClickHouseTarget } from './url.js';

export async function openClickHouseStore(
  dataDir: string,
  target: ClickHouseTarget,
  options: DuckDbOptions = {},
  wrapConnection?: (connection: EngineConnection) => EngineConnection,
  /** Puts the metadata elsewhere (PostgreSQL, --database-url), given the node's DuckDB store. */
  metadataBeside?: (local: Store) => Promise<Store>,
): Promise<Store> {
  // The DuckDB file first: its lock says clearly when another Footfall runs on this data
  // directory, before a second process would reach for the same chdb directory.
  const local = await openDuckDbStore(dataDir, options);
  let metadata = local;
  if (metadataBeside) {
    try {
      metadata = await metadataBeside(local);
    } catch (err) {
      await local.close();
      throw err;
    }
  }
  let client: ClickHouseClient;
  try {
    client = await openClickHouseClient(target, wrapConnection);
  } catch (err) {
    await metadata.close();
    throw err;
  }
  try {
    await migrate(client);
  } catch (err) {
    await client.close().catch(() => {});
    await metadata.close();
    throw new EngineConfigError(
      `${CLICKHOUSE_SETTING}: the events schema cannot be made in ${target.shown} (${firstLine(err)}): ` +
        'give the user the CREATE TABLE, INSERT, SELECT and ALTER DELETE grants on the database, or upgrade Footfall if it says newer',
    );
  }
  return new ClickHouseStore(client, metadata, new QueryGate(options.queryLimits ?? DEFAULT_POOL_LIMITS));
}

class ClickHouseStore implements Store {
  readonly engine = 'clickhouse';
  readonly accounts: AccountStore;
  readonly goals: GoalStore;
  readonly segments: SegmentStore;
  readonly jobs: JobStore;
  readonly funnels: FunnelStore;
  /** In the local metadata file, as in DuckDB mode (store/imported.ts). */
  readonly imported: ImportedStore;
  readonly cluster: ClusterStore | undefined;
  /** Loads and site removals take turns, so no load inserts events of a site being removed. */
  private turn: Promise<unknown> = Promise.resolve();
  private closed = false;
  private knownSites: Set<number> | undefined;

  constructor(
    private readonly client: ClickHouseClient,
    private readonly metadata: Store,
    private readonly gate: QueryGate,
  ) {
    this.accounts = metadata.accounts;
    this.goals = metadata.goals;
    this.segments = metadata.segments;
    this.jobs = metadata.jobs;
    this.funnels = metadata.funnels;
    this.imported = metadata.imported;
    this.cluster = metadata.cluster;
  }

  private inTurn<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.turn.then(fn, fn);
    this.turn = run.catch(() => {});
    return run;
  }

  /** The local metadata only: the events are in ClickHouse, which has its own BACKUP. */
  snapshot(file: string): Promise<number> {
    return this.metadata.snapshot(file);
  }

  exportEvents(req: EventExportRequest, file: string, options: { timeoutMs: number }): Promise<number> {
    return exportEventsFrom(this.client, this.gate, req, file, options.timeoutMs);
  }

  runQuery(sql: string, params: readonly SqlValue[], options: { timeoutMs: number }) {
    return runClickHouseQuery(this.client, sql, params, options.timeoutMs, this.gate);
  }

  /**
   * The ids of the sites whose events are loaded. While the metadata database cannot be reached
   * (PostgreSQL, --database-url), the last list read: loads do not wait for PostgreSQL, so the
   * journal does not grow through an outage. (A site another node removes meanwhile may then
   * keep the events loaded here after its removal; they are counted under no site.)
   */
  private async loadableSites(): Promise<Set<number>> {
    try {
      return new Set((await this.listSites()).map((s) => s.id));
    } catch (err) {
      const unreachable = err instanceof FootfallError && err.code === 'FOOTFALL_ERR_METADATA_UNAVAILABLE';
      if (!unreachable || this.knownSites === undefined) throw err;
      return this.knownSites;
    }
  }

  loadEvents(file: string | undefined, mark: LoadMark): Promise<number> {
    return this.inTurn(async () => {
      let inserted = 0;
      if (file) {
        const sites = await this.loadableSites();
        try {
          inserted = await loadEventsInto(this.client, file, mark, sites);
        } catch (err) {
          throw engineError(err);
        }
      }
      // Only the mark: DuckDB's own events table stays empty in this mode.
      await this.metadata.loadEvents(undefined, mark);
      return inserted;
    });
  }

  loadMark(): Promise<LoadMark | undefined> {
    return this.metadata.loadMark();
  }

  async lastSessionId(range?: { from: bigint; to: bigint }): Promise<bigint> {
    const rows = await runClickHouseQuery(
      this.client,
      range
        ? 'SELECT max(session_id) AS last FROM events WHERE session_id >= toUInt64({p1:String}) AND session_id < toUInt64({p2:String})'
        : 'SELECT max(session_id) AS last FROM events',
      range ? [range.from.toString(), range.to.toString()] : [],
      30_000,
    );
    return BigInt((rows[0]?.last as number | bigint | undefined) ?? 0);
  }

  deleteEventsBefore(siteId: number, cutMs: number): Promise<number> {
    // In the loads' turn, as a site removal. A lightweight DELETE (as removeSite, and for the same
    // reason): the rows are hidden from every query when it returns; ClickHouse frees their space
    // as it merges parts, and drops a month's partition file whole once all of it is deleted.
    return this.inTurn(async () => {
      const params = { site: siteId, cut: cutMs };
      const where = 'site_id = {site:UInt32} AND ts < fromUnixTimestamp64Milli({cut:Int64})';
      try {
        const [row] = await (
          await this.client.query({
            query: `SELECT count() AS n FROM events WHERE ${where}`,
            query_params: params,
            format: 'JSONEachRow',
          })
        ).json<{ n: string | number }>();
        const n = Number(row?.n ?? 0);
        if (n > 0)
          await this.client.command({ query: `DELETE FROM events WHERE ${where}`, query_params: params });
        return n;
      } catch (err) {
        throw engineError(err);
      }
    });
  }

  async checkWritable(): Promise<void> {
    // ClickHouse first: a failure of the metadata after it says the events part answered
    // (ops/parts.ts). No turn of the query gate: a flood of stats must not make /healthz fail.
    await runClickHouseQuery(this.client, 'SELECT 1 AS ok', [], 5_000);
    await this.metadata.checkWritable();
  }

  queryRows(sql: string, params?: readonly (string | number | boolean | null)[]) {
    return this.metadata.queryRows(sql, params);
  }

  async listSites(): Promise<Site[]> {
    const sites = await this.metadata.listSites();
    this.knownSites = new Set(sites.map((s) => s.id));
    return sites;
  }

  addSite(site: NewSite): Promise<Site> {
    return this.metadata.addSite(site);
  }

  removeSite(domain: string): Promise<boolean> {
    // Events first, in the loads' turn: if ClickHouse cannot be reached the site stays, whole,
    // and the removal can be repeated. A lightweight DELETE hides the rows from every query when
    // it returns and frees their space at the next merge; ALTER … DELETE rewrites every part
    // holding the site first, and was no faster (BENCHMARKS.md "ClickHouse layout").
    return this.inTurn(async () => {
      const site = (await this.metadata.listSites()).find((s) => s.domain === domain);
      if (!site) return false;
      try {
        await this.client.command({
          query: 'DELETE FROM events WHERE site_id = {site:UInt32}',
          query_params: { site: site.id },
        });
      } catch (err) {
        throw engineError(err);
      }
      return this.metadata.removeSite(domain);
    });
  }

  setSiteTimezone(domain: string, timezone: string): Promise<Site | undefined> {
    return this.metadata.setSiteTimezone(domain, timezone);
  }

  listSalts(): Promise<Salt[]> {
    return this.metadata.listSalts();
  }

  addSalt(salt: Salt): Promise<Salt> {
    return this.metadata.addSalt(salt);
  }

  deleteSaltsBefore(day: string): Promise<void> {
    return this.metadata.deleteSaltsBefore(day);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.gate.close();
    await this.turn;
    try {
      await this.client.close();
    } finally {
      await this.metadata.close();
    }
  }
}
