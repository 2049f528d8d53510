// Metadata in PostgreSQL (--database-url), for nodes that share it: sites, accounts, salts,
// goals, segments, funnels and the job ledger live in PostgreSQL; what belongs to one node —
// its journal's load mark, the local snapshot, and for now the imported aggregates (see
// schema.ts) — stays in the node's DuckDB file. The ClickHouse store takes the result as its
// metadata (clickhouse/open.ts), exactly as it takes the DuckDB store without this setting.
//
// The account, goal, segment, funnel and job stores are the DuckDB classes themselves: their
// SQL runs unchanged on PostgreSQL (store/metadata-sql.ts); sites and salts have files here, as
// does what only several nodes need (store/cluster.ts): node registrations (nodes.ts) and
// failed sign-in attempts counted across nodes (attempt-failures.ts).
import type { ClusterStore } from '../cluster.js';
import { firstLine } from '../disk-fix.js';
import { DuckDbAccountStore } from '../duckdb/accounts.js';
import { DuckDbFunnelStore } from '../duckdb/funnels.js';
import { DuckDbGoalStore } from '../duckdb/goals.js';
import { DuckDbJobStore } from '../duckdb/jobs.js';
import { DuckDbSegmentStore } from '../duckdb/segments.js';
import { EngineConfigError } from '../engine-config-error.js';
import type { EventExportRequest } from '../export-format.js';
import type { SqlParam } from '../metadata-sql.js';
import type { LoadMark, NewSite, Salt, Site, SqlValue, Store } from '../types.js';
import { PostgresFailureLedger } from './attempt-failures.js';
import { openPool, PostgresSql } from './connection.js';
import { migrate } from './migrate.js';
import { PostgresNodeRegistry } from './nodes.js';
import { PostgresSaltStore } from './salts.js';
import { PostgresSiteStore } from './sites.js';
import { DATABASE_SETTING, type PostgresTarget } from './url.js';

/** One line with the fix for a failure to reach or log in to PostgreSQL. */
export function connectError(err: unknown, target: PostgresTarget): EngineConfigError {
  const code = (err as { code?: string }).code;
  const at = `${DATABASE_SETTING}: ${target.shown}`;
  // Node reports a refused connection to a name with two addresses as an AggregateError, whose
  // message is empty: the code says it then.
  const why = firstLine(err) || code || 'no reason given';
  if (code === '28P01' || code === '28000')
    return new EngineConfigError(
      `${at} refused the user or password (${why}): check both in the URL (and pg_hba.conf)`,
    );
  if (code === '3D000')
    return new EngineConfigError(
      `${at}: the database ${target.database} does not exist: create it (CREATE DATABASE ${target.database}) or fix the URL`,
    );
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ETIMEDOUT')
    return new EngineConfigError(
      `${at} cannot be reached (${why}): start PostgreSQL, or fix the host and port in the URL`,
    );
  return new EngineConfigError(`${at} cannot be used (${why}): check the URL and that PostgreSQL runs`);
}

/**
 * Opens PostgreSQL metadata beside `local` (the node's DuckDB store, closed with the result):
 * connects, migrates, and returns a Store whose metadata is PostgreSQL's. A wrong setting
 * throws EngineConfigError; `local` is then left open for the caller to close.
 */
export async function openPostgresMetadata(local: Store, target: PostgresTarget): Promise<Store> {
  const sql = new PostgresSql(openPool(target.connectionString));
  try {
    await sql.session(async (client) => {
      try {
        await client.query('SELECT 1');
      } catch (err) {
        throw connectError(err, target);
      }
      await migrate(client, target);
    });
  } catch (err) {
    await sql.close().catch(() => {});
    if (err instanceof EngineConfigError) throw err;
    const code = (err as { code?: string }).code;
    if (code && /^(28|3D|08|E[A-Z_]+$)/.test(code)) throw connectError(err, target);
    throw new EngineConfigError(
      `${DATABASE_SETTING}: the metadata schema cannot be made in ${target.shown} (${firstLine(err)}): ` +
        'give the user CREATE on the database (or its own database), or upgrade Footfall if it says newer',
    );
  }
  return new PostgresMetadataStore(sql, local);
}

