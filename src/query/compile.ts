// A validated Query + its resolved range → one SQL statement. The statement is built from up
// to three partial queries over the range's events, joined on the dimensions:
//   ev  per event: visitors, pageviews, events (engagement events excluded);
//   se  per visit: the visits holding at least one event that matches the filters, with
//       their page views, bounce and duration — the way Plausible counts visits;
//   en  engagement events: scroll depth and time on page.
// Time dimensions place an event at its own time and a visit at its first event.

import { compileFilters } from './compile-filter.js';
import type { ResolvedRange } from './date-range.js';
import { type Dialect, Params } from './dialect.js';
import { type DimensionSource, dimensionSource, NO_VALUE } from './dimensions.js';
import { METRIC_DEFS, type MetricStage } from './metrics.js';
import { type Filter, isLeaf, type Query, type TimeUnit } from './model.js';

export interface CompileInput {
  query: Query;
  siteKey: number;
  range: ResolvedRange;
  /** What the `time` dimension stands for in this range. */
  timeUnit: TimeUnit;
  /** Filters added by the caller (e.g. a comparison restricted to the main result's rows). */
  extraFilters?: Filter[];
  /** Without pagination (comparison queries fetch every row they match). */
  unpaged?: boolean;
  dialect: Dialect;
  namesTable: string;
}

export interface CompiledQuery {
  sql: string;
  params: (string | number | boolean | null)[];
  /** Result columns: d0…dn for the dimensions, then one per metric, then total_rows. */
  dimensionColumns: string[];
}

// Columns every stage reads.
const BASE_COLUMNS = ['ts', 'name', 'visitor_id', 'session_id', 'pathname', 'interactive'];

function walkFilters(filters: readonly Filter[], visit: (dimension: string) => void): void {
  for (const f of filters) {
    if (isLeaf(f)) visit(f.dimension);
    else if (f.op === 'not') walkFilters([f.filter], visit);
    else walkFilters(f.filters, visit);
  }
}

