// The rollup path's partial queries (compile.ts calls these when rollup-plan.ts found rolled
// salt days): per group, what the edge's events give plus the rolled days' rows. Sums of
// distinct visitors are exact because the two parts, and the rolled days among themselves,
// share no visitor id (store/duckdb/rollups.ts says why).
import type { Params } from './dialect.js';
import type { DimensionSource } from './dimensions.js';
import type { EventScope } from './event-scope.js';
import type { RollupCut, RollupFamily } from './rollup-plan.js';

const TABLES: Readonly<Record<RollupFamily, string>> = {
  pages: 'rollup_pages',
  names: 'rollup_names',
  times: 'rollup_times',
  hours: 'rollup_hours',
  journeys: 'rollup_journeys',
  visits: 'rollup_visits',
  goals: 'rollup_goals',
};

export interface RolledRows {
  /** Each dimension's SQL over the rollup rows, as the events path gives it. */
  dims: string[];
  /** The rows: table, site, days, unit and the query's filters. */
  from: string;
}

/**
 * The rolled days' rows of the cut's family: a page or name as shown, a DATE bucket, the day of
 * week and hour as integers (the events path's values and types), with the query's filters —
 * on the family's own column, or none (rollup-plan.ts) — which read the same columns here.
 */
export function rollupRows(
  cut: RollupCut,
  scope: EventScope,
  dims: readonly DimensionSource[],
  siteKey: number,
  firstDate: string,
): RolledRows {
  const { params } = scope;
  const exprs = dims.map((d) => {
    // rollup_visits keeps each dimension's value in one column, `value`.
    if (cut.family === 'visits') return d.from === 'column' ? scope.shown(d, 'value') : 'value';
    if (d.from === 'column') return scope.shown(d, d.column);
    if (d.from === 'time' && d.unit === 'hour_of_day') return 'hour';
    if (d.from === 'time' && d.unit === 'day_of_week') return 'dow';
    // A week that began before the range is labelled with the range's first day (dialect.ts);
    // a rolled day lies inside the range, so no two of its weeks meet there.
    if (cut.unit === 'week') return `greatest(bucket, CAST(${params.add(firstDate)} AS DATE))`;
    return 'bucket';
  });
  const unit =
    (cut.unit ? ` AND unit = ${params.add(cut.unit)}` : '') +
    (cut.dim !== undefined ? ` AND dim = ${params.add(cut.dim)}` : '');
  const from = `${TABLES[cut.family]} WHERE ${rolledDays(cut, siteKey, params)}${unit} AND ${scope.filter()}`;
  return { dims: exprs, from };
}

const select = (dims: string[]) => dims.map((x, i) => `${x} AS d${i}, `).join('');

/**
 * The pages family's rolled rows summed per group once, in a CTE added to `ctes`, for both
 * partial queries (counts and engagement) to read: the same sums, from one scan instead of two.
 */
export function summedOnce(rolled: RolledRows, dimCols: string[], ctes: string[]): RolledRows {
  ctes.push(
    `pages_rolled AS MATERIALIZED (SELECT ${select(rolled.dims)}sum(visitors) AS visitors, sum(pageviews) AS pageviews, ` +
      'sum(events) AS events, sum(scroll_sum) AS scroll_sum, sum(scroll_n) AS scroll_n, sum(engaged_ms) AS engaged_ms, ' +
      `sum(engaged_visitors) AS engaged_visitors FROM ${rolled.from} GROUP BY ALL)`,
  );
  return { dims: dimCols, from: 'pages_rolled' };
}
const cols = (dimCols: string[]) => dimCols.map((c) => `${c}, `).join('');

/** `ev` (visitors, page views, events per group) from `edge` (the events' own `ev` select) and the rolled rows. */
export function rolledCounts(edge: string, rolled: RolledRows, dimCols: string[]): string[] {
  return [
    `ev_edge AS (${edge})`,
    `ev_rolled AS (SELECT ${select(rolled.dims)}sum(visitors) AS visitors, sum(pageviews) AS pageviews, ` +
      `sum(events) AS events FROM ${rolled.from} GROUP BY ALL)`,
    `ev AS (SELECT ${cols(dimCols)}CAST(sum(visitors) AS BIGINT) AS visitors, ` +
      'CAST(sum(pageviews) AS BIGINT) AS pageviews, CAST(sum(events) AS BIGINT) AS events ' +
      'FROM (SELECT * FROM ev_edge UNION ALL BY NAME SELECT * FROM ev_rolled) GROUP BY ALL)',
  ];
}

/**
 * `en` (scroll depth, engaged time and visitors per page) from `visitors` (one row per page and
 * visitor of the edge) and the rolled rows: the mean of the deepest scrolls as a sum and a count,
 * so both parts add up.
 */
export function rolledEngagement(visitors: string, rolled: RolledRows, dimCols: string[]): string[] {
  return [
    `en_edge AS (SELECT ${cols(dimCols)}sum(max_scroll) AS scroll_sum, count(max_scroll) AS scroll_n, ` +
      `sum(engaged_ms) AS engaged_ms, count(*) FILTER (WHERE engaged_ms IS NOT NULL) AS engaged_visitors FROM ${visitors} GROUP BY ALL)`,
    `en_rolled AS (SELECT ${select(rolled.dims)}sum(scroll_sum) AS scroll_sum, sum(scroll_n) AS scroll_n, ` +
      `sum(engaged_ms) AS engaged_ms, sum(engaged_visitors) AS engaged_visitors FROM ${rolled.from} GROUP BY ALL)`,
    `en AS (SELECT ${cols(dimCols)}sum(scroll_sum) / sum(scroll_n) AS scroll_depth, ` +
      'CAST(sum(engaged_ms) AS BIGINT) AS engaged_ms, CAST(sum(engaged_visitors) AS BIGINT) AS engaged_visitors ' +
      'FROM (SELECT * FROM en_edge UNION ALL BY NAME SELECT * FROM en_rolled) GROUP BY ALL)',
  ];
}

