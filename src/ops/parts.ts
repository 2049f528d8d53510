// Which of a node's parts answer, for /healthz and /metrics: the metadata database (PostgreSQL,
// with --database-url) and the event store (ClickHouse or the DuckDB file), plus how far loads
// from the journal into the store lag. Each part is asked on its own, so a reply can say which
// one is down: a node without PostgreSQL still takes tracking into its journal, a node without
// ClickHouse still serves sign-in and settings.
import { FootfallError } from '../errors.js';
import type { IngestHealth } from '../ingest/writer.js';
import type { Store } from '../store/types.js';

export type PartState = 'ok' | 'down';

export interface PartsReport {
  /** Absent on a single node (its metadata is in the event store's file). */
  metadata?: PartState;
  events: PartState;
  /** The first problem found, for the reason line. */
  problem?: unknown;
  /** Which part the problem is in. */
  problemPart?: 'metadata' | 'events' | 'loads';
  ingest: IngestHealth;
}

export async function probeParts(
  store: Pick<Store, 'checkWritable' | 'cluster'>,
  ingestHealth: () => IngestHealth,
): Promise<PartsReport> {
  const ingest = ingestHealth();
  const report: PartsReport = { events: 'ok', ingest };
  if (store.cluster) {
    try {
      await store.cluster.ping();
      report.metadata = 'ok';
    } catch (err) {
      report.metadata = 'down';
      report.problem = err;
      report.problemPart = 'metadata';
    }
  }
  // Failing loads say the most (how far behind, how much waits), so they come before the
  // store's own check in the reason; the parts are told either way.
  if (ingest.failing !== undefined && report.problem === undefined) {
    report.problem = ingest.failing;
    report.problemPart = 'loads';
  }
  try {
    // The event store first, then the metadata it keeps beside (store/clickhouse/open.ts): a
    // metadata error here means the events part answered.
    await store.checkWritable();
  } catch (err) {
    const metadataOnly = err instanceof FootfallError && err.code === 'FOOTFALL_ERR_METADATA_UNAVAILABLE';
    if (!metadataOnly) {
      report.events = 'down';
      if (report.problem === undefined) {
        report.problem = err;
        report.problemPart = 'events';
      }
    }
  }
  return report;
}
