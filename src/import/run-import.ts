// What every import shares: events that already carry their own time go through the same
// enrichment as tracked ones (bot check, visitor id, visit, browser, location, source),
// driven by that time instead of the clock, with daily salts made for the import and thrown
// away after it. A file goes into a store that takes batches whole (bulk-sink.ts) in batches,
// each committed with the import's record; otherwise (a stream, a running server, ClickHouse)
// events are written through the ingest journal, and after each acknowledged batch the import
// records how far it got (import-record.ts). Either way an interrupted import resumes and a
// finished file is not imported twice.
import { randomBytes } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { LRUCache } from 'lru-cache';
import type { ClientInfo, RawEvent } from '../collect/raw-event.js';
import { cachedBotCheck, isBotRequest } from '../enrich/bots.js';
import { createEnricher } from '../enrich/enrich.js';
import { cachedGeo, type GeoLookup } from '../enrich/geo.js';
import { SaltKeeper } from '../enrich/salts.js';
import { SessionTracker } from '../enrich/sessions.js';
import { createUserAgentParser } from '../enrich/user-agent.js';
import { cachedVisitorIds } from '../enrich/visitor-id.js';
import type { DropReason } from '../ops/metrics.js';
import { ConfigError } from '../server/config.js';
import type { EventRow } from '../store/event-row.js';
import type { ImportProgress, Salt, SaltStore, Site } from '../store/types.js';
import type { ExportedRow } from './events-file.js';
import { ImportLog } from './import-record.js';
import type { ImportTarget } from './import-target.js';
import { progress } from './progress.js';

/** An event read from an import source, with the time it happened. */
export interface ImportedEvent {
  raw: RawEvent;
  client: ClientInfo;
  ts: number;
}

/** One row or line of a source: an event, or the reason it is skipped. */
export type ImportItem =
  | { id: string | number; event: ImportedEvent }
  /** An event exported by Footfall: stored as it is, under a new session id (events-file.ts). */
  | { id: string | number; row: ExportedRow }
  | { id: string | number; skip: string };

export interface ImportSource {
  /** `seed`, `logs`, …: with the file's digest, what the import record is kept under. */
  kind: string;
  /** A name for messages: the file, or `-` for standard input. */
  name: string;
  /** The file's SHA-256; undefined for a stream, which is neither recorded nor resumed. */
  sha256: string | undefined;
  /** Rows or lines in all, when known (for the progress bar). */
  total: number | undefined;
  /**
   * The items in a fixed order, one at a time or in arrays (a read's worth of a log's lines: an
   * async generator's promise per item was a visible part of an import's profile); called
   * twice when --strict checks them first.
   */
  items(): Iterable<ImportItem> | AsyncIterable<ImportItem | ImportItem[]>;
  /**
   * What an item's number counts ('line': messages say "line 12"); without it the id is shown
   * as it is. A log's lines carry their number, not a string made per line.
   */
  itemName?: string;
  /** Skip reasons that are not errors for --strict (e.g. another site's rows). */
  notErrors?: ReadonlySet<string>;
  /**
   * The source records no user agents (the `common` log format): an empty one is not taken
   * for a script, as it is when tracking; bots cannot be told apart then.
   */
  noUserAgents?: boolean;
}

export interface ImportOptions extends Omit<SourceImportOptions, 'site'> {
  site: Site;
}

/** What every import command passes on to its source (the site by its domain). */
export interface SourceImportOptions {
  site: string;
  dataDir: string;
  geo: GeoLookup;
  /** Stop at the first item that cannot be imported, storing nothing. */
  strict?: boolean;
  /** Import a file that was imported before (its events are added again). */
  again?: boolean;
  /** Skipped items, one line each (--verbose). */
  onSkip?: (id: string | number, reason: string) => void;
  progressStream?: NodeJS.WriteStream;
  /** Ctrl-C: stop after the items already sent, record how far the import got, and return. */
  signal?: AbortSignal;
  now?: () => number;
  /** Items between two records of progress (default 2,000 through the journal, 200,000 in bulk). */
  batch?: number;
  /** Events a bulk batch holds at most (default 20,000; tests make it small). */
  batchRows?: number;
  /**
   * Tests: runs inside each bulk batch's transaction, after its events are inserted and before
   * its record; a throw rolls the batch back and stops the import.
   */
  beforeRecord?: (done: number) => void;
}

export interface ImportSummary {
  /** Items read, including those an earlier run imported. */
  rows: number;
  imported: number;
  /** Left out as a tracked event would be: bots, referrer spam. */
  dropped: Partial<Record<DropReason, number>>;
  /** Items that are not an event of this site Footfall can store. */
  skipped: Record<string, number>;
  /** Items an earlier, interrupted run had already imported. */
  resumed: number;
  /** Stopped by `signal`; running the same import again resumes after `rows` items. */
  interrupted: boolean;
}

