// A site's traffic alerts (its settings): thresholds, mail recipients, the webhook and its
// format; the answer also holds the webhook's signing secret (so the receiver can check
// signatures) and how the last delivery went. PUT replaces the whole setting, checked first.
import type { FastifyInstance } from 'fastify';
import { newToken } from '../auth/tokens.js';
import { normalizeEmail } from '../auth/users.js';
import { footfallError } from '../errors.js';
import { parseWebhookUrl } from '../jobs/webhook-target.js';
import type { AlertRule, AlertSettings, AlertStore, WebhookFormat } from '../store/jobs.js';
import { bodyFields, domainParam, jsonApi } from './input.js';

export interface AlertRouteDeps {
  alerts: AlertStore;
  mailConfigured: boolean;
  allowPrivateWebhooks: boolean;
  randomBytes: (n: number) => Buffer;
}

const FORMATS: readonly WebhookFormat[] = ['json', 'slack', 'discord'];
const MAX_EMAILS = 20;

function threshold(value: unknown, name: string): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1_000_000_000) {
    throw footfallError(
      'FOOTFALL_ERR_INVALID_ALERT',
      `${name}: a whole number of visitors from 1, or null (off)`,
    );
  }
  return value;
}

function parseAlertSettings(body: Record<string, unknown>, allowPrivate: boolean): AlertSettings {
  const emails = body.emails ?? [];
  if (!Array.isArray(emails) || emails.length > MAX_EMAILS) {
    throw footfallError('FOOTFALL_ERR_INVALID_ALERT', `emails: a list of at most ${MAX_EMAILS} addresses`);
  }
  const format = body.webhookFormat ?? 'json';
  if (!FORMATS.includes(format as WebhookFormat)) {
    throw footfallError('FOOTFALL_ERR_INVALID_ALERT', `webhookFormat: one of ${FORMATS.join(', ')}`);
  }
  const url = body.webhookUrl ?? null;
  return {
    spike: threshold(body.spike, 'spike'),
    drop: threshold(body.drop, 'drop'),
    emails: [...new Set(emails.map((e) => normalizeEmail(e)))],
    webhookUrl: url === null ? null : parseWebhookUrl(url, allowPrivate).href,
    webhookFormat: format as WebhookFormat,
  };
}

function view(rule: AlertRule | undefined, mailConfigured: boolean) {
  return {
    alerts: {
      spike: rule?.spike ?? null,
      drop: rule?.drop ?? null,
      emails: rule?.emails ?? [],
      webhookUrl: rule?.webhookUrl ?? null,
      webhookFormat: rule?.webhookFormat ?? 'json',
      webhookSecret: rule?.webhookSecret ?? null,
      lastDelivery: rule?.lastDelivery ?? null,
      lastSpikeAt: rule?.lastSent.spike === undefined ? null : new Date(rule.lastSent.spike).toISOString(),
      lastDropAt: rule?.lastSent.drop === undefined ? null : new Date(rule.lastSent.drop).toISOString(),
    },
    mailConfigured,
  };
}

export async function alertRoutes(app: FastifyInstance, deps: AlertRouteDeps): Promise<void> {
  jsonApi(app);
  app.get('/api/sites/:domain/alerts', async (req) =>
    view(await deps.alerts.alertRule(domainParam(req)), deps.mailConfigured),
  );
  app.put('/api/sites/:domain/alerts', async (req) => {
    const fields = bodyFields(req, ['spike', 'drop', 'emails', 'webhookUrl', 'webhookFormat']);
    const settings = parseAlertSettings(fields, deps.allowPrivateWebhooks);
    if (!(await deps.alerts.setAlerts(domainParam(req), settings, newToken(deps.randomBytes)))) {
      throw footfallError('FOOTFALL_ERR_SITE_NOT_FOUND', domainParam(req));
    }
    return view(await deps.alerts.alertRule(domainParam(req)), deps.mailConfigured);
  });
}
