// JSON (from the API body, a file or the CLI's flags) → a validated Query. Every error names
// the field that is wrong and, for closed sets, lists what is valid.
import { footfallError } from '../errors.js';
import { RANGE_LIMITS } from './date-range.js';
import { DIMENSION_NAMES, dimensionSource, isBucketDimension, isTimeDimension } from './dimensions.js';
import { checkGoalQuery } from './goal-rules.js';
import {
  BEHAVIOURAL_OPERATORS,
  type BehaviouralOperator,
  type Comparison,
  type DateRangeInput,
  FILTER_OPERATORS,
  type Filter,
  type FilterOperator,
  GOAL_DIMENSION,
  METRICS,
  type Metric,
  type Query,
  RANGE_PRESETS,
} from './model.js';

export const QUERY_LIMITS = {
  dimensions: 5,
  filterNodes: 50,
  filterDepth: 5,
  filterValues: 100,
  valueBytes: 2000,
  patternBytes: 1000,
  maxLimit: 10_000,
  maxOffset: 1_000_000,
} as const;

const TOP_LEVEL_KEYS = new Set([
  'site_id',
  'metrics',
  'date_range',
  'dimensions',
  'filters',
  'order_by',
  'include',
  'pagination',
]);

function invalid(field: string, what: string): never {
  throw footfallError('FOOTFALL_ERR_INVALID_QUERY', `${field}: ${what}`);
}

/** The filter as sent, cut short: error messages quote it without echoing a 64 KB body. */
function preview(filter: unknown): string {
  const json = JSON.stringify(filter) ?? String(filter);
  return json.length > 200 ? `${json.slice(0, 200)}…` : json;
}

/**
 * Refuses a filter with Plausible's words ("Invalid filter [...]", which its clients match
 * on), then the field and what is wrong.
 */
export function invalidFilter(field: string, filter: unknown, what: string): never {
  throw footfallError('FOOTFALL_ERR_INVALID_QUERY', `${field}: Invalid filter ${preview(filter)}: ${what}`);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A calendar date that exists (2026-02-30 does not). */
export function isDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function isDateTime(s: string): boolean {
  return DATETIME.test(s) && isDate(s.slice(0, 10)) && !Number.isNaN(Date.parse(s));
}

export function parseDateRange(value: unknown, field = 'date_range'): DateRangeInput {
  if (typeof value === 'string' && (RANGE_PRESETS as readonly string[]).includes(value)) {
    return value as DateRangeInput;
  }
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
    const [from, to] = value as [string, string];
    const dates = isDate(from) && isDate(to);
    const times = isDateTime(from) && isDateTime(to);
    if (!dates && !times) {
      invalid(field, 'give two dates (YYYY-MM-DD) or two ISO 8601 date-times with an offset');
    }
    // Dates compare as written (a date-time's own local date): no earlier, no later.
    const { firstDate, lastDate } = RANGE_LIMITS;
    if (from.slice(0, 10) < firstDate || to.slice(0, 10) > lastDate) {
      invalid(field, `dates must lie within ${firstDate} and ${lastDate}`);
    }
    const order = dates ? from <= to : Date.parse(from) <= Date.parse(to);
    if (!order) invalid(field, 'the first date must not be after the second');
    return [from, to];
  }
  return invalid(field, `use one of ${RANGE_PRESETS.join(', ')} or [from, to]`);
}

function parseMetrics(value: unknown): Metric[] {
  if (!Array.isArray(value) || value.length === 0) invalid('metrics', 'give a non-empty list of metrics');
  const seen = new Set<string>();
  return value.map((m, i) => {
    if (typeof m !== 'string' || !(METRICS as readonly string[]).includes(m)) {
      invalid(`metrics[${i}]`, `unknown metric ${JSON.stringify(m)}; valid: ${METRICS.join(', ')}`);
    }
    if (seen.has(m)) invalid(`metrics[${i}]`, `${m} is listed twice`);
    seen.add(m);
    return m as Metric;
  });
}

function parseDimensions(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) invalid('dimensions', 'must be a list');
  if (value.length > QUERY_LIMITS.dimensions) invalid('dimensions', `at most ${QUERY_LIMITS.dimensions}`);
  const seen = new Set<string>();
  let times = 0;
  return value.map((d, i) => {
    if (typeof d !== 'string' || (d !== GOAL_DIMENSION && !dimensionSource(d))) {
      invalid(
        `dimensions[${i}]`,
        `unknown dimension ${JSON.stringify(d)}; valid: ${[...DIMENSION_NAMES, GOAL_DIMENSION].join(', ')}`,
      );
    }
    if (seen.has(d)) invalid(`dimensions[${i}]`, `${d} is listed twice`);
    seen.add(d);
    if (isBucketDimension(d) && ++times > 1) {
      invalid(`dimensions[${i}]`, 'only one of time, time:hour, time:day, time:week, time:month');
    }
    return d;
  });
}

