// When a statement reads the rollups by salt day (store/duckdb/rollups.ts), and which days:
// the "rollup" path of the planner (plan.ts has the other two). A query the rollups can answer
// adds, per key, the rows of the rolled salt days whose visits lie wholly inside its range to
// what its own events give for every other visit of the range (the "edge": the days at the
// range's two ends, and visits that spill over a rolled day's end). Both sums are exact (see
// rollups.ts on why salt days add up), so answers equal the events path's: the oracle tests
// run both.
//
// Families (what a rollup table keys by) and what each answers:
//   pages  by event:page: visitors, page views, events, scroll depth, time on page; page filters
//   names  by event:name: visitors, page views, events; event-name filters
//   times  by time (day, week or month buckets): visitors, page views, events; no filters
//   hours  by day of week × hour of day (the heatmap): visitors, page views, events; no filters
//   visits by one visit column (or none: the top row): every visits-table metric; no filters —
//          asked only after the planner chose the visits table (run-query.ts), whose edge rows
//          are then the table's rows of the other visits
//   goals  by event:goal: each goal's visitors, visits, events, page views and revenue; filters
//          on event:goal only (goals.ts), on the days that hold every goal asked for
// Journeys of three steps without filters read rollup_journeys (journeys.ts).

import { VISIT_CONSTANT_COLUMNS } from '../store/visit-columns.js';
import type { ResolvedRange } from './date-range.js';
import type { Dialect } from './dialect.js';
import { dimensionSource } from './dimensions.js';
import { type Filter, isLeaf, type Metric, type TimeUnit } from './model.js';

export type RollupFamily = 'pages' | 'names' | 'times' | 'hours' | 'journeys' | 'visits' | 'goals';

/** The rolled salt days a statement reads, and where the rest of its range's visits are. */
export interface RollupCut {
  family: RollupFamily;
  /** First and last rolled salt day (UTC dates, inclusive); every day between is rolled. */
  firstDay: string;
  lastDay: string;
  /** The first day's start, and the day after the last's (UTC, ISO). */
  startIso: string;
  afterIso: string;
  /**
   * The last event (epoch µs) of the visits that started before `startIso` and go on past it:
   * events up to then may be theirs. Equals the start when there are none.
   */
  spillUs: string;
  /** A time family's bucket unit. */
  unit?: 'day' | 'week' | 'month';
  /** The visits family's dimension: a visits-table column ('' for none: the top row). */
  dim?: string;
}

/**
 * The visit dimensions rollup_visits keeps (dim '' is every visit: the top row): what the visits
 * table answers from one row per visit (the origin, the user agent's, the place; the entry and
 * exit page and host), keyed by its column.
 */
export const ROLLUP_VISIT_DIMS: readonly string[] = [
  ...VISIT_CONSTANT_COLUMNS,
  'entry_page',
  'exit_page',
  'entry_hostname',
  'exit_hostname',
];

/**
 * What the rollups hold, as a number: a day rolled by an older Footfall (fewer families or
 * units) is not read, and the job rolls it again.
 */
export const ROLLUP_VERSION = 2;

/** The steps of the journeys the rollups hold (the dashboard's); other lengths read the events. */
export const ROLLUP_JOURNEY_STEPS = 3;

const COUNTS: ReadonlySet<Metric> = new Set(['visitors', 'pageviews', 'events']);
const PAGE_METRICS: ReadonlySet<Metric> = new Set([...COUNTS, 'scroll_depth', 'time_on_page']);
/** Fewer rolled days than this: the events path is about as quick, and has no second part. */
const MIN_DAYS = 3;
const DAY_MS = 86_400_000;

const onlyOn = (filters: readonly Filter[], dimension: string) =>
  filters.every((f) => isLeaf(f) && f.dimension === dimension);

/**
 * For a statement the planner sends to the visits table (plan.ts): the rollup_visits dimension
 * that answers it without filters ('' for the top row), if one does. Its metrics are the visits
 * table's, so any of them.
 */
export function visitRollupDim(
  q: { dimensions: readonly string[] },
  filters: readonly Filter[],
): string | undefined {
  if (filters.length > 0) return undefined;
  // Several dimensions only when they read one column (the countries panel: code and name;
  // names are looked up from the code in shape-rows.ts).
  const keys = new Set(
    q.dimensions.map((d) => {
      const s = dimensionSource(d);
      if (s?.from === 'session') return s.field;
      return s?.from === 'column' && ROLLUP_VISIT_DIMS.includes(s.column) ? s.column : undefined;
    }),
  );
  if (keys.size === 0) return '';
  const [key] = keys;
  return keys.size === 1 ? key : undefined;
}

