// The group-commit writer. Requests enqueue rows and wait. Whenever no journal write is
// running, everything queued so far becomes one batch: its lines are appended to the ingest
// journal and fdatasync'd, and only then are its requests answered — so an acknowledged
// event is on disk, and under load batches grow instead of syncs queueing up.
//
// Every `loadIntervalMs` the loader closes the journal's current segment and has the store
// load it and record the segment number (idempotently: DuckDB in one transaction, ClickHouse
// with a deduplication token per segment), then deletes it. At
// start, segments a killed process left behind are loaded first. A load that fails on
// damaged lines moves them to quarantine (quarantine.ts) and loads the rest; one that fails
// with every line sound keeps the segment for the next attempt, and the next attempts come
// at growing intervals (half a second, doubling up to 30 s; flush and close try at once).
// Nothing grows without bound: events waiting in memory for the journal are capped by
// `maxQueue`, and journaled events waiting for the store by `journalMaxBytes` of journal —
// a store that cannot be reached (ClickHouse down) fills the journal, not memory, and
// tracking answers as usual until that budget is spent. Past either, writes get a 503.
import path from 'node:path';
import { footfallError } from '../errors.js';
import type { Metrics } from '../ops/metrics.js';
import { diskFix, firstLine } from '../store/disk-fix.js';
import type { EventRow } from '../store/event-row.js';
import type { EventStore } from '../store/types.js';
import { Journal, type Segment } from './journal.js';
import type { JournalFs } from './journal-fs.js';
import { QUARANTINE_FILE, quarantineLines } from './quarantine.js';
import { encodeRow } from './row-codec.js';

export interface WriterOptions {
  /** Most events waiting in memory for the journal; beyond it writes fail fast with 503. */
  maxQueue: number;
  /** Most bytes of journal waiting for the store; beyond it writes fail with 503 (default 1 GiB). */
  journalMaxBytes?: number;
  /** The clock for retry intervals and the store's lag (tests pin it). */
  now?: () => number;
  /** How often journaled events are loaded into the store. */
  loadIntervalMs: number;
  /** Told about journal or load failures. */
  onError?: (err: unknown) => void;
  log?: (msg: string) => void;
  /** The journal's file-system calls (tests watch them or make them fail). */
  fs?: JournalFs;
}

/** The journal cannot be opened or its leftovers loaded at start; the message names the fix. */
export class JournalError extends Error {}
/** Default journal budget: hours of a busy site's events while the store is away. */
export const DEFAULT_JOURNAL_MAX_BYTES = 1024 ** 3;
/** Retry intervals after a failed load: from FIRST_RETRY_MS, doubling, at most MAX_RETRY_MS. */
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;
/** Seconds a client refused for a full journal is asked to wait. */
const JOURNAL_FULL_RETRY_S = 30;

/** What /healthz and /metrics tell about the way from the journal to the store. */
export interface IngestHealth {
  /** The last load failed; the error says why (FOOTFALL_ERR_ENGINE_UNAVAILABLE for ClickHouse away). */
  failing: unknown | undefined;
  /** Acknowledged events, and their journal bytes, not yet in the store. */
  backlogEvents: number;
  backlogBytes: number;
  /** Seconds since the store last held every acknowledged event (0 when it does). */
  lagSeconds: number;
}

interface Pending {
  row: EventRow;
  done: (err?: Error) => void;
}