/**
 * The `filters` field of a query (also used by journeys, which know no goals: `goals` says
 * whether event:goal may be filtered on).
 */
export function parseFiltersField(value: unknown, goals = false): Filter[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) invalid('filters', 'must be a list of filters');
  const budget = { nodes: 0, goals, behavioural: false };
  return value.map((f, i) => parseFilter(f, `filters[${i}]`, 1, budget));
}

/**
 * `goals`: event:goal and behavioural filters may be used (the Stats API); `behavioural`: the
 * filter is inside a has_done/has_not_done, where Plausible takes only event dimensions.
 */
interface FilterBudget {
  nodes: number;
  goals: boolean;
  behavioural: boolean;
}

function parseFilter(value: unknown, field: string, depth: number, budget: FilterBudget): Filter {
  if (++budget.nodes > QUERY_LIMITS.filterNodes)
    invalid('filters', `at most ${QUERY_LIMITS.filterNodes} filters`);
  function bad(at: string, what: string): never {
    return invalidFilter(at, value, what);
  }
  if (depth > QUERY_LIMITS.filterDepth) bad(field, `filters nest at most ${QUERY_LIMITS.filterDepth} deep`);
  if (!Array.isArray(value) || typeof value[0] !== 'string') {
    bad(field, 'a filter is [operator, dimension, [values]] or ["and"|"or", [filters]] or ["not", filter]');
  }
  const op = value[0];
  if (op === 'and' || op === 'or') {
    if (value.length !== 2 || !Array.isArray(value[1]) || value[1].length === 0) {
      bad(field, `["${op}", [filter, …]] needs a non-empty list`);
    }
    return {
      op,
      filters: value[1].map((f: unknown, i: number) =>
        parseFilter(f, `${field}[1][${i}]`, depth + 1, budget),
      ),
    };
  }
  if (op === 'not') {
    if (value.length !== 2) bad(field, '["not", filter] takes one filter');
    return { op, filter: parseFilter(value[1], `${field}[1]`, depth + 1, budget) };
  }
  const behavioural = budget.goals && (BEHAVIOURAL_OPERATORS as readonly string[]).includes(op);
  if (behavioural) {
    // Plausible's own sentences (its query validations) for the two rules it sets.
    if (budget.behavioural) {
      bad(field, 'Invalid filters. Behavioral filters (has_done, has_not_done) cannot be nested.');
    }
    if (value.length !== 2) bad(field, `["${op}", filter] takes one filter on event dimensions`);
    const inner = parseFilter(value[1], `${field}[1]`, depth + 1, { ...budget, behavioural: true });
    return { op: op as BehaviouralOperator, filter: inner };
  }
  if (!(FILTER_OPERATORS as readonly string[]).includes(op)) {
    const logical = ['and', 'or', 'not', ...(budget.goals ? BEHAVIOURAL_OPERATORS : [])];
    bad(
      `${field}[0]`,
      `unknown operator ${JSON.stringify(op)}; valid: ${[...FILTER_OPERATORS, ...logical].join(', ')}`,
    );
  }
  if (value.length < 3 || value.length > 4)
    bad(field, `[${JSON.stringify(op)}, dimension, [values], {case_sensitive}?]`);
  const dimension = value[1];
  const goal = budget.goals && dimension === GOAL_DIMENSION;
  if (typeof dimension !== 'string' || (!goal && !dimensionSource(dimension))) {
    const names = budget.goals ? [...DIMENSION_NAMES, GOAL_DIMENSION] : DIMENSION_NAMES;
    bad(`${field}[1]`, `unknown dimension ${JSON.stringify(dimension)}; valid: ${names.join(', ')}`);
  }
  if (isTimeDimension(dimension)) bad(`${field}[1]`, 'time dimensions cannot be filtered; use date_range');
  if (budget.behavioural && !dimension.startsWith('event:')) {
    bad(
      `${field}[1]`,
      'Invalid filters. Behavioral filters (has_done, has_not_done) can only be used with event dimension filters.',
    );
  }
  const values = value[2];
  if (!Array.isArray(values) || values.length === 0 || values.length > QUERY_LIMITS.filterValues) {
    bad(`${field}[2]`, `give a list of 1 to ${QUERY_LIMITS.filterValues} values`);
  }
  const max = op === 'matches' || op === 'matches_not' ? QUERY_LIMITS.patternBytes : QUERY_LIMITS.valueBytes;
  for (const [i, v] of values.entries()) {
    if (typeof v !== 'string' && typeof v !== 'number') bad(`${field}[2][${i}]`, 'values are strings');
    if (Buffer.byteLength(String(v)) > max) bad(`${field}[2][${i}]`, `longer than ${max} bytes`);
  }
  let caseSensitive = true;
  if (value.length === 4) {
    const mods = value[3];
    if (mods === null || typeof mods !== 'object' || Array.isArray(mods))
      bad(`${field}[3]`, 'must be an object');
    for (const [k, v] of Object.entries(mods as Record<string, unknown>)) {
      if (k !== 'case_sensitive' || typeof v !== 'boolean')
        bad(`${field}[3]`, 'only {"case_sensitive": true|false}');
      caseSensitive = v;
    }
  }
  return { op: op as FilterOperator, dimension, values: values.map(String), caseSensitive };
}

