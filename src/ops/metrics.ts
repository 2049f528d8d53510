// Counters exposed at GET /metrics in Prometheus text format. One registry per server, so
// tests can run several servers in one process.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export type DropReason = 'unknown_site' | 'bot' | 'referrer_spam' | 'excluded_ip' | 'site_removed';

export interface Metrics {
  readonly registry: Registry;
  received(): void;
  stored(count: number): void;
  dropped(reason: DropReason, count?: number): void;
  rejected(reason: string): void;
  queueDepth(depth: number): void;
  batch(size: number, commitSeconds: number): void;
  load(size: number, seconds: number): void;
  /** Journal lines that could not be loaded, moved to the quarantine file. */
  quarantined(lines: number): void;
  /** Reads the journal's backlog and the store's lag at each scrape. */
  watchIngest(source: () => { backlogEvents: number; backlogBytes: number; lagSeconds: number }): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'footfall_' });
  const received = new Counter({
    name: 'footfall_events_received_total',
    help: 'Tracking requests that reached a tracking endpoint.',
    registers: [registry],
  });
  const stored = new Counter({
    name: 'footfall_events_stored_total',
    help: 'Events committed to the store.',
    registers: [registry],
  });
  const dropped = new Counter({
    name: 'footfall_events_dropped_total',
    help: 'Well-formed events answered normally but not stored, by reason.',
    labelNames: ['reason'],
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'footfall_requests_rejected_total',
    help: 'Tracking requests refused with a 4xx or 503, by error code.',
    labelNames: ['reason'],
    registers: [registry],
  });
  const depth = new Gauge({
    name: 'footfall_queue_depth',
    help: 'Events waiting for a commit.',
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: 'footfall_batch_size',
    help: 'Events per journal commit (one write + fdatasync; requests are answered after it).',
    buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000],
    registers: [registry],
  });
  const commit = new Histogram({
    name: 'footfall_commit_seconds',
    help: 'Time to write and sync one journal batch.',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const loadRows = new Histogram({
    name: 'footfall_store_load_rows',
    help: 'Events per load from the journal into the store (one transaction).',
    buckets: [10, 100, 1000, 5000, 10000, 50000],
    registers: [registry],
  });
  const loadSeconds = new Histogram({
    name: 'footfall_store_load_seconds',
    help: 'Time to append and commit one load into the store.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const quarantined = new Counter({
    name: 'footfall_journal_quarantined_total',
    help: 'Journal lines that could not be loaded into the store, moved to <data>/journal/quarantine.ndjson.',
    registers: [registry],
  });
  let ingest: (() => { backlogEvents: number; backlogBytes: number; lagSeconds: number }) | undefined;
  new Gauge({
    name: 'footfall_journal_backlog_events',
    help: 'Acknowledged events in the journal not yet in the store (grows while the store is unreachable).',
    registers: [registry],
    collect() {
      this.set(ingest?.().backlogEvents ?? 0);
    },
  });
  new Gauge({
    name: 'footfall_journal_backlog_bytes',
    help: 'Bytes of journal not yet in the store; tracking answers 503 past --journal-max.',
    registers: [registry],
    collect() {
      this.set(ingest?.().backlogBytes ?? 0);
    },
  });
  new Gauge({
    name: 'footfall_store_lag_seconds',
    help: 'Seconds since the store last held every acknowledged event (0 when it does).',
    registers: [registry],
    collect() {
      this.set(ingest?.().lagSeconds ?? 0);
    },
  });
  // Label children are cached: .labels() hashes its arguments on every call.
  const droppedBy = new Map<string, Counter.Internal>();
  const rejectedBy = new Map<string, Counter.Internal>();
  const child = (c: Counter, cache: Map<string, Counter.Internal>, reason: string) => {
    let ch = cache.get(reason);
    if (!ch) {
      ch = c.labels({ reason });
      cache.set(reason, ch);
    }
    return ch;
  };
  return {
    registry,
    received: () => received.inc(),
    stored: (n) => stored.inc(n),
    dropped: (reason, n = 1) => child(dropped, droppedBy, reason).inc(n),
    rejected: (reason) => child(rejected, rejectedBy, reason).inc(),
    queueDepth: (d) => depth.set(d),
    batch: (size, seconds) => {
      batchSize.observe(size);
      commit.observe(seconds);
    },
    load: (size, seconds) => {
      loadRows.observe(size);
      loadSeconds.observe(seconds);
    },
    quarantined: (n) => quarantined.inc(n),
    watchIngest: (source) => {
      ingest = source;
    },
  };
}
