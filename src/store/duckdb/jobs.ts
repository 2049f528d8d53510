// JobStore on DuckDB: the job ledger and retention settings in the metadata file. Every write
// takes its turn on the metadata connection (serial-connection.ts), so a claim's check and its
// write cannot interleave with another claim.
import type {
  AlertKind,
  AlertRule,
  AlertSettings,
  Claim,
  JobStore,
  JobSummary,
  Lease,
  ReportPeriod,
  ReportSubscription,
  RetentionRule,
  WebhookFormat,
} from '../jobs.js';
import type { MetadataSql, Row, SqlParam } from '../metadata-sql.js';
import { siteIdIn } from './site-rows.js';

/** The migration that adds the ledger and the retention settings. */
export const JOBS_MIGRATION = `
  CREATE TABLE job_runs (
    job         VARCHAR NOT NULL,
    period      VARCHAR NOT NULL,
    state       VARCHAR NOT NULL,
    failures    INTEGER NOT NULL,
    claimed_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    error       VARCHAR,
    PRIMARY KEY (job, period)
  );
  CREATE TABLE site_retention (
    site_id INTEGER PRIMARY KEY,
    months  INTEGER NOT NULL
  );
  CREATE SEQUENCE report_subscription_id_seq START 1;
  CREATE TABLE report_subscriptions (
    id         INTEGER PRIMARY KEY DEFAULT nextval('report_subscription_id_seq'),
    site_id    INTEGER NOT NULL,
    email      VARCHAR NOT NULL,
    period     VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (site_id, email, period)
  );
  CREATE TABLE alert_rules (
    site_id        INTEGER PRIMARY KEY,
    spike          INTEGER,
    drop_below     INTEGER,
    emails         VARCHAR NOT NULL,
    webhook_url    VARCHAR,
    webhook_format VARCHAR NOT NULL,
    webhook_secret VARCHAR NOT NULL,
    last_spike_at  TIMESTAMP,
    last_drop_at   TIMESTAMP,
    last_delivery  VARCHAR
  );`;

const SUBSCRIPTIONS = `SELECT r.id, r.site_id, s.domain, s.timezone, r.email, r.period,
  epoch_ms(r.created_at) AS created_ms FROM report_subscriptions r JOIN sites s ON s.id = r.site_id`;

function toSubscription(r: Row): ReportSubscription {
  return {
    id: Number(r.id),
    siteId: Number(r.site_id),
    domain: String(r.domain),
    timezone: String(r.timezone),
    email: String(r.email),
    period: String(r.period) as ReportPeriod,
    createdAt: Number(r.created_ms),
  };
}

const ALERTS = `SELECT a.*, s.domain, s.timezone, epoch_ms(a.last_spike_at) AS spike_ms,
  epoch_ms(a.last_drop_at) AS drop_ms FROM alert_rules a JOIN sites s ON s.id = a.site_id`;

function toAlertRule(r: Row): AlertRule {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const lastSent: AlertRule['lastSent'] = {};
  if (r.spike_ms !== null && r.spike_ms !== undefined) lastSent.spike = Number(r.spike_ms);
  if (r.drop_ms !== null && r.drop_ms !== undefined) lastSent.drop = Number(r.drop_ms);
  return {
    siteId: Number(r.site_id),
    domain: String(r.domain),
    timezone: String(r.timezone),
    spike: num(r.spike),
    drop: num(r.drop_below),
    emails: JSON.parse(String(r.emails)) as string[],
    webhookUrl: r.webhook_url === null ? null : String(r.webhook_url),
    webhookFormat: String(r.webhook_format) as WebhookFormat,
    webhookSecret: String(r.webhook_secret),
    lastSent,
    lastDelivery: r.last_delivery === null ? null : String(r.last_delivery),
  };
}

export class DuckDbJobStore implements JobStore {
  constructor(
    private readonly query: (sql: string, params?: readonly SqlParam[]) => Promise<Row[]>,
    private readonly writes: MetadataSql,
  ) {}

  async claim(
    job: string,
    period: string,
    now: number,
    maxFailures: number,
    lease?: Lease,
  ): Promise<boolean> {
    return (await this.take(job, period, now, maxFailures, lease)).taken;
  }