function parseOrderBy(value: unknown, metrics: Metric[], dimensions: string[]): Query['orderBy'] {
  // null as well: the `query` a response echoes may be posted back as it is.
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) invalid('order_by', 'must be a list of [metric or dimension, "asc"|"desc"]');
  return value.map((entry, i) => {
    if (!Array.isArray(entry) || entry.length !== 2 || (entry[1] !== 'asc' && entry[1] !== 'desc')) {
      invalid(`order_by[${i}]`, 'must be [metric or dimension, "asc"|"desc"]');
    }
    const name = entry[0];
    if (typeof name !== 'string' || (!metrics.includes(name as Metric) && !dimensions.includes(name))) {
      invalid(`order_by[${i}]`, `${JSON.stringify(name)} is not a queried metric or dimension`);
    }
    return [name, entry[1]] as [string, 'asc' | 'desc'];
  });
}

function parseInclude(value: unknown): Query['include'] {
  const include: Query['include'] = { timeLabels: false, totalRows: false, comparisons: undefined };
  if (value === undefined) return include;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    invalid('include', 'must be an object');
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'time_labels' || key === 'total_rows') {
      if (typeof v !== 'boolean') invalid(`include.${key}`, 'must be true or false');
      if (key === 'time_labels') include.timeLabels = v;
      else include.totalRows = v;
    } else if (key === 'comparisons') {
      if (v === null || v === false) continue;
      include.comparisons = parseComparison(v);
    } else if (key === 'imports') {
      if (typeof v !== 'boolean') invalid('include.imports', 'must be true or false');
      include.imports = v;
    } else {
      invalid(`include.${key}`, 'unknown; valid: time_labels, total_rows, comparisons, imports');
    }
  }
  return include;
}

function parseComparison(v: unknown): Comparison {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    invalid('include.comparisons', 'must be an object');
  const c = v as Record<string, unknown>;
  if (c.mode === 'previous_period' || c.mode === 'year_over_year') return { mode: c.mode };
  if (c.mode === 'custom') {
    const range = parseDateRange(c.date_range, 'include.comparisons.date_range');
    if (typeof range === 'string') invalid('include.comparisons.date_range', 'give [from, to]');
    return { mode: 'custom', dateRange: range };
  }
  return invalid('include.comparisons.mode', 'use previous_period, year_over_year or custom');
}

function parsePagination(value: unknown): Query['pagination'] {
  const p: Query['pagination'] = { limit: QUERY_LIMITS.maxLimit, offset: 0 };
  if (value === undefined) return p;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    invalid('pagination', 'must be an object');
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'limit') {
      if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > QUERY_LIMITS.maxLimit) {
        invalid('pagination.limit', `a whole number from 1 to ${QUERY_LIMITS.maxLimit}`);
      }
      p.limit = v as number;
    } else if (key === 'offset') {
      if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > QUERY_LIMITS.maxOffset) {
        invalid('pagination.offset', `a whole number from 0 to ${QUERY_LIMITS.maxOffset}`);
      }
      p.offset = v as number;
    } else {
      invalid(`pagination.${key}`, 'unknown; valid: limit, offset');
    }
  }
  return p;
}

export function parseQuery(body: unknown): Query {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    invalid('body', 'must be a JSON object');
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (!TOP_LEVEL_KEYS.has(key)) invalid(key, `unknown field; valid: ${[...TOP_LEVEL_KEYS].join(', ')}`);
  }
  if (typeof b.site_id !== 'string' || b.site_id === '') invalid('site_id', "give the site's domain");
  const metrics = parseMetrics(b.metrics);
  const dimensions = parseDimensions(b.dimensions);
  const query: Query = {
    siteId: b.site_id,
    metrics,
    dateRange: parseDateRange(b.date_range),
    dimensions,
    filters: parseFiltersField(b.filters, true),
    orderBy: parseOrderBy(b.order_by, metrics, dimensions),
    include: parseInclude(b.include),
    pagination: parsePagination(b.pagination),
  };
  checkGoalQuery(query);
  return query;
}
