// What the rest of Footfall may ask of a store. Two engines implement it: DuckDB (embedded,
// everything in one file: store/duckdb/) and ClickHouse (events in ClickHouse, the rest in the
// DuckDB file: store/clickhouse/). store/create-store.ts picks one.
import type { AccountStore } from './accounts.js';
import type { ClusterStore } from './cluster.js';
import type { EventBatch } from './event-batch.js';
import type { EventExportRequest } from './export-format.js';
import type { FunnelStore } from './funnels.js';
import type { GoalStore } from './goals.js';
import type { ImportedStore } from './imported.js';
import type { JobStore } from './jobs.js';
import type { SegmentStore } from './segments.js';

export interface Site {
  id: number;
  domain: string;
  timezone: string;
  /** The Umami website id (a UUID) this site also answers to, if any. */
  umamiId: string | null;
  createdAt: Date;
}

export interface NewSite {
  domain: string;
  timezone: string;
  umamiId?: string;
}

export interface SiteStore {
  listSites(): Promise<Site[]>;
  /** Throws FOOTFALL_ERR_SITE_EXISTS when the domain or the Umami id is taken. */
  addSite(site: NewSite): Promise<Site>;
  /** Removes the site and its events; false when there was no such site. */
  removeSite(domain: string): Promise<boolean>;
  /** Changes a site's time zone; undefined when there is no such site. */
  setSiteTimezone(domain: string, timezone: string): Promise<Site | undefined>;
}

/** How far the ingest journal has been loaded into the store (a segment and a byte offset). */
export interface LoadMark {
  segment: number;
  offset: number;
}

export interface EventStore {
  /**
   * Loads a journal segment — newline-delimited JSON, one event a line, keyed as in
   * EVENT_COLUMNS — and records `mark`; resolves once both are durable. Idempotent per
   * segment: loading the same segment again (a crash after the events were stored and before
   * the mark was) stores none of its events twice. No engine-wide transaction is assumed.
   * Without a file, only the mark is recorded. Events of sites that no longer exist are
   * left out; resolves with the number inserted.
   */
  loadEvents(file: string | undefined, mark: LoadMark): Promise<number>;
  /** The mark of the last recorded load, undefined before the first. */
  loadMark(): Promise<LoadMark | undefined>;
  /**
   * The highest session id stored (0 when none), so new sessions get ids after it; with
   * `range`, the highest in [from, to) (a node's own ids, src/cluster/session-ids.ts).
   */
  lastSessionId(range?: { from: bigint; to: bigint }): Promise<bigint>;
  /** Throws when a write cannot be committed right now. */
  checkWritable(): Promise<void>;
  /**
   * Imports of files load their batches here, skipping the journal (bulk-import.ts says why);
   * an engine without it (ClickHouse) takes imports through the journal like tracked events.
   */
  readonly bulkImport?: BulkImportStore;
  /**
   * Deletes the site's events before `cutMs` (and what is derived from them, recomputed from the
   * events kept), then lets the engine reclaim their space; resolves with the number deleted.
   * Takes its turn with loads, so none runs meanwhile.
   */
  deleteEventsBefore(siteId: number, cutMs: number): Promise<number>;
  /**
   * Rolls up to `maxDays` finished salt days into the rollups year-long queries read
   * (store/duckdb/rollups.ts); resolves with the number rolled. Only the embedded engine has it.
   */
  rollUp?(nowMs: number, maxDays: number): Promise<number>;
}

/** How far an import of one file into one site got: `done` rows of the file are in the store. */
export interface ImportProgress {
  kind: string;
  sha256: string;
  site: string;
  done: number;
  finished: boolean;
  updatedAt: string;
}

export interface BulkImportStore {
  /**
   * Inserts the batch's events (none when undefined), folds them into the visits and records
   * `progress`, all in one transaction: an import killed at any moment has each batch stored
   * with its record or not at all. `beforeRecord` runs after the insert and before the record
   * (tests: a throw there rolls the batch back).
   */
  importBatch(
    batch: EventBatch | undefined,
    progress: ImportProgress,
    beforeRecord?: () => void,
  ): Promise<number>;
  /** The last progress recorded for the file (kind and digest) in the site, if any. */
  importProgress(kind: string, sha256: string, site: string): Promise<ImportProgress | undefined>;
}

/** A random salt for one UTC day (`day` as YYYY-MM-DD). */
export interface Salt {
  day: string;
  salt: Buffer;
}

export interface SaltStore {
  listSalts(): Promise<Salt[]>;
  /** Keeps the existing salt when the day already has one; returns the day's salt. */
  addSalt(salt: Salt): Promise<Salt>;
  /** Deletes the salts of every day before `day`. */
  deleteSaltsBefore(day: string): Promise<void>;
}

export type SqlValue = string | number | boolean | null;

export interface QueryStore {
  /** Which engine holds the events: the query layer writes runQuery's SQL in its dialect. */
  readonly engine: 'duckdb' | 'clickhouse';
  /**
   * Runs one read statement built by src/query on a connection of its own, so dashboard
   * panels run side by side. After `timeoutMs` the statement is interrupted and the call
   * throws FOOTFALL_ERR_QUERY_TIMEOUT.
   */
  runQuery(
    sql: string,
    params: readonly SqlValue[],
    options: { timeoutMs: number },
  ): Promise<Record<string, unknown>[]>;
}

export interface ExportStore {
  /**
   * Writes a site's events in [fromMs, toMs) to `file` (created; the caller removes it) in the
   * request's format (store/export-format.ts), in no particular order; resolves with the
   * number written. Runs in a turn of the query gate; after `timeoutMs` it is interrupted.
   */
  exportEvents(req: EventExportRequest, file: string, options: { timeoutMs: number }): Promise<number>;
}

export interface SnapshotStore {
  /**
   * Writes a consistent copy of the local database file (sites, accounts, salts and, on DuckDB,
   * every loaded event) to `file`, which must not exist; loads and metadata writes wait
   * meanwhile. Resolves with the bytes written.
   */
  snapshot(file: string): Promise<number>;
}

export interface Store extends SiteStore, EventStore, SaltStore, QueryStore, ExportStore, SnapshotStore {
  /** Users, sessions, API keys and share links (src/auth/). */
  readonly accounts: AccountStore;
  /** Each site's goals (src/goals/). */
  readonly goals: GoalStore;
  /** Each site's saved segments (src/segments/). */
  readonly segments: SegmentStore;
  /** The job ledger and the settings periodic jobs read (src/jobs/). */
  readonly jobs: JobStore;
  /** Each site's saved funnels of goals (src/goals/funnel-input.ts). */
  readonly funnels: FunnelStore;
  /** Daily aggregates imported from Plausible (src/import/plausible-import.ts). */
  readonly imported: ImportedStore;
  /** Node registrations and cluster-wide attempt limits; only with shared metadata (PostgreSQL). */
  readonly cluster?: ClusterStore;
  /**
   * Plain SQL on the metadata (sites, accounts, salts; DuckDB's SQL and $n placeholders, or
   * PostgreSQL's with --database-url) for tests and tools; values are bound, never pasted.
   * Events are read through runQuery.
   */
  queryRows(
    sql: string,
    params?: readonly (string | number | boolean | null)[],
  ): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}
