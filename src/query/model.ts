// The query model: what a parsed and validated query holds. Parsing (parse.ts) turns the
// JSON of `POST /api/v2/query` or the CLI's flags into this; the compiler reads only this.

export const METRICS = [
  'visitors',
  'visits',
  'pageviews',
  'views_per_visit',
  'bounce_rate',
  'visit_duration',
  'events',
  'percentage',
  'scroll_depth',
  'time_on_page',
  // Goals (src/query/goals.ts): need an event:goal filter or dimension.
  'conversion_rate',
  'group_conversion_rate',
  // Revenue (src/query/revenue.ts): need an event:goal filter or dimension.
  'total_revenue',
  'average_revenue',
] as const;
export type Metric = (typeof METRICS)[number];

/** Plausible's dimension (and filter) of goal conversions: values are the site's goal names. */
export const GOAL_DIMENSION = 'event:goal';

export const FILTER_OPERATORS = [
  'is',
  'is_not',
  'contains',
  'contains_not',
  'matches',
  'matches_not',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];
export const LOGICAL_OPERATORS = ['and', 'or', 'not'] as const;
/**
 * Plausible's behavioural filters: the visits that hold (or do not hold) an event of the range
 * matching the inner filter, which may only name event dimensions (goal-rules.ts).
 */
export const BEHAVIOURAL_OPERATORS = ['has_done', 'has_not_done'] as const;
export type BehaviouralOperator = (typeof BEHAVIOURAL_OPERATORS)[number];

export interface LeafFilter {
  op: FilterOperator;
  dimension: string;
  values: string[];
  caseSensitive: boolean;
}
export type Filter =
  | LeafFilter
  | { op: 'and' | 'or'; filters: Filter[] }
  | { op: 'not'; filter: Filter }
  | { op: BehaviouralOperator; filter: Filter };

export function isLeaf(f: Filter): f is LeafFilter {
  return 'dimension' in f;
}

export function isBehavioural(f: Filter): f is { op: BehaviouralOperator; filter: Filter } {
  return f.op === 'has_done' || f.op === 'has_not_done';
}

/** The filters a filter holds (none for a leaf), for walks over the whole tree. */
export function innerFilters(f: Filter): readonly Filter[] {
  if (isLeaf(f)) return [];
  return 'filter' in f ? [f.filter] : f.filters;
}

/** The goal filters at any depth (only behavioural filters may hold them below the top). */
export function goalLeaves(filters: readonly Filter[]): LeafFilter[] {
  return filters.flatMap((f) =>
    isLeaf(f) ? (f.dimension === GOAL_DIMENSION ? [f] : []) : goalLeaves(innerFilters(f)),
  );
}

/** Whether a behavioural filter (has_done / has_not_done) is anywhere in the filters. */
export function holdsBehavioural(filters: readonly Filter[]): boolean {
  return filters.some((f) => isBehavioural(f) || holdsBehavioural(innerFilters(f)));
}

export const RANGE_PRESETS = [
  'day',
  '7d',
  '28d',
  '30d',
  '91d',
  'month',
  '6mo',
  '12mo',
  'year',
  'all',
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export type DateRangeInput = RangePreset | readonly [string, string];

export type TimeUnit = 'hour' | 'day' | 'week' | 'month';

export type Comparison =
  | { mode: 'previous_period' | 'year_over_year' }
  | { mode: 'custom'; dateRange: readonly [string, string] };

export interface Query {
  /** The site's domain, as Plausible's `site_id`. */
  siteId: string;
  metrics: Metric[];
  dateRange: DateRangeInput;
  /** Validated dimension names; `time` stays `time` here and is resolved with the range. */
  dimensions: string[];
  filters: Filter[];
  orderBy: [string, 'asc' | 'desc'][] | undefined;
  include: {
    timeLabels: boolean;
    totalRows: boolean;
    comparisons: Comparison | undefined;
    /** Merge imported daily aggregates in (Plausible's include.imports; query/imported.ts). */
    imports?: boolean;
  };
  pagination: { limit: number; offset: number };
}

/**
 * A revenue metric's value as Plausible's API v2 returns it: the amount (a number, rounded to
 * the cent as shown), its currency, and the amount written out short ("€1.2K") and long
 * ("€1,234.50").
 */
export interface RevenueValue {
  value: number;
  currency: string;
  short: string;
  long: string;
}

/** A metric value as a number (a revenue value's amount). */
export function metricNumber(v: number | null | RevenueValue | undefined): number | null {
  return v === undefined ? null : typeof v === 'object' && v !== null ? v.value : v;
}

/** One row of a result: dimension values in the order asked, metric values likewise. */
export interface ResultRow {
  dimensions: (string | number)[];
  /** Numbers, except revenue metrics (total_revenue, average_revenue) in a known currency. */
  metrics: (number | null | RevenueValue)[];
  /** The compared row; a time bucket beyond the compared period's last one has the label null. */
  comparison?: {
    dimensions: (string | number | null)[];
    metrics: (number | null)[];
    change: (number | null)[];
  };
}

export interface QueryResult {
  results: ResultRow[];
  meta: {
    time_labels?: string[];
    total_rows?: number;
    imports_included?: boolean;
    imports_skip_reason?: string;
    imports_warning?: string;
    /** Plausible's warnings about single metrics (revenue: query/revenue.ts). */
    metric_warnings?: Partial<Record<Metric, { code: string; warning: string }>>;
  };
  query: Record<string, unknown>;
}