/** The family that answers a Stats API statement, if one does (before looking at the days). */
export function rollupFamily(
  q: { metrics: readonly Metric[]; dimensions: readonly string[] },
  filters: readonly Filter[],
  timeUnit: TimeUnit,
): { family: RollupFamily; unit?: 'day' | 'week' | 'month' } | undefined {
  const dims = q.dimensions;
  const counts = q.metrics.every((m) => COUNTS.has(m));
  if (dims.length === 1 && dims[0] === 'event:page' && q.metrics.every((m) => PAGE_METRICS.has(m))) {
    return onlyOn(filters, 'event:page') ? { family: 'pages' } : undefined;
  }
  if (!counts) return undefined;
  if (dims.length === 1 && dims[0] === 'event:name') {
    return onlyOn(filters, 'event:name') ? { family: 'names' } : undefined;
  }
  if (filters.length > 0) return undefined;
  if (dims.length === 1) {
    const s = dimensionSource(dims[0]!);
    if (s?.from !== 'time') return undefined;
    const unit = s.unit === 'auto' ? timeUnit : s.unit;
    return unit === 'day' || unit === 'week' || unit === 'month' ? { family: 'times', unit } : undefined;
  }
  if (dims.length === 2 && dims.includes('time:day_of_week') && dims.includes('time:hour_of_day')) {
    return { family: 'hours' };
  }
  return undefined;
}

/**
 * The longest run of rolled salt days wholly inside the range (for the local-time families,
 * rolled in the site's time zone), or undefined when it is shorter than MIN_DAYS.
 */
export async function findCut(
  run: (sql: string, params: (string | number | boolean | null)[]) => Promise<Record<string, unknown>[]>,
  dialect: Dialect,
  site: { id: number; timezone: string },
  range: Pick<ResolvedRange, 'fromMs' | 'toMs'>,
  family: {
    family: RollupFamily;
    unit?: 'day' | 'week' | 'month';
    dim?: string;
    /** The goals family: the goal keys (goal-match.ts goalKey) every day read must hold. */
    goals?: readonly string[];
  },
): Promise<RollupCut | undefined> {
  if (dialect.engine !== 'duckdb') return undefined;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const keys = [...new Set(family.goals ?? [])];
  // A goal made or changed after a day was rolled is not in it until the job rolls it there.
  const holdsGoals =
    keys.length === 0
      ? ''
      : ` AND salt_day IN (SELECT salt_day FROM rollup_goals WHERE site_id = $1 AND goal IN (${keys.map((_, i) => `$${i + 4}`).join(', ')}) ` +
        `GROUP BY salt_day HAVING count(DISTINCT goal) = ${keys.length})`;
  const rows = await run(
    "SELECT strftime(salt_day, '%Y-%m-%d') AS day, epoch_ms(first_ts) AS f, epoch_ms(last_ts) AS l, timezone " +
      `FROM rollup_days WHERE NOT shared AND version = ${ROLLUP_VERSION} AND site_id = $1 AND salt_day >= CAST($2 AS DATE) AND salt_day <= CAST($3 AS DATE)${holdsGoals} ORDER BY salt_day`,
    [site.id, day(range.fromMs), day(range.toMs), ...keys],
  );
  const local = family.family === 'times' || family.family === 'hours';
  // epoch_ms truncates toward the past, which keeps both comparisons exact: a first event
  // before fromMs reads before it, a last event at or after toMs reads at or after it.
  const inside = rows.filter(
    (r) =>
      Number(r.f) >= range.fromMs && Number(r.l) < range.toMs && (!local || r.timezone === site.timezone),
  );
  let best: [number, number] | undefined;
  let start = 0;
  for (let i = 0; i <= inside.length; i++) {
    const breaks =
      i === inside.length ||
      (i > start && Date.parse(String(inside[i]!.day)) - Date.parse(String(inside[i - 1]!.day)) !== DAY_MS);
    if (!breaks) continue;
    if (i > start && (!best || i - start > best[1] - best[0])) best = [start, i];
    start = i;
  }
  if (!best || best[1] - best[0] < MIN_DAYS) return undefined;
  const firstDay = String(inside[best[0]]!.day);
  const lastDay = String(inside[best[1] - 1]!.day);
  const startIso = `${firstDay}T00:00:00.000Z`;
  const afterIso = new Date(Date.parse(lastDay) + DAY_MS).toISOString();
  const [spill] = await run(
    'SELECT epoch_us(greatest(max(last_ts), CAST($2 AS TIMESTAMP))) AS us FROM visits ' +
      'WHERE site_id = $1 AND first_ts < CAST($2 AS TIMESTAMP) AND last_ts >= CAST($2 AS TIMESTAMP)',
    [site.id, startIso],
  );
  const spillUs =
    spill?.us === null || spill?.us === undefined ? String(Date.parse(startIso) * 1000) : String(spill.us);
  return {
    family: family.family,
    firstDay,
    lastDay,
    startIso,
    afterIso,
    spillUs,
    ...(family.unit ? { unit: family.unit } : {}),
    ...(family.dim !== undefined ? { dim: family.dim } : {}),
  };
}