class PostgresMetadataStore implements Store {
  readonly engine = 'duckdb';
  readonly accounts: DuckDbAccountStore;
  readonly goals: DuckDbGoalStore;
  readonly segments: DuckDbSegmentStore;
  readonly jobs: DuckDbJobStore;
  readonly funnels: DuckDbFunnelStore;
  readonly imported: Store['imported'];
  readonly cluster: ClusterStore;
  private readonly sites: PostgresSiteStore;
  private readonly salts: PostgresSaltStore;
  private closed = false;

  constructor(
    private readonly sql: PostgresSql,
    private readonly local: Store,
  ) {
    const query = (text: string, params?: readonly SqlParam[]) => sql.rows(text, params);
    this.accounts = new DuckDbAccountStore(query, sql);
    this.goals = new DuckDbGoalStore(query, sql);
    this.segments = new DuckDbSegmentStore(query, sql);
    this.jobs = new DuckDbJobStore(query, sql);
    this.funnels = new DuckDbFunnelStore(query, sql);
    this.imported = local.imported;
    this.sites = new PostgresSiteStore(sql);
    this.salts = new PostgresSaltStore(sql);
    this.cluster = {
      nodes: new PostgresNodeRegistry(sql),
      failures: new PostgresFailureLedger(sql),
      ping: async () => {
        await sql.rows('SELECT 1');
      },
    };
  }

  /** PostgreSQL SQL on the shared metadata (tests and tools), values bound. */
  queryRows(text: string, params?: readonly SqlValue[]): Promise<Record<string, unknown>[]> {
    return this.sql.rows(text, params);
  }

  async checkWritable(): Promise<void> {
    await this.local.checkWritable();
    // Fails on a read-only standby or a lost connection, changes nothing.
    await this.sql.rows("UPDATE footfall_meta SET value = value WHERE key = 'schema_version' AND false");
  }

  listSites(): Promise<Site[]> {
    return this.sites.listSites();
  }

  addSite(site: NewSite): Promise<Site> {
    return this.sites.addSite(site);
  }

  async removeSite(domain: string): Promise<boolean> {
    const site = (await this.sites.listSites()).find((s) => s.domain === domain);
    if (!site) return false;
    // Its imported aggregates are in the node's file (schema.ts): they go first, so a failure
    // leaves the site in place and the removal can be repeated.
    for (const entry of await this.local.imported.listImports(site.id))
      await this.local.imported.removeImport(entry.id);
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

  // The node's own: its journal's load mark and its DuckDB file (the ClickHouse store asks only
  // for the mark and the snapshot; the rest answer as the local file does).
  loadEvents(file: string | undefined, mark: LoadMark): Promise<number> {
    return this.local.loadEvents(file, mark);
  }

  loadMark(): Promise<LoadMark | undefined> {
    return this.local.loadMark();
  }

  lastSessionId(range?: { from: bigint; to: bigint }): Promise<bigint> {
    return this.local.lastSessionId(range);
  }

  deleteEventsBefore(siteId: number, cutMs: number): Promise<number> {
    return this.local.deleteEventsBefore(siteId, cutMs);
  }

  runQuery(text: string, params: readonly SqlValue[], options: { timeoutMs: number }) {
    return this.local.runQuery(text, params, options);
  }

  exportEvents(req: EventExportRequest, file: string, options: { timeoutMs: number }): Promise<number> {
    return this.local.exportEvents(req, file, options);
  }

  snapshot(file: string): Promise<number> {
    return this.local.snapshot(file);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.sql.close();
    } finally {
      await this.local.close();
    }
  }
}