/** Salts that live as long as the import: visitor ids are comparable within it, never with live ones. */
class ImportSalts implements SaltStore {
  private readonly salts = new Map<string, Buffer>();
  async listSalts(): Promise<Salt[]> {
    return [...this.salts].map(([day, salt]) => ({ day, salt }));
  }
  async addSalt(salt: Salt): Promise<Salt> {
    if (!this.salts.has(salt.day)) this.salts.set(salt.day, salt.salt);
    return { day: salt.day, salt: this.salts.get(salt.day)! };
  }
  async deleteSaltsBefore(day: string): Promise<void> {
    for (const d of this.salts.keys()) if (d < day) this.salts.delete(d);
  }
}

const BATCH = 2000;
/**
 * Events a bulk batch holds: each is one transaction (insert, visit merge, record) of tens of
 * milliseconds whatever its size, and its rows are held in memory until committed.
 */
const BULK_ROWS = 20_000;
/**
 * Items a bulk batch spans at most: a log's lines are mostly not page views (its assets, bots),
 * and a batch closed every 20,000 lines held ~3,700 events of a site's log, so the fixed cost of
 * a transaction was paid five times as often (BENCHMARKS.md, "Importing access logs"). Skipped
 * lines hold no memory; this bound only keeps the record and the progress bar moving.
 */
const BULK_BATCH = 200_000;
/** Batches journaled but not yet loaded before the import waits for a load. */
const BATCHES_AHEAD = 4;
/**
 * Most bytes an imported event takes in the journal: a page view with a URL of at most
 * 2,000 bytes, a referrer of 2,000 and a title of 1,000 characters, and no props.
 */
const MAX_EVENT_BYTES = 8 * 1024;

/**
 * While the store commits a batch, each of its statements starts only when this thread takes the
 * previous one's result, and the loop below reads a whole read of the file (~4,000 lines, tens
 * of milliseconds) between two turns of the event loop: every YIELD_EVERY items it steps aside.
 * Measured: the commit's dozen statements waited ~0.4 s a batch for the thread before.
 */
const YIELD_EVERY = 200;

type Progress = Pick<ImportProgress, 'done' | 'finished' | 'updatedAt'>;

/** A finished record over an unfinished one, else the one with more rows done. */
function furthest(a: Progress | undefined, b: Progress | undefined): Progress | undefined {
  if (!a || !b) return a ?? b;
  if (a.finished !== b.finished) return a.finished ? a : b;
  return a.done >= b.done ? a : b;
}

