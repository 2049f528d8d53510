// The group-commit writer. Requests enqueue rows and wait. Whenever no journal write is
// running, everything queued so far becomes one batch: its lines are appended to the ingest
// journal and fdatasync'd, and only then are its requests answered — so an acknowledged
// event is on disk, and under load batches grow instead of syncs queueing up.
//
// A loader moves journaled rows into the store every `loadIntervalMs`, in one transaction
// per load that also records the journal position reached. At start, rows journaled but
// not yet loaded (the process was killed) are loaded first. Nothing is held without bound:
// rows waiting for the journal plus rows waiting for the store are capped by `maxQueue`,
// beyond which writes are refused with a 503.
import { footfallError } from '../errors.js';
import type { Metrics } from '../ops/metrics.js';
import type { EventRow } from '../store/event-row.js';
import type { EventStore, LoadMark } from '../store/types.js';
import { Journal } from './journal.js';
import { decodeRow, encodeRow } from './row-codec.js';

export interface WriterOptions {
  /** Most events waiting for the journal or the store; beyond it writes fail fast with 503. */
  maxQueue: number;
  /** How often journaled rows are loaded into the store. */
  loadIntervalMs: number;
  /** A journal segment is closed (and deleted once loaded) past this size. */
  segmentBytes: number;
  /** Told about journal or load failures. */
  onError?: (err: unknown) => void;
  log?: (msg: string) => void;
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
  /** Journaled, acknowledged, not yet in the store; `journaledUpTo` is the mark after them. */
  private unloaded: EventRow[] = [];
  private journaledUpTo: LoadMark;
  private loading = 0;
  private loadRunning: Promise<void> | undefined;
  private loadFailed = false;
  private readonly timer: NodeJS.Timeout;
  private journalIdle: Array<() => void> = [];

  private constructor(
    private readonly store: EventStore,
    private readonly journal: Journal,
    private readonly metrics: Metrics,
    private readonly options: WriterOptions,
  ) {
    this.journaledUpTo = journal.position;
    this.timer = setInterval(() => void this.load(), options.loadIntervalMs);
    this.timer.unref();
  }

  /** Opens the journal in the data directory and first loads what a crash left in it. */
  static async open(
    store: EventStore,
    dataDir: string,
    metrics: Metrics,
    options: WriterOptions,
  ): Promise<IngestWriter> {
    const journal = Journal.open(dataDir);
    const { lines, end } = journal.unloadedLines(await store.loadMark());
    if (lines.length > 0) {
      const rows: EventRow[] = [];
      for (const line of lines) {
        try {
          rows.push(decodeRow(line));
        } catch {
          options.log?.('journal: skipped a line that does not decode');
        }
      }
      await store.appendEvents(rows, end);
      metrics.stored(rows.length);
      options.log?.(`journal: loaded ${rows.length} events left by the previous run`);
    }
    journal.deleteBefore(journal.position.segment);
    return new IngestWriter(store, journal, metrics, options);
  }

  /** Events waiting for the journal or the store. */
  get depth(): number {
    return this.queue.length + this.journaling + this.unloaded.length + this.loading;
  }

  /** False after a load into the store failed, until one succeeds. */
  get healthy(): boolean {
    return !this.loadFailed;
  }

  /** Resolves once the row is in the journal on disk; rejects with a 503 error when full or closing. */
  write(row: EventRow): Promise<void> {
    if (this.closing) return Promise.reject(footfallError('FOOTFALL_ERR_SHUTTING_DOWN', undefined, 1));
    if (this.depth >= this.options.maxQueue) {
      return Promise.reject(footfallError('FOOTFALL_ERR_QUEUE_FULL', undefined, 1));
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
      this.journaledUpTo = await this.journal.append(text);
      for (const p of batch) this.unloaded.push(p.row);
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

  /** Loads every journaled row into the store in one transaction; one load at a time. */
  private load(): Promise<void> {
    // .finally runs as a microtask, so loadRunning is cleared only after it was set.
    this.loadRunning ??= this.runLoads().finally(() => {
      this.loadRunning = undefined;
      this.metrics.queueDepth(this.depth);
    });
    return this.loadRunning;
  }

  private async runLoads(): Promise<void> {
    while (this.unloaded.length > 0) {
      const rows = this.unloaded;
      const mark = this.journaledUpTo;
      this.unloaded = [];
      this.loading = rows.length;
      const started = performance.now();
      try {
        await this.store.appendEvents(rows, mark);
      } catch (err) {
        // The rows are safe in the journal: keep them for the next attempt.
        this.unloaded = rows.concat(this.unloaded);
        this.loadFailed = true;
        this.options.onError?.(err);
        return;
      } finally {
        this.loading = 0;
      }
      this.loadFailed = false;
      this.metrics.stored(rows.length);
      this.metrics.load(rows.length, (performance.now() - started) / 1000);
      this.maybeRotate(mark);
    }
  }

  /** Once everything journaled is loaded and the segment is large, start a new one. */
  private maybeRotate(loaded: LoadMark): void {
    const at = this.journal.position;
    if (this.journalBusy || at.segment !== loaded.segment || at.offset !== loaded.offset) return;
    if (at.offset < this.options.segmentBytes) return;
    this.journal.rotate();
    this.journal.deleteBefore(this.journal.position.segment);
    this.journaledUpTo = this.journal.position;
  }

  private waitForJournal(): Promise<void> {
    if (!this.journalBusy && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.journalIdle.push(resolve));
  }

  /** Waits until everything acknowledged so far is in the store (tests, shutdown). */
  async flush(): Promise<void> {
    await this.waitForJournal();
    await this.loadRunning;
    await this.load();
    if (this.unloaded.length > 0) throw footfallError('FOOTFALL_ERR_STORE_UNAVAILABLE');
  }

  /** Refuses new writes, journals and loads everything accepted so far, closes the journal. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.timer);
    try {
      await this.flush();
    } finally {
      this.journal.close();
    }
  }
}