/**
 * The visits path's `ev`, `total` and `se` (compile-visits.ts) from its edge rows and the rolled
 * days' rollup_visits rows. `evRows`: the edge's visits as ev_rows (dimensions, visitor,
 * page views, events); `seEdge`: its `se` select over `s`.
 */
export function rolledVisits(
  parts: { ev: boolean; total: boolean; se: boolean },
  evRows: string,
  seEdge: string,
  rolled: RolledRows,
  /** The rolled days' '' rows (every visit), for the total of `percentage` (made only then: engines refuse unused parameters). */
  every: () => RolledRows,
  dimCols: string[],
): string[] {
  const ctes: string[] = [];
  if (parts.ev) {
    ctes.push(
      ...rolledCounts(
        `SELECT ${cols(dimCols)}count(DISTINCT visitor_id) AS visitors, coalesce(sum(pageviews), 0) AS pageviews, ` +
          `coalesce(sum(events), 0) AS events FROM ${evRows} GROUP BY ALL`,
        rolled,
        dimCols,
      ),
    );
  }
  if (parts.total) {
    ctes.push(
      `total AS (SELECT (SELECT count(DISTINCT visitor_id) FROM ${evRows}) + ` +
        `(SELECT coalesce(sum(visitors), 0) FROM ${every().from}) AS total_visitors)`,
    );
  }
  if (parts.se) {
    ctes.push(
      `se_edge AS (${seEdge})`,
      `se_rolled AS (SELECT ${select(rolled.dims)}sum(visits) AS visits, sum(visits) AS stat_visits, ` +
        'sum(pageviews) AS visit_pageviews, sum(duration_ms) AS duration_ms, sum(visits) AS bounce_visits, ' +
        `sum(bounces) AS bounces FROM ${rolled.from} GROUP BY ALL)`,
      `se AS (SELECT ${cols(dimCols)}CAST(sum(visits) AS BIGINT) AS visits, CAST(sum(stat_visits) AS BIGINT) AS stat_visits, ` +
        'CAST(sum(visit_pageviews) AS BIGINT) AS visit_pageviews, CAST(sum(duration_ms) AS BIGINT) AS duration_ms, ' +
        'CAST(sum(bounce_visits) AS BIGINT) AS bounce_visits, CAST(sum(bounces) AS BIGINT) AS bounces ' +
        'FROM (SELECT * FROM se_edge UNION ALL BY NAME SELECT * FROM se_rolled) GROUP BY ALL)',
    );
  }
  return ctes;
}

/** The rolled days of the cut, as a condition on a rollup table's rows of the site. */
function rolledDays(cut: RollupCut, siteKey: number, params: Params): string {
  return (
    `site_id = ${params.add(siteKey)} AND salt_day >= CAST(${params.add(cut.firstDay)} AS DATE) ` +
    `AND salt_day <= CAST(${params.add(cut.lastDay)} AS DATE)`
  );
}

/**
 * A breakdown by goal's `conv` (goals.ts) from `edge` (its select over the edge's converting
 * events, with rev_sum and rev_n when `revenue`) and each goal's rollup_goals rows, by its key;
 * a goal shows only when it converted, as on the events path.
 */
export function rolledGoals(
  edge: string,
  goals: readonly { label: string; key: string }[],
  cut: RollupCut,
  siteKey: number,
  params: Params,
  revenue: boolean,
): string[] {
  const rev = revenue ? ', rev_sum, rev_n, rev_other' : '';
  const rolled = goals.map(
    (g) =>
      `SELECT ${params.add(g.label)} AS d0, visitors, visits, events, pageviews${rev} FROM rollup_goals ` +
      `WHERE ${rolledDays(cut, siteKey, params)} AND goal = ${params.add(g.key)}`,
  );
  return [
    `conv_edge AS (${edge})`,
    `conv AS (SELECT d0, CAST(sum(visitors) AS BIGINT) AS visitors, CAST(sum(visits) AS BIGINT) AS visits, ` +
      'CAST(sum(events) AS BIGINT) AS events, CAST(sum(pageviews) AS BIGINT) AS pageviews' +
      (revenue
        ? ', sum(rev_sum) AS rev_total, sum(rev_sum) / nullif(sum(rev_n), 0) AS rev_average, sum(rev_other) AS rev_other'
        : '') +
      ` FROM (SELECT * FROM conv_edge UNION ALL BY NAME ${rolled.join(' UNION ALL BY NAME ')}) GROUP BY d0 HAVING sum(events) > 0)`,
  ];
}

/** Every visitor of the rolled days (rollup_visits' row of all visits), to add to the edge's. */
export function rolledVisitors(cut: RollupCut, siteKey: number, params: Params): string {
  return `(SELECT coalesce(sum(visitors), 0) FROM rollup_visits WHERE ${rolledDays(cut, siteKey, params)} AND dim = '')`;
}