export async function runImport(
  target: ImportTarget,
  source: ImportSource,
  options: ImportOptions,
): Promise<ImportSummary> {
  const { site } = options;
  const now = options.now ?? Date.now;
  // Streams (standard input, --follow) stay on the journal: their events should show up as
  // they come, not when a batch fills.
  const bulk = source.sha256 ? await target.openBulk?.() : undefined;
  const batch = options.batch ?? (bulk ? BULK_BATCH : BATCH);
  const batchRows = options.batchRows ?? BULK_ROWS;
  const log = source.sha256 ? ImportLog.open(options.dataDir) : undefined;
  // The record furthest along wins: the store's is committed with its batch, so imports.json
  // may be a batch behind it; imports.json alone knows imports sent to a running server.
  const before = source.sha256
    ? furthest(
        await bulk?.progress(source.kind, source.sha256, site.domain),
        log!.find(source.kind, source.sha256, site.domain),
      )
    : undefined;
  if (before?.finished && !options.again) {
    throw new ConfigError(
      `${source.name} was imported into ${site.domain} already (${before.done} rows, ${before.updatedAt}); add --again to import it twice`,
    );
  }
  const resumeAfter = before && !before.finished && !options.again ? before.done : 0;

  const named = (id: string | number) => (source.itemName ? `${source.itemName} ${id}` : id);
  // --strict: read every item first, so a bad one stops the import before anything is stored.
  if (options.strict) {
    for await (const got of source.items()) {
      for (const item of Array.isArray(got) ? got : [got]) {
        if ('skip' in item && !source.notErrors?.has(item.skip))
          throw new ConfigError(
            `${source.name}: ${named(item.id)} cannot be imported (${item.skip}); nothing was stored`,
          );
      }
    }
  }

  // An import outruns the loader, and the writer refuses events past its bound on what waits
  // for the store (once the queue size, now --journal-max; a fast import's 4,001st event was
  // refused as "queue full"), so the import waits for a load whenever it is BATCHES_AHEAD
  // batches ahead: the journal stays a few batches long whatever the file's size. Opened
  // before session ids are handed out: it loads what a stopped server left in the journal.
  const writer = bulk
    ? undefined
    : await target.openSink({
        batch,
        maxQueue: batch * (BATCHES_AHEAD + 2),
        // The same bound in bytes: an import that stopped waiting for loads is refused, not
        // left to fill the disk.
        journalMaxBytes: batch * (BATCHES_AHEAD + 2) * MAX_EVENT_BYTES,
      });

  let firstTs: number | undefined;
  // New visits take ids the target hands out: after the store's last, or from blocks a running
  // server set aside, so they never merge with visits stored or tracked meanwhile.
  await target.ensureSessionIds(batch);
  const enricher = createEnricher({
    parseUserAgent: createUserAgentParser(),
    geo: cachedGeo(options.geo),
    // Salts follow the events' own days: saltsFor(ts) makes each day's salt when first asked.
    salts: await SaltKeeper.open(new ImportSalts(), { now: () => firstTs ?? now(), randomBytes }),
    sessions: new SessionTracker({ allocate: () => target.allocateSessionId() }),
    // What repeats from line to line is worked out once (bots.ts, visitor-id.ts say how much).
    isBot: cachedBotCheck(source.noUserAgents ? (ua) => ua !== '' && isBotRequest(ua) : isBotRequest),
    visitorId: cachedVisitorIds(),
  });
  // Exported events keep their visits under new session ids: ids from another data directory
  // would merge with this one's visits. An export is mostly in time order, so a
  // visit's events lie close together and a bounded map suffices.
  const renamed = new LRUCache<bigint, bigint>({ max: 100_000 });
  const summary: ImportSummary = {
    rows: 0,
    imported: 0,
    dropped: {},
    skipped: {},
    resumed: resumeAfter,
    interrupted: false,
  };
  const bar =
    source.total === undefined
      ? undefined
      : progress(`import ${site.domain}`, source.total, options.progressStream);
  const record = source.sha256 && {
    kind: source.kind,
    file: source.name,
    sha256: source.sha256,
    site: site.domain,
    total: source.total ?? 0,
  };
  let done = 0;
  let pending: Promise<void>[] = [];
  // The bulk batch the store is committing while the next one is read.
  let committing: Promise<void> | undefined;
  let storeBusy = false;
  // Waits for the batch's acknowledgements, then records them: the record never runs ahead.
  // In bulk, the batch and its record are one transaction, and the previous batch must have
  // committed first (one batch in the store's hands, one in memory).
  const settle = async (finished = false) => {
    if (bulk && record) {
      await committing;
      const at = done;
      const progress = { ...record, done: at, finished, updatedAt: new Date().toISOString() };
      const hook = options.beforeRecord;
      storeBusy = true;
      committing = bulk.commit(progress, hook && (() => hook(at))).then(() => {
        storeBusy = false;
        log!.save(progress);
        bar?.update(at);
      });
      if (finished) await committing;
      return;
    }
    await Promise.all(pending);
    pending = [];
    if (writer!.depth >= batch * BATCHES_AHEAD) await writer!.flush();
    if (record) log!.save({ ...record, done, finished, updatedAt: '' });
    bar?.update(done);
  };
  const keep = (row: EventRow) => {
    if (bulk) bulk.add(row);
    else pending.push(writer!.write(row));
  };
  try {
    read: for await (const got of source.items()) {
      for (const item of Array.isArray(got) ? got : [got]) {
        if (options.signal?.aborted) {
          summary.interrupted = true;
          break read;
        }
        done++;
        if (done <= resumeAfter) continue;
        // Each item starts at most one visit: one id on hand is enough (nothing to wait for when a
        // block has room).
        const ids = target.ensureSessionIds(1);
        if (ids) await ids;
        if ('skip' in item) {
          summary.skipped[item.skip] = (summary.skipped[item.skip] ?? 0) + 1;
          options.onSkip?.(named(item.id), item.skip);
        } else if ('row' in item) {
          let sessionId = renamed.get(item.row.sessionId);
          if (sessionId === undefined) {
            sessionId = target.allocateSessionId();
            renamed.set(item.row.sessionId, sessionId);
          }
          keep({ ...item.row, siteId: site.id, sessionId });
          summary.imported++;
        } else {
          const e = item.event;
          firstTs ??= e.ts;
          const out = enricher.enrich(e.raw, e.client, site, e.ts);
          if ('row' in out) {
            keep(out.row);
            summary.imported++;
          } else {
            summary.dropped[out.drop] = (summary.dropped[out.drop] ?? 0) + 1;
            options.onSkip?.(named(item.id), out.drop);
          }
        }
        if (pending.length >= batch || done % batch === 0 || (bulk && bulk.size >= batchRows)) await settle();
        else if (storeBusy && done % YIELD_EVERY === 0) await nextTurn();
      }
    }
    await Promise.all(pending);
    pending = [];
    await writer?.flush();
  } finally {
    bar?.stop();
    await writer?.close();
    // A failed batch is reported by the settle that waits for it, or by the error at hand.
    await committing?.catch(() => {});
  }
  // Every item sent was acknowledged, so the record is exact: a re-run neither skips nor
  // repeats one. Through the journal, only a kill -9 in the middle of a batch can leave that
  // batch's acknowledged events unrecorded (they would be imported again); in bulk, never.
  await settle(!summary.interrupted);
  // Interrupted, the last record is committed before the caller may close the store.
  await committing;
  summary.rows = done;
  return summary;
}
