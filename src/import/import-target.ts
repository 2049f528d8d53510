// Where an import's events go. Into a data directory no server holds (the store opened by the
// import itself, events written through that directory's journal), or into a running server
// (src/cli/import-remote.ts: over its control socket, which journals them like tracked events).
// Either way the import sees a site, session ids nobody else hands out, and a sink whose
// write() resolves once the event is durable; a local store may also take a file's batches
// whole, without the journal (openBulk).
import { storedNodeId } from '../cluster/node-id.js';
import { firstSessionId } from '../cluster/session-ids.js';
import { IngestWriter } from '../ingest/writer.js';
import { createMetrics } from '../ops/metrics.js';
import { ConfigError } from '../server/config.js';
import type { EventRow } from '../store/event-row.js';
import type { Site, Store } from '../store/types.js';
import { type BulkSink, bulkSink } from './bulk-sink.js';

export interface ImportSink {
  /** Resolves once the event is durable (journaled, fdatasync'd). */
  write(row: EventRow): Promise<void>;
  /** Resolves once every event written is loaded into the store (local) or acknowledged (remote). */
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Events written and not yet loaded (local) or not yet sent (remote). */
  readonly depth: number;
}

export interface SinkOptions {
  /** Events between two records of progress. */
  batch: number;
  /** Most events waiting for the store before write() is refused. */
  maxQueue: number;
  /** The same bound in journal bytes. */
  journalMaxBytes: number;
}

export interface ImportTarget {
  /** The site a --site flag names, or a ConfigError saying how to add it. */
  site(domain: string): Promise<Site>;
  /**
   * Has at least `count` new session ids on hand for allocateSessionId(): undefined when it had,
   * else a promise to wait for (an await per line of an import was a visible part of its profile).
   */
  ensureSessionIds(count: number): Promise<void> | undefined;
  /** A session id no visit has (ensureSessionIds first). */
  allocateSessionId(): bigint;
  openSink(options: SinkOptions): Promise<ImportSink>;
  /**
   * A sink that takes a file's batches straight into the store, each with the import's record
   * (bulk-sink.ts); undefined when the store has none. Opened before any session id is handed out.
   */
  openBulk?(): Promise<BulkSink | undefined>;
}

/** The site named by --site in a list of sites. */
export function siteNamed(sites: readonly Site[], domain: string): Site {
  const site = sites.find((s) => s.domain === domain);
  if (!site) throw new ConfigError(`no site ${domain}: add it first with \`footfall site add ${domain}\``);
  return site;
}

/**
 * A data directory this process holds: session ids after the store's last, its own journal.
 * With metadata shared by several nodes, the ids are counted in the range of the data
 * directory's node (cluster/session-ids.ts), so none collides with a running node's visits.
 */
export function localTarget(store: Store, dataDir: string): ImportTarget {
  let next: bigint | undefined;
  const nodeNumber = async () =>
    store.cluster ? await store.cluster.nodes.numberOf(storedNodeId(dataDir)) : undefined;
  return {
    site: async (domain) => siteNamed(await store.listSites(), domain),
    ensureSessionIds() {
      if (next !== undefined) return undefined;
      return (async () => {
        next ??= await firstSessionId(store, await nodeNumber());
      })();
    },
    allocateSessionId() {
      if (next === undefined) throw new Error('ensureSessionIds() first');
      return next++;
    },
    async openBulk() {
      if (!store.bulkImport) return undefined;
      // Events a stopped server left in the journal go into the store first, so the session
      // ids handed out next come after theirs.
      await (
        await IngestWriter.open(store, dataDir, createMetrics(), { maxQueue: 1, loadIntervalMs: 60_000 })
      ).close();
      next = undefined;
      return bulkSink(store.bulkImport, dataDir);
    },
    async openSink(options) {
      const writer = await IngestWriter.open(store, dataDir, createMetrics(), {
        maxQueue: options.maxQueue,
        journalMaxBytes: options.journalMaxBytes,
        loadIntervalMs: 1000,
      });
      return {
        write: (row) => writer.write(row),
        flush: () => writer.flush(),
        close: () => writer.close(),
        get depth() {
          return writer.depth;
        },
      };
    },
  };
}
