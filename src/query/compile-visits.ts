// A statement the planner sends to the visits table (plan.ts) → SQL. `s` (event-scope.ts) is
// the table's rows for the visits wholly in the range plus the others recomputed from their
// in-range events, so what compile.ts counts per visit reads the same from it:
//   ev  visitors, page views and events: per visit, from `s` (no time dimension here: plan.ts);
//   se  visits and their rates, from `s`, under the time of the visit's first counted event.
// Filters and dimensions are all constant over a visit here (or its entry/exit page), so a
// visit matches as a whole: `s` rows are filtered as compile.ts filters their events.
import { assemble, type CompiledQuery, type Part } from './assemble.js';
import { type CompileInput, visitRates } from './compile.js';
import { rolledVisits, rollupRows } from './compile-rollup.js';
import { type DimensionSource, dimensionSource } from './dimensions.js';
import { eventScope } from './event-scope.js';
import { METRIC_DEFS } from './metrics.js';

export function compileVisitsQuery(input: CompileInput): CompiledQuery {
  const { query, range } = input;
  const filters = [...query.filters, ...(input.extraFilters ?? [])];
  const dims = query.dimensions.map((name) => dimensionSource(name) as DimensionSource);
  const stages = new Set(query.metrics.map((m) => METRIC_DEFS[m].stage));
  const scope = eventScope({
    siteKey: input.siteKey,
    timezone: range.timezone,
    firstDate: range.firstDate,
    fromMs: range.fromMs,
    toMs: range.toMs,
    dimensions: query.dimensions,
    filters,
    timeUnit: input.timeUnit,
    visitsTable: true,
    edgeOf: input.rollup,
    dialect: input.dialect,
  });
  const { params, ctes } = scope;
  const dimCols = dims.map((_, i) => `d${i}`);
  const dimSelect = (exprs: string[]) => exprs.map((x, i) => `${x} AS d${i}, `).join('');
  // A dimension over `s` rows: a visit's time is that of its first counted event.
  const visitDims = dims.map((d) =>
    scope.shown(d, d.from === 'time' ? scope.time(d, scope.localTime('start_ts')) : scope.dimension(d)),
  );
  const counted = `events > 0 AND ${scope.filter()}`;
  const parts: Part[] = [];
  const cut = input.rollup;
  if (cut) {
    // The rollup path (rollup-plan.ts): `s` holds the edge's visits only; rollup_visits the rest.
    ctes.push(
      `ev_rows AS (SELECT ${dimSelect(visitDims)}visitor_id, pageviews, events FROM s WHERE ${counted})`,
    );
    const rolled = (c: typeof cut, by: typeof dims) =>
      rollupRows(c, scope, by, input.siteKey, range.firstDate);
    ctes.push(
      ...rolledVisits(
        { ev: stages.has('ev'), total: query.metrics.includes('percentage'), se: stages.has('se') },
        'ev_rows',
        `SELECT ${dimSelect(visitDims)}count(*) AS visits, ${visitRates(input.dialect, 'TRUE')} FROM s WHERE ${counted} GROUP BY ALL`,
        rolled(cut, dims),
        () => rolled({ ...cut, dim: '' }, []),
        dimCols,
      ),
    );
    if (stages.has('ev')) parts.push({ name: 'ev' });
    if (stages.has('se')) parts.push({ name: 'se' });
    return assemble(query, input.unpaged ?? false, { params, ctes, parts, dimCols });
  }

  if (stages.has('ev')) {
    ctes.push(
      `ev_rows AS (SELECT ${dimSelect(visitDims)}visitor_id, pageviews, events FROM s WHERE ${counted})`,
      `ev AS (SELECT ${dimCols.map((c) => `${c}, `).join('')}count(DISTINCT visitor_id) AS visitors, ` +
        'coalesce(sum(pageviews), 0) AS pageviews, coalesce(sum(events), 0) AS events FROM ev_rows GROUP BY ALL)',
    );
    parts.push({ name: 'ev' });
    if (query.metrics.includes('percentage')) {
      ctes.push('total AS (SELECT count(DISTINCT visitor_id) AS total_visitors FROM ev_rows)');
    }
  }
  if (stages.has('se')) {
    ctes.push(
      `se AS (SELECT ${dimSelect(visitDims)}count(*) AS visits, ${visitRates(input.dialect, 'TRUE')} ` +
        `FROM s WHERE ${counted} GROUP BY ALL)`,
    );
    parts.push({ name: 'se' });
  }
  return assemble(query, input.unpaged ?? false, { params, ctes, parts, dimCols });
}
