// The group-commit writer. Requests enqueue rows and wait; whenever no commit is running,
// everything queued so far becomes one batch, appended and committed in one transaction,
// and only then are its requests answered. So an acknowledged event is always on disk,
// and under load batches grow instead of commits queueing up.
import { footfallError } from '../errors.js';
import type { Metrics } from '../ops/metrics.js';
import type { EventRow } from '../store/event-row.js';
import type { EventStore } from '../store/types.js';

export interface WriterOptions {
  /** Most events waiting or being committed at once; beyond it writes fail fast with 503. */
  maxQueue: number;
  /** Most events in one transaction. */
  maxBatch: number;
  /** Told about commit failures (the affected requests get a 503). */
  onError?: (err: unknown) => void;
}

interface Pending {
  row: EventRow;
  done: (err?: Error) => void;
}

export class IngestWriter {
  private queue: Pending[] = [];
  private inFlight = 0;
  private batches = 0;
  private scheduled = false;
  private closing = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly store: EventStore,
    private readonly metrics: Metrics,
    private readonly options: WriterOptions,
  ) {}

  /** Events queued or being committed. */
  get depth(): number {
    return this.queue.length + this.inFlight;
  }

  /** Resolves once the row is committed; rejects with a 503 error when full or closing. */
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
   * Starts a batch when a write lane is free. Deferred with setImmediate so the requests
   * already read in this turn of the event loop join the same batch.
   */
  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.batches >= this.store.writeLanes) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.queue.length > 0 && this.batches < this.store.writeLanes) void this.commit();
    });
  }

  private async commit(): Promise<void> {
    const batch = this.queue.splice(0, this.options.maxBatch);
    this.batches++;
    this.inFlight += batch.length;
    this.metrics.queueDepth(this.depth);
    const started = performance.now();
    let failure: Error | undefined;
    try {
      await this.store.appendEvents(batch.map((p) => p.row));
      this.metrics.batch(batch.length, (performance.now() - started) / 1000);
      this.metrics.stored(batch.length);
    } catch (err) {
      this.options.onError?.(err);
      failure = footfallError('FOOTFALL_ERR_STORE_UNAVAILABLE', undefined, 5);
    }
    this.batches--;
    this.inFlight -= batch.length;
    for (const p of batch) p.done(failure);
    this.metrics.queueDepth(this.depth);
    if (this.depth === 0) for (const w of this.idleWaiters.splice(0)) w();
    else this.schedule();
  }

  /** Refuses new writes and resolves when everything accepted so far is committed. */
  close(): Promise<void> {
    this.closing = true;
    if (this.depth === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
