// Every query the dashboard sends, built from the URL state by pure functions: one place
// to read what a panel asks for, and unit-testable without a browser.
import type {
  ApiDateRange,
  Comparison,
  Filter,
  JourneysRequest,
  Metric,
  PropKeysRequest,
  QueryRequest,
} from '../api/types.js';
import { type DashboardState, GOAL_TOP_METRICS, TOP_METRICS, type TopMetric } from '../state/url-state.js';
import { apiDateRange, chooseInterval, type Interval } from '../time/range.js';

export interface Scope {
  site: string;
  dateRange: ApiDateRange;
  filters: Filter[];
  compare: boolean;
  /** What the top row compares with (and the chart's dashed line shows), when comparing. */
  comparison?: Comparison;
  interval: Interval;
  /**
   * Every query merges imported data in (include.imports; the api adds it: imports.ts). Kept in
   * the scope so every fetch key (scopeKey) changes with it.
   */
  imports?: boolean;
}

/** The comparison the state asks for: the previous period unless a year ago or a custom range. */
export function comparisonOf(state: DashboardState): Comparison {
  if (state.compareMode === 'year_over_year') return { mode: 'year_over_year' };
  if (state.compareMode === 'custom' && state.compareFrom && state.compareTo) {
    return { mode: 'custom', date_range: [state.compareFrom, state.compareTo] };
  }
  return { mode: 'previous_period' };
}

export function buildScope(site: string, state: DashboardState, today: string): Scope {
  return {
    site,
    dateRange: apiDateRange(state, today),
    filters: state.filters,
    compare: state.compare,
    ...(state.compare && state.compareMode ? { comparison: comparisonOf(state) } : {}),
    interval: chooseInterval(state),
    ...(state.imports ? { imports: true } : {}),
  };
}

/** Whether the dashboard is filtered by a goal (it then shows conversions). */
export function hasGoalFilter(filters: readonly Filter[]): boolean {
  return filters.some((f) => f[1] === 'event:goal');
}

/** What the API answers with goals (README, "Goals and conversions"). */
const GOAL_METRICS: readonly Metric[] = [
  'visitors',
  'visits',
  'events',
  'pageviews',
  'conversion_rate',
  'group_conversion_rate',
  'total_revenue',
  'average_revenue',
];

/**
 * A panel's metrics under the dashboard's filters: with a goal filter, the visitors (and
 * events) that converted and each row's conversion rate, as Plausible's panels show them;
 * visit rates and shares are left out (the API answers them only without goals).
 */
export function metricsFor(filters: readonly Filter[], metrics: readonly Metric[]): Metric[] {
  if (!hasGoalFilter(filters)) return [...metrics];
  const kept = metrics.filter((m) => GOAL_METRICS.includes(m));
  if (!kept.some((m) => m === 'conversion_rate' || m === 'group_conversion_rate')) {
    kept.push('group_conversion_rate');
  }
  return kept[0] === 'visitors' ? kept : ['visitors', ...kept.filter((m) => m !== 'visitors')];
}

/** The top row's metrics: conversions while a goal filter is on. */
export function topMetrics(filters: readonly Filter[]): readonly TopMetric[] {
  return hasGoalFilter(filters) ? GOAL_TOP_METRICS : TOP_METRICS;
}

/** The chart's metric: the one chosen, if the top row shows it, else visitors. */
export function chartMetric(state: DashboardState): TopMetric {
  return topMetrics(state.filters).includes(state.metric) ? state.metric : 'visitors';
}

/**
 * Revenue cards follow the top row's own while a goal filter is on (shown when the goals are
 * revenue goals, TopStats.tsx); the API compares no revenue, so not while comparing.
 */
export function revenueCards(scope: Scope): Metric[] {
  return hasGoalFilter(scope.filters) && !scope.compare ? ['total_revenue', 'average_revenue'] : [];
}

export function topStatsRequest(scope: Scope): QueryRequest {
  return {
    site_id: scope.site,
    metrics: [...topMetrics(scope.filters), ...revenueCards(scope)],
    date_range: scope.dateRange,
    filters: scope.filters,
    ...(scope.compare ? { include: { comparisons: scope.comparison ?? { mode: 'previous_period' } } } : {}),
  };
}

export function timeseriesRequest(scope: Scope, metric: Metric): QueryRequest {
  return {
    site_id: scope.site,
    metrics: [metric],
    date_range: scope.dateRange,
    dimensions: [`time:${scope.interval}`],
    filters: scope.filters,
    order_by: [[`time:${scope.interval}`, 'asc']],
    // Comparing draws a second line from its own query (chart/series.ts: previousRange).
    include: { time_labels: true },
  };
}

export interface BreakdownOptions {
  limit: number;
  offset?: number;
  /** Text typed into a details view's search box: a `contains` filter on the dimension. */
  search?: string;
  /** Filters only this panel applies (e.g. custom events exclude page views). */
  extraFilters?: Filter[];
  totalRows?: boolean;
}

export function breakdownRequest(
  scope: Scope,
  dim: string,
  metrics: Metric[],
  opts: BreakdownOptions,
): QueryRequest {
  const filters: Filter[] = [...scope.filters, ...(opts.extraFilters ?? [])];
  const search = opts.search?.trim();
  if (search) filters.push(['contains', dim, [search]]);
  return {
    site_id: scope.site,
    metrics,
    date_range: scope.dateRange,
    dimensions: [dim],
    filters,
    order_by: [
      [metrics[0] ?? 'visitors', 'desc'],
      [dim, 'asc'],
    ],
    pagination: { limit: opts.limit, offset: opts.offset ?? 0 },
    ...(opts.totalRows ? { include: { total_rows: true } } : {}),
  };
}

/**
 * Countries for the map and the list at once: by code (what the map's shapes are keyed by)
 * and name (what the list shows), every country — one query where two would compete.
 */
export function countriesRequest(scope: Scope): QueryRequest {
  return {
    site_id: scope.site,
    metrics: metricsFor(scope.filters, ['visitors', 'percentage']),
    date_range: scope.dateRange,
    dimensions: ['visit:country', 'visit:country_name'],
    filters: scope.filters,
    order_by: [
      ['visitors', 'desc'],
      ['visit:country_name', 'asc'],
    ],
    pagination: { limit: 300, offset: 0 },
  };
}

export function heatmapRequest(scope: Scope): QueryRequest {
  return {
    site_id: scope.site,
    metrics: ['visitors'],
    date_range: scope.dateRange,
    dimensions: ['time:day_of_week', 'time:hour_of_day'],
    filters: scope.filters,
    pagination: { limit: 7 * 24, offset: 0 },
  };
}

export function journeysRequest(scope: Scope, steps = 3, limit = 10): JourneysRequest {
  return { site_id: scope.site, date_range: scope.dateRange, filters: scope.filters, steps, limit };
}

/** The property keys of the events the dashboard shows (its filters name the event). */
export function propKeysRequest(scope: Scope, limit = 25): PropKeysRequest {
  // The keys offered do not depend on goals (the breakdown itself keeps the goal filter).
  const filters = scope.filters.filter((f) => f[1] !== 'event:goal');
  return { site_id: scope.site, date_range: scope.dateRange, filters, limit };
}

/** Page views and engagement pings are not custom events. */
export const CUSTOM_EVENTS_ONLY: Filter = ['is_not', 'event:name', ['pageview', 'engagement']];
