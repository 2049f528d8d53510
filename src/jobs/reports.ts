// Email reports: each subscription gets the site's weekly report on Monday at 09:00 and/or the
// monthly one on the 1st at 09:00, in the site's time zone (report-period.ts), once per period
// and person (the job ledger: period `site4:week:2026-W13:to7`). The numbers are the Stats
// API's (report-data.ts). A subscription made after a period's send time starts with the next
// period; after downtime only the latest due period is sent, late, not every missed one.
// Without mail settings nothing is due (reports wait, nothing is marked sent).
import { footfallError } from '../errors.js';
import type { Mailer } from '../mail/mailer.js';
import { requireMailer } from '../mail/mailer.js';
import { reportMail } from '../mail/report-mail.js';
import type { QueryEngine } from '../query/run-query.js';
import { normalizeDomain } from '../sites/domain.js';
import type { GoalStore } from '../store/goals.js';
import type { ReportPeriod, ReportSubscriptions } from '../store/jobs.js';
import type { PeriodicJob } from './ledger.js';
import { reportNumbers } from './report-data.js';
import { latestDue } from './report-period.js';

const PERIODS: readonly ReportPeriod[] = ['week', 'month'];

/** A report period from the API or the control socket (`field` names it in the refusal). */
export function parseReportPeriod(value: unknown, field = 'period'): ReportPeriod {
  if (!PERIODS.includes(value as ReportPeriod)) {
    throw footfallError('FOOTFALL_ERR_INVALID_FIELD', `${field} must be "week" or "month"`);
  }
  return value as ReportPeriod;
}

import type { UnsubscribeKeys } from './unsubscribe.js';

/** How often the job looks for due reports: every quarter hour, 09:00 local is on one in every zone. */
const TICK_MS = 15 * 60_000;

export interface ReportDeps {
  subscriptions: ReportSubscriptions;
  goals: Pick<GoalStore, 'listGoals'>;
  engine: QueryEngine;
  mailer: Mailer | undefined;
  publicUrl: string;
  unsubscribe: UnsubscribeKeys;
}

export function unsubscribeUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/api/reports/unsubscribe?token=${encodeURIComponent(token)}`;
}

/** Sends the report of the latest `period` due at `now` to `to`; with `subscriptionId`, with its unsubscribe link. */
export async function sendReport(
  deps: ReportDeps,
  req: { domain: string; period: ReportPeriod; to: string; now: number; subscriptionId?: number },
): Promise<{ from: string; to: string }> {
  const mailer = requireMailer(deps.mailer);
  const site = deps.engine.site(normalizeDomain(req.domain));
  const due = latestDue(req.period, req.now, site.timezone);
  const goals = await deps.goals.listGoals(site.domain);
  const numbers = await reportNumbers(deps.engine, site.domain, due, goals.length > 0);
  const base = deps.publicUrl.replace(/\/$/, '');
  await mailer.send(
    reportMail({
      to: req.to,
      domain: site.domain,
      period: req.period,
      from: due.from,
      to_: due.to,
      numbers,
      dashboardUrl: `${base}/sites/${encodeURIComponent(site.domain)}`,
      unsubscribeUrl:
        req.subscriptionId === undefined
          ? undefined
          : unsubscribeUrl(base, await deps.unsubscribe.sign(req.subscriptionId)),
    }),
  );
  return { from: due.from, to: due.to };
}

export function reportsJob(deps: ReportDeps): PeriodicJob {
  return {
    name: 'reports',
    nextRunIn: (t) => TICK_MS - (t % TICK_MS) + 1000,
    due: async (t) => {
      if (!deps.mailer) return [];
      return (await deps.subscriptions.subscriptions()).flatMap((sub) => {
        const due = latestDue(sub.period, t, sub.timezone);
        if (due.at < sub.createdAt) return [];
        return [
          {
            period: `site${sub.siteId}:${sub.period}:${due.key}:to${sub.id}`,
            run: async () => {
              // Unsubscribed since the list was read: nothing to send.
              if (!(await deps.subscriptions.subscription(sub.id))) return;
              await sendReport(deps, {
                domain: sub.domain,
                period: sub.period,
                to: sub.email,
                now: t,
                subscriptionId: sub.id,
              });
            },
          },
        ];
      });
    },
  };
}