  take(job: string, period: string, now: number, maxFailures: number, lease?: Lease): Promise<Claim> {
    // Without a lease the holder is unknown (NULL, as before leases): the next start interrupts it.
    const node = lease?.node ?? null;
    return this.writes.transaction(async (tx): Promise<Claim> => {
      const [row] = await tx.rows(
        `SELECT state, failures, claimed_by, epoch_ms(lease_until) AS lease_ms
         FROM job_runs WHERE job = $1 AND period = $2`,
        [job, period],
      );
      let failures = 0;
      if (row) {
        failures = Number(row.failures);
        const leaseMs =
          row.lease_ms === null || row.lease_ms === undefined ? undefined : Number(row.lease_ms);
        // Another node's running period whose lease lapsed: that node died mid-run.
        const lapsed =
          row.state === 'running' && row.claimed_by !== node && leaseMs !== undefined && leaseMs < now;
        if (lapsed && lease && !lease.retake) {
          await tx.run(
            `UPDATE job_runs SET state = 'interrupted', finished_at = epoch_ms($3::BIGINT)
             WHERE job = $1 AND period = $2`,
            [job, period, now],
          );
          return { taken: false };
        }
        // A lapsed run counts as a failure, so a period that kills every node running it stops.
        if (lapsed) failures++;
        const free = (row.state === 'failed' || lapsed) && failures < maxFailures;
        if (!free)
          return row.state === 'running' && leaseMs !== undefined && !lapsed
            ? { taken: false, heldUntil: leaseMs }
            : { taken: false };
      }
      await tx.run(
        `INSERT INTO job_runs (job, period, state, failures, claimed_at, claimed_by, lease_until)
           VALUES ($1, $2, 'running', $3, epoch_ms($4::BIGINT), $5, epoch_ms($6::BIGINT))
         ON CONFLICT (job, period) DO UPDATE SET state = 'running', failures = excluded.failures,
           claimed_at = excluded.claimed_at, claimed_by = excluded.claimed_by, lease_until = excluded.lease_until`,
        [job, period, failures, now, node, lease ? now + lease.ms : null],
      );
      return { taken: true };
    });
  }

  async renew(job: string, period: string, node: string, until: number): Promise<boolean> {
    const rows = await this.writes.rows(
      `UPDATE job_runs SET lease_until = epoch_ms($4::BIGINT)
       WHERE job = $1 AND period = $2 AND claimed_by = $3 AND state = 'running' RETURNING job`,
      [job, period, node, until],
    );
    return rows.length > 0;
  }

  async finish(job: string, period: string, now: number, error?: string): Promise<void> {
    await this.writes.rows(
      `UPDATE job_runs SET state = $3, finished_at = epoch_ms($4::BIGINT), error = $5,
         failures = failures + $6, lease_until = NULL WHERE job = $1 AND period = $2`,
      [job, period, error === undefined ? 'done' : 'failed', now, error ?? null, error === undefined ? 0 : 1],
    );
  }

  async interruptLeftovers(
    now: number,
    node: string | null = null,
  ): Promise<{ job: string; period: string }[]> {
    const rows = await this.writes.rows(
      `UPDATE job_runs SET state = 'interrupted', finished_at = epoch_ms($1::BIGINT), lease_until = NULL
       WHERE state = 'running' AND (claimed_by = $2 OR claimed_by IS NULL) RETURNING job, period`,
      [now, node],
    );
    return rows.map((r) => ({ job: String(r.job), period: String(r.period) }));
  }

  async summary(): Promise<JobSummary[]> {
    const rows = await this.query(
      `SELECT job, count(*) FILTER (WHERE state = 'done') AS done,
         sum(failures) AS failed,
         epoch_ms(max(finished_at) FILTER (WHERE state = 'done')) AS last_success
       FROM job_runs GROUP BY job ORDER BY job`,
    );
    return rows.map((r) => ({
      job: String(r.job),
      done: Number(r.done),
      failed: Number(r.failed ?? 0),
      lastSuccess: r.last_success === null ? undefined : Number(r.last_success),
    }));
  }

  async retentionOf(domain: string): Promise<number | null> {
    const rows = await this.query(
      'SELECT r.months FROM site_retention r JOIN sites s ON s.id = r.site_id WHERE s.domain = $1',
      [domain],
    );
    return rows[0] ? Number(rows[0].months) : null;
  }

  setRetention(domain: string, months: number | null): Promise<boolean> {
    return this.writes.transaction(async (tx) => {
      const id = await siteIdIn(tx, domain);
      if (id === undefined) return false;
      if (months === null) await tx.run('DELETE FROM site_retention WHERE site_id = $1', [id]);
      // ON CONFLICT rather than DuckDB's INSERT OR REPLACE: the same statement runs on PostgreSQL.
      else
        await tx.run(
          'INSERT INTO site_retention VALUES ($1, $2) ON CONFLICT (site_id) DO UPDATE SET months = excluded.months',
          [id, months],
        );
      return true;
    });
  }

