// How numbers appear on the dashboard: short counts (1.2k), percentages, durations and
// changes. Locale-independent on purpose, so a screenshot or a test reads the same anywhere.
import type { Metric, Money } from '../api/types.js';

function trimmed(n: number, digits: number): string {
  return n.toFixed(digits).replace(/\.0+$|(\.\d*?)0+$/, '$1');
}

/** 999 → "999", 1234 → "1.2k", 12_345 → "12k", 1_234_567 → "1.2M". */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const abs = Math.abs(n);
  const sign = n < 0 ? '-' : '';
  if (abs >= 999.5) {
    const units = ['k', 'M', 'B'];
    let v = abs / 1000;
    let u = 0;
    // 999_999 would round to "1000k": move up a unit instead.
    while (u < units.length - 1 && Number(v.toFixed(v < 10 ? 1 : 0)) >= 1000) {
      v /= 1000;
      u++;
    }
    return `${sign}${trimmed(v, v < 10 ? 1 : 0)}${units[u]}`;
  }
  return `${sign}${trimmed(abs, abs < 10 && abs % 1 !== 0 ? 2 : 0)}`;
}

/** 1234567 → "1,234,567" (for tooltips and titles, where the exact number matters). */
export function formatExact(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const [int, frac] = String(Math.round(n * 100) / 100).split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${grouped}.${frac}` : grouped;
}

/** 42.4 → "42%". */
export function formatPercent(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return `${Math.round(n)}%`;
}

/** Seconds → "45s", "3m 7s", "1h 2m". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

/** A revenue amount in its currency: "€1,234.50" (en-US, as the rest of the dashboard). */
export function formatMoney(money: Money | null | undefined): string {
  if (!money || !Number.isFinite(money.value)) return '—';
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: money.currency }).format(money.value);
}

/** `money`: a revenue metric's value with its currency (api/stats.ts); without one it has none. */
export function formatMetric(metric: Metric, value: number | null | undefined, money?: Money | null): string {
  switch (metric) {
    case 'total_revenue':
    case 'average_revenue':
      return formatMoney(money);
    case 'bounce_rate':
    case 'percentage':
    case 'scroll_depth':
      return formatPercent(value);
    case 'conversion_rate':
    case 'group_conversion_rate':
      // Plausible shows conversion rates to a tenth of a percent.
      return value === null || value === undefined || !Number.isFinite(value) ? '—' : `${trimmed(value, 1)}%`;
    case 'visit_duration':
    case 'time_on_page':
      return formatDuration(value);
    case 'views_per_visit':
      return value === null || value === undefined || !Number.isFinite(value) ? '—' : trimmed(value, 2);
    default:
      return formatCount(value);
  }
}

export interface Change {
  text: string;
  /** Whether the change is good news: fewer bounces are good, more visitors are good. */
  tone: 'good' | 'bad' | 'flat';
}

/**
 * A change in percent (as the API reports it) → "+12%", "−5%", "0%"; null → "—". When the
 * compared period had no visitors at all, any percentage is noise (the API says +100% from
 * 0, and a near-empty period gave "+69471%"): it reads "new".
 */
export function formatChange(
  metric: Metric,
  change: number | null | undefined,
  previousEmpty = false,
): Change {
  if (previousEmpty) return { text: 'new', tone: 'flat' };
  if (change === null || change === undefined || !Number.isFinite(change)) return { text: '—', tone: 'flat' };
  const rounded = Math.round(change);
  if (rounded === 0) return { text: '0%', tone: 'flat' };
  const up = rounded > 0;
  const lowerIsBetter = metric === 'bounce_rate';
  return {
    text: `${up ? '+' : '\u2212'}${Math.abs(rounded)}%`,
    tone: up !== lowerIsBetter ? 'good' : 'bad',
  };
}

export const METRIC_LABELS: Record<Metric, string> = {
  visitors: 'Unique visitors',
  visits: 'Total visits',
  pageviews: 'Total pageviews',
  views_per_visit: 'Views per visit',
  bounce_rate: 'Bounce rate',
  visit_duration: 'Visit duration',
  events: 'Total events',
  percentage: 'Percentage',
  scroll_depth: 'Scroll depth',
  time_on_page: 'Time on page',
  conversion_rate: 'Conversion rate',
  group_conversion_rate: 'Conversion rate',
  total_revenue: 'Revenue',
  average_revenue: 'Average revenue',
};
