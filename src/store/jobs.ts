// What periodic jobs (src/jobs/) may ask of the metadata store: the job ledger — which period of
// which job has run — and each site's retention setting. Engine-neutral, plain values in and out.

/** A ledger row's state. `running` left behind by a stop is never run again (at most once). */
export type PeriodState = 'running' | 'done' | 'failed' | 'interrupted';

export interface JobSummary {
  job: string;
  /** Periods that finished, either way. */
  done: number;
  failed: number;
  /** When a period of the job last finished without error (ms), undefined before the first. */
  lastSuccess: number | undefined;
}

/** Who takes a period, and for how long, when several nodes share the ledger. */
export interface Lease {
  /** The node taking it (--node-id). */
  node: string;
  /** How long the period is held without a renewal. */
  ms: number;
  /**
   * What a lapsed lease of another node (it died mid-run) means: true, the period is taken
   * over and run again (jobs that only keep data tidy); false, it is marked interrupted and
   * not repeated (mail: at most once).
   */
  retake: boolean;
}

/** A claim's answer: taken, or not — and while another node's lease runs, until when. */
export type Claim = { taken: true } | { taken: false; heldUntil?: number };

export interface JobLedger {
  /**
   * Takes `period` of `job` for this run. True when it was free: never seen, or failed fewer
   * than `maxFailures` times. False when it is done, running, interrupted or out of retries.
   * The check and the write are one unit, so two callers never both get true. Without a
   * lease the holder is unknown and it never lapses (the next start interrupts it).
   */
  claim(job: string, period: string, now: number, maxFailures: number, lease?: Lease): Promise<boolean>;
  /** claim() that also says until when another node holds the period. */
  take(job: string, period: string, now: number, maxFailures: number, lease?: Lease): Promise<Claim>;
  /** Extends `node`'s lease on a running period to `until`; false when it holds it no more. */
  renew(job: string, period: string, node: string, until: number): Promise<boolean>;
  /** Records how a claimed period ended (`error` undefined: success). */
  finish(job: string, period: string, now: number, error?: string): Promise<void>;
  /**
   * Marks every period `node` left `running` (it stopped mid-run) as interrupted, and those
   * claimed before leases existed; returns them. Other nodes' running periods are theirs.
   */
  interruptLeftovers(now: number, node?: string): Promise<{ job: string; period: string }[]>;
  summary(): Promise<JobSummary[]>;
}

/** A site whose events are kept for a limited time. */
export interface RetentionRule {
  siteId: number;
  domain: string;
  timezone: string;
  months: number;
}

export interface RetentionSettings {
  /** Months a site keeps its events; null: forever (the default). */
  retentionOf(domain: string): Promise<number | null>;
  /** false when there is no such site. */
  setRetention(domain: string, months: number | null): Promise<boolean>;
  /** Every site with a limit. */
  retentionRules(): Promise<RetentionRule[]>;
}

export type ReportPeriod = 'week' | 'month';

/** A person's subscription to a site's weekly or monthly report. */
export interface ReportSubscription {
  id: number;
  siteId: number;
  domain: string;
  timezone: string;
  email: string;
  period: ReportPeriod;
  /** When it was made (ms): reports are sent for periods due after it. */
  createdAt: number;
}

export interface ReportSubscriptions {
  /** Every subscription, or one site's. */
  subscriptions(domain?: string): Promise<ReportSubscription[]>;
  subscription(id: number): Promise<ReportSubscription | undefined>;
  /** Adds it (or returns the one that exists); undefined when there is no such site. */
  subscribe(
    domain: string,
    email: string,
    period: ReportPeriod,
    now: number,
  ): Promise<ReportSubscription | undefined>;
  /** false when it did not exist (any more). */
  unsubscribe(id: number): Promise<boolean>;
  /** A random secret of the instance kept by name, made with `fresh` the first time it is asked for. */
  instanceSecret(name: string, fresh: () => string): Promise<string>;
}

export type WebhookFormat = 'json' | 'slack' | 'discord';
export type AlertKind = 'spike' | 'drop';

/** A site's traffic alerts: thresholds, who hears of them, and how the last delivery went. */
export interface AlertSettings {
  /** Alert when visitors in the last 5 minutes reach this; null: off. */
  spike: number | null;
  /** Alert when visitors in the last 12 hours fall below this; null: off. */
  drop: number | null;
  emails: string[];
  webhookUrl: string | null;
  webhookFormat: WebhookFormat;
}

export interface AlertRule extends AlertSettings {
  siteId: number;
  domain: string;
  timezone: string;
  /** The key webhook bodies are signed with (HMAC-SHA256). */
  webhookSecret: string;
  /** When each kind was last sent (ms); undefined: never. */
  lastSent: Partial<Record<AlertKind, number>>;
  /** How the last webhook delivery went, for the settings page. */
  lastDelivery: string | null;
}

export interface AlertStore {
  alertRule(domain: string): Promise<AlertRule | undefined>;
  /** Every site with a threshold set. */
  alertRules(): Promise<AlertRule[]>;
  /** false when there is no such site. `secret` is kept when the site has one already. */
  setAlerts(domain: string, settings: AlertSettings, secret: string): Promise<boolean>;
  markAlertSent(siteId: number, kind: AlertKind, now: number): Promise<void>;
  recordDelivery(siteId: number, result: string): Promise<void>;
}

export interface JobStore extends JobLedger, RetentionSettings, ReportSubscriptions, AlertStore {}