export class IngestWriter {
  private queue: Pending[] = [];
  private journaling = 0;
  private journalBusy = false;
  private scheduled = false;
  private closing = false;
  private journalIdle: Array<() => void> = [];
  /** Acknowledged events not yet in the store (in the journal's open or closed segments). */
  private unloadedEvents = 0;
  /** Their bytes in the journal. */
  private unloadedBytes = 0;
  /** When the store last held every acknowledged event. */
  private caughtUpAt: number;
  private lastError: unknown;
  private failures = 0;
  private retryAt = 0;
  private readonly now: () => number;
  /** Closed segments whose load failed, retried first. */
  private failed: Segment[] = [];
  private loadRunning: Promise<void> | undefined;
  private loadFailed = false;
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly store: EventStore,
    private readonly journal: Journal,
    private readonly metrics: Metrics,
    private readonly options: WriterOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.caughtUpAt = this.now();
    this.timer = setInterval(() => {
      // While the store fails, attempts wait out the retry interval.
      if (this.now() >= this.retryAt) void this.load().catch(() => {});
    }, options.loadIntervalMs);
    this.timer.unref();
  }

  /** Opens the journal in the data directory and first loads what a crash left in it. */
  static async open(
    store: EventStore,
    dataDir: string,
    metrics: Metrics,
    options: WriterOptions,
  ): Promise<IngestWriter> {
    const dir = path.join(dataDir, 'journal');
    let journal: Journal;
    let leftovers: Segment[];
    try {
      journal = Journal.open(dataDir, options.fs);
      leftovers = journal.leftovers(await store.loadMark());
    } catch (err) {
      throw new JournalError(
        `the ingest journal ${dir} cannot be opened (${firstLine(err)}): ` +
          (diskFix(err, dataDir) ??
            notADirectoryFix(err, dir) ??
            `make ${dir} a directory Footfall can read and write`),
        { cause: err },
      );
    }
    for (const segment of leftovers) {
      try {
        await loadSegment(store, journal, segment, metrics, options.log);
      } catch (err) {
        await journal.close();
        throw new JournalError(
          `the ingest journal's segment ${segment.file} cannot be loaded (${firstLine(err)}): ` +
            (diskFix(err, dataDir) ?? 'its events stay in the journal; mend the database, then start again'),
          { cause: err },
        );
      }
      if (segment.events > 0)
        options.log?.(`journal: loaded ${segment.events} events left by the previous run`);
    }
    return new IngestWriter(store, journal, metrics, options);
  }

  /** Events waiting for the journal or the store. */
  get depth(): number {
    return this.queue.length + this.journaling + this.unloadedEvents;
  }

  /** False after a load into the store failed, until one succeeds. */
  get healthy(): boolean {
    return !this.loadFailed;
  }

  health(): IngestHealth {
    const waiting = this.unloadedEvents > 0;
    return {
      failing: this.loadFailed
        ? (this.lastError ?? new Error('loads into the store are failing'))
        : undefined,
      backlogEvents: this.unloadedEvents,
      backlogBytes: this.unloadedBytes,
      lagSeconds: waiting ? Math.max(0, (this.now() - this.caughtUpAt) / 1000) : 0,
    };
  }

  /**
   * Whether `count` rows written now, in one turn, would all be taken: an import into a running
   * server sends its events in batches that are taken whole or not at all (a half-taken batch
   * would be sent again and stored twice).
   */
  canTake(count: number): boolean {
    return (
      !this.closing &&
      this.queue.length + this.journaling + count <= this.options.maxQueue &&
      this.unloadedBytes < (this.options.journalMaxBytes ?? DEFAULT_JOURNAL_MAX_BYTES)
    );
  }

  /** Resolves once the row is in the journal on disk; rejects with a 503 error when full or closing. */
  write(row: EventRow): Promise<void> {
    if (this.closing) return Promise.reject(footfallError('FOOTFALL_ERR_SHUTTING_DOWN', undefined, 1));
    if (this.queue.length + this.journaling >= this.options.maxQueue) {
      return Promise.reject(footfallError('FOOTFALL_ERR_QUEUE_FULL', undefined, 1));
    }
    if (this.unloadedBytes >= (this.options.journalMaxBytes ?? DEFAULT_JOURNAL_MAX_BYTES)) {
      return Promise.reject(
        footfallError(
          'FOOTFALL_ERR_JOURNAL_FULL',
          `${this.unloadedEvents} events wait for the store`,
          JOURNAL_FULL_RETRY_S,
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ row, done: (err) => (err ? reject(err) : resolve()) });
      this.schedule();
    });
  }

  /**
   * Starts a journal write when none is running. Deferred with setImmediate so the requests
   * already read in this turn of the event loop join the same batch.
   */
  private schedule(): void {
    if (this.scheduled || this.journalBusy || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.commit();
    });
  }

  private async commit(): Promise<void> {
    if (this.journalBusy || this.queue.length === 0) return;
    this.journalBusy = true;
    const batch = this.queue;
    this.queue = [];
    this.journaling = batch.length;
    const started = performance.now();
    let failure: Error | undefined;
    try {
      let text = '';
      for (const p of batch) text += `${encodeRow(p.row)}\n`;
      await this.journal.append(text, batch.length);
      if (this.unloadedEvents === 0) this.caughtUpAt = this.now();
      this.unloadedEvents += batch.length;
      this.unloadedBytes += Buffer.byteLength(text);
      this.metrics.batch(batch.length, (performance.now() - started) / 1000);
    } catch (err) {
      this.options.onError?.(err);
      failure = footfallError('FOOTFALL_ERR_STORE_UNAVAILABLE', undefined, 5);
    }
    this.journaling = 0;
    this.journalBusy = false;
    for (const p of batch) p.done(failure);
    this.metrics.queueDepth(this.depth);
    if (this.queue.length > 0) this.schedule();
    else for (const w of this.journalIdle.splice(0)) w();
  }

  /** Loads the closed segments and the current one into the store; one load at a time. */
  private load(): Promise<void> {
    // .finally runs as a microtask, so loadRunning is cleared only after it was set.
    this.loadRunning ??= this.runLoad().finally(() => {
      this.loadRunning = undefined;
      this.metrics.queueDepth(this.depth);
    });
    return this.loadRunning;
  }

  private async runLoad(): Promise<void> {
    let current: Segment | undefined;
    try {
      current = await this.journal.rotate();
    } catch (err) {
      // The next segment could not be started (a full disk): appends go on into the current
      // one, and nothing reaches the store until it can.
      this.noteFailure(err);
      throw err;
    }
    const segments = current ? [...this.failed, current] : this.failed;
    this.failed = [];
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      const events = segment.events;
      const bytes = segment.bytes;
      try {
        await loadSegment(this.store, this.journal, segment, this.metrics, this.options.log);
      } catch (err) {
        // The events are safe in the segment file: keep it for the next attempt. Lines moved
        // to quarantine before the failure have left the backlog all the same.
        this.unloadedEvents -= events - segment.events;
        this.unloadedBytes -= bytes - segment.bytes;
        this.failed = segments.slice(i);
        this.noteFailure(err);
        throw err;
      }
      this.unloadedEvents -= events;
      this.unloadedBytes -= bytes;
      this.loadFailed = false;
      this.failures = 0;
      this.retryAt = 0;
      this.lastError = undefined;
    }
    if (this.unloadedEvents === 0) this.caughtUpAt = this.now();
  }

  /** Remembers why loads fail and when to try again. */
  private noteFailure(err: unknown): void {
    this.loadFailed = true;
    this.lastError = err;
    this.retryAt = this.now() + Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.failures);
    this.failures++;
    this.options.onError?.(err);
  }

  private waitForJournal(): Promise<void> {
    if (!this.journalBusy && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.journalIdle.push(resolve));
  }

  /** Waits until everything acknowledged so far is in the store (tests, shutdown). */
  async flush(): Promise<void> {
    await this.waitForJournal();
    await this.loadRunning?.catch(() => {});
    await this.load();
  }

  /** Refuses new writes, journals and loads everything accepted so far, closes the journal. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.timer);
    try {
      await this.flush();
    } finally {
      await this.journal.close();
    }
  }
}

function notADirectoryFix(err: unknown, dir: string): string | undefined {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EEXIST' || code === 'ENOTDIR'
    ? `move the file ${dir} aside: the journal needs a directory there`
    : undefined;
}

/**
 * Loads one closed segment into the store and deletes it. When the load fails, lines the
 * store cannot take are moved to quarantine and the rest loaded; when every line is sound
 * the store itself is failing, and the error is passed on with the segment left as it was.
 * `segment.events` is lowered by the lines moved.
 */