  async retentionRules(): Promise<RetentionRule[]> {
    const rows = await this.query(
      `SELECT s.id, s.domain, s.timezone, r.months FROM site_retention r
       JOIN sites s ON s.id = r.site_id ORDER BY s.id`,
    );
    return rows.map((r) => ({
      siteId: Number(r.id),
      domain: String(r.domain),
      timezone: String(r.timezone),
      months: Number(r.months),
    }));
  }

  async subscriptions(domain?: string): Promise<ReportSubscription[]> {
    const rows =
      domain === undefined
        ? await this.query(`${SUBSCRIPTIONS} ORDER BY r.id`)
        : await this.query(`${SUBSCRIPTIONS} WHERE s.domain = $1 ORDER BY r.id`, [domain]);
    return rows.map(toSubscription);
  }

  async subscription(id: number): Promise<ReportSubscription | undefined> {
    const rows = await this.query(`${SUBSCRIPTIONS} WHERE r.id = $1`, [id]);
    return rows[0] ? toSubscription(rows[0]) : undefined;
  }

  subscribe(
    domain: string,
    email: string,
    period: ReportPeriod,
    now: number,
  ): Promise<ReportSubscription | undefined> {
    return this.writes.transaction(async (tx) => {
      const siteId = await siteIdIn(tx, domain);
      if (siteId === undefined) return undefined;
      await tx.run(
        `INSERT INTO report_subscriptions (site_id, email, period, created_at)
         VALUES ($1, $2, $3, epoch_ms($4::BIGINT)) ON CONFLICT DO NOTHING`,
        [siteId, email, period, now],
      );
      const rows = await tx.rows(`${SUBSCRIPTIONS} WHERE r.site_id = $1 AND r.email = $2 AND r.period = $3`, [
        siteId,
        email,
        period,
      ]);
      return toSubscription(rows[0]!);
    });
  }

  async unsubscribe(id: number): Promise<boolean> {
    return (
      (await this.writes.rows('DELETE FROM report_subscriptions WHERE id = $1 RETURNING 1', [id])).length > 0
    );
  }

  instanceSecret(name: string, fresh: () => string): Promise<string> {
    return this.writes.transaction(async (tx) => {
      await tx.run('INSERT INTO instance_settings VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
        name,
        fresh(),
      ]);
      return String((await tx.rows('SELECT value FROM instance_settings WHERE name = $1', [name]))[0]!.value);
    });
  }

  async alertRule(domain: string): Promise<AlertRule | undefined> {
    const rows = await this.query(`${ALERTS} WHERE s.domain = $1`, [domain]);
    return rows[0] ? toAlertRule(rows[0]) : undefined;
  }

  async alertRules(): Promise<AlertRule[]> {
    const rows = await this.query(
      `${ALERTS} WHERE a.spike IS NOT NULL OR a.drop_below IS NOT NULL ORDER BY a.site_id`,
    );
    return rows.map(toAlertRule);
  }

  setAlerts(domain: string, settings: AlertSettings, secret: string): Promise<boolean> {
    return this.writes.transaction(async (tx) => {
      const siteId = await siteIdIn(tx, domain);
      if (siteId === undefined) return false;
      await tx.run(
        `INSERT INTO alert_rules (site_id, spike, drop_below, emails, webhook_url, webhook_format, webhook_secret)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (site_id) DO UPDATE SET spike = excluded.spike, drop_below = excluded.drop_below,
           emails = excluded.emails, webhook_url = excluded.webhook_url, webhook_format = excluded.webhook_format`,
        [
          siteId,
          settings.spike,
          settings.drop,
          JSON.stringify(settings.emails),
          settings.webhookUrl,
          settings.webhookFormat,
          secret,
        ],
      );
      return true;
    });
  }

  async markAlertSent(siteId: number, kind: AlertKind, now: number): Promise<void> {
    const column = kind === 'spike' ? 'last_spike_at' : 'last_drop_at';
    await this.writes.rows(`UPDATE alert_rules SET ${column} = epoch_ms($2::BIGINT) WHERE site_id = $1`, [
      siteId,
      now,
    ]);
  }

  async recordDelivery(siteId: number, result: string): Promise<void> {
    await this.writes.rows('UPDATE alert_rules SET last_delivery = $2 WHERE site_id = $1', [
      siteId,
      result.slice(0, 500),
    ]);
  }
}