export function compileQuery(input: CompileInput): CompiledQuery {
  const { query, range, dialect } = input;
  const params = new Params(dialect);
  const filters = [...query.filters, ...(input.extraFilters ?? [])];
  const dims = query.dimensions.map((name) => ({ name, source: dimensionSource(name) as DimensionSource }));
  const stages = new Set<MetricStage>(query.metrics.map((m) => METRIC_DEFS[m].stage));

  const referenced: DimensionSource[] = dims.map((d) => d.source);
  walkFilters(filters, (name) => referenced.push(dimensionSource(name) as DimensionSource));
  const columns = new Set(BASE_COLUMNS);
  for (const s of referenced) {
    if (s.from === 'column') columns.add(s.column);
    if (s.from === 'prop') columns.add('props');
  }
  if (stages.has('en')) {
    columns.add('scroll_depth');
    columns.add('engagement_ms');
  }
  const usesTime = dims.some((d) => d.source.from === 'time');
  const entryExit = referenced.some((s) => s.from === 'session');
  const needSessions = stages.has('se') || entryExit;

  const tz = params.lazy(range.timezone);
  const firstDate = params.lazy(range.firstDate);
  const site = params.add(input.siteKey);
  const from = params.add(new Date(range.fromMs).toISOString());
  const to = params.add(new Date(range.toMs).toISOString());
  const none = params.lazy(NO_VALUE);

  const timeExpr = (source: Extract<DimensionSource, { from: 'time' }>, local: string): string => {
    if (source.unit === 'hour_of_day') return dialect.hourOfDay(local);
    if (source.unit === 'day_of_week') return dialect.dayOfWeek(local);
    const unit = source.unit === 'auto' ? input.timeUnit : source.unit;
    return dialect.timeBucket(unit, local, unit === 'week' ? firstDate() : '');
  };
  const propKeys = new Map<string, string>();
  // Over event rows (the `src` relation).
  const eventExpr = (source: DimensionSource): string => {
    switch (source.from) {
      case 'column':
        return source.column;
      case 'session':
        return source.field;
      case 'prop': {
        let key = propKeys.get(source.key);
        if (!key) {
          key = params.add(source.key);
          propKeys.set(source.key, key);
        }
        return dialect.propValue('props', key, none());
      }
      case 'time':
        return timeExpr(source, 'lt');
    }
  };

  const ctes: string[] = [];
  ctes.push(
    `e AS (SELECT ${[...columns].join(', ')}${usesTime ? `, ${dialect.localTime('ts', tz())} AS lt` : ''} FROM events ` +
      `WHERE site_id = ${site} AND ts >= CAST(${from} AS TIMESTAMP) AND ts < CAST(${to} AS TIMESTAMP))`,
  );
  if (needSessions) {
    const pageview = "name = 'pageview'";
    ctes.push(
      `s AS (SELECT session_id, min(ts) AS start_ts, max(ts) AS end_ts, ` +
        `count(*) FILTER (WHERE ${pageview}) AS pageviews, ` +
        `count(*) FILTER (WHERE name NOT IN ('pageview', 'engagement') AND interactive) AS interactions, ` +
        `coalesce(${dialect.argMin('pathname', 'ts', pageview)}, '') AS entry_page, ` +
        `coalesce(${dialect.argMax('pathname', 'ts', pageview)}, '') AS exit_page ` +
        `FROM e GROUP BY session_id)`,
    );
  }
  const src = entryExit ? 'ex' : 'e';
  if (entryExit) ctes.push('ex AS (SELECT e.*, s.entry_page, s.exit_page FROM e JOIN s USING (session_id))');

  const filterSql = compileFilters(filters, {
    dialect,
    params,
    dimension: (n) => eventExpr(dimensionSource(n) as DimensionSource),
    namesTable: input.namesTable,
  });
  const dimCols = dims.map((_, i) => `d${i}`);
  const dimSelect = (exprs: string[]) => exprs.map((x, i) => `${x} AS d${i}, `).join('');
  const eventDims = dims.map((d) => eventExpr(d.source));
  const parts: string[] = [];

  if (stages.has('ev')) {
    ctes.push(
      `ev AS (SELECT ${dimSelect(eventDims)}count(DISTINCT visitor_id) AS visitors, ` +
        `count(*) FILTER (WHERE name = 'pageview') AS pageviews, count(*) AS events ` +
        `FROM ${src} WHERE name <> 'engagement' AND ${filterSql} GROUP BY ALL)`,
    );
    parts.push('ev');
    if (query.metrics.includes('percentage')) {
      ctes.push(
        `total AS (SELECT count(DISTINCT visitor_id) AS total_visitors FROM ${src} WHERE name <> 'engagement' AND ${filterSql})`,
      );
    }
  }
  if (stages.has('se')) {
    // Which visits count (and under which event-level dimension values): those with a matching event.
    const carried = dims.map((d, i) =>
      d.source.from === 'time' || d.source.from === 'session' ? undefined : i,
    );
    const xDims = carried.filter((i): i is number => i !== undefined);
    ctes.push(
      `x AS (SELECT DISTINCT ${xDims.map((i) => `${eventDims[i]} AS d${i}, `).join('')}session_id ` +
        `FROM ${src} WHERE name <> 'engagement' AND ${filterSql})`,
    );
    const startLocal = () => dialect.localTime('s.start_ts', tz());
    const seDims = dims.map((d, i) => {
      if (d.source.from === 'time') return timeExpr(d.source, startLocal());
      if (d.source.from === 'session') return `s.${d.source.field}`;
      return `x.d${i}`;
    });
    ctes.push(
      `se AS (SELECT ${dimSelect(seDims)}count(*) AS visits, sum(s.pageviews) AS visit_pageviews, ` +
        `count(*) FILTER (WHERE s.pageviews <= 1 AND s.interactions = 0) AS bounces, ` +
        `sum(${dialect.millisBetween('s.start_ts', 's.end_ts')}) AS duration_ms ` +
        `FROM x JOIN s USING (session_id) GROUP BY ALL)`,
    );
    parts.push('se');
  }
  if (stages.has('en')) {
    // Filters see an engagement event as the page view it measures.
    const enFilter = compileFilters(filters, {
      dialect,
      params,
      dimension: (n) =>
        n === 'event:name' ? "'pageview'" : eventExpr(dimensionSource(n) as DimensionSource),
      namesTable: input.namesTable,
    });
    ctes.push(
      `en_visitor AS (SELECT ${dimSelect(eventDims)}visitor_id, pathname, max(scroll_depth) AS max_scroll, ` +
        `sum(engagement_ms) AS engaged_ms FROM ${src} WHERE name = 'engagement' AND ${enFilter} GROUP BY ALL)`,
      `en AS (SELECT ${dimCols.map((c) => `${c}, `).join('')}avg(max_scroll) AS scroll_depth, ` +
        `sum(engaged_ms) AS engaged_ms, count(DISTINCT visitor_id) FILTER (WHERE engaged_ms IS NOT NULL) AS engaged_visitors ` +
        `FROM en_visitor GROUP BY ALL)`,
    );
    parts.push('en');
  }

  let fromSql = parts[0]!;
  for (const p of parts.slice(1)) {
    fromSql += dims.length === 0 ? ` CROSS JOIN ${p}` : ` FULL JOIN ${p} USING (${dimCols.join(', ')})`;
  }
  if (query.metrics.includes('percentage')) fromSql += ' CROSS JOIN total';

  const metricSelect = query.metrics.map((m) => `${METRIC_DEFS[m].sql} AS ${m}`);
  const order = orderBy(query, dimCols);
  const page = input.unpaged
    ? ''
    : ` LIMIT ${params.add(query.pagination.limit)} OFFSET ${params.add(query.pagination.offset)}`;
  const sql =
    `WITH ${ctes.join(',\n')}\n` +
    `SELECT ${[...dimCols, ...metricSelect, 'count(*) OVER () AS total_rows'].join(', ')} FROM ${fromSql}` +
    `${order ? ` ORDER BY ${order}` : ''}${page}`;
  return { sql, params: params.values, dimensionColumns: dimCols };
}

function orderBy(query: Query, dimCols: string[]): string {
  const terms: string[] = [];
  const column = (name: string) => {
    const i = query.dimensions.indexOf(name);
    return i >= 0 ? dimCols[i]! : name;
  };
  if (query.orderBy) {
    for (const [name, dir] of query.orderBy) terms.push(`${column(name)} ${dir.toUpperCase()}`);
  } else {
    // Plausible's default: time ascending when there is a time dimension, else the first metric descending.
    const time = query.dimensions.find((d) => d.startsWith('time'));
    if (time) terms.push(`${column(time)} ASC`);
    else if (query.dimensions.length > 0) terms.push(`${query.metrics[0]} DESC`);
  }
  // Ties broken by the dimensions, so pages never overlap or skip rows.
  for (const c of dimCols) terms.push(`${c} ASC`);
  return terms.join(', ');
}
