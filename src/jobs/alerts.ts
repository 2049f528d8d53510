// Traffic alerts: a spike (visitors in the last 5 minutes reach the site's threshold) or a drop
// (visitors in the last 12 hours fall below it), each sent at most once per 12 hours per site,
// by mail to the site's alert addresses and to its webhook (webhook.ts), with the top 3
// sources and pages of that window. Visitors are counted by the query engine as the Stats API
// counts them for the same window. The ledger names each alert `site4:spike:2026-03-30T12:05`;
// the send time is recorded before anything goes out (at most once, like every job here).
import { printable } from '../cli/table.js';
import type { Mailer } from '../mail/mailer.js';
import { parseQuery } from '../query/parse.js';
import type { QueryEngine } from '../query/run-query.js';
import type { AlertKind, AlertRule, AlertStore } from '../store/jobs.js';
import type { PeriodicJob } from './ledger.js';
import { deliverWebhook, deliveryText, type WebhookDeps } from './webhook.js';
import { parseWebhookUrl } from './webhook-target.js';

export const WINDOW_MS: Record<AlertKind, number> = { spike: 5 * 60_000, drop: 12 * 3600_000 };
/** The quiet time after an alert of one kind, per site. */
const QUIET_MS = 12 * 3600_000;
const TICK_MS = 60_000;

export interface AlertDeps {
  alerts: AlertStore;
  engine: QueryEngine;
  mailer: Mailer | undefined;
  publicUrl: string;
  webhook: WebhookDeps;
  log: (msg: string) => void;
}

export interface AlertFacts {
  kind: AlertKind;
  domain: string;
  visitors: number;
  threshold: number;
  windowMinutes: number;
  at: number;
  sources: { name: string; visitors: number }[];
  pages: { name: string; visitors: number }[];
  dashboardUrl: string;
}

async function ask(engine: QueryEngine, domain: string, from: number, to: number, body: object) {
  const range = [new Date(from).toISOString(), new Date(to).toISOString()];
  return (
    await engine.query(parseQuery({ site_id: domain, date_range: range, metrics: ['visitors'], ...body }))
  ).results;
}

const top3 = (dimension: string) => ({
  dimensions: [dimension],
  order_by: [['visitors', 'desc']],
  pagination: { limit: 3 },
});

function headline(f: AlertFacts): string {
  const window = f.kind === 'spike' ? 'the last 5 minutes' : 'the last 12 hours';
  return f.kind === 'spike'
    ? `Traffic spike on ${f.domain}: ${f.visitors} visitors in ${window} (alert at ${f.threshold})`
    : `Traffic drop on ${f.domain}: ${f.visitors} visitors in ${window} (alert below ${f.threshold})`;
}

function listText(title: string, rows: { name: string; visitors: number }[]): string {
  return `${title}: ${rows.length === 0 ? 'none' : rows.map((r) => `${printable(r.name)} (${r.visitors})`).join(', ')}`;
}

/** The webhook body in the format the site chose. */
function webhookBody(format: AlertRule['webhookFormat'], f: AlertFacts): string {
  const text = [
    headline(f),
    listText('Top sources', f.sources),
    listText('Top pages', f.pages),
    f.dashboardUrl,
  ].join('\n');
  // Slack reads <…> as links and mentions (<!channel>): tracked text must not ping anyone.
  if (format === 'slack') {
    return JSON.stringify({
      text: text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!),
    });
  }
  if (format === 'discord')
    return JSON.stringify({ content: text.slice(0, 2000), allowed_mentions: { parse: [] } });
  return JSON.stringify({
    type: `traffic_${f.kind}`,
    site: f.domain,
    visitors: f.visitors,
    threshold: f.threshold,
    window_minutes: f.windowMinutes,
    at: new Date(f.at).toISOString(),
    top_sources: f.sources,
    top_pages: f.pages,
    dashboard: f.dashboardUrl,
  });
}

export function alertsJob(deps: AlertDeps): PeriodicJob {
  const base = deps.publicUrl.replace(/\/$/, '');
  const send = async (rule: AlertRule, kind: AlertKind, visitors: number, threshold: number, t: number) => {
    await deps.alerts.markAlertSent(rule.siteId, kind, t);
    const from = t - WINDOW_MS[kind];
    const rows = async (dimension: string) =>
      (await ask(deps.engine, rule.domain, from, t, top3(dimension))).map((r) => ({
        name: String(r.dimensions[0]),
        visitors: Number(r.metrics[0] ?? 0),
      }));
    const facts: AlertFacts = {
      kind,
      domain: rule.domain,
      visitors,
      threshold,
      windowMinutes: WINDOW_MS[kind] / 60_000,
      at: t,
      sources: await rows('visit:source'),
      pages: await rows('event:page'),
      dashboardUrl: `${base}/sites/${encodeURIComponent(rule.domain)}`,
    };
    const problems: string[] = [];
    const mailer = deps.mailer;
    if (rule.emails.length > 0 && !mailer) problems.push('mail is not configured');
    if (mailer) {
      for (const to of rule.emails) {
        const text = [
          headline(facts),
          '',
          listText('Top sources', facts.sources),
          listText('Top pages', facts.pages),
          '',
          facts.dashboardUrl,
          '',
        ].join('\n');
        await mailer
          .send({ to, subject: headline(facts), text })
          .catch((err: Error) => problems.push(`${to}: ${err.message}`));
      }
    }
    if (rule.webhookUrl) {
      const delivery = await deliverWebhook(
        parseWebhookUrl(rule.webhookUrl, deps.webhook.allowPrivate),
        webhookBody(rule.webhookFormat, facts),
        rule.webhookSecret,
        deps.webhook,
      );
      await deps.alerts.recordDelivery(rule.siteId, deliveryText(delivery, deps.webhook.now()));
      if (!delivery.ok) problems.push(`webhook: ${delivery.error ?? `HTTP ${delivery.status}`}`);
    }
    deps.log(`alert: ${headline(facts)}${problems.length ? ` — not delivered: ${problems.join('; ')}` : ''}`);
  };
  return {
    name: 'alerts',
    nextRunIn: (t) => TICK_MS - (t % TICK_MS),
    due: async (t) => {
      const due: { period: string; run: () => Promise<void> }[] = [];
      for (const rule of await deps.alerts.alertRules()) {
        for (const kind of ['spike', 'drop'] as const) {
          const threshold = rule[kind];
          if (threshold === null) continue;
          const last = rule.lastSent[kind];
          if (last !== undefined && t - last < QUIET_MS) continue;
          const [row] = await ask(deps.engine, rule.domain, t - WINDOW_MS[kind], t, {});
          const visitors = Number(row?.metrics[0] ?? 0);
          if (kind === 'spike' ? visitors < threshold : visitors >= threshold) continue;
          due.push({
            period: `site${rule.siteId}:${kind}:${new Date(t).toISOString().slice(0, 16)}`,
            run: () => send(rule, kind, visitors, threshold, t),
          });
        }
      }
      return due;
    },
  };
}
