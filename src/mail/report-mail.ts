// The weekly or monthly report as a mail: a plain-text part and an HTML part with inline styles
// and no remote images (mail clients block them, and a pixel would track the reader). Page
// paths and sources are tracked text, hostile until shown: the HTML part escapes every one, and
// the text part keeps each on one line. Numbers are formatted as the dashboard formats them.

import { printable } from '../cli/table.js';
import type { ReportNumbers } from '../jobs/report-data.js';
import { SUMMARY_METRICS } from '../jobs/report-data.js';
import { formatChange, formatExact, formatMetric, METRIC_LABELS } from '../web/format/number.js';
import type { Mail } from './mailer.js';

export interface ReportMailInput {
  to: string;
  domain: string;
  period: 'week' | 'month';
  from: string;
  to_: string;
  numbers: ReportNumbers;
  /** The site's dashboard (for members). */
  dashboardUrl: string;
  /** One-click unsubscribe; absent for a report sent on request. */
  unsubscribeUrl?: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "23–29 March 2026", "28 December 2026 – 3 January 2027", "March 2026". */
function rangeText(period: 'week' | 'month', from: string, to: string): string {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  if (period === 'month') return `${MONTHS[fm - 1]} ${fy}`;
  if (fy === ty && fm === tm) return `${fd}–${td} ${MONTHS[tm - 1]} ${ty}`;
  if (fy === ty) return `${fd} ${MONTHS[fm - 1]} – ${td} ${MONTHS[tm - 1]} ${ty}`;
  return `${fd} ${MONTHS[fm - 1]} ${fy} – ${td} ${MONTHS[tm - 1]} ${ty}`;
}

export function reportMail(input: ReportMailInput): Mail {
  const { numbers } = input;
  const range = rangeText(input.period, input.from, input.to_);
  const summary = SUMMARY_METRICS.map((m, i) => {
    const s = numbers.summary[i]!;
    return {
      label: METRIC_LABELS[m],
      value: formatMetric(m, s.value),
      change: formatChange(m, s.change).text,
    };
  });
  const lists: { title: string; head: string; rows: [string, string][] }[] = [
    {
      title: 'Top pages',
      head: 'Visitors',
      rows: numbers.pages.map((p) => [p.name, formatExact(p.visitors)]),
    },
    {
      title: 'Top sources',
      head: 'Visitors',
      rows: numbers.sources.map((p) => [p.name, formatExact(p.visitors)]),
    },
  ];
  if (numbers.goals.length > 0) {
    lists.push({
      title: 'Top goals',
      head: 'Visitors',
      rows: numbers.goals.map((g) => [g.name, formatExact(g.visitors)]),
    });
  }
  const what = input.period === 'week' ? 'Weekly' : 'Monthly';
  const vs = input.period === 'week' ? 'the week before' : 'the month before';

  const text = [
    `${what} report for ${input.domain}: ${range}`,
    '',
    ...summary.map((s) => `${s.label}: ${s.value} (${s.change} vs ${vs})`),
    ...lists.flatMap((l) => [
      '',
      `${l.title} (${l.head.toLowerCase()}):`,
      ...(l.rows.length === 0 ? ['  none'] : l.rows.map(([name, n]) => `  ${n}  ${printable(name)}`)),
    ]),
    '',
    `Dashboard: ${input.dashboardUrl}`,
    ...(input.unsubscribeUrl ? ['', `Stop these reports: ${input.unsubscribeUrl}`] : []),
    '',
  ].join('\n');

  const cell = 'padding:6px 8px;border-bottom:1px solid #e5e7eb;';
  const html = `<!doctype html><html><body style="margin:0;padding:24px;background:#f8fafc;font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#111827">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
<h1 style="font-size:20px;margin:0 0 4px">${what} report for ${escapeHtml(input.domain)}</h1>
<p style="margin:0 0 16px;color:#4b5563">${escapeHtml(range)}</p>
<table style="width:100%;border-collapse:collapse;font-size:14px">${summary
    .map(
      (s) =>
        `<tr><td style="${cell}">${escapeHtml(s.label)}</td><td style="${cell}text-align:right;font-weight:600">${escapeHtml(s.value)}</td><td style="${cell}text-align:right;color:#4b5563">${escapeHtml(s.change)}</td></tr>`,
    )
    .join('')}</table>
${lists
  .map(
    (l) => `<h2 style="font-size:16px;margin:20px 0 8px">${escapeHtml(l.title)}</h2>
<table style="width:100%;border-collapse:collapse;font-size:14px"><tr><th style="${cell}text-align:left">${l.title === 'Top sources' ? 'Source' : l.title === 'Top goals' ? 'Goal' : 'Page'}</th><th style="${cell}text-align:right">${escapeHtml(l.head)}</th></tr>${
      l.rows.length === 0
        ? `<tr><td style="${cell}color:#6b7280" colspan="2">none</td></tr>`
        : l.rows
            .map(
              ([name, n]) =>
                `<tr><td style="${cell}word-break:break-all">${escapeHtml(name)}</td><td style="${cell}text-align:right">${escapeHtml(n)}</td></tr>`,
            )
            .join('')
    }</table>`,
  )
  .join('\n')}
<p style="margin:24px 0 0"><a href="${escapeHtml(input.dashboardUrl)}" style="color:#2563eb">Open the dashboard</a></p>
${input.unsubscribeUrl ? `<p style="margin:16px 0 0;font-size:12px;color:#6b7280"><a href="${escapeHtml(input.unsubscribeUrl)}" style="color:#6b7280">Stop these reports</a></p>` : ''}
</div></body></html>`;

  return {
    to: input.to,
    subject: `${what} report for ${input.domain}: ${range}`,
    text,
    html,
    ...(input.unsubscribeUrl
      ? {
          headers: {
            'List-Unsubscribe': `<${input.unsubscribeUrl}>`,
            // RFC 8058: the mail client may POST "List-Unsubscribe=One-Click" to the URL.
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        }
      : {}),
  };
}