async function loadSegment(
  store: EventStore,
  journal: Journal,
  segment: Segment,
  metrics: Metrics,
  log: ((msg: string) => void) | undefined,
): Promise<void> {
  const started = performance.now();
  const load = () =>
    store.loadEvents(segment.bytes > 0 ? segment.file : undefined, {
      segment: segment.number,
      offset: segment.bytes,
    });
  let inserted: number;
  try {
    inserted = await load();
  } catch (err) {
    // Checked once: while the store is down, retries do not parse the segment again.
    if (segment.sound) throw err;
    const q = quarantineLines(journal.dir, segment.file);
    segment.sound = true;
    if (q.moved === 0) throw err;
    log?.(
      `journal: moved ${q.moved} line(s) of segment ${segment.number} that cannot be loaded to ` +
        `${path.join(journal.dir, QUARANTINE_FILE)} (line ${q.first!.line}: ${q.first!.problem})`,
    );
    metrics.quarantined(q.moved);
    segment.events = q.kept;
    segment.bytes = q.bytes;
    inserted = await load();
  }
  journal.remove(segment);
  metrics.stored(inserted);
  // The rest belonged to sites removed while the events waited in the journal.
  if (segment.events > inserted) metrics.dropped('site_removed', segment.events - inserted);
  metrics.load(segment.events, (performance.now() - started) / 1000);
}
