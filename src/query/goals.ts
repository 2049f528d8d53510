// A query with goals → one SQL statement over the raw events (a conversion is a fact of one
// event; the one exception, a breakdown by goal read from rollups by salt day, is below).
// Plausible's semantics (its Goals module and tests):
// - an event goal is converted by an event of that name, a page-view goal by a page view whose
//   path matches the pattern (src/goals/page-pattern.ts), a scroll goal by an engagement event
//   on such a page whose scroll depth reached the threshold; each may also require property
//   values, all of them;
// - an event:goal filter selects goals by name (is / contains) and keeps the events that
//   convert one of them; several goal filters must all hold;
// - the event:goal dimension gives one row per goal (those the goal filters select), with its
//   converting events: `events` counts them (page views for a page-view goal), `visitors`
//   their visitors;
// - conversion_rate is the converted visitors of every visitor of the range and the other
//   filters; group_conversion_rate of the visitors of the same breakdown group.
//
//   gm   one row per converting event (per goal it converts, in a breakdown by goal);
//   conv the counts per row of the result;
//   tot  every visitor (conversion_rate), grp each group's visitors (group_conversion_rate).
//
// A breakdown by goal alone, with no filter but goal filters, reads the rolled salt days from
// rollup_goals (rollup-plan.ts; per goal its conversions of the day) and the events of the
// range's other visits (the edge): `conv` and the totals add both parts up.

import { goalKind } from '../goals/goal-view.js';
import type { Goal } from '../store/goals.js';
import { orderBy, shownDims } from './assemble.js';
import type { CompiledQuery, CompileInput } from './compile.js';
import { rolledGoals, rolledVisitors } from './compile-rollup.js';
import { type DimensionSource, dimensionSource } from './dimensions.js';
import { eventScope } from './event-scope.js';
import { converts, convertsNamed, goalKey, goalsNamed } from './goal-match.js';
import { goalFilters } from './goal-rules.js';
import { METRIC_DEFS } from './metrics.js';
import { type Filter, GOAL_DIMENSION, isLeaf, type LeafFilter } from './model.js';
import { planRevenue, REVENUE_AGGREGATES, revenueColumns, wantsRevenue } from './revenue.js';
import { visitHostFilters } from './visit-filters.js';

/** The goals every goal filter selects (all the site's goals when there is none). */
export function selectedGoals(goals: readonly Goal[], byGoal: readonly LeafFilter[]): Goal[] {
  return goals.filter((g) => byGoal.every((f) => goalsNamed(goals, f).includes(g)));
}

/**
 * The goal keys a goal query reads from the rollups (goalKey of each goal it shows), when it is a
 * breakdown by goal alone whose only filters select goals; undefined otherwise.
 */
export function goalRollupKeys(
  query: { dimensions: readonly string[] },
  filters: readonly Filter[],
  goals: readonly Goal[],
): string[] | undefined {
  if (query.dimensions.length !== 1 || query.dimensions[0] !== GOAL_DIMENSION) return undefined;
  if (!filters.every((f) => isLeaf(f) && f.dimension === GOAL_DIMENSION)) return undefined;
  const shown = selectedGoals(goals, goalFilters(filters));
  return shown.length > 0 ? shown.map(goalKey) : undefined;
}

