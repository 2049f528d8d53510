// Every metric, defined once: which partial query computes it, how the final value is formed
// from that query's columns, and how it is rounded (as Plausible rounds it).
import type { Metric } from './model.js';

/** ev: per event; se: per visit; en: from engagement events (scroll depth, visible time). */
// `/` is floating-point division in DuckDB (and ClickHouse), even between integers.
export type MetricStage = 'ev' | 'se' | 'en';

export interface MetricDef {
  stage: MetricStage;
  /** SQL over the partial queries' columns (see compile.ts); NULL where there is no data. */
  sql: string;
  round: (v: number) => number;
  /** Its value where nothing happened (a compared time series' empty bucket). */
  empty: 0 | null;
}

const int = (v: number) => Math.round(v);
const decimals = (n: number) => (v: number) => Math.round(v * 10 ** n) / 10 ** n;

export const METRIC_DEFS: Readonly<Record<Metric, MetricDef>> = {
  visitors: { empty: 0, stage: 'ev', sql: 'coalesce(visitors, 0)', round: int },
  pageviews: { empty: 0, stage: 'ev', sql: 'coalesce(pageviews, 0)', round: int },
  events: { empty: 0, stage: 'ev', sql: 'coalesce(events, 0)', round: int },
  percentage: {
    empty: 0,
    stage: 'ev',
    sql: 'coalesce(100.0 * visitors / nullif(total_visitors, 0), 0)',
    round: decimals(1),
  },
  visits: { empty: 0, stage: 'se', sql: 'coalesce(visits, 0)', round: int },
  // The visits these are over (stat_visits, bounce_visits) can differ from those counted as
  // visits: see compile.ts on page filters and breakdowns by page.
  views_per_visit: {
    empty: 0,
    stage: 'se',
    sql: 'coalesce(1.0 * visit_pageviews / nullif(stat_visits, 0), 0)',
    round: decimals(2),
  },
  bounce_rate: {
    empty: 0,
    stage: 'se',
    sql: 'coalesce(100.0 * bounces / nullif(bounce_visits, 0), 0)',
    round: int,
  },
  visit_duration: {
    empty: 0,
    stage: 'se',
    sql: 'coalesce(duration_ms / 1000.0 / nullif(stat_visits, 0), 0)',
    round: int,
  },
  // Converted visitors of all the visitors (conversion_rate) or of the visitors of the same
  // breakdown group (group_conversion_rate), with the filters other than goals: see goals.ts.
  // Plausible rounds the first to two decimals and the second to one.
  conversion_rate: {
    empty: 0,
    stage: 'ev',
    sql: 'coalesce(100.0 * visitors / nullif(total_visitors, 0), 0)',
    round: decimals(2),
  },
  group_conversion_rate: {
    empty: 0,
    stage: 'ev',
    sql: 'coalesce(100.0 * visitors / nullif(group_visitors, 0), 0)',
    round: decimals(1),
  },
  // Revenue goals' amounts, summed and averaged over the events carrying revenue (revenue.ts);
  // Plausible keeps three decimals (toDecimal64(…, 3)).
  total_revenue: { empty: null, stage: 'ev', sql: 'rev_total', round: decimals(3) },
  average_revenue: { empty: null, stage: 'ev', sql: 'rev_average', round: decimals(3) },
  scroll_depth: { empty: null, stage: 'en', sql: 'scroll_depth', round: int },
  time_on_page: {
    empty: null,
    stage: 'en',
    sql: 'engaged_ms / 1000.0 / nullif(engaged_visitors, 0)',
    round: int,
  },
};
