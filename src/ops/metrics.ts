// Counters exposed at GET /metrics in Prometheus text format. One registry per server, so
// tests can run several servers in one process.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { JobSummary } from '../store/jobs.js';
import type { PartsReport } from './parts.js';

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
  /** Reads the job ledger at each scrape (so the figures survive restarts). */
  watchJobs(source: () => Promise<JobSummary[]>): void;
  /** Labels the scrape with this node's id (footfall_node_info). */
  nodeInfo(nodeId: string): void;
  /** Asks the node's parts (metadata database, event store) at each scrape. */
  watchParts(source: () => Promise<PartsReport>): void;
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
  // Periodic jobs, from the job ledger: one read per scrape fills all three.
  let jobs: (() => Promise<JobSummary[]>) | undefined;
  let jobRead: Promise<JobSummary[]> | undefined;
  const readJobs = (): Promise<JobSummary[]> => {
    // The ledger may be out of reach (PostgreSQL down): the scrape still answers, without them.
    jobRead ??= (jobs?.() ?? Promise.resolve([]))
      .catch(() => [])
      .finally(() => {
        jobRead = undefined;
      });
    return jobRead;
  };
  const jobGauge = (name: string, help: string, value: (s: JobSummary) => number | undefined) =>
    new Gauge({
      name,
      help,
      labelNames: ['job'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const s of await readJobs()) {
          const v = value(s);
          if (v !== undefined) this.set({ job: s.job }, v);
        }
      },
    });
  jobGauge(
    'footfall_job_runs',
    'Periods each periodic job has finished (with or without error), from the job ledger.',
    (s) => s.done + s.failed,
  );
  jobGauge(
    'footfall_job_failures',
    'Runs of a period that ended in an error, per job (retried up to 3 times).',
    (s) => s.failed,
  );
  jobGauge(
    'footfall_job_last_success_seconds',
    'When a period of the job last finished without error (Unix time).',
    (s) => (s.lastSuccess === undefined ? undefined : s.lastSuccess / 1000),
  );
  const nodeGauge = new Gauge({
    name: 'footfall_node_info',
    help: "This node's id (--node-id) as a label; always 1.",
    labelNames: ['node_id'],
    registers: [registry],
  });
  let parts: (() => Promise<PartsReport>) | undefined;
  new Gauge({
    name: 'footfall_part_up',
    help: 'Whether a part answers (1) or not (0): metadata (PostgreSQL, with --database-url) and events (the event store).',
    labelNames: ['part'],
    registers: [registry],
    async collect() {
      this.reset();
      if (!parts) return;
      const report = await parts();
      if (report.metadata !== undefined) this.set({ part: 'metadata' }, report.metadata === 'ok' ? 1 : 0);
      this.set({ part: 'events' }, report.events === 'ok' ? 1 : 0);
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
    nodeInfo: (nodeId) => {
      nodeGauge.reset();
      nodeGauge.set({ node_id: nodeId }, 1);
    },
    watchParts: (source) => {
      parts = source;
    },
    watchIngest: (source) => {
      ingest = source;
    },
    watchJobs: (source) => {
      jobs = source;
    },
  };
}
