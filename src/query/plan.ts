// Which source answers a statement (Plausible's table_decider, learned from, not copied):
//   events  every event of the range, re-aggregated into visits (event-scope.ts);
//   visits  the visits table (one row per visit, src/store/duckdb/visits.ts) for the
//                   visits wholly inside the range, and the events of the few that straddle an
//                   edge of it, recomputed (compile-visits.ts);
//   rollup  the rollups by salt day for the rolled days inside the range, and the events of the
//                   range's other visits (rollup-plan.ts decides, before this planner is asked);
// The visits table answers exactly only what is constant over a visit: metrics of visits and
// of their events' counts, dimensions and filters on the visit's origin, device and place
// (store/visit-columns.ts), entry and exit pages, and time. Anything about single events
// (page, event name, properties, screen, language, scroll depth) reads the events. Only the
// embedded engine keeps the table; ClickHouse always reads events.
//
// Per-event counts (visitors, page views, events) by time read the events: an event counts at
// its own time, so a visit across a bucket's edge counts in both buckets. Measured on 10 M
// events over a year (a loaded machine, same run): taking visits from the table and only those
// across an edge from their events was no faster for months (3.4 s against 3.3 s) and slower
// for the hour-of-day heatmap (8.4 s against 3.2 s: a tenth of the visits cross an hour), the
// bucket of each visit's start and end costing about what the events' buckets do.
import { VISIT_CONSTANT_COLUMNS } from '../store/visit-columns.js';
import type { Engine } from './dialect.js';
import { dimensionSource } from './dimensions.js';
import { filterDimensions } from './event-scope.js';
import { METRIC_DEFS } from './metrics.js';
import { type Filter, holdsBehavioural, type Metric } from './model.js';

export const QUERY_PATHS = ['events', 'visits', 'rollup'] as const;
export type QueryPath = (typeof QUERY_PATHS)[number];

export interface PlanInput {
  metrics: readonly Metric[];
  dimensions: readonly string[];
  filters: readonly Filter[];
  engine: Engine;
}

export interface Plan {
  path: QueryPath;
  /**
   * The statement reads a column of VISIT_CONSTANT_COLUMNS: the table answers only over
   * visits where those were uniform (the caller checks the range, see run-query.ts).
   */
  readsConstants: boolean;
}

const VISIT_METRICS: ReadonlySet<Metric> = new Set([
  'visitors',
  'visits',
  'pageviews',
  'events',
  'views_per_visit',
  'bounce_rate',
  'visit_duration',
  'percentage',
]);
const CONSTANT: ReadonlySet<string> = new Set(VISIT_CONSTANT_COLUMNS);

/** 'constant', 'visit' (entry/exit page or host), 'time', or undefined: not from the table. */
function visitSource(name: string): 'constant' | 'visit' | 'time' | undefined {
  const s = dimensionSource(name);
  if (s?.from === 'column') return CONSTANT.has(s.column) ? 'constant' : undefined;
  if (s?.from === 'session') return 'visit';
  if (s?.from === 'time') return 'time';
  return undefined;
}

export function planQuery(q: PlanInput): Plan {
  const events: Plan = { path: 'events', readsConstants: false };
  if (q.engine !== 'duckdb') return events;
  if (!q.metrics.every((m) => VISIT_METRICS.has(m))) return events;
  // A behavioural filter asks about single events of each visit.
  if (holdsBehavioural(q.filters)) return events;
  const dims = q.dimensions.map(visitSource);
  const filtered = filterDimensions(q.filters).map(visitSource);
  if (dims.some((d) => d === undefined)) return events;
  // A time dimension is a grouping only; filters on time are not part of the model.
  if (filtered.some((d) => d === undefined || d === 'time')) return events;
  const readsConstants = [...dims, ...filtered].includes('constant');
  const perEvent = q.metrics.some((m) => METRIC_DEFS[m].stage === 'ev');
  if (perEvent && dims.includes('time')) return events;
  return { path: 'visits', readsConstants };
}