export function compileGoalQuery(input: CompileInput & { goals: readonly Goal[] }): CompiledQuery {
  const { query, dialect } = input;
  const given = [...query.filters, ...(input.extraFilters ?? [])];
  const byGoal = goalFilters(given);
  const others = given.filter((f) => !(isLeaf(f) && f.dimension === GOAL_DIMENSION));
  const goalIndex = query.dimensions.indexOf(GOAL_DIMENSION);
  const otherDims = query.dimensions.filter((d) => d !== GOAL_DIMENSION);
  const filters: Filter[] = [...others, ...visitHostFilters(others, otherDims)];
  const withProps = input.goals.some((g) => g.props.length > 0);
  const revenue = wantsRevenue(query)
    ? planRevenue(selectedGoals(input.goals, byGoal), goalIndex >= 0)
    : undefined;
  const scope = eventScope({
    siteKey: input.siteKey,
    timezone: input.range.timezone,
    firstDate: input.range.firstDate,
    fromMs: input.range.fromMs,
    toMs: input.range.toMs,
    dimensions: otherDims,
    filters,
    timeUnit: input.timeUnit,
    extraColumns: [
      'pathname',
      'scroll_depth',
      ...(withProps ? ['props'] : []),
      ...(revenue ? ['revenue_amount', 'revenue_currency'] : []),
    ],
    goals: input.goals,
    edgeOf: input.rollup,
    dialect,
  });
  const { params, ctes, src } = scope;
  const cut = input.rollup;
  const sources = otherDims.map((d) => dimensionSource(d) as DimensionSource);
  // Result columns d0, d1… in the order asked; the goal's is its name, the others' as usual.
  const cols = query.dimensions.map((_, i) => `d${i}`);
  const otherCols = cols.filter((_, i) => i !== goalIndex);
  // An engagement event reads as the page view it measures (as scroll depth does in compile.ts).
  const rowDims = (asPageview: boolean) =>
    sources.map((d, i) => `${scope.shown(d, scope.dimension(d, asPageview))} AS ${otherCols[i]}, `).join('');
  const branch = (label: string, scroll: boolean, cond: string, rev = '') =>
    `SELECT ${label}${rowDims(scroll)}${rev}visitor_id, session_id, name FROM ${src} ` +
    `WHERE ${scroll ? "name = 'engagement'" : "name <> 'engagement'"} AND ${scope.filter(scroll)} AND (${cond})`;

  const branches: string[] = [];
  if (goalIndex >= 0) {
    // One branch per goal that every goal filter selects: its name, its converting events.
    const shown = selectedGoals(input.goals, byGoal);
    // Each goal's conversions count toward its own currency (none for the empty branch).
    const rev = (g: Goal | undefined) =>
      revenue ? revenueColumns(g ? [g] : [], g?.currency ?? null, true, params, dialect) : '';
    for (const g of shown) {
      branches.push(
        branch(
          `${params.add(g.name)} AS d${goalIndex}, `,
          goalKind(g) === 'scroll',
          converts(g, params, dialect),
          rev(g),
        ),
      );
    }
    if (shown.length === 0) branches.push(branch(`'' AS d${goalIndex}, `, false, 'FALSE', rev(undefined)));
  } else {
    // Each goal filter's goals, any of them; every filter must hold. Engagement events can only
    // convert scroll goals, other events only the other goals.
    // Revenue goals are event goals: only the branch of other events carries amounts.
    const selected = revenue ? selectedGoals(input.goals, byGoal) : [];
    const rev = (scroll: boolean) =>
      revenue ? revenueColumns(scroll ? [] : selected, revenue.currency, false, params, dialect) : '';
    for (const scroll of [false, true]) {
      const conds = byGoal.map((f) => convertsNamed(input.goals, f, scroll, params, dialect));
      if (conds.every((c) => c !== 'FALSE'))
        branches.push(branch('', scroll, conds.join(' AND '), rev(scroll)));
    }
    if (branches.length === 0) branches.push(branch('', false, 'FALSE', rev(true)));
  }
  const groupBy = (n: number) => (n > 0 ? ' GROUP BY ALL' : '');
  const counts =
    `count(DISTINCT visitor_id) AS visitors, count(DISTINCT session_id) AS visits, count(*) AS events, ` +
    `count(*) FILTER (WHERE name = 'pageview') AS pageviews`;
  ctes.push(`gm AS (${branches.join(' UNION ALL ')})`);
  if (cut) {
    // The edge's conversions, then each shown goal's rolled days (compile-rollup.ts).
    const shown = selectedGoals(input.goals, byGoal).map((g) => ({ label: g.name, key: goalKey(g) }));
    ctes.push(
      ...rolledGoals(
        `SELECT d0, ${counts}${revenue ? ', sum(rev) AS rev_sum, count(rev) AS rev_n, sum(rev_other) AS rev_other' : ''} FROM gm GROUP BY ALL`,
        shown,
        cut,
        input.siteKey,
        params,
        revenue !== undefined,
      ),
    );
  } else {
    ctes.push(
      `conv AS (SELECT ${cols.map((c) => `${c}, `).join('')}${counts}${revenue ? `, ${REVENUE_AGGREGATES}` : ''} ` +
        `FROM gm${groupBy(cols.length)})`,
    );
  }
  // Every visitor of the range and the other filters; with rolled days, the edge's and theirs.
  const everyVisitor = (alias: string) =>
    `SELECT ${cut ? `CAST(count(DISTINCT visitor_id) + ${rolledVisitors(cut, input.siteKey, params)} AS BIGINT)` : 'count(DISTINCT visitor_id)'} ` +
    `AS ${alias} FROM ${src} WHERE name <> 'engagement' AND ${scope.filter()}`;
  let fromSql = 'conv';
  if (query.metrics.includes('conversion_rate')) {
    ctes.push(`tot AS (${everyVisitor('total_visitors')})`);
    fromSql += ' CROSS JOIN tot';
  }
  if (query.metrics.includes('group_conversion_rate')) {
    ctes.push(
      otherCols.length > 0
        ? `grp AS (SELECT ${rowDims(false)}count(DISTINCT visitor_id) AS group_visitors FROM ${src} ` +
            `WHERE name <> 'engagement' AND ${scope.filter()}${groupBy(otherCols.length)})`
        : `grp AS (${everyVisitor('group_visitors')})`,
    );
    fromSql += otherCols.length > 0 ? ` LEFT JOIN grp USING (${otherCols.join(', ')})` : ' CROSS JOIN grp';
  }
  const metricSelect = query.metrics.map((m) => `${METRIC_DEFS[m].sql} AS ${m}`);
  const order = orderBy(query, cols);
  const page = input.unpaged
    ? ''
    : ` LIMIT ${params.add(query.pagination.limit)} OFFSET ${params.add(query.pagination.offset)}`;
  const sql =
    `WITH ${ctes.join(',\n')}\n` +
    `SELECT ${[
      ...shownDims(query, cols, params.dialect),
      ...metricSelect,
      'count(*) OVER () AS total_rows',
      // Conversions left out of the revenue for their currency, over every row (revenue.ts).
      ...(revenue ? ['sum(rev_other) OVER () AS rev_other_total'] : []),
    ].join(', ')} FROM ${fromSql}` +
    `${order ? ` ORDER BY ${order}` : ''}${page}`;
  return { sql, params: params.values };
}
